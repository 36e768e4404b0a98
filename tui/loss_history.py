"""The loss curve's points, kept to a bounded number however long the run, so memory stays flat."""

from __future__ import annotations

import math

DEFAULT_CAPACITY = 2000


class LossHistory:
    """(step, loss) points: every step until `capacity`, then every 2nd, 4th… step, plus always the latest.

    Keeping the steps that are multiples of a doubling stride keeps the first point, the last and the
    curve's shape, and costs O(capacity) memory for a run of any length.
    """

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self.stride = 1
        self._steps: list[int] = []
        self._losses: list[float] = []
        self._latest: tuple[int, float] | None = None

    def clear(self) -> None:
        self.stride = 1
        self._steps.clear()
        self._losses.clear()
        self._latest = None

    def add(self, steps: list[int], losses: list[float]) -> None:
        for step, loss in zip(steps, losses, strict=True):
            self._latest = (step, loss)
            if step % self.stride:
                continue
            self._steps.append(step)
            self._losses.append(loss)
            if len(self._steps) > self.capacity:
                self.stride *= 2
                kept = [i for i, s in enumerate(self._steps) if s % self.stride == 0]
                self._steps = [self._steps[i] for i in kept]
                self._losses = [self._losses[i] for i in kept]

    def __len__(self) -> int:
        return len(self.points()[0])

    def points(self) -> tuple[list[int], list[float]]:
        """The kept points and the latest one, in step order."""
        steps, losses = list(self._steps), list(self._losses)
        if self._latest is not None and (not steps or steps[-1] != self._latest[0]):
            steps.append(self._latest[0])
            losses.append(self._latest[1])
        return steps, losses

    def log10_points(self) -> tuple[list[int], list[float]]:
        """The points with log10(loss), dropping non-finite and non-positive losses (a log axis can't show them)."""
        steps, losses = self.points()
        kept = [(s, math.log10(v)) for s, v in zip(steps, losses, strict=True) if math.isfinite(v) and v > 0]
        return [s for s, _ in kept], [v for _, v in kept]
