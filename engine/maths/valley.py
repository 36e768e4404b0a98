"""The valley's two directions (key v): the error θ − θ* split along the Hessian's eigenvectors, and its predicted lines.

For MSE on a model linear in θ the loss is a quadratic with constant Hessian H, so in H's eigenbasis the
descent is one scalar recurrence per direction (Goh 2017, "Why Momentum Really Works"):
    plain:       eᵢ(t+1) = (1 − lr·λᵢ)·eᵢ(t)                       → |eᵢ(t)| = |eᵢ(0)|·|1 − lr·λᵢ|^t
    heavy ball:  eᵢ(t+1) = (1 + β − lr·λᵢ)·eᵢ(t) − β·eᵢ(t−1)        → shrinks like ρᵢ^t, ρᵢ the larger |root| of
                 z² − (1 + β − lr·λᵢ)·z + β = 0 (torch's SGD momentum is this recurrence, with e(−1) = e(0)).
The loss curve's cliff-then-plateau is the steep direction's error vanishing while the flat one's stays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine.maths.curvature import exact_eigen, exact_hessian, has_constant_hessian
from engine.settings.run_settings import PLAIN_DESCENT

PLAIN_RULES = PLAIN_DESCENT
"""Rules whose step is θ − lr·∇L: one rate |1 − lr·λ| per direction."""
HEAVY_BALL_RULES = ("momentum",)
"""torch's SGD with momentum β: the heavy-ball recurrence, rate ρ(lr, β, λ) per direction."""


@dataclass(frozen=True)
class Eigenbasis:
    """H's eigenvalues (ascending) and unit eigenvectors (columns), θ as fitted; each vector's largest entry positive."""

    values: np.ndarray
    vectors: np.ndarray

    @property
    def steep(self) -> np.ndarray:
        return self.vectors[:, -1]

    @property
    def flat(self) -> np.ndarray:
        return self.vectors[:, 0]


def _oriented(vector: np.ndarray) -> np.ndarray:
    """A sign a person reads easily: the largest entry positive (an eigenvector's sign is arbitrary)."""
    return vector if vector[np.argmax(np.abs(vector))] >= 0 else -vector


def eigenbasis(problem) -> Eigenbasis:
    """Every eigenpair of H = (2/N)·ΦᵀΦ; two parameters from the accurate SVD of engine.maths.curvature."""
    if len(problem.model.names) == 2:
        low, high, slow, fast, _ = exact_eigen(problem)
        return Eigenbasis(np.array([low, high]), np.stack([_oriented(slow), _oriented(fast)], axis=1))
    values, vectors = np.linalg.eigh(exact_hessian(problem))
    vectors = np.stack([_oriented(v) for v in vectors.T], axis=1)
    return Eigenbasis(np.clip(values, 0.0, None), vectors)


def why_no_valley(problem) -> str | None:
    """Why the two directions can't be drawn for this problem, or None when they can."""
    s = problem.settings
    if not has_constant_hessian(problem):
        return f"the valley's directions are H's eigenvectors, constant only for MSE on a model linear in θ; {s.loss} on {s.model} has none"
    if s.batch_size is not None and s.batch_size < len(problem.train):
        return f"mini-batches of {s.batch_size} descend a different loss each step: no fixed rate per direction"
    if s.optimizer not in PLAIN_RULES + HEAVY_BALL_RULES:
        return f"{s.optimizer}'s step is not lr·gradient (with or without momentum): its rate per direction changes as it runs"
    if s.weight_decay:
        return "weight decay moves the optimum and adds to each λ: these lines assume none"
    return None


def plain_rate(lr: float, curvature: float) -> float:
    """|1 − lr·λ|: what one plain step keeps of the error along a direction of curvature λ."""
    return abs(1.0 - lr * curvature)


def heavy_ball_rate(lr: float, beta: float, curvature: float) -> float:
    """ρ: the larger |root| of z² − (1 + β − lr·λ)z + β; the heavy ball's error shrinks like ρ^t."""
    trace = 1.0 + beta - lr * curvature
    disc = trace * trace - 4.0 * beta
    if disc < 0:
        return math.sqrt(beta)  # complex roots: both of size √β
    root = math.sqrt(disc)
    return max(abs(trace + root), abs(trace - root)) / 2.0


def rate(settings, curvature: float) -> float:
    """The per-step rate of the run's rule along a direction of curvature λ."""
    if settings.optimizer in HEAVY_BALL_RULES:
        return heavy_ball_rate(settings.lr, settings.momentum, curvature)
    return plain_rate(settings.lr, curvature)


def eigen_errors(basis: Eigenbasis, optimum: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Each θ (rows) as its error along every eigenvector: (θ − θ*)·vᵢ, one column per direction."""
    return (np.asarray(vectors, dtype=np.float64) - optimum) @ basis.vectors


def predicted_errors(settings, curvature: float, start: float, steps: np.ndarray) -> np.ndarray:
    """The predicted |error| along one direction at each step: |e₀|·rate^t (for momentum, the envelope |e₀|·ρ^t)."""
    r = rate(settings, curvature)
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        return abs(start) * np.power(r, np.asarray(steps, dtype=np.float64))


def heavy_ball_errors(lr: float, beta: float, curvature: float, start: float, steps: int) -> np.ndarray:
    """The exact heavy-ball recurrence along one direction, e(0) … e(steps), in float64 (e(−1) = e(0): at rest)."""
    out = np.empty(steps + 1)
    previous = current = float(start)
    out[0] = current
    a = 1.0 + beta - lr * curvature
    for t in range(1, steps + 1):
        previous, current = current, a * current - beta * previous
        out[t] = current
    return out
