"""The descent itself: a generator that takes one update each time it is pulled.

Snapshot i holds θ after i updates with the loss and gradient there, so step 0 is the start and the
last snapshot's loss is the loss of the final parameters. A consumer that stops pulling stops the work.

One loop serves every run. Full batch and mini-batches differ only in the loss each step descends (the
training set's or one batch's) and the loss a snapshot shows (see engine/descent/minibatch.py); the update rules
differ only in how the gradient is taken (handed over by autograd for the plain rule, left in `.grad`
for torch.optim's) and in the update itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import torch

from engine import fast_paths
from engine.descent.divergence import DivergenceWatch
from engine.descent.forgotten_reset import clear
from engine.descent.minibatch import batch_losses, full_training_loss, uses_batches
from engine.descent.optimizers import ManualDescent, make_optimizer
from engine.descent.problem import Problem
from engine.descent.snapshot import Layout, Snapshot, pack
from engine.models.model_kind import is_linear_in_parameters

no_grad = torch.no_grad()  # one instance, re-entered every step: building it anew costs ~0.5 µs

Objective = Callable[[], torch.Tensor]
"""The loss a step descends, at the model's current θ."""
GradientAt = Callable[[Objective], tuple[torch.Tensor, tuple[torch.Tensor, ...]]]
"""objective ↦ (its loss, ∂loss/∂θ as one flat tensor per tensor of θ): forward and backward into `.grad`."""
Update = Callable[[Objective], None]
"""(objective, ∂loss/∂θ) ↦ None: moves θ."""


def descend(problem: Problem) -> Iterator[Snapshot]:
    """Yield a snapshot at the start and after every update, until the steps are done or the loss diverges."""
    settings, model = problem.settings, problem.model
    layout = Layout.of(model, has_test_loss=len(problem.test) > 0)
    theta = [t if t.dim() == 1 else t.view(-1) for t in model.tensors]  # flat views: they follow the updates
    if uses_batches(problem):
        objectives, shown = batch_losses(problem), full_training_loss(problem)
    else:
        objectives, shown = itertools.repeat(_training_loss(problem)), None
    test_loss = _test_loss(problem) if layout.has_test_loss else None
    optimizer = make_optimizer(settings, model.tensors)
    clear(model.tensors)  # a run starts with no gradient in `.grad`, whatever a broken run (key b) left there
    # Where the rules must differ: the plain rule takes ∂L/∂θ as autograd hands it over (no `.grad`
    # to fill and clear, a tenth of a step at 100 points); torch.optim's read and clear `.grad`.
    by_hand = isinstance(optimizer, ManualDescent)
    if by_hand:
        backward, tensors, seed = fast_paths.gradient, tuple(model.tensors), _seed(model.tensors[0])
        plain_update = optimizer.step
        if problem.forgets_grad_reset:  # the beginner's bug, for real: .grad keeps every step's gradient
            from engine.descent.forgotten_reset import accumulating_gradient

            backward = accumulating_gradient
        if any(t.dim() != 1 for t in tensors):  # no model has such θ today; flat slopes are what pack and the update take
            backward = _flattened(backward)
    else:
        gradient_at, update = _through_torch_optim(optimizer, model.tensors, clears=not problem.forgets_grad_reset)
    watching = DivergenceWatch(problem.device)
    watch = watching.check
    last = settings.steps
    step = 0
    # At 100 points a step is ~30 µs, so each µs of Python shows: the loop is written out flat.
    for objective in objectives:
        # forward and backward
        if by_hand:
            loss = objective()
            gradient = backward(loss, tensors, seed)
        else:
            loss, gradient = gradient_at(objective)
        with no_grad:
            if shown is not None:
                loss = shown()
            values = pack(loss, theta, gradient, None if test_loss is None else test_loss())
        status, diverged_at = watch(step, loss, step == last)
        # update (before yielding, so a consumer that stops pulling finds θ one step on)
        if status == "running":
            if by_hand:
                plain_update(gradient)
            else:
                update(objective)
        yield Snapshot(step, values, layout, status, diverged_at, watching.read)
        if status != "running":
            return
        step += 1


def _training_loss(problem: Problem) -> Objective:
    """The loss on the whole training set at the model's current θ, in the fastest form the model offers."""
    model, loss_fn, y = problem.model, problem.loss_fn, problem.y_train
    if problem.settings.loss == "mse" and is_linear_in_parameters(model):
        return model.mean_squared_error_on(problem.x_train, y)
    predict = model.forward_on(problem.x_train)
    return lambda: loss_fn(predict(), y)


def _test_loss(problem: Problem) -> Objective:
    """The loss on the held-out points at the model's current θ."""
    model, loss_fn, x, y = problem.model, problem.loss_fn, problem.x_test, problem.y_test
    return lambda: loss_fn(model(x), y)


def _seed(theta: torch.Tensor) -> torch.Tensor:
    """∂loss/∂loss, the 1 autograd starts from: a scalar of θ's dtype on θ's device."""
    return torch.ones((), dtype=theta.dtype, device=theta.device)


def _flattened(backward):
    """`backward` with each slope flattened."""
    return lambda loss, tensors, seed: tuple(slope.view(-1) for slope in backward(loss, tensors, seed))


def _through_torch_optim(optimizer: torch.optim.Optimizer, tensors: list[torch.Tensor], clears: bool = True) -> tuple[GradientAt, Update]:
    """Any rule through torch.optim's interface: backward fills `.grad`; L-BFGS re-evaluates the loss in its line search.

    `clears` False is the forgotten `zero_grad`: `.grad` then keeps every step's gradient.
    """
    flat = all(t.dim() == 1 for t in tensors)
    line_search = isinstance(optimizer, torch.optim.LBFGS)

    def gradient_at(objective: Objective):
        loss = objective()
        loss.backward()
        return loss, tuple([t.grad if flat else t.grad.view(-1) for t in tensors])

    def fresh(objective: Objective) -> torch.Tensor:
        # Each of L-BFGS's evaluations starts from clear grads.
        optimizer.zero_grad(set_to_none=True)
        loss = objective()
        loss.backward()
        return loss

    def update(objective: Objective) -> None:
        if line_search:
            optimizer.step(lambda: fresh(objective))
        else:
            optimizer.step()
        if clears:
            optimizer.zero_grad(set_to_none=True)

    return gradient_at, update
