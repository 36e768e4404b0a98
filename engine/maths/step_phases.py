"""One step of the descent, phase by phase: forward, loss, backward, update, computed with torch from θ.

The code pane (tui/widgets/code_pane.py) shows these one at a time, beside the lines of the exported
loop that compute them. They are computed apart from the run, on a copy of θ, by the same float32 ops
the engine takes (Φ·θ, the loss, autograd's backward, θ − lr·∇L), so after the update phase θ is the
engine's next snapshot's θ for the plain rule (`manual`, and `sgd`, which is the same update).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch

from engine.models.model_kind import is_linear_in_parameters
from engine.settings.run_settings import PLAIN_DESCENT

PHASES = ("forward", "loss", "backward", "update")
"""Rules whose update depends on ∇L and lr alone: the update phase computes their θ exactly.
The others keep a state (a velocity, running averages) that θ alone doesn't tell; their θ comes from the run."""


@dataclass(frozen=True)
class Phase:
    """What a step has computed up to and including `name`; later phases' fields are None."""

    name: str
    """forward, loss, backward or update."""
    theta: np.ndarray
    """θ the step starts from (as fitted)."""
    predictions: np.ndarray
    """The model's prediction at each fitted point (in y's units), from the forward pass."""
    loss: float | None = None
    gradient: np.ndarray | None = None
    """∂L/∂θ from backward()."""
    updated: np.ndarray | None = None
    """θ after the update; None for a rule with a state (see PLAIN_DESCENT), whose θ the run gives."""


def supports_phases(problem) -> str | None:
    """None when this problem's step can be shown phase by phase; otherwise why not, in a few words."""
    if not is_linear_in_parameters(problem.model):
        return f"phases are shown for linear and poly models, not {problem.settings.model}"
    size = problem.settings.batch_size
    if size is not None and size < len(problem.train):
        return "phases are shown for the full batch, not mini-batches"
    return None


def step_phases(problem, vector) -> Iterator[Phase]:
    """Yield the four phases of one step from θ = `vector` (as fitted), lazily: a caller may stop after any."""
    why = supports_phases(problem)
    if why is not None:
        raise ValueError(why)
    model, settings = problem.model, problem.settings
    theta = torch.tensor(np.asarray(vector), dtype=model.theta.dtype, device=model.theta.device, requires_grad=True)
    phi = model.features(problem.x_train)
    # forward
    predictions = phi @ theta
    start = theta.detach().cpu().numpy().astype(np.float64)
    shown = predictions.detach().cpu().numpy().astype(np.float64)
    yield Phase("forward", start, shown)
    # loss
    loss = problem.loss_fn(predictions, problem.y_train)
    value = float(loss.detach())
    yield Phase("loss", start, shown, value)
    # backward
    (gradient,) = torch.autograd.grad(loss, (theta,))
    slopes = gradient.cpu().numpy().astype(np.float64)
    yield Phase("backward", start, shown, value, slopes)
    # update: θ ← θ − lr·∂L/∂θ, as engine.descent.optimizers.ManualDescent does it (in place, in float32)
    updated = None
    if settings.optimizer in PLAIN_DESCENT:
        with torch.no_grad():
            updated = theta.detach().clone().sub_(gradient, alpha=settings.lr).cpu().numpy().astype(np.float64)
    yield Phase("update", start, shown, value, slopes, updated)
