"""The descent itself: a generator that takes one update each time it is pulled.

Snapshot i holds θ after i updates with the loss and gradient there, so step 0 is the start and the
last snapshot's loss is the loss of the final parameters. A consumer that stops pulling stops the work.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import torch

from engine.optimizers import make_optimizer
from engine.problem import Problem
from engine.snapshot import Layout, Snapshot

DIVERGENCE_FACTOR = 1e6
"""A loss above this many times the first one counts as diverged."""
ACCELERATOR_CHECK_EVERY = 64
"""On a GPU the loss is read back (a host–device sync) once per this many steps, not every step."""

no_grad = torch.no_grad()  # one instance, re-entered every step: building it anew costs ~0.5 µs

try:
    from torch.autograd.variable import Variable

    _run_backward = Variable._execution_engine.run_backward
except (ImportError, AttributeError):  # a torch without it: the public functions do the same, slower
    _run_backward = None


def gradient(loss: torch.Tensor, theta: torch.Tensor, seed: torch.Tensor) -> torch.Tensor:
    """∂loss/∂θ by autograd: torch.autograd.grad(loss, θ), with `seed` (a scalar 1) as ∂loss/∂loss.

    Calls autograd's C++ engine as torch.autograd.grad does, without its Python argument handling:
    that costs ~9 µs a step, a quarter of a step at the tutorial's 100 points (measured, torch 2.13).
    """
    if _run_backward is None:
        return torch.autograd.grad(loss, theta)[0]
    return _run_backward((loss,), (seed,), False, False, (theta,), allow_unreachable=True, accumulate_grad=False)[0]


def descend(problem: Problem) -> Iterator[Snapshot]:
    """Yield a snapshot at the start and after every update, until the steps are done or the loss diverges."""
    if problem.settings.batch_size is not None:
        from engine.minibatch import descend_in_batches, uses_batches

        if uses_batches(problem):
            yield from descend_in_batches(problem)
            return
    model = problem.model
    layout = Layout(
        names=model.names,
        size=sum(t.numel() for t in model.tensors),
        has_test_loss=len(problem.test) > 0,
        to_data_units=model.data_units,
    )
    if problem.settings.optimizer == "manual" and len(model.tensors) == 1:
        yield from _descend_by_hand(problem, layout)
    else:
        yield from _descend_with_optimizer(problem, layout)


def _loss_function(problem: Problem) -> Callable[[], torch.Tensor]:
    """The training loss at the model's current θ, in the fastest form the model offers."""
    model, loss_fn, y = problem.model, problem.loss_fn, problem.y_train
    if problem.settings.loss == "mse" and getattr(model, "linear_in_parameters", False):
        return model.mean_squared_error_on(problem.x_train, y)
    predict = model.forward_on(problem.x_train)
    return lambda: loss_fn(predict(), y)


def _limit(first: float) -> float:
    """The divergence threshold, from the first loss."""
    return DIVERGENCE_FACTOR * max(abs(first), 1e-30) if math.isfinite(first) else -math.inf


def _descend_by_hand(problem: Problem, layout: Layout) -> Iterator[Snapshot]:
    """The tutorial's rule on a model whose θ is one tensor, every step in as few torch calls as it takes.

    At 100 points a step is ~30 µs, so each µs of Python shows: the loop is written out flat.
    """
    settings, model = problem.settings, problem.model
    theta = model.tensors[0]
    flat = theta if theta.dim() == 1 else theta.view(-1)  # follows the in-place updates
    loss_of = _loss_function(problem)
    seed = torch.ones((), dtype=theta.dtype, device=theta.device)
    holdout = layout.has_test_loss
    lr, last = settings.lr, settings.steps
    on_cpu = problem.device.type == "cpu"
    check_every = 1 if on_cpu else ACCELERATOR_CHECK_EVERY
    pending: list[torch.Tensor] = []  # losses not yet checked (on an accelerator)
    limit: float | None = None
    step = 0
    while True:
        # forward
        loss = loss_of()
        # backward
        grad = gradient(loss, theta, seed)
        with no_grad:
            if holdout:
                test = problem.loss_fn(model(problem.x_test), problem.y_test)
                values = torch.cat((loss.view(1), flat, grad.view(-1), test.view(1)))
            else:
                values = torch.cat((loss.view(1), flat, grad.view(-1)))
            # update (before yielding, so a consumer that stops pulling finds θ one step on)
            if step < last:
                theta.sub_(grad, alpha=lr)
        status, diverged_at = "running", None
        if on_cpu:
            value = loss.item()
            if limit is None:
                limit = _limit(value)
            if not value <= limit:  # also true for nan
                status, diverged_at = "diverged", step
            elif step == last:
                status = "done"
        else:
            pending.append(loss)
            if step == last or len(pending) >= check_every:
                status, diverged_at, limit = _check(pending, step, last, limit)
        yield Snapshot(step, values, layout, status, diverged_at)
        if status != "running":
            return
        step += 1


def _check(pending: list[torch.Tensor], step: int, last: int, limit: float | None) -> tuple[str, int | None, float]:
    """Read the pending losses (one host sync) and say whether the run goes on, is done or diverged."""
    losses = [pending[0].item()] if len(pending) == 1 else torch.stack(pending).tolist()
    pending.clear()
    if limit is None:
        limit = _limit(losses[0])
    for offset, value in enumerate(losses):
        if not value <= limit:  # also true for nan
            return "diverged", step - len(losses) + 1 + offset, limit
    return ("done" if step == last else "running"), None, limit


def _descend_with_optimizer(problem: Problem, layout: Layout) -> Iterator[Snapshot]:
    """Any update rule through torch.optim's interface (L-BFGS re-evaluates the loss in its line search)."""
    settings, model, loss_fn = problem.settings, problem.model, problem.loss_fn
    tensors = model.tensors
    optimizer = make_optimizer(settings, tensors)
    loss_of = _loss_function(problem)

    def closure() -> torch.Tensor:
        # forward
        loss = loss_of()
        # backward: fills each tensor's .grad
        loss.backward()
        return loss

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
            if layout.has_test_loss:
                parts.append(loss_fn(model(problem.x_test), problem.y_test).view(1))
            values = torch.cat(parts)
        status, diverged_at = "running", None
        pending.append(loss)
        if step == last or len(pending) >= check_every:
            # On a CPU this reads one number; on a GPU, one sync per ACCELERATOR_CHECK_EVERY steps.
            status, diverged_at, limit = _check(pending, step, last, limit)
        yield Snapshot(step, values, layout, status, diverged_at)
        if status != "running":
            return
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
