"""The points, the fitted curve as it moves, and the least-squares line dimmed behind it."""

from __future__ import annotations

import numpy as np
from textual_plotext import PlotextPlot

MAX_DRAWN_POINTS = 1000
"""More points than this are drawn as an even subsample: a terminal has fewer cells than that."""
CURVE_SAMPLES = 48


class FitPlot(PlotextPlot):
    """Scatter of the data with the current fit; the axes stay on the data so a wild line can't hide the points."""

    can_focus = True

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._x: list[float] = []
        self._y: list[float] = []
        self._curve_x: np.ndarray = np.zeros(0)
        self._fit: list[float] | None = None
        self._optimum: list[float] | None = None
        self._limits: tuple[float, float, float, float] | None = None
        self._fit_cells: bytes | None = None

    @property
    def curve_x(self) -> np.ndarray:
        """Where the fitted and least-squares curves are evaluated (data units)."""
        return self._curve_x

    def show_data(self, x: np.ndarray, y: np.ndarray) -> None:
        """New points: forget the old fit and optimum."""
        stride = max(1, len(x) // MAX_DRAWN_POINTS)
        self._x, self._y = x[::stride].tolist(), y[::stride].tolist()
        x_lo, x_hi = float(np.min(x)), float(np.max(x))
        y_lo, y_hi = float(np.min(y)), float(np.max(y))
        pad = 0.05 * (y_hi - y_lo) or 1.0
        self._limits = (x_lo, x_hi if x_hi > x_lo else x_lo + 1, y_lo - pad, y_hi + pad)
        self._curve_x = np.linspace(x_lo, x_hi, CURVE_SAMPLES)
        self._fit = self._optimum = self._fit_cells = None
        self.redraw()

    def show_optimum(self, y: np.ndarray | None) -> None:
        self._optimum = None if y is None else y.tolist()
        self.redraw()

    def show_fit(self, y: np.ndarray | None) -> None:
        """Draw the fitted curve, unless it moved by less than a cell: late in a run it barely moves,
        and a redraw costs the UI thread (and, through the GIL, the run) several milliseconds."""
        finite = y is not None and bool(np.all(np.isfinite(y)))
        cells = self._cells(y) if finite else None
        if cells is not None and cells == self._fit_cells:
            return
        self._fit_cells = cells
        self._fit = y.tolist() if finite else None
        self.redraw()

    def _cells(self, y: np.ndarray) -> bytes | None:
        if self._limits is None:
            return None
        _, _, y_lo, y_hi = self._limits
        rows = 4 * max(1, self.size.height)  # finer than a cell: plotext's markers draw in sub-cells
        return np.clip(np.round((y - y_lo) / (y_hi - y_lo) * rows), -1, rows + 1).astype(np.int16).tobytes()

    def redraw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.title("fit")
        plt.xlabel("x")
        plt.ylabel("y")
        curve_x = self._curve_x.tolist()
        if self._x:
            plt.scatter(self._x, self._y, marker="dot", color="cyan", label="points")
        if self._optimum is not None:
            plt.plot(curve_x, self._optimum, color="gray", label="least squares")
        if self._fit is not None:
            plt.plot(curve_x, self._fit, color="orange", label="fit")
        if self._limits is not None:
            x_lo, x_hi, y_lo, y_hi = self._limits
            plt.xlim(x_lo, x_hi)
            plt.ylim(y_lo, y_hi)
        self.refresh()
