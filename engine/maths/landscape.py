"""The loss over a window of a two-parameter model's (k, b) plane, to draw the descent's path on.

The grid may be laid in the data's own units (k, b as the status line shows them, whatever --standardize
says): `to_fitted` maps its cells to θ as fitted, the plane the optimizer moves in, where the loss is computed.
For MSE the loss is the quadratic L* + (θ − θ*)ᵀ·(H/2)·(θ − θ*), exact on every cell at a cost that
does not grow with the number of points; other losses are summed point by point, a block at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.maths.curvature import exact_hessian
from engine.models.model_kind import is_linear_in_parameters

WINDOW_MARGIN = 0.15
"""Room left around the start, the optimum and the path, as a fraction of their span."""
LANDSCAPE_SAMPLE_POINTS = 2_000
"""Losses other than MSE are evaluated on at most this many evenly spaced points: a toggle must feel instant (~0.2 s at 80×30 cells)."""
BLOCK = 4_000_000
"""Cells × points evaluated at once for losses other than MSE: bounds memory at ~32 MB."""


@dataclass(frozen=True)
class Landscape:
    """log10 of the loss on a grid: `log_loss[i, j]` is at k = `k_values[j]`, b = `b_values[i]` (rows are b, columns k)."""

    k_values: np.ndarray
    """The first parameter's values along the columns (k for `linear`, c0 for `poly:1`), as fitted."""
    b_values: np.ndarray
    """The second parameter's values along the rows, as fitted."""
    log_loss: np.ndarray
    """log10 of the training loss, shape (len(b_values), len(k_values))."""
    points_used: int
    """How many training points the loss was computed on (all of them for MSE)."""

    @property
    def k_step(self) -> float:
        return float(self.k_values[1] - self.k_values[0])

    @property
    def b_step(self) -> float:
        return float(self.b_values[1] - self.b_values[0])

    def contains(self, points: np.ndarray) -> bool:
        """Whether every (k, b) point lies inside the window: if not, the app asks for a new one."""
        points = np.atleast_2d(points)
        k, b = points[:, 0], points[:, 1]
        return bool(np.all((k >= self.k_values[0]) & (k <= self.k_values[-1]) & (b >= self.b_values[0]) & (b <= self.b_values[-1])))


def two_parameter_check(problem) -> None:
    """Raise ValueError unless the model is linear in exactly two parameters (linear, poly:1)."""
    model = problem.model
    if not is_linear_in_parameters(model) or len(model.names) != 2:
        raise ValueError(f"the loss landscape needs a model with two parameters (linear or poly:1), not {problem.settings.model}")


def loss_grid(
    problem,
    k_range: tuple[float, float],
    b_range: tuple[float, float],
    size: int | tuple[int, int] = 61,
    optimum=None,
    to_fitted: np.ndarray | None = None,
) -> Landscape:
    """log10 of the training loss on a grid over the window; `size` is cells per side, or (columns, rows).

    `optimum` (engine.maths.optimum.least_squares's, when the caller has it) saves solving for it again.
    `to_fitted`: a 2×2 matrix from the grid's units to θ as fitted (the inverse of `data_unit_matrix`); None: the
    grid is in θ as fitted.
    """
    two_parameter_check(problem)
    columns, rows = (size, size) if isinstance(size, int) else size
    if columns < 2 or rows < 2:
        raise ValueError(f"the landscape needs at least 2 cells a side (got {columns}×{rows})")
    k_values = np.linspace(float(k_range[0]), float(k_range[1]), columns)
    b_values = np.linspace(float(b_range[0]), float(b_range[1]), rows)
    kk, bb = np.meshgrid(k_values, b_values)
    cells = np.stack([kk.ravel(), bb.ravel()], axis=1)  # (rows·columns, 2)
    if to_fitted is not None:
        cells = cells @ np.asarray(to_fitted, dtype=np.float64).T
    if problem.settings.loss == "mse":
        loss, used = _quadratic_loss(problem, cells, optimum), len(problem.train)
    else:
        loss, used = _pointwise_loss(problem, cells)
    # A perfect fit has loss 0 at the optimum: floor it so log10 stays finite.
    log_loss = np.log10(np.maximum(loss, np.finfo(np.float64).tiny)).reshape(rows, columns)
    return Landscape(k_values=k_values, b_values=b_values, log_loss=log_loss, points_used=used)


