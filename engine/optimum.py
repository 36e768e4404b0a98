"""The least-squares optimum of a problem, to compare the descent with."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

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


def least_squares(problem: Problem) -> Optimum | None:
    """Solve min‖Φθ − y‖² with torch.linalg.lstsq in float64; None for models not linear in θ or losses other than MSE."""
    model = problem.model
    if not getattr(model, "linear_in_parameters", False) or problem.settings.loss != "mse":
        return None
    x_fit = problem.scaling.apply(problem.dataset.x[problem.train])
    phi = torch.from_numpy(model.features_np(x_fit))
    y = torch.from_numpy(problem.dataset.y[problem.train])
    # gelsd (SVD) copes with the ill-conditioned features of high-degree polynomials.
    vector = torch.linalg.lstsq(phi, y.unsqueeze(1), driver="gelsd").solution.squeeze(1)
    loss = float(torch.mean((phi @ vector - y) ** 2))
    vector = vector.numpy()
    return Optimum(params=dict(zip(model.names, map(float, model.data_units(vector)), strict=True)), vector=vector, loss=loss)
