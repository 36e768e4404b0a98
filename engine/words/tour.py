"""The guided tour (`descent tour`, key T): the tutorial's lesson told in stops, as data.

Each stop is a state of the app (settings over the tutorial's, the views, whether it runs) and a short
text whose numbers are read from the run on screen (`Scene`), never written in: change a setting and the
text follows. The front (tui/screens/tour.py) applies the states and shows the texts; nothing here knows Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePath

import numpy as np

from engine.settings.run_settings import Settings
from engine.words.numbers import significant as _g

TEXT_LINES = 4
"""A stop's text fits in this many lines of the tour panel at 80×24, with the plot still on screen."""
TEXT_WIDTH = 78
"""The tour panel's text width at 80 columns (its padding takes one column each side)."""
WAITING = "The run is being prepared: its numbers appear here in a moment."


@dataclass(frozen=True)
class Scene:
    """What a stop's text reads: the run on screen, as the main screen holds it."""

    settings: Settings
    problem: object | None = None
    """engine.descent.problem.Problem, once the run is made."""
    snapshot: object | None = None
    """The newest engine.descent.snapshot.Snapshot drawn."""
    analysis: object | None = None
    """engine.maths.curvature.Analysis of the run's loss, when it has one."""
    optimum: object | None = None
    """engine.maths.optimum.Optimum (least squares), for MSE on a model linear in θ."""
    racers: dict = field(default_factory=dict)
    """Optimizer name → its newest snapshot, at the race stop."""
    start: object | None = None
    """θ₀ as fitted (numpy), where the run on screen started (a dropped marble included); None: the seed's random start."""


@dataclass(frozen=True)
class Stop:
    """One stop of the tour: what it shows, how the app must look for it, and what to try there."""

    id: str
    title: str
    text: Callable[[Scene], str]
    """The stop's words from the scene; raises NotReady while the scene lacks what it reads (see `words`)."""
    changes: dict | None
    """Settings over the tutorial's (Settings()); None: the settings the tour was started with (your data)."""
    hint: str
    """Something to try, with the keys that do it."""
    top: str = "fit"
    """fit or landscape."""
    bottom: str = "loss"
    """loss, autograd, code, or none (the fit takes the room)."""
    panel: bool = False
    """Whether the parameter panel shows."""
    run: bool = False
    """Whether the run starts by itself once made."""
    race: tuple[str, ...] = ()
    """Optimizers raced side by side instead of the single run."""


class NotReady(Exception):
    """The scene lacks a part the text reads: the run is still being made."""


def _need(*parts):
    """The parts of the scene a text reads; NotReady while one is missing."""
    if any(part is None for part in parts):
        raise NotReady
    return parts


def start_theta(problem, start=None) -> np.ndarray:
    """θ₀ as fitted: `start` when the scene knows it, else the seed's random start."""
    if start is not None:
        return np.asarray(start, dtype=np.float64)
    from engine.models.linear_models import start_rng

    settings = problem.settings
    return start_rng(settings.seed, settings.start).uniform(0.0, 1.0, len(problem.model.names))


def start_loss(problem, start=None) -> float:
    """The loss at θ₀, the run's start, in float64: the top of the loss curve."""
    theta = start_theta(problem, start)
    x = problem.x_train.detach().cpu().double().numpy()
    y = problem.y_train.detach().cpu().double().numpy()
    return float(np.mean((problem.model.features_np(x) @ theta - y) ** 2))


@cache
def _warmup():
    from engine.maths.gradient_check import warmup_demo

    return warmup_demo()


def _data(scene: Scene) -> str:
    problem, snapshot = _need(scene.problem, scene.snapshot)
    s = scene.settings
    # θ₀, not θ now: "started at" is about the start, whatever step the run on screen has reached
    k0, b0 = snapshot.layout.to_data_units(start_theta(problem, scene.start))[:2]
    now = "" if snapshot.step == 0 else f" (at step {snapshot.step:,}: {_g(snapshot.loss, 5)})"
    return (
        f"The data: {len(problem.dataset)} points, y = {_g(s.slope)}·x + {_g(s.intercept)} plus noise of σ = {_g(s.noise)}. "
        f"The model is a line, ŷ = k·x + b, started at k = {_g(k0)}, b = {_g(b0)}. "
        f"Its loss, mean((ŷ − y)²), is {_g(start_loss(problem, scene.start), 5)} there{now}; the descent moves k and b to make it small."
    )


def _autograd(scene: Scene) -> str:
    (snapshot,) = _need(scene.snapshot)
    warm = _warmup()
    g = snapshot.grads
    return (
        f"Autograd first, on the warm-up: x = {len(warm.x)} points on [{_g(warm.x[0])}, {_g(warm.x[-1])}], "
        f"z = mean((x+2)²) = {_g(warm.z, 5)}. z.backward() fills x.grad with dz/dx = 2(x+2)/{len(warm.x)}: "
        f"{_g(warm.autograd[0])} at the first x, {_g(warm.autograd[-1])} at the last. "
        f"The same backward() on the loss gives ∂L/∂k = {_g(g['k'])}, ∂L/∂b = {_g(g['b'])} (.grad in the Autograd panel, above)."
    )


