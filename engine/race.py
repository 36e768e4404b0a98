"""A race: several optimizers descending the same data from the same start, one generator each."""

from __future__ import annotations

from collections.abc import Iterator

from engine.data import load_dataset
from engine.descend import descend
from engine.errors import SettingError
from engine.problem import Problem, make_problem
from engine.settings import OPTIMIZERS, Settings
from engine.snapshot import Snapshot


def parse_race(text: str) -> tuple[str, ...]:
    """`manual,momentum,adam` → the names, checked: known optimizers, each once; SettingError("race", …) otherwise."""
    names = tuple(part.strip() for part in text.split(","))
    allowed = ", ".join(OPTIMIZERS)
    if not text.strip() or any(not name for name in names):
        raise SettingError("race", f"must be a comma-separated list of optimizers from {allowed} (got {text!r})")
    for name in names:
        if name not in OPTIMIZERS:
            raise SettingError("race", f"{name!r} is not an optimizer: use names from {allowed}")
        if names.count(name) > 1:
            raise SettingError("race", f"{name} is listed twice: each optimizer races once")
    return names


def race_problems(settings: Settings, optimizers: list[str] | tuple[str, ...]) -> list[tuple[str, Problem]]:
    """One problem per optimizer, in order, on one Dataset and from one start (same seed and start, same θ₀)."""
    if not optimizers:
        raise SettingError("race", f"needs at least one optimizer from {', '.join(OPTIMIZERS)}")
    dataset = load_dataset(settings)  # loaded once: a CSV is read once, and every runner sees the same points
    return [(name, make_problem(settings.with_changes(optimizer=name), dataset)) for name in optimizers]


def race(settings: Settings, optimizers: list[str] | tuple[str, ...]) -> list[tuple[str, Iterator[Snapshot]]]:
    """(name, lazy descent) per optimizer, in the order given: pull them in turn to run them side by side."""
    return [(name, descend(problem)) for name, problem in race_problems(settings, optimizers)]
