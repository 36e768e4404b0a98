"""A run's problem on its device: the points as tensors, the model at its start, the loss."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from engine.data.memory_guard import check_fits
from engine.data.precision import CastCheck, check_cast
from engine.data.scaling import Scaling
from engine.data.synthetic import Dataset, load_dataset
from engine.descent.device import resolve_device
from engine.descent.losses import LossFn, make_loss
from engine.models.linear_models import build_model, start_rng
from engine.settings.errors import SettingError
from engine.settings.run_settings import Settings, parse_model, validate

DTYPES = {"float32": torch.float32, "float64": torch.float64}


@dataclass
class Problem:
    """Everything a descent needs, made once; `descend` then only steps."""

    settings: Settings
    dataset: Dataset
    """All the points, in data units."""
    train: np.ndarray
    """Indices of the points the descent fits (all of them without a holdout)."""
    test: np.ndarray
    """Indices of the held-out points (empty without a holdout)."""
    device: torch.device
    scaling: Scaling
    model: object
    loss_fn: LossFn
    x_train: torch.Tensor
    """Training x, standardized when that is on, on the device."""
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    cast: CastCheck | None = None
    """What casting the training data to float32 changed (engine.data.precision); None in float64."""
    forgets_grad_reset: bool = False
    """The loop without `theta.grad = None` (key b): gradients accumulate in `.grad` (engine/descent/forgotten_reset.py)."""

    @property
    def names(self) -> tuple[str, ...]:
        return self.model.names


def split_holdout(count: int, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Seeded (train, test) indices, at least 2 to train on and 1 held out when a fraction is asked."""
    if fraction <= 0:
        return np.arange(count), np.arange(0)
    order = np.random.default_rng([seed, 2]).permutation(count)
    held = min(max(1, round(fraction * count)), count - 2)
    return np.sort(order[held:]), np.sort(order[:held])


def check_holdout(count: int, fraction: float) -> None:
    """A holdout needs 1 point to test and 2 to fit: refuse one that would silently leave a side empty."""
    if fraction > 0 and count < 3:
        raise SettingError(
            "holdout",
            f"{fraction:g} of {count} points leaves no test point: a holdout needs at least 3 points (2 to fit, 1 held out); "
            "use 0 for none",
        )


def x_scaling(settings: Settings, x: np.ndarray) -> Scaling:
    """How x is fitted: as it is, or standardized; `slope` only scaled (by x's root mean square), since
    y = k·x has no intercept to absorb a shift."""
    if not settings.standardize:
        return Scaling()
    if parse_model(settings.model)[0] != "slope":
        return Scaling.standardizing(x)
    size = float(np.sqrt(np.mean(np.square(x))))
    return Scaling(0.0, size if size > 0 else 1.0)


def make_problem(settings: Settings, dataset: Dataset | None = None) -> Problem:
    """The problem the settings describe, on their device; SettingError or DataError when it can't be."""
    settings = validate(settings)
    device = resolve_device(settings.device)
    if dataset is None:
        check_fits(settings, device)  # before the data exists: refusing must not need the memory it refuses
        dataset = load_dataset(settings)
    check_holdout(len(dataset), settings.holdout)
    train, test = split_holdout(len(dataset), settings.holdout, settings.seed)
    every = len(train) == len(dataset)  # no holdout: use the arrays as they are, not 80 MB copies per 10M points

    def take(values: np.ndarray, indices: np.ndarray) -> np.ndarray:
        return values if every and indices is train else values[indices]

    scaling = x_scaling(settings, take(dataset.x, train))
    target = Scaling.standardizing(take(dataset.y, train)) if settings.standardize else Scaling()

    def fitted(values: np.ndarray) -> np.ndarray:
        return values if scaling == Scaling() else scaling.apply(values)

    dtype = DTYPES[settings.dtype]

    def tensor(values: np.ndarray) -> torch.Tensor:
        return torch.as_tensor(values, dtype=dtype).to(device)

    model = build_model(settings.model, scaling, start_rng(settings.seed, settings.start), dtype, device, target)
    x_fitted, y_fitted = fitted(take(dataset.x, train)), take(dataset.y, train)
    return Problem(
        settings=settings,
        dataset=dataset,
        train=train,
        test=test,
        device=device,
        scaling=scaling,
        model=model,
        loss_fn=make_loss(settings.loss, settings.huber_delta),
        x_train=tensor(x_fitted),
        y_train=tensor(y_fitted),
        x_test=tensor(fitted(dataset.x[test])),
        y_test=tensor(dataset.y[test]),
        cast=check_cast(x_fitted, y_fitted) if dtype == torch.float32 else None,
    )
