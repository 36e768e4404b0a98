"""Why a run went as it did, in words: divergence against lr_max, a stall along the valley's floor, saturated
tanh units, and what lr_best can and cannot do. The app and `descent run` both show these texts.

Each text names its remedies as `fixes` says: command-line options for `descent run`, keys in the app.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine.maths.curvature import Analysis, contraction, predicted_steps
from engine.maths.stability import stable_lr
from engine.models.model_kind import is_linear_in_parameters
from engine.settings.run_settings import PLAIN_DESCENT
from engine.words.numbers import significant as _g

STALL_CONDITION = 100.0
"""Below this condition number every direction converges at comparable rates: no valley to blame."""
STALL_DOMINANCE = 10.0
"""A stall: the error along the valley is at least this many times the error across it."""
STALL_DISTANCE = 0.01
"""…and at least this fraction of the optimum's size (below it the run is simply close)."""
CLOSE_RELATIVE = 0.05
"""A parameter is "close to its optimum" within this fraction of that optimum's size."""
AT_LR_BEST = 0.01
"""An lr within this fraction of lr_best is lr_best (as `o` sets it, to 3 significant digits)."""
SATURATED = 3.0
"""|w₁x + b₁| beyond this: tanh' < 0.01, the unit passes almost no gradient back."""
SATURATED_SHARE = 0.5
"""A network is saturated when at least this share of its (point, unit) pairs are."""


@dataclass(frozen=True)
class Fixes:
    """How a text names each remedy: an option of `descent run`, or a key of the app."""

    standardize: str = "--standardize"
    momentum: str = "--optimizer momentum"
    lr: str = "--lr"


CLI_FIXES = Fixes()
APP_FIXES = Fixes(standardize="key z", momentum="key m", lr="the lr field")


def explain_divergence(
    step: int | None,
    lr: float,
    analysis: Analysis | None,
    optimizer: str = "manual",
    standardized: bool = False,
    fixes: Fixes = CLI_FIXES,
) -> str:
    """At which step the run diverged, its lr against lr_max = 2/λmax (both numbers), and what to do."""
    where = f"Diverged at step {step}" if step is not None else "Diverged"
    fix_scale = "" if standardized else f"; or fit on standardized x ({fixes.standardize}), which makes the valley round"
    smaller = f"Try a smaller lr ({fixes.lr}, e.g. {_g(lr / 10)}){fix_scale}."
    if analysis is None or analysis.lr_max is None or not math.isfinite(analysis.lr_max):
        return f"{where}: the loss blew up at lr {_g(lr)}. {smaller}"
    lr_max = analysis.lr_max
    rule = f"lr_max = 2/λmax = 2/{analysis.lambda_max:.4g} = {_g(lr_max)}"
    kind = "" if analysis.exact else " (λmax estimated where the run started)"
    suggestion = f"set lr ({fixes.lr}) below {_g(lr_max)}"
    if analysis.lr_best is not None:
        suggestion += f" (lr_best = 2/(λmax+λmin) = {_g(analysis.lr_best)} converges fastest)"
    if lr > lr_max:
        return (
            f"{where}: lr {_g(lr)} is {lr / lr_max:.3g}× {rule}{kind}, the largest lr at which plain gradient descent "
            "converges: along the steepest direction each step overshoots the minimum by more than it started from. "
            f"To fix it, {suggestion}{fix_scale}."
        )
    if optimizer not in PLAIN_DESCENT:
        return (
            f"{where}: lr {_g(lr)} is below {rule}{kind}, but {optimizer} takes longer steps than plain gradient descent "
            f"(momentum adds up past steps; adaptive rules rescale them). {smaller}"
        )
    return (
        f"{where}: lr {_g(lr)} is below {rule}{kind}, yet the loss blew up: the curvature grew along the way "
        f"(or mini-batches curve more than the whole data). {smaller}"
    )


def _close(value: float, best: float, scale: float) -> bool:
    """Within CLOSE_RELATIVE of the optimum's own size (of a thousandth of |θ*| when that optimum is near 0)."""
    return abs(value - best) <= CLOSE_RELATIVE * max(abs(best), 1e-3 * scale)


