"""What backward() computes, beside what the maths says it should: the tutorial's gradients both ways."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

COMPUTATION = ("predictions = k·x + b", "loss = mean((predictions − y)²)")
"""The forward pass of the linear model with MSE, as the panel shows it."""
FORMULAS = {"k": "∂L/∂k = 2·mean((k·x + b − y)·x)", "b": "∂L/∂b = 2·mean(k·x + b − y)"}
"""The analytic gradients of that loss, as the panel shows them."""


@dataclass(frozen=True)
class GradientCheck:
    """A step's gradient from autograd beside the same gradient from the formulas."""

    step: int
    """The snapshot's step."""
    names: tuple[str, ...]
    """The parameters, in order (k, b for the linear model)."""
    autograd: np.ndarray
    """∂L/∂θ as backward() computed it (the snapshot's, float32 on the run's device)."""
    analytic: np.ndarray
    """∂L/∂θ from the formulas, in float64 on the host."""
    formulas: tuple[str, ...]
    """One formula per parameter, in the order of `names`."""
    tolerance: np.ndarray
    """How far float32 rounding can move each autograd component: near the optimum the gradient is a small
    difference of large terms, so its float32 value may differ from the exact one in its leading digits."""

    @property
    def agrees(self) -> bool:
        """Whether autograd and the formulas agree within float32 rounding, component by component."""
        return bool(np.all(np.abs(self.autograd - self.analytic) <= self.tolerance))

    @property
    def largest_difference(self) -> float:
        """max |autograd − analytic| relative to the gradient's size: float32 roundoff, nothing more."""
        scale = max(float(np.max(np.abs(self.analytic))), 1e-30)
        return float(np.max(np.abs(self.autograd - self.analytic))) / scale


ROUNDING_FACTOR = 8.0
"""Rounding-error bound per term, in units of the dtype's epsilon: a few roundings per product and sum."""


def supports_analytic(problem) -> bool:
    """MSE on a model linear in θ: the gradient has the closed form (2/N)·Φᵀ(Φθ − y)."""
    return bool(getattr(problem.model, "linear_in_parameters", False)) and problem.settings.loss == "mse"


def analytic_gradient(problem, vector) -> np.ndarray:
    """∂L/∂θ at θ = `vector` (as fitted) from the formulas; for `linear`, (2·mean((kx+b−y)·x), 2·mean(kx+b−y))."""
    if not supports_analytic(problem):
        settings = problem.settings
        raise ValueError(f"the analytic gradient is written for MSE on linear or poly models, not {settings.loss} on {settings.model}")
    # The very numbers backward() saw (float32, standardized when that is on), then float64 arithmetic:
    # what is left between the two is the rounding of autograd's float32 sums, not of the data.
    x, y = _as_fitted(problem)
    theta = np.asarray(vector, dtype=np.float64)
    if problem.model.kind == "linear":
        k, b = theta
        residual = k * x + b - y
        return np.array([2.0 * np.mean(residual * x), 2.0 * np.mean(residual)])
    phi = problem.model.features_np(x)  # poly: ∂L/∂c_j = 2·mean(residual·x^j)
    return 2.0 / len(y) * (phi.T @ (phi @ theta - y))


def _as_fitted(problem) -> tuple[np.ndarray, np.ndarray]:
    return (
        problem.x_train.detach().to("cpu", torch.float64).numpy(),
        problem.y_train.detach().to("cpu", torch.float64).numpy(),
    )


def rounding_tolerance(problem, vector) -> np.ndarray:
    """A bound on float32 autograd's error per component: ε·2·mean((|Φ|·|θ| + |y|)·|φ_j|), times a few roundings."""
    x, y = _as_fitted(problem)
    phi = np.abs(problem.model.features_np(x))
    terms = phi @ np.abs(np.asarray(vector, dtype=np.float64)) + np.abs(y)
    epsilon = torch.finfo(problem.x_train.dtype).eps
    return ROUNDING_FACTOR * epsilon * 2.0 * (phi.T @ terms) / len(y)


def gradient_check(problem, snapshot) -> GradientCheck | None:
    """The snapshot's autograd gradient beside the analytic one; None where no formula applies."""
    if not supports_analytic(problem):
        return None
    names = problem.model.names
    if problem.model.kind == "slope":  # one feature, x itself
        formulas = ("∂L/∂k = 2·mean((k·x − y)·x)",)
    else:
        formulas = tuple(FORMULAS[name] for name in names) if problem.model.kind == "linear" else tuple(
            f"∂L/∂{name} = 2·mean(residual·x^{j})" for j, name in enumerate(names)
        )
    return GradientCheck(
        step=snapshot.step,
        names=names,
        autograd=np.asarray(snapshot.gradient, dtype=np.float64),
        analytic=analytic_gradient(problem, snapshot.vector),
        formulas=formulas,
        tolerance=rounding_tolerance(problem, snapshot.vector),
    )


@dataclass(frozen=True)
class WarmUp:
    """The tutorial's warm-up: z = mean((x + 2)²) over x = linspace(0, 10, 100), and dz/dx both ways."""

    x: np.ndarray
    z: float
    autograd: np.ndarray
    """x.grad after z.backward()."""
    analytic: np.ndarray
    """dz/dx_i = 2·(x_i + 2)/100."""
    formula: str = "z = mean((x + 2)²)  ⇒  dz/dxᵢ = 2·(xᵢ + 2)/100"


def warmup_demo(points: int = 100) -> WarmUp:
    """Run the tutorial's warm-up through autograd, as it does, in float32."""
    x = torch.linspace(0, 10, points, requires_grad=True)
    z = torch.mean((x + 2) ** 2)
    z.backward()
    values = x.detach().numpy().astype(np.float64)
    return WarmUp(
        x=values,
        z=float(z.detach()),
        autograd=x.grad.numpy().astype(np.float64),
        analytic=2.0 * (values + 2.0) / points,
    )
