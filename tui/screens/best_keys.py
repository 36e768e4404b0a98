"""`best` in the app: typed in the lr (or momentum) field, or key o — the lr leaving the least loss after the run's
remaining steps from θ where it is (engine/maths/best_lr.py), worked out on the run's own problem."""

from __future__ import annotations

import dataclasses

from tui.workers.run_state import RunState

BEST = "best"


def typed_best(text: str) -> bool:
    return text.strip().lower() == BEST


def best_changes(screen, changes: dict) -> dict | None:
    """`changes` with each `best` replaced by its number; None (after saying why beside the field) when it can't be."""
    wanted = [name for name, value in changes.items() if isinstance(value, str) and typed_best(value)]
    if not wanted:
        return changes
    from engine.maths.best_lr import resolve_best
    from engine.maths.valley import eigenbasis
    from engine.settings.errors import SettingError
    from engine.words.best_words import best_words

    problem, snapshot = screen.problem, screen.snapshot
    if problem is None or snapshot is None:
        screen.panel.show_error(wanted[0], "best is worked out from the run's data: wait until the run is ready")
        return None
    others = {name: value for name, value in changes.items() if name not in wanted}
    from engine.descent.steer import steerable

    try:
        settings = screen.settings.with_changes(**others)
        if not steerable(problem.settings, settings):
            screen.panel.show_error(wanted[0], "best is worked out on the run's data and model: apply the other changes first")
            return None
        start, left = snapshot.vector, max(settings.steps - snapshot.step, 0)
        if screen.life.over or screen.state == RunState.ERROR or not all(map(_finite, start)):
            start, left = None, settings.steps  # a new run starts from the seeded θ
        resolved, choice = resolve_best(
            dataclasses.replace(problem, settings=settings), "lr" in wanted, "momentum" in wanted, start, left or settings.steps
        )
    except SettingError as error:
        screen.panel.show_error(error.setting, error.message)
        screen.notify(error.message, title=f"{error.setting} best", severity="warning")
        return None
    values = eigenbasis(problem).values
    words = best_words(choice, float(values[-1]), float(values[0]))
    screen.notify(words.split(". ", 1)[0] + ".", title="best", timeout=12)  # a toast is a headline (tui/app.py)
    return {**others, **{name: getattr(resolved.settings, name) for name in wanted}}


def _finite(value) -> bool:
    return value == value and abs(value) != float("inf")


def set_best_lr(screen) -> None:
    """`o`: the best lr for the steps left (not lr_best), set as a typed lr is: the run goes on from θ, with a mark on
    the loss curve where the lr changed; before a run that is step 0, the clean experiment."""
    lr = (best_changes(screen, {"lr": "best"}) or {}).get("lr")
    if lr is not None:
        screen.panel.set_value("lr", lr)
        screen.apply({"lr": lr})
