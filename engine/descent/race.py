"""A race: several optimizers descending the same data from the same start, one generator each.

Each racer has its own learning rate when the race gives one (`adam@0.05`): adam's steps are about lr in
size whatever the gradient, plain descent's are lr times the gradient, so one lr rarely suits both.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from engine.data.synthetic import Dataset, load_dataset
from engine.descent.descend import descend
from engine.descent.problem import Problem, make_problem
from engine.descent.snapshot import Snapshot
from engine.settings.errors import SettingError
from engine.settings.racers import Racer, parse_race, parse_racer
from engine.settings.run_settings import OPTIMIZERS, Settings

__all__ = ["Racer", "parse_race", "race", "race_problems", "racer_settings"]


def racer_settings(settings: Settings, racer: Racer) -> Settings:
    """The run's settings with the racer's optimizer and learning rate."""
    return settings.with_changes(optimizer=racer.optimizer, lr=racer.lr_in(settings.lr))


def race_problems(settings: Settings, racers: Sequence[Racer | str], dataset: Dataset | None = None) -> list[tuple[str, Problem]]:
    """(label, problem) per racer, in order, on one Dataset (`dataset` when given) and from one start (same seed and start, same θ₀)."""
    if not racers:
        raise SettingError("race", f"needs at least one optimizer from {', '.join(OPTIMIZERS)}")
    racers = [racer if isinstance(racer, Racer) else parse_racer(racer) for racer in racers]
    dataset = load_dataset(settings) if dataset is None else dataset  # a CSV is read once: every runner sees the same points
    return [(racer.label, make_problem(racer_settings(settings, racer), dataset)) for racer in racers]


def race(settings: Settings, racers: Sequence[Racer | str]) -> list[tuple[str, Iterator[Snapshot]]]:
    """(label, lazy descent) per racer, in the order given: pull them in turn to run them side by side."""
    return [(label, descend(problem)) for label, problem in race_problems(settings, racers)]
