"""Update rules: the tutorial's own (`manual`), and torch.optim's for everything else."""

from __future__ import annotations

import torch

from engine.settings.run_settings import Settings, weight_decay_of


class ManualDescent:
    """The tutorial's update, θ ← θ − lr·∂L/∂θ, written out as learners read it: the one plain update.

    It takes the gradient as autograd hands it over, not from `.grad` fields: the descent then needs no
    backward pass into them, nor a zero_grad, which at 100 points is a tenth of a step.
    """

    def __init__(self, tensors: list[torch.Tensor], lr: float) -> None:
        # Flat views of θ outside autograd, made once: they follow θ's storage, and updating them
        # needs no no_grad block (entering one costs ~0.3 µs, 1% of a step at 100 points).
        self.theta = [t.detach().view(-1) for t in tensors]
        self.lr = lr
        if len(self.theta) == 1:  # every model today: a loop over one tensor costs ~0.5 µs a step at 100 points
            self.step = self._step_one

    def step(self, gradient: tuple[torch.Tensor, ...]) -> None:
        """θ ← θ − lr·∂L/∂θ in place, given ∂L/∂θ as one flat tensor per tensor of θ."""
        lr = self.lr
        for theta, slope in zip(self.theta, gradient, strict=True):
            theta.sub_(slope, alpha=lr)

    def _step_one(self, gradient: tuple[torch.Tensor, ...]) -> None:
        (theta,), (slope,) = self.theta, gradient
        theta.sub_(slope, alpha=self.lr)


def make_optimizer(settings: Settings, tensors: list[torch.Tensor]):
    """The optimizer `settings.optimizer` names, over the model's tensors (a torch.optim one, or ManualDescent)."""
    name, lr = settings.optimizer, settings.lr
    decay = weight_decay_of(settings)  # torch's own default unless set: 0.01 for adamw, 0 for the rest
    if name == "manual":
        return ManualDescent(tensors, lr)
    if name == "sgd":
        return torch.optim.SGD(tensors, lr=lr, weight_decay=decay)
    if name == "momentum":
        return torch.optim.SGD(tensors, lr=lr, momentum=settings.momentum, weight_decay=decay)
    if name == "nesterov":
        return torch.optim.SGD(tensors, lr=lr, momentum=settings.momentum, nesterov=True, weight_decay=decay)
    if name == "adam":
        return torch.optim.Adam(tensors, lr=lr, weight_decay=decay)
    if name == "adamw":
        return torch.optim.AdamW(tensors, lr=lr, weight_decay=decay)
    if name == "rmsprop":
        return torch.optim.RMSprop(tensors, lr=lr, weight_decay=decay)
    if name == "adagrad":
        return torch.optim.Adagrad(tensors, lr=lr, weight_decay=decay)
    if name == "lbfgs":
        return torch.optim.LBFGS(tensors, lr=lr, line_search_fn="strong_wolfe")
    raise ValueError(f"unknown optimizer {name!r}")
