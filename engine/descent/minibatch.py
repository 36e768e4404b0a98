"""Mini-batches: which points each update sees (`--batch-size` of them, reshuffled every epoch).

`descend` runs the same loop with or without batches; with them, two things change, and why:
- the gradient is the batch's at θ: the one the update then uses, so the arrows a viewer sees are the
  ones the optimizer followed;
- a snapshot's `loss` is still the loss on the whole training set at θ, not the batch's. A batch's loss
  jumps with the batch drawn, so a curve of it shows the sampling noise more than the descent; the full
  loss is what "is it converging?" asks about. It costs one forward pass (no backward) over the training
  set per step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import torch

from engine.descent.problem import Problem


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


def batch_losses(problem: Problem) -> Iterator[Callable[[], torch.Tensor]]:
    """One function per step: the loss on that step's batch at the model's current θ (L-BFGS calls it more than once)."""
    settings, model, loss_fn = problem.settings, problem.model, problem.loss_fn
    x, y = problem.x_train, problem.y_train
    for batch in batch_indices(len(x), settings.batch_size, batch_rng(settings.seed, settings.start), problem.device):
        x_batch, y_batch = x[batch], y[batch]
        yield lambda x_batch=x_batch, y_batch=y_batch: loss_fn(model(x_batch), y_batch)


def full_training_loss(problem: Problem) -> Callable[[], torch.Tensor]:
    """The loss on the whole training set at the model's current θ: what a batched run's snapshots show."""
    predict_all, loss_fn, y = problem.model.forward_on(problem.x_train), problem.loss_fn, problem.y_train
    return lambda: loss_fn(predict_all(), y)