def _quadratic_loss(problem, cells: np.ndarray, optimum) -> np.ndarray:
    # L(θ) = L* + (θ−θ*)ᵀG(θ−θ*), G = ΦᵀΦ/N: no cancellation between large terms near the optimum.
    if optimum is None:
        from engine.maths.optimum import least_squares

        optimum = least_squares(problem)
    gram = exact_hessian(problem) / 2.0
    offset = cells - optimum.vector
    return optimum.loss + np.einsum("ci,ij,cj->c", offset, gram, offset)


def _pointwise_loss(problem, cells: np.ndarray) -> tuple[np.ndarray, int]:
    x, y = problem.dataset.x[problem.train], problem.dataset.y[problem.train]
    if len(x) > LANDSCAPE_SAMPLE_POINTS:
        keep = np.linspace(0, len(x) - 1, LANDSCAPE_SAMPLE_POINTS).round().astype(np.int64)
        x, y = x[keep], y[keep]
    phi = problem.model.features_np(problem.scaling.apply(x))
    settings = problem.settings
    total = np.zeros(len(cells))
    block = max(1, BLOCK // len(cells))
    for begin in range(0, len(x), block):
        residual = phi[begin : begin + block] @ cells.T - y[begin : begin + block, None]  # (points, cells)
        size = np.abs(residual)
        if settings.loss == "mae":
            total += size.sum(axis=0)
        else:  # huber, as torch defines it: ½r² within delta, delta·(|r| − ½delta) beyond
            delta = settings.huber_delta
            total += np.where(size < delta, 0.5 * residual**2, delta * (size - 0.5 * delta)).sum(axis=0)
    return total / len(x), len(x)


def data_unit_matrix(problem) -> np.ndarray:
    """The 2×2 matrix M with (k, b) in the data's units = M·θ as fitted (the identity unless x is standardized)."""
    model = problem.model
    return np.column_stack([np.asarray(model.data_units(e), dtype=np.float64)[:2] for e in np.eye(2)])


def landscape_window(start, optimum, path=None, margin: float = WINDOW_MARGIN) -> tuple[tuple[float, float], tuple[float, float]]:
    """(k_range, b_range) holding the start, the optimum (when known) and the path, with room around them."""
    parts = [np.atleast_2d(np.asarray(start, dtype=np.float64))]
    if optimum is not None:
        parts.append(np.atleast_2d(np.asarray(optimum, dtype=np.float64)))
    if path is not None and len(path):
        parts.append(np.atleast_2d(np.asarray(path, dtype=np.float64)))
    points = np.concatenate(parts)[:, :2]
    points = points[np.all(np.isfinite(points), axis=1)]
    if len(points) == 0:
        raise ValueError("the landscape window needs at least one finite point")
    ranges = []
    for low, high in zip(points.min(axis=0), points.max(axis=0), strict=True):
        span = high - low
        # A window must have width: a point alone (or a line of them) gets a span from its own size.
        span = span if span > 0 else max(abs(high) * 0.2, 1.0)
        ranges.append((float(low - margin * span), float(high + margin * span)))
    return ranges[0], ranges[1]


def path_cells(landscape: Landscape, path) -> tuple[np.ndarray, np.ndarray]:
    """(rows, columns) of the cells the (k, b) points fall in; points outside the window are clipped to its edge."""
    points = np.atleast_2d(np.asarray(path, dtype=np.float64))
    columns = np.rint((points[:, 0] - landscape.k_values[0]) / landscape.k_step)
    rows = np.rint((points[:, 1] - landscape.b_values[0]) / landscape.b_step)
    columns = np.clip(np.nan_to_num(columns), 0, len(landscape.k_values) - 1).astype(np.int64)
    rows = np.clip(np.nan_to_num(rows), 0, len(landscape.b_values) - 1).astype(np.int64)
    return rows, columns


def thin_path(path, limit: int = 2000) -> np.ndarray:
    """At most `limit` of the path's points, evenly spread, always keeping the first and the last."""
    points = np.atleast_2d(np.asarray(path, dtype=np.float64))
    if len(points) <= limit:
        return points
    keep = np.unique(np.linspace(0, len(points) - 1, limit).round().astype(np.int64))
    return points[keep]
