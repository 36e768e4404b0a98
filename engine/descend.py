"""The descent itself: a generator that takes one update each time it is pulled.

Snapshot i holds θ after i updates with the loss and gradient there, so step 0 is the start and the
last snapshot's loss is the loss of the final parameters. A consumer that stops pulling stops the work.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import torch

from engine.optimizers import make_optimizer
from engine.problem import Problem
from engine.snapshot import Layout, Snapshot

DIVERGENCE_FACTOR = 1e6
"""A loss above this many times the first one counts as diverged."""
ACCELERATOR_CHECK_EVERY = 64
"""On a GPU the loss is read back (a host–device sync) once per this many steps, not every step."""

no_grad = torch.no_grad()  # one instance, re-entered every step: building it anew costs ~0.5 µs


def descend(problem: Problem) -> Iterator[Snapshot]:
    """Yield a snapshot at the start and after every update, until the steps are done or the loss diverges."""
    if problem.settings.batch_size is not None:
        from engine.minibatch import descend_in_batches, uses_batches

        if uses_batches(problem):
            yield from descend_in_batches(problem)
            return
    settings, model, loss_fn = problem.settings, problem.model, problem.loss_fn
    tensors = model.tensors
    optimizer = make_optimizer(settings, tensors)
    predict = model.forward_on(problem.x_train)
    y = problem.y_train
    holdout = len(problem.test) > 0
    layout = Layout(
        names=model.names,
        size=sum(t.numel() for t in tensors),
        has_test_loss=holdout,
        to_data_units=model.data_units,
    )

    def closure() -> torch.Tensor:
        # forward
        loss = loss_fn(predict(), y)
        # backward: fills each tensor's .grad
        loss.backward()
        return loss

    manual = settings.optimizer == "manual"
    lr = settings.lr
    on_cpu = problem.device.type == "cpu"
    check_every = 1 if on_cpu else ACCELERATOR_CHECK_EVERY
    # Flat views of θ, made once: they follow the in-place updates, and 1-D tensors need none.
    flat = [t if t.dim() == 1 else t.view(-1) for t in tensors]
    pending: list[torch.Tensor] = []  # losses not yet checked
    limit: float | None = None  # the divergence threshold, once the first loss is known
    last = settings.steps
    step = 0
    loss = closure()
    while True:
        with no_grad:
            parts = [loss.view(1), *flat, *[t.grad.view(-1) for t in tensors]]
            if holdout:
                parts.append(loss_fn(model(problem.x_test), problem.y_test).view(1))
            values = torch.cat(parts)
            if manual and step < last:
                # update: the tutorial's rule, here rather than in ManualDescent.step so that
                # no_grad is entered once a step (each entry costs 3% of a step at 100 points)
                for t in tensors:
                    t.sub_(t.grad, alpha=lr)
        status, diverged_at = "running", None
        pending.append(loss)
        if step == last or len(pending) >= check_every:
            # On a CPU this reads one number; on a GPU, one sync per ACCELERATOR_CHECK_EVERY steps.
            losses = [loss.item()] if on_cpu else torch.stack(pending).tolist()
            pending.clear()
            if limit is None:
                first = losses[0]
                limit = DIVERGENCE_FACTOR * max(abs(first), 1e-30) if math.isfinite(first) else -math.inf
            for offset, value in enumerate(losses):
                if not value <= limit:  # also true for nan
                    status, diverged_at = "diverged", step - len(losses) + 1 + offset
                    break
            else:
                if step == last:
                    status = "done"
        yield Snapshot(step, values, layout, status, diverged_at)
        if status != "running":
            return
        if manual:
            for t in tensors:
                t.grad = None
        else:
            # update
            if settings.optimizer == "lbfgs":
                optimizer.step(lambda: _fresh(optimizer, closure))
            else:
                optimizer.step()
            optimizer.zero_grad(set_to_none=True)
        step += 1
        loss = closure()

def _fresh(optimizer, closure) -> torch.Tensor:
    """L-BFGS re-evaluates the loss in its line search: each evaluation starts from clear grads."""
    optimizer.zero_grad(set_to_none=True)
    return closure()
