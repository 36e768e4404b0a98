"""Update rules: the tutorial's own (`manual`), and torch.optim's for everything else."""

from __future__ import annotations

import torch

from engine.settings import Settings, weight_decay_of


class ManualDescent:
    """The tutorial's update, θ ← θ − lr·∂L/∂θ, written out as learners read it."""

    def __init__(self, tensors: list[torch.Tensor], lr: float) -> None:
        self.tensors = tensors
        self.lr = lr

    @torch.no_grad()
    def step(self, closure=None) -> None:
        for tensor in self.tensors:
            tensor.sub_(tensor.grad, alpha=self.lr)

    def zero_grad(self, set_to_none: bool = True) -> None:
        for tensor in self.tensors:
            tensor.grad = None


def make_optimizer(settings: Settings, tensors: list[torch.Tensor]):
    """The optimizer `settings.optimizer` names, over the model's tensors."""
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
