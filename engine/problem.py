"""A run's problem on its device: the points as tensors, the model at its start, the loss."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from engine.data import Dataset, load_dataset
from engine.device import resolve_device
from engine.losses import LossFn, make_loss
from engine.memory import check_fits
from engine.model import build_model, start_rng
from engine.scaling import Scaling
from engine.settings import Settings, validate

DTYPE = torch.float32  # the tutorial's dtype, and what GPUs are fast at


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


def make_problem(settings: Settings, dataset: Dataset | None = None) -> Problem:
    """The problem the settings describe, on their device; SettingError or DataError when it can't be."""
    settings = validate(settings)
    device = resolve_device(settings.device)
    if dataset is None:
        check_fits(settings, device)  # before the data exists: refusing must not need the memory it refuses
        dataset = load_dataset(settings)
    train, test = split_holdout(len(dataset), settings.holdout, settings.seed)
    every = len(train) == len(dataset)  # no holdout: use the arrays as they are, not 80 MB copies per 10M points

    def take(values: np.ndarray, indices: np.ndarray) -> np.ndarray:
        return values if every and indices is train else values[indices]

    scaling = Scaling.standardizing(take(dataset.x, train)) if settings.standardize else Scaling()
    target = Scaling.standardizing(take(dataset.y, train)) if settings.standardize else Scaling()

    def fitted(values: np.ndarray) -> np.ndarray:
        return values if scaling == Scaling() else scaling.apply(values)

    def tensor(values: np.ndarray) -> torch.Tensor:
        return torch.as_tensor(values, dtype=DTYPE).to(device)

    model = build_model(settings.model, scaling, start_rng(settings.seed, settings.start), DTYPE, device, target)
    return Problem(
        settings=settings,
        dataset=dataset,
        train=train,
        test=test,
        device=device,
        scaling=scaling,
        model=model,
        loss_fn=make_loss(settings.loss, settings.huber_delta),
        x_train=tensor(fitted(take(dataset.x, train))),
        y_train=tensor(take(dataset.y, train)),
        x_test=tensor(fitted(dataset.x[test])),
        y_test=tensor(dataset.y[test]),
    )
