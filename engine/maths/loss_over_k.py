"""The loss of a one-parameter model (`slope`: y = k·x) as a curve L(k): the ball rolling down a parabola.

For MSE, L(k) = mean((k·x − y)²) = L* + a·(k − k*)² with a = mean(x²): a parabola, written about its
lowest point so no large terms cancel near it, and dL/dk = 2a·(k − k*) exactly. For MAE and Huber the
curve is evaluated point by point (on at most CURVE_SAMPLE_POINTS of them) in float64.
"""

from __future__ import annotations

import numpy as np

from engine.models.model_kind import is_linear_in_parameters

CURVE_SAMPLE_POINTS = 200_000
"""Points a non-quadratic loss is evaluated on (evenly spread): a curve of a hundred k values stays fast."""
WINDOW_MARGIN = 0.15
"""Room around the path, the optimum and now, as a fraction of the span they cover."""


def one_parameter(problem) -> bool:
    """A model linear in one parameter: its loss is a curve over a line, not a surface."""
    model = getattr(problem, "model", None)
    return is_linear_in_parameters(model) and len(model.names) == 1


class LossCurve:
    """L(k) and dL/dk of a one-parameter problem, k as fitted (standardized units when that is on)."""

    def __init__(self, problem, optimum=None) -> None:
        if not one_parameter(problem):
            raise ValueError(f"the loss curve needs a model with one parameter (slope), not {problem.settings.model}")
        train = problem.train
        x = problem.scaling.apply(problem.dataset.x[train] if len(train) < len(problem.dataset.x) else problem.dataset.x)
        y = problem.dataset.y[train] if len(train) < len(problem.dataset.y) else problem.dataset.y
        self.loss, self.delta = problem.settings.loss, problem.settings.huber_delta
        self.curvature = float(np.mean(np.square(x)))
        """a = mean(x²): L(k) = L* + a·(k − k*)² for MSE."""
        if self.loss == "mse":
            if optimum is None:
                from engine.maths.optimum import least_squares

                optimum = least_squares(problem)
            self.best, self.lowest = float(optimum.vector[0]), float(optimum.loss)
        if len(x) > CURVE_SAMPLE_POINTS:
            keep = np.linspace(0, len(x) - 1, CURVE_SAMPLE_POINTS).round().astype(np.int64)
            x, y = x[keep], y[keep]
        self.x, self.y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)

    def at(self, ks) -> np.ndarray:
        """L at each k."""
        ks = np.atleast_1d(np.asarray(ks, dtype=np.float64))
        if self.loss == "mse":
            return self.lowest + self.curvature * (ks - self.best) ** 2
        values = np.empty(len(ks))
        for i, k in enumerate(ks):
            size = np.abs(k * self.x - self.y)
            if self.loss == "mae":
                values[i] = size.mean()
            else:  # huber, as torch defines it: ½r² within delta, delta·(|r| − ½delta) beyond
                values[i] = np.where(size < self.delta, 0.5 * size**2, self.delta * (size - 0.5 * self.delta)).mean()
        return values

    def slope(self, k: float) -> float:
        """dL/dk at k: the tangent's slope, the gradient the descent follows."""
        if self.loss == "mse":
            return 2.0 * self.curvature * (float(k) - self.best)
        residual = k * self.x - self.y
        if self.loss == "mae":
            return float(np.mean(np.sign(residual) * self.x))
        return float(np.mean(np.clip(residual, -self.delta, self.delta) * self.x))

    def window(self, path, now: float | None = None, margin: float = WINDOW_MARGIN) -> tuple[float, float]:
        """A k range holding the path, now and the optimum (when known), with room around them."""
        values = [float(v) for v in np.ravel(np.asarray(path, dtype=np.float64))]
        if now is not None:
            values.append(float(now))
        if self.loss == "mse":
            values.append(self.best)
        values = [v for v in values if np.isfinite(v)] or [0.0]
        low, high = min(values), max(values)
        span = high - low if high > low else max(abs(high) * 0.2, 1.0)
        return low - margin * span, high + margin * span