def explain_stall(
    snapshot,
    optimum,
    analysis: Analysis | None,
    lr: float | None = None,
    optimizer: str = "manual",
    standardized: bool = False,
    fixes: Fixes = CLI_FIXES,
) -> str | None:
    """Words for a run whose remaining error lies mostly along the valley's floor; None otherwise.

    Needs the exact analysis (the valley's direction) and the least-squares optimum; the valley
    must be elongated (κ ≥ 100), the error along it ≥ 10× the error across it, and ≥ 1% of |θ*|.
    A parameter is called close to its optimum only when it is, within 5% (CLOSE_RELATIVE).
    """
    if optimum is None or analysis is None or not analysis.exact or analysis.slow_direction is None:
        return None
    kappa = analysis.condition_number
    if kappa is None or kappa < STALL_CONDITION:
        return None
    error = np.asarray(snapshot.vector, dtype=np.float64) - optimum.vector
    if not np.all(np.isfinite(error)):
        return None
    along = abs(float(error @ analysis.slow_direction))
    across = abs(float(error @ analysis.fast_direction))
    size = max(float(np.linalg.norm(optimum.vector)), 1e-12)
    if along < STALL_DOMINANCE * across or along < STALL_DISTANCE * size:
        return None
    names = snapshot.layout.names
    if len(names) == 0:
        return None
    slow = names[int(np.argmax(np.abs(analysis.slow_direction)))]
    fast = names[int(np.argmax(np.abs(analysis.fast_direction)))]
    params, best = snapshot.params, optimum.params
    scale = max((abs(v) for v in best.values()), default=0.0) or 1e-12
    kappa_text = condition_words(analysis)
    valley = (
        f"the loss is a long, narrow valley (condition number κ = λmax/λmin {kappa_text}), steep across and almost flat "
        f"along its floor, where {slow} mostly lies."
    )
    if fast != slow and _close(params[fast], best[fast], scale):
        # the news first (a headline keeps the first clause): what has not moved
        text = (
            f"{slow} = {params[slow]:.4g} is still far from {best[slow]:.4g} after {snapshot.step} steps, "
            f"while {fast} = {params[fast]:.4g} is close to its optimum {best[fast]:.4g}: {valley}"
        )
    else:
        others = ", ".join(f"{name} = {params[name]:.4g} (optimum {best[name]:.4g})" for name in names[:4] if name != slow)
        text = (
            f"After {snapshot.step} steps {slow} = {params[slow]:.4g} is still far from {best[slow]:.4g}"
            f"{', and ' + others if others else ''}; the error left lies along the valley's floor "
            f"(≥ {STALL_DOMINANCE:g}× the error across it): {valley}"
        )
    rate = contraction(analysis, lr) if lr is not None else None
    if optimizer in PLAIN_DESCENT and rate is not None and rate < 1 and analysis.lambda_min:
        per_step = lr * analysis.lambda_min
        steps = predicted_steps(analysis, lr)
        text += (
            f" An lr small enough for the steep side ({_g(lr)} < lr_max {_g(analysis.lr_max)}) removes only "
            f"lr·λmin = {100 * per_step:.2g}% of the error along the floor per step: shrinking it 1000× takes about {steps:,.0f} steps."
        )
    if standardized:
        return text + f" Momentum ({fixes.momentum}) crosses such a valley faster than plain steps."
    return text + f" Standardizing x ({fixes.standardize}) makes the valley round, and every direction converges alike."


