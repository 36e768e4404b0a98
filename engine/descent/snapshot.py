"""What the descent yields after each update: an immutable snapshot, read lazily.

A snapshot keeps one small tensor on the run's device; its numbers are copied to the host only
when a consumer reads them, so a CUDA run never waits on the GPU for snapshots nobody looks at.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import torch


@dataclass(frozen=True)
class Layout:
    """How a snapshot's tensor is laid out: [loss, θ…, ∂L/∂θ…, test loss?]."""

    names: tuple[str, ...]
    """The model's named scalars, in order (empty for an MLP, which reports a count)."""
    size: int
    """How many numbers θ holds."""
    has_test_loss: bool
    """Whether a held-out loss follows the gradient."""
    to_data_units: object
    """θ as fitted → named parameters in the data's units (the model's `data_units`)."""

    @classmethod
    def of(cls, model, has_test_loss: bool) -> Layout:
        """The layout of a run of `model`'s snapshots."""
        return cls(model.names, sum(t.numel() for t in model.tensors), has_test_loss, model.data_units)


def pack(loss: torch.Tensor, theta: list[torch.Tensor], gradient: tuple[torch.Tensor, ...], test_loss: torch.Tensor | None) -> torch.Tensor:
    """A step as one tensor, laid out as `Layout` says: [loss, θ…, ∂L/∂θ…, test loss?], in one copy on the device.

    `theta` and `gradient` hold flat (1-D) tensors; call under no_grad. Every descent loop packs its steps here.
    """
    if test_loss is None:
        return torch.cat((loss.view(1), *theta, *gradient))
    return torch.cat((loss.view(1), *theta, *gradient, test_loss.view(1)))


@dataclass(frozen=True, init=False)
class Snapshot:
    """The state after `step` updates: θ, the loss there and its gradient."""

    step: int
    """Updates done so far (0 is the start)."""
    values: torch.Tensor
    """[loss, θ…, ∂L/∂θ…, test loss?] on the run's device, detached: read through the properties."""
    layout: Layout
    """What `values` holds."""
    status: str
    """running, done (every step taken) or diverged (the loss blew up; the run ends here)."""
    diverged_at: int | None = None
    """The first step whose loss was not finite or above 1e6 × the first loss."""
    loss_read: float | None = None
    """The loss as a number where the divergence check already read it (a CPU reads each step's): a consumer that
    wants every loss takes it here instead of holding `values` (tui.workers.pace.FrameLosses); None on a GPU."""

    def __init__(
        self, step: int, values: torch.Tensor, layout: Layout, status: str, diverged_at: int | None = None, loss_read: float | None = None
    ) -> None:
        # One dict update, where a frozen dataclass's own __init__ makes six object.__setattr__ calls:
        # ~0.5 µs a snapshot, 2% of a step at 100 points. Still frozen: assignment raises afterwards.
        self.__dict__.update(step=step, values=values, layout=layout, status=status, diverged_at=diverged_at, loss_read=loss_read)

    @cached_property
    def host(self) -> np.ndarray:
        """`values` on the host, in float64 (the one device→host copy)."""
        return self.values.detach().to("cpu", torch.float64).numpy()

    @property
    def loss(self) -> float:
        return float(self.host[0])

    @property
    def vector(self) -> np.ndarray:
        """θ as fitted (in standardized units when standardization is on)."""
        return self.host[1 : 1 + self.layout.size]

    @property
    def gradient(self) -> np.ndarray:
        """∂L/∂θ, for θ as fitted."""
        return self.host[1 + self.layout.size : 1 + 2 * self.layout.size]

    @property
    def params(self) -> dict[str, float]:
        """Named parameters in the data's units (empty for an MLP)."""
        if not self.layout.names:
            return {}
        return dict(zip(self.layout.names, map(float, self.layout.to_data_units(self.vector)), strict=True))

    @property
    def grads(self) -> dict[str, float]:
        """∂L/∂(each named parameter as fitted) (empty for an MLP)."""
        if not self.layout.names:
            return {}
        return dict(zip(self.layout.names, map(float, self.gradient), strict=True))

    @property
    def test_loss(self) -> float | None:
        return float(self.host[-1]) if self.layout.has_test_loss else None

    @property
    def finished(self) -> bool:
        return self.status != "running"
