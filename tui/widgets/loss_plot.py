"""The loss against the step, on a log scale drawn as log10(loss) on a linear axis."""

from __future__ import annotations

import math

import numpy as np
from rich.color import Color
from rich.style import Style

from engine.history import History
from tui.widgets.plotting.canvas import Picture, line_layer
from tui.widgets.plotting.layered_plot import LayeredPlot

HISTORY_ROWS = 2048
"""(step, loss) rows kept however long the run: first, last, extremes and an even spread (engine.history)."""
LIMIT_GRID = 0.25
"""The log10 axis's limits snap outward to quarters of a decade: it is rebuilt only when the curve leaves them."""
CURVE_STYLE = Style(color=Color.from_ansi(208))  # plotext's "orange"


class LossPlot(LayeredPlot):
    """log10(loss) by step; plotext 5's own log scale raises when it re-renders, so the log is taken here.

    The axes are the picture; the curve is the layer, so a frame repaints only the cells the curve changed.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.history = History(HISTORY_ROWS)
        self.total_steps = 1
        self._limits: tuple[float, float] | None = None
        self.layer_style = CURVE_STYLE

    def reset(self, total_steps: int) -> None:
        self.history = History(HISTORY_ROWS)
        self.total_steps = max(1, total_steps)
        self._limits = None
        self.refresh()

    def add(self, steps: list[int], losses: list[float]) -> None:
        history = self.history
        for step, loss in zip(steps, losses, strict=True):
            history.append(step, loss)
        logs = [math.log10(v) for v in losses if math.isfinite(v) and v > 0]
        if not logs:
            return
        low, high = min(logs), max(logs)
        limits = self._limits
        if limits is None or low < limits[0] or high > limits[1]:
            low, high = (low, high) if limits is None else (min(low, limits[0]), max(high, limits[1]))
            self._limits = (math.floor((low - 0.02) / LIMIT_GRID) * LIMIT_GRID, math.ceil((high + 0.02) / LIMIT_GRID) * LIMIT_GRID)
            self.refresh()
        else:
            self.update_layer()

    def log10_points(self) -> tuple[np.ndarray, np.ndarray]:
        """The kept points as (steps, log10 loss), dropping what a log axis can't show (non-finite, ≤ 0)."""
        return log10_rows(self.history)

    def picture_key(self) -> tuple:
        return (self._limits, self.total_steps)

    def make_layer(self, picture: Picture) -> np.ndarray | None:
        if self._limits is None or picture.canvas is None:
            return None
        steps, logs = self.log10_points()
        if not len(steps):
            return None
        return line_layer(steps, logs, picture.canvas, (0.0, float(self.total_steps)), self._limits)

    def build_picture(self, theme: str) -> Picture:
        plt = self.plt
        plt.title("loss (log10)")
        plt.xlabel("step")
        plt.ylabel("log10 loss")
        plt.xlim(0, self.total_steps)
        if self._limits is not None:
            plt.ylim(*self._limits)
            plt.scatter([0], [self._limits[1]], marker=" ")  # an invisible point: plotext draws no ticks without data
        self.layer_style = Style() if self.monochrome else CURVE_STYLE
        return Picture(plt.build(), *self.size)


def log10_rows(history: History) -> tuple[np.ndarray, np.ndarray]:
    """A loss history's rows as (steps, log10 loss), without what a log axis can't show (non-finite, ≤ 0)."""
    rows = history.rows()
    steps, losses = rows[:, 0], rows[:, 1]
    shown = np.isfinite(losses) & (losses > 0)
    return steps[shown], np.log10(losses[shown])
