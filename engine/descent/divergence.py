"""When a run has diverged: the one rule every descent loop follows, and how often a GPU is asked."""

from __future__ import annotations

import math
import sys

import torch

DIVERGENCE_FACTOR = 1e6
"""A loss above this many times the first one counts as diverged."""
ACCELERATOR_CHECK_EVERY = 64
"""On a GPU the loss is read back (a host–device sync) once per this many steps, not every step."""


def divergence_limit(first: float) -> float:
    """The largest loss that still counts as converging, from the first loss (every loss is above it when that is not finite).

    Capped at the largest float, so a loss of inf is always above it.
    """
    if not math.isfinite(first):
        return -math.inf
    return min(DIVERGENCE_FACTOR * max(abs(first), 1e-30), sys.float_info.max)


class DivergenceWatch:
    """Says after each step whether the run goes on, is done or diverged: a loss not finite, or above the limit.

    On a CPU it reads every loss as it comes (a number already on the host). On an accelerator it keeps
    the losses on the device and reads them `ACCELERATOR_CHECK_EVERY` at a time, in one sync, so the
    step that diverged is known up to that many steps late and reported as the step it was.
    """

    def __init__(self, device: torch.device) -> None:
        on_cpu = device.type == "cpu"
        self.check_every = 1 if on_cpu else ACCELERATOR_CHECK_EVERY
        self.pending: list[torch.Tensor] = []
        """Losses not yet read (on an accelerator)."""
        self.limit: float | None = None
        """The divergence threshold, once the first loss is known."""
        self.read: float | None = None
        """The last step's loss as a number, where it was read one step at a time (a CPU); None on an accelerator."""
        # Chosen once: the loop calls `check` every step, and at 100 points each branch and call shows.
        self.check = self._read_each if on_cpu else self._read_in_groups
        """check(step, loss, final) → (status, diverged_at) after `step`, whose loss is `loss`;
        `final` when it is the last step asked for. Status is running, done or diverged."""

    def _read_each(self, step: int, loss: torch.Tensor, final: bool) -> tuple[str, int | None]:
        value = self.read = loss.item()
        if self.limit is None:
            self.limit = divergence_limit(value)
        if not value <= self.limit:  # also true for nan
            return "diverged", step
        return ("done" if final else "running"), None

    def _read_in_groups(self, step: int, loss: torch.Tensor, final: bool) -> tuple[str, int | None]:
        pending = self.pending
        pending.append(loss)
        if not final and len(pending) < self.check_every:
            return "running", None
        losses = [pending[0].item()] if len(pending) == 1 else torch.stack(pending).tolist()
        pending.clear()
        if self.limit is None:
            self.limit = divergence_limit(losses[0])
        for offset, value in enumerate(losses):
            if not value <= self.limit:  # also true for nan
                return "diverged", step - len(losses) + 1 + offset
        return ("done" if final else "running"), None
