"""Descent on mini-batches: each update sees `--batch-size` training points, reshuffled every epoch.

Kept apart from `descend`'s full-batch loop, which stays as fast as it is; `descend` hands over to
`descend_in_batches` when a batch is smaller than the training set.

What a snapshot holds here, and why:
- `loss` is the loss on the whole training set at θ, not the batch's. A batch's loss jumps with the
  batch drawn, so a curve of it shows the sampling noise more than the descent; the full loss is what
  "is it converging?" asks about. It costs one forward pass (no backward) over the training set per step.
- `gradient` is the batch's gradient at θ: the one the update then uses, so the arrows a viewer sees
  are the ones the optimizer followed.
- `test_loss`, with a holdout, is the loss on the held-out points at θ, as in the full-batch loop.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import torch

from engine.descend import ACCELERATOR_CHECK_EVERY, DIVERGENCE_FACTOR, _fresh, no_grad
from engine.optimizers import make_optimizer
from engine.problem import Problem
from engine.snapshot import Layout, Snapshot


def uses_batches(problem: Problem) -> bool:
    """Whether the settings ask for batches smaller than the training set (a larger batch is the full batch)."""
    size = problem.settings.batch_size
    return size is not None and size < len(problem.train)


def batch_rng(seed: int, start: int) -> np.random.Generator:
    """The generator of the batches' order: its own stream, so batching changes neither the data nor the start."""
    return np.random.default_rng([seed, 3, start])


def batch_indices(count: int, size: int, rng: np.random.Generator, device: torch.device) -> Iterator[torch.Tensor]:
    """Endless batches of indices into the training points: a fresh permutation each epoch, the last batch possibly smaller."""
    while True:
        order = torch.as_tensor(rng.permutation(count), device=device)
        for first in range(0, count, size):
            yield order[first : first + size]


class _DivergenceWatch:
    """The full-batch loop's divergence rule: a loss not finite, or above 1e6 × the first one."""

    def __init__(self, on_cpu: bool) -> None:
        self.check_every = 1 if on_cpu else ACCELERATOR_CHECK_EVERY
        self.pending: list[torch.Tensor] = []
        self.limit: float | None = None

    def __call__(self, step: int, loss: torch.Tensor, final: bool) -> int | None:
        """The step that diverged, once known (on accelerators up to `check_every` steps late), else None."""
        self.pending.append(loss)
        if not final and len(self.pending) < self.check_every:
            return None
        losses = torch.stack(self.pending).tolist()
        self.pending.clear()
        if self.limit is None:
            first = losses[0]
            self.limit = DIVERGENCE_FACTOR * max(abs(first), 1e-30) if math.isfinite(first) else -math.inf
        for offset, value in enumerate(losses):
            if not (math.isfinite(value) and value <= self.limit):
                return step - len(losses) + 1 + offset
        return None


def descend_in_batches(problem: Problem) -> Iterator[Snapshot]:
    """Like `descend`, but every update follows the gradient of one mini-batch."""
    settings, model, loss_fn = problem.settings, problem.model, problem.loss_fn
    tensors = model.tensors
    optimizer = make_optimizer(settings, tensors)
    x, y = problem.x_train, problem.y_train
    predict_all = model.forward_on(x)
    holdout = len(problem.test) > 0
    layout = Layout(
        names=model.names,
        size=sum(t.numel() for t in tensors),
        has_test_loss=holdout,
        to_data_units=model.data_units,
    )
    batches = batch_indices(len(x), settings.batch_size, batch_rng(settings.seed, settings.start), problem.device)
    watch = _DivergenceWatch(problem.device.type == "cpu")
    manual, lr, last = settings.optimizer == "manual", settings.lr, settings.steps
    step = 0
    while True:
        batch = next(batches)
        x_batch, y_batch = x[batch], y[batch]

        def closure(x_batch=x_batch, y_batch=y_batch) -> torch.Tensor:
            # forward and backward on the batch: fills each tensor's .grad
            loss = loss_fn(model(x_batch), y_batch)
            loss.backward()
            return loss

        closure()
        with no_grad:
            parts = [loss_fn(predict_all(), y).reshape(1)]
            parts += [t.detach().reshape(-1) for t in tensors]
            parts += [t.grad.reshape(-1) for t in tensors]
            if holdout:
                parts.append(loss_fn(model(problem.x_test), problem.y_test).reshape(1))
            values = torch.cat(parts)
        diverged_at = watch(step, values[0], step == last)
        status = "diverged" if diverged_at is not None else "done" if step == last else "running"
        yield Snapshot(step=step, values=values, layout=layout, status=status, diverged_at=diverged_at)
        if status != "running":
            return
        # update
        if manual:
            with no_grad:
                for t in tensors:
                    t.sub_(t.grad, alpha=lr)
        elif settings.optimizer == "lbfgs":
            optimizer.step(lambda closure=closure: _fresh(optimizer, closure))
        else:
            optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        step += 1
