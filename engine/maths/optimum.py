"""The least-squares optimum of a problem, to compare the descent with."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from engine.data.memory_guard import SOLVE_BLOCK as BLOCK
from engine.data.memory_guard import SOLVE_WHOLE_MAX as WHOLE_MAX
from engine.descent.problem import Problem
from engine.models.chebyshev_basis import apply_exactly, gram, training
from engine.models.model_kind import is_linear_in_parameters


@dataclass(frozen=True)
class Optimum:
    """The parameters that minimise the mean squared error, and that error."""

    params: dict[str, float]
    """Named parameters in the data's units."""
    vector: np.ndarray
    """θ in the fitted (possibly standardized) units."""
    loss: float
    """The training MSE at the optimum."""
    system: object = field(default=None, compare=False, repr=False)
    """The well-conditioned normal equations it was solved from (engine.models.chebyshev_basis.Gram), for `excess_loss`."""


def least_squares(problem: Problem, whole_max: int = WHOLE_MAX, block: int = BLOCK) -> Optimum | None:
    """Solve min‖Φθ − y‖² in float64; None for models not linear in θ or losses other than MSE.

    In the well-conditioned basis of engine.models.chebyshev_basis, whatever the user chose: ΦᵀΦ there keeps nearly every
    digit, so the solution does too, and it is mapped back to θ as fitted exactly. Up to `whole_max` points
    in one block, beyond in blocks of `block` rows. An exactly singular problem (fewer distinct x than
    parameters) has no unique optimum: it gets the least-norm one, by SVD (gelsd).
    """
    model = problem.model
    if not is_linear_in_parameters(model) or problem.settings.loss != "mse":
        return None
    train = problem.train
    chunk = max(len(train), 1) if len(train) <= whole_max else block
    system = gram(problem, chunk=chunk)
    if system.singular:
        vector, loss = _least_norm(problem) if len(train) <= whole_max else _blocked(problem, block)
    else:
        good = np.linalg.solve(system.gram, system.moment)
        vector = apply_exactly(system.to_fitted, good)
        loss = _mean_square_residual(problem, system, good, chunk)
    params = dict(zip(model.names, map(float, model.data_units(vector)), strict=True))
    return Optimum(params=params, vector=vector, loss=loss, system=system)


def excess_loss(optimum: Optimum | None, vector) -> float | None:
    """L(θ) − L* in float64 on the data as given (not as cast to float32): (1/N)·‖Φ(θ − θ*)‖².

    Exact for least squares (the optimum's residual is orthogonal to Φ), so it is never negative and has no
    cancellation: θ − θ* is taken to the well-conditioned basis exactly, where ΦᵀΦ is accurate.
    None without an optimum, or for parameters that are not finite.
    """
    if optimum is None or optimum.system is None:
        return None
    step = np.asarray(vector, dtype=np.float64) - optimum.vector
    if not np.all(np.isfinite(step)):
        return None
    system = optimum.system
    good = apply_exactly(system.from_fitted, step)
    return max(float(good @ system.gram @ good) / system.count, 0.0)


def _mean_square_residual(problem: Problem, system, good: np.ndarray, chunk: int) -> float:
    """mean((Φθ − y)²) at the optimum, in the good basis, where the residual is computed without cancellation."""
    x, y = training(problem.dataset.x, problem.train), training(problem.dataset.y, problem.train)
    squared = 0.0
    for begin in range(0, len(x), chunk):
        residual = system.features(problem.scaling.apply(x[begin : begin + chunk])) @ good - y[begin : begin + chunk]
        squared += float(residual @ residual)
    return squared / len(x)


def _least_norm(problem: Problem) -> tuple[np.ndarray, float]:
    """gelsd (SVD) on Φ as fitted: the least-norm θ of a singular problem."""
    train = problem.train
    x_fit = problem.scaling.apply(problem.dataset.x[train])
    phi = torch.from_numpy(problem.model.features_np(x_fit))
    y = torch.from_numpy(problem.dataset.y[train])
    vector = torch.linalg.lstsq(phi, y.unsqueeze(1), driver="gelsd").solution.squeeze(1)
    return vector.numpy(), float(torch.mean((phi @ vector - y) ** 2))


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