def _one_step(scene: Scene) -> str:
    problem, snapshot = _need(scene.problem, scene.snapshot)
    g = snapshot.grads
    return (
        f"One step, in four phases (the code pane, c; n takes the next): forward, ŷ = k·x + b at {len(problem.train)} points; "
        f"the loss, {_g(snapshot.loss, 5)}; backward, ∂L/∂k = {_g(g['k'])}, ∂L/∂b = {_g(g['b'])}; "
        f"the update, θ ← θ − lr·∂L/∂θ with lr = {_g(scene.settings.lr)}."
    )


def _loop(scene: Scene) -> str:
    problem, snapshot, optimum = _need(scene.problem, scene.snapshot, scene.optimum)
    p = snapshot.params
    return (
        f"The loop repeats that step {scene.settings.steps:,} times and the line swings into place: "
        f"at step {snapshot.step:,} the loss is {_g(snapshot.loss, 4)}, down from {_g(start_loss(problem, scene.start), 4)}, "
        f"and k = {_g(p['k'], 4)} against the least-squares k* = {_g(optimum.params['k'], 4)}."
    )


def _stall(scene: Scene) -> str:
    from engine.words.tour_valley import stall_words

    snapshot, optimum, analysis = _need(scene.snapshot, scene.optimum, scene.analysis)
    return stall_words(scene.settings, snapshot, optimum, analysis, scene.problem)


def _standardized(scene: Scene) -> str:
    from engine.words.tour_valley import standardized_words

    problem, snapshot, optimum, analysis = _need(scene.problem, scene.snapshot, scene.optimum, scene.analysis)
    return standardized_words(scene.settings, problem, snapshot, optimum, analysis)


def _diverge(scene: Scene) -> str:
    from engine.words.tour_valley import diverge_words

    snapshot, analysis = _need(scene.snapshot, scene.analysis)
    return diverge_words(scene.settings, snapshot, analysis)


def _race(scene: Scene) -> str:
    if not scene.racers:
        raise NotReady
    steps = min(s.step for s in scene.racers.values())
    finite = {name: s.loss for name, s in scene.racers.items() if s.status != "diverged"}
    losses = ", ".join(f"{name} {_g(s.loss, 4)}" for name, s in scene.racers.items())
    leader = min(finite, key=finite.get) if finite else None
    lead = f"; {leader} leads" if leader and steps > 0 else ""
    return (
        f"Optimizers racing: the same data, the same start, each at its own lr (the name after @). "
        f"At step {steps:,} the losses are {losses}{lead}. Momentum gathers speed; adam rescales each coordinate, "
        f"its steps at most about lr."
    )


def _your_data(scene: Scene) -> str:
    problem, snapshot = _need(scene.problem, scene.snapshot)
    s = scene.settings
    # the file's name, not its path: a long path would push the text past its four lines
    source = f"from {PurePath(s.data).name}" if s.data is not None else f"made from seed {s.seed}"
    fitted = ", ".join(f"{name} = {_g(v, 4)}" for name, v in list(snapshot.params.items())[:3])
    return (
        f"Your own data: descent --data FILE.csv --x-column X --y-column Y fits two columns of a CSV the same way. "
        f"On screen: {len(problem.dataset):,} points {source}, model {s.model}, loss {_g(snapshot.loss, 5)} at step "
        f"{snapshot.step:,}{', ' + fitted if fitted else ''}."
    )


def _diverging_lr() -> float:
    from engine.settings.presets import PRESETS

    return PRESETS["diverge"].changes["lr"]


def _standardized_changes() -> dict:
    from engine.settings.presets import PRESETS

    return dict(PRESETS["standardized"].changes)


def _race_names() -> tuple[str, ...]:
    from engine.settings.presets import PRESETS

    return PRESETS["race"].race


STOPS: tuple[Stop, ...] = (
    Stop("data", "The data and the model", _data, {}, "space runs it; r draws another start, g other points", bottom="none", panel=True),
    Stop("autograd", "Autograd, on the warm-up", _autograd, {}, "w shows every x.grad beside 2(x+2)/100", bottom="autograd"),
    Stop("step", "One step, phase by phase", _one_step, {}, "n: the next phase; the residuals appear as segments", bottom="code"),
    Stop("loop", "The loop", _loop, {}, "space pauses and runs; + and − change the pace", run=True),
    Stop("stall", "The stall", _stall, {}, "the path runs down the steep side, then crawls; l: the fit again", top="landscape", run=True),
    Stop(
        "standardize", "Standardizing fixes it", _standardized, _standardized_changes(), "o: the best lr for the steps left",
        top="landscape", run=True,
    ),
    Stop("diverge", "Too large an lr diverges", _diverge, {"lr": _diverging_lr()}, "y opens the Analysis: lr against lr_max", run=True),
    Stop("race", "Optimizers racing", _race, {}, "r races again; descent --preset race opens this", race=_race_names(), run=True),
    Stop("yours", "Your own data", _your_data, None, "e exports the script that reproduces this run", bottom="none"),
)


def stop_settings(stop: Stop, tutorial: Settings, launched: Settings) -> Settings:
    """The settings a stop runs: its changes over the tutorial's (on the app's device), or the launch settings."""
    if stop.changes is None:
        return launched
    return tutorial.with_changes(**stop.changes)


def words(stop: Stop, scene: Scene) -> str:
    """The stop's text for this scene, or a line saying the run is being made."""
    try:
        return stop.text(scene)
    except NotReady:
        return WAITING
