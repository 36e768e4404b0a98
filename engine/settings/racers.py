"""Who races: `--race OPT[@LR],OPT[@LR],…` read into racers, each an optimizer and, if given, its own learning rate.

Torch-free, so the command line and the config reader can check a race before torch loads.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from engine.settings.errors import SettingError
from engine.settings.run_settings import OPTIMIZERS

MAX_LR = 1e6
"""The same bound the `lr` setting has."""


@dataclass(frozen=True)
class Racer:
    """One entry of a race: an optimizer, and the learning rate it races at."""

    optimizer: str
    """A name from OPTIMIZERS."""
    lr: float | None = None
    """Its own learning rate; None: the run's `lr`."""
    multiple: float | None = None
    """A rung of an lr ladder: lr = multiple/λmax of the data (`manual@1.5/λmax`), worked out once the data exist
    (engine/maths/ladder.py puts it in `lr`)."""

    @property
    def label(self) -> str:
        """How the race names it: `adam`, or `adam@0.05` when it has its own lr (so one optimizer can race twice).

        A rung is named by its multiple (`1.5/λmax`; `sgd@1.5/λmax` for another rule than manual), whatever data set its lr.
        """
        if self.multiple is not None:
            return f"{self.multiple:g}/λmax" if self.optimizer == "manual" else f"{self.optimizer}@{self.multiple:g}/λmax"
        return self.optimizer if self.lr is None else f"{self.optimizer}@{self.lr:g}"

    @property
    def spec(self) -> str:
        """The entry as `--race` and TOML take it, exactly: `adam@0.05` (repr: the lr reads back to the same float)."""
        if self.multiple is not None:
            return f"{self.optimizer}@{self.multiple!r}/λmax"
        return self.optimizer if self.lr is None else f"{self.optimizer}@{self.lr!r}"

    def lr_in(self, run_lr: float) -> float:
        """The learning rate it descends at in a run whose `lr` is `run_lr`."""
        if self.lr is None and self.multiple is not None:
            raise ValueError(f"{self.label}: its lr is worked out from the data first (engine.maths.ladder.resolved)")
        return run_lr if self.lr is None else self.lr


def _quoted(text: str) -> str:
    return repr(text if len(text) <= 30 else text[:27] + "…")


def parse_racer(text: str) -> Racer:
    """`adam` or `adam@0.05` → a Racer; SettingError("race", …) naming the bad entry otherwise."""
    name, at, lr_text = text.strip().partition("@")
    name = name.strip()
    if name not in OPTIMIZERS:
        raise SettingError("race", f"{_quoted(name)} is not an optimizer: use names from {', '.join(OPTIMIZERS)}")
    if not at:
        return Racer(name)
    for suffix in RUNG_SUFFIXES:
        if lr_text.strip().endswith(suffix):
            return Racer(name, multiple=_multiple(text, lr_text.strip()[: -len(suffix)]))
    try:
        lr = float(lr_text.strip())
    except ValueError:
        raise SettingError("race", f"{_quoted(text.strip())}: the lr after @ must be a number (e.g. {name}@0.01)") from None
    if not (math.isfinite(lr) and 0 < lr <= MAX_LR):
        raise SettingError("race", f"{_quoted(text.strip())}: the lr after @ must be greater than 0 and at most 1e6")
    return Racer(name, lr)


RUNG_SUFFIXES = ("/λmax", "/lambda_max")
"""`manual@1.5/λmax`: an lr given as a multiple of 1/λmax of the data (the ladder preset's rungs)."""


def _multiple(text: str, number: str) -> float:
    try:
        multiple = float(number)
    except ValueError:
        raise SettingError("race", f"{_quoted(text.strip())}: before /λmax must be a number (e.g. manual@1.5/λmax)") from None
    if not (math.isfinite(multiple) and 0 < multiple <= MAX_LR):
        raise SettingError("race", f"{_quoted(text.strip())}: the multiple of 1/λmax must be greater than 0")
    return multiple


def parse_race(race: str | Sequence[str]) -> tuple[Racer, ...]:
    """`manual@1e-4,adam@0.05` (or a list of entries, as TOML gives) → racers, in order; SettingError("race", …) if bad.

    The same optimizer may race twice at different learning rates; two entries with the same label would be
    two identical runs, and are refused.
    """
    entries = race.split(",") if isinstance(race, str) else list(race)
    shown = race if isinstance(race, str) else ",".join(race)
    if not entries or any(not entry.strip() for entry in entries):
        allowed = ", ".join(OPTIMIZERS)
        raise SettingError("race", f"must be a comma-separated list of OPT or OPT@LR, OPT from {allowed} (got {_quoted(shown)})")
    racers = tuple(parse_racer(entry) for entry in entries)
    labels = [racer.label for racer in racers]
    for label in labels:
        if labels.count(label) > 1:
            example = label.partition("@")[0] + "@0.001"
            raise SettingError("race", f"{label} is listed twice: give each entry of one optimizer its own lr (e.g. {example})")
    return racers
