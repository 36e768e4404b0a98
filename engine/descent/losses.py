"""The losses a run can minimise, as functions of (predictions, targets)."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.nn.functional as F

from engine import fast_paths

LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def make_loss(name: str, huber_delta: float = 1.0) -> LossFn:
    """mse (mean squared error), mae (mean absolute error) or huber (quadratic within delta, linear beyond)."""
    if name == "mse":
        # fast_paths' mse_loss, bound now: a tenth of a step at the tutorial's 100 points goes to F.mse_loss's checks.
        mse_loss, mean = fast_paths.mse_loss, fast_paths.MEAN
        return lambda predictions, targets: mse_loss(predictions, targets, mean)
    if name == "mae":
        return F.l1_loss
    if name == "huber":
        return lambda predictions, targets: F.huber_loss(predictions, targets, delta=huber_delta)
    raise ValueError(f"unknown loss {name!r}")
