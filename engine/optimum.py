"""The least-squares optimum of a problem, to compare the descent with."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from engine.memory import SOLVE_BLOCK as BLOCK
from engine.memory import SOLVE_WHOLE_MAX as WHOLE_MAX
from engine.problem import Problem


@dataclass(frozen=True)
class Optimum:
    """The parameters that minimise the mean squared error, and that error."""

    params: dict[str, float]
    """Named parameters in the data's units."""
    vector: np.ndarray
    """θ in the fitted (possibly standardized) units."""
    loss: float
    """The training MSE at the optimum."""


def least_squares(problem: Problem, whole_max: int = WHOLE_MAX, block: int = BLOCK) -> Optimum | None:
    """Solve min‖Φθ − y‖² in float64; None for models not linear in θ or losses other than MSE.

    Up to `whole_max` points: torch.linalg.lstsq (gelsd, SVD) on Φ. Beyond: Φ in blocks of `block` rows, each
    folded into a running QR factorization (R of [R; Φ_block] and Qᵀ[z; y_block]), then gelsd on the small
    R: as accurate as a QR of the whole Φ, in memory of one block (Φ whole is 160 MB at 10M points).
    """
    model = problem.model
    if not getattr(model, "linear_in_parameters", False) or problem.settings.loss != "mse":
        return None
    train = problem.train
    if len(train) <= whole_max:
        x_fit = problem.scaling.apply(problem.dataset.x[train])
        phi = torch.from_numpy(model.features_np(x_fit))
        y = torch.from_numpy(problem.dataset.y[train])
        # gelsd (SVD) copes with the ill-conditioned features of high-degree polynomials.
        vector = torch.linalg.lstsq(phi, y.unsqueeze(1), driver="gelsd").solution.squeeze(1)
        loss = float(torch.mean((phi @ vector - y) ** 2))
        vector = vector.numpy()
    else:
        vector, loss = _blocked(problem, block)
    return Optimum(params=dict(zip(model.names, map(float, model.data_units(vector)), strict=True)), vector=vector, loss=loss)


def _blocked(problem: Problem, chunk: int) -> tuple[np.ndarray, float]:
    """θ and the MSE at θ, from Φ built `chunk` rows at a time (a tall-skinny QR)."""
    model, train = problem.model, problem.train
    blocks = [train[start : start + chunk] for start in range(0, len(train), chunk)]

    def block(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return model.features_np(problem.scaling.apply(problem.dataset.x[rows])), problem.dataset.y[rows]

    r = z = None
    for rows in blocks:
        phi, y = block(rows)
        if r is not None:
            phi, y = np.concatenate([r, phi]), np.concatenate([z, y])
        q, r = np.linalg.qr(phi)
        z = q.T @ y
    solution = torch.linalg.lstsq(torch.from_numpy(r), torch.from_numpy(z).unsqueeze(1), driver="gelsd").solution
    vector = solution.squeeze(1).numpy()
    squared = 0.0
    for rows in blocks:
        phi, y = block(rows)
        squared += float(np.sum((phi @ vector - y) ** 2))
    return vector, squared / len(train)
