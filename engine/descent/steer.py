"""Direct control: a run that goes on from where it is with a new lr (or steps, update rule, momentum, batch
size), or starts again from a θ the person chose ("drop a marble"), instead of from the seeded start.

Neither the data nor the model changes, so the same problem serves: θ is set, a fresh `descend` pulled,
and its snapshots renumbered to go on from the step where the change was made. The update rule starts
afresh (momentum's and adam's running averages are empty again): that is what changing the rule means.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
import torch

from engine.descent.problem import Problem
from engine.descent.snapshot import Snapshot
from engine.settings.run_settings import Settings

STEERING = ("lr", "steps", "optimizer", "momentum", "batch_size")
"""The settings that change neither the data nor the model: a run can go on across a change of any of them."""


def steerable(old: Settings, new: Settings) -> bool:
    """Whether `new` differs from `old` only in settings a run can go on across."""
    return all(getattr(old, f.name) == getattr(new, f.name) for f in dataclasses.fields(Settings) if f.name not in STEERING)


def go_on(problem: Problem, settings: Settings, vector: np.ndarray, step: int) -> tuple[Problem, Iterator[Snapshot]]:
    """The problem under `settings`, with θ = `vector` (as fitted), and its descent numbered from `step`.

    The first snapshot is `vector` itself at `step`; the run ends at `settings.steps` in all, as if it had
    had these settings from the start. θ is set when the first snapshot is pulled, in the thread that pulls
    it (after any other thread still stepping this problem has stopped). ValueError when a setting that
    changes the data or the model differs.
    """
    if not steerable(problem.settings, settings):
        changed = [f.name for f in dataclasses.fields(Settings) if getattr(problem.settings, f.name) != getattr(settings, f.name)]
        raise ValueError(f"a run can't go on across a change of {', '.join(n for n in changed if n not in STEERING)}")
    if not 0 <= step <= settings.steps:
        raise ValueError(f"step {step} is outside the run's 0…{settings.steps} steps")
    size = sum(t.numel() for t in problem.model.tensors)
    if np.size(vector) != size:
        raise ValueError(f"θ has {size} numbers; {np.size(vector)} were given")
    remaining = dataclasses.replace(settings, steps=settings.steps - step)  # steps only shrinks: still valid
    steered = dataclasses.replace(problem, settings=remaining)
    return steered, _from(steered, np.array(vector, dtype=np.float64), step)


def _from(problem: Problem, vector: np.ndarray, offset: int) -> Iterator[Snapshot]:
    from engine.descent.descend import descend

    _load(problem.model.tensors, vector)
    snapshots = descend(problem)
    if offset == 0:
        yield from snapshots
        return
    for snapshot in snapshots:
        at = None if snapshot.diverged_at is None else snapshot.diverged_at + offset
        yield dataclasses.replace(snapshot, step=snapshot.step + offset, diverged_at=at)


@torch.no_grad()
def _load(tensors: list[torch.Tensor], vector: np.ndarray) -> None:
    flat = vector.reshape(-1)
    offset = 0
    for t in tensors:
        t.copy_(torch.as_tensor(flat[offset : offset + t.numel()], dtype=t.dtype, device=t.device).reshape(t.shape))
        offset += t.numel()