def explain_lr_best(analysis: Analysis | None, standardized: bool = False, fixes: Fixes = CLI_FIXES) -> str | None:
    """Where κ is large, what lr_best can't do: no lr makes plain descent fast, how fast the best is, and what does fix it.

    At lr_best = 2/(λmax+λmin) the steepest and the flattest directions both shrink by (κ−1)/(κ+1) per step,
    the best plain gradient descent can do; heavy-ball momentum at its best shrinks by (√κ−1)/(√κ+1).
    None when κ is small (lr_best is then fast) or unknown.
    """
    if analysis is None or not analysis.exact or analysis.lr_best is None or not math.isfinite(analysis.lr_best):
        return None
    kappa = analysis.condition_number
    if kappa is None or kappa < STALL_CONDITION:
        return None
    if math.isinf(kappa):
        rate_text, steps_text, momentum_rate = "1 (no shrinking at all along the flat direction)", "never", 1.0
    else:
        rate = (kappa - 1) / (kappa + 1)
        rate_text = f"(κ−1)/(κ+1) = {rate:.5f}"
        steps_text = f"about {math.ceil(math.log(1000) / -math.log(rate)):,} steps"
        momentum_rate = (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
    text = (
        f"κ = {'∞' if math.isinf(kappa) else f'{kappa:,.0f}'}: no lr makes plain gradient descent fast here. "
        f"At the best one, lr_best = 2/(λmax+λmin) = {_g(analysis.lr_best)}, every direction's error shrinks by "
        f"{rate_text} per step, {steps_text} to shrink it 1000×; the steep direction, settled in a few steps at a "
        "smaller lr, now swings from side to side nearly as slowly, so a short run can end with a higher loss. What fixes it: "
    )
    remedies = [] if standardized else [f"standardizing x ({fixes.standardize}), which makes κ about 1"]
    if momentum_rate < 1:
        remedies.append(f"momentum ({fixes.momentum}), which at its best shrinks the error by (√κ−1)/(√κ+1) = {momentum_rate:.3f} per step")
    return text + "; or ".join(remedies) + "." if remedies else None


def explain_saturation(problem, snapshot, fixes: Fixes = CLI_FIXES) -> str | None:
    """An MLP whose tanh units are saturated on most points (unscaled x): they pass back almost no gradient.

    None for other models, or when fewer than SATURATED_SHARE of the (point, unit) pairs have |w₁x + b₁| > 3.
    """
    model = problem.model
    hidden = getattr(model, "hidden", None)
    if hidden is None or is_linear_in_parameters(model):
        return None
    vector = np.asarray(snapshot.vector, dtype=np.float64)
    if not np.all(np.isfinite(vector)):
        return None
    w1, b1 = vector[:hidden], vector[hidden : 2 * hidden]
    x = problem.dataset.x[problem.train]
    if len(x) > 4096:  # a sample says as much, at any size
        x = x[np.linspace(0, len(x) - 1, 4096).astype(np.int64)]
    pre = np.outer(model.scaling.apply(np.asarray(x, dtype=np.float64)), w1) + b1
    share = float(np.mean(np.abs(pre) > SATURATED))
    if share < SATURATED_SHARE:
        return None
    standardized = problem.settings.standardize
    remedy = (
        "a smaller lr, or fewer hidden units"
        if standardized
        else f"fit on standardized x ({fixes.standardize}), so that w₁x + b₁ starts near 0 for every point"
    )
    return (
        f"The network's tanh units are saturated: for {100 * share:.0f}% of the (point, unit) pairs |w₁x + b₁| > {SATURATED:g}, "
        f"where tanh is flat (its slope below 0.01), so almost no gradient reaches w₁ and b₁ and the curve barely bends. "
        f"To fix it, {remedy}."
    )


def explain_end(problem, snapshot, optimum, analysis: Analysis | None, fixes: Fixes = CLI_FIXES) -> str | None:
    """Why a finished (not diverged) run stands where it does, when there is a nameable reason; None otherwise."""
    settings = problem.settings
    at_best = (
        settings.optimizer in PLAIN_DESCENT
        and analysis is not None
        and analysis.lr_best
        and abs(settings.lr / analysis.lr_best - 1) <= AT_LR_BEST
    )
    return (
        explain_saturation(problem, snapshot, fixes)
        or (explain_lr_best(analysis, settings.standardize, fixes) if at_best else None)
        or explain_stall(snapshot, optimum, analysis, settings.lr, settings.optimizer, settings.standardize, fixes)
    )


def lr_limit(analysis: Analysis | None, optimizer: str = "manual", momentum: float = 0.9) -> float | None:
    """The largest stable lr the curvature gives for this update rule; None where it gives none (adaptive rules)."""
    if analysis is None or analysis.lr_max is None or not math.isfinite(analysis.lr_max):
        return None
    return stable_lr(analysis.lr_max, optimizer, momentum)


def warn_lr(analysis: Analysis | None, lr: float, optimizer: str = "manual", momentum: float = 0.9) -> str | None:
    """A warning to show before a run starts when lr is above the curvature's limit for this rule; None when it is not."""
    limit = lr_limit(analysis, optimizer, momentum)
    if limit is None or lr <= limit:
        return None
    estimate = "" if analysis.exact else " (λmax estimated here)"
    if optimizer in PLAIN_DESCENT:
        best = "" if analysis.lr_best is None else f"; lr_best = {_g(analysis.lr_best)}"
        return f"lr {_g(lr)} is above lr_max = 2/λmax = {_g(limit)}{estimate}: plain gradient descent will diverge{best}."
    factor = "2(1+β)/λmax" if optimizer == "momentum" else "2(1+β)/((1+2β)·λmax)"
    return f"lr {_g(lr)} is above {factor} = {_g(limit)} (β = {momentum:g}){estimate}: {optimizer} will diverge."


BEYOND_DOUBLE = 1e15
"""Past this κ, λmin is below float64's rounding of λmax: a solve in these units (or in float64 sums of ΦᵀΦ)
can't see the flat direction, though the problem is not singular."""


def condition_words(analysis: Analysis) -> str:
    """κ as the explanations say it: "about 13,208", "> 1e15" (beyond double precision), or "infinite: singular"."""
    kappa = analysis.condition_number
    if analysis.singular or kappa is None or math.isinf(kappa):
        return "infinite: the problem is singular (fewer distinct x than parameters)"
    if kappa > BEYOND_DOUBLE:
        return "> 1e15, beyond double precision"
    return f"about {kappa:,.0f}"


def kappa_short(analysis: Analysis) -> str:
    """κ in a figure's few characters: "13,208", "> 1e15", "∞ (singular)"."""
    kappa = analysis.condition_number
    if kappa is None:
        return "–"
    if analysis.singular or math.isinf(kappa):
        return "∞ (singular)"
    return "> 1e15" if kappa > BEYOND_DOUBLE else f"{kappa:,.0f}"


def explain_excess(loss: float | None, optimum_loss: float, excess: float | None, dtype: str) -> str | None:
    """Words for a final loss that reads below the least-squares optimum (float32 rounding); None when it doesn't."""
    if loss is None or excess is None or not loss < optimum_loss:
        return None
    return (
        f"The loss reads {optimum_loss - loss:.3g} below the least-squares optimum: that is {dtype} rounding in the descent. "
        f"In float64, at these parameters, the loss is {excess:.3g} above it."
    )
