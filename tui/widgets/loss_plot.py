"""The loss against the step, on a log scale drawn as log10 on a linear axis: log10(L − L*) where the optimum
L* is known (MSE on a model linear in θ), so that the slow crawl along the valley shows; log10 L elsewhere.

Near its optimum the loss itself flattens (92.4 for 995 of the tutorial's 1000 steps); its excess over L*
keeps falling in a straight line at the slow direction's rate, which is the lesson.
"""

from __future__ import annotations

import math

import numpy as np
from rich.color import Color
from rich.style import Style

from engine.descent.history import History
from tui.widgets.plotting.canvas import Picture, line_layer
from tui.widgets.plotting.layered_plot import LayeredPlot
from tui.widgets.plotting.ticks import CHROME_ROWS, even_axis

HISTORY_ROWS = 2048
"""(step, loss) rows kept however long the run: first, last, extremes and an even spread (engine.descent.history)."""
LIMIT_GRID = 0.25
"""The log10 axis's limits snap outward to quarters of a decade: it is rebuilt only when the curve leaves them."""
CURVE_STYLE = Style(color=Color.from_ansi(208))  # plotext's "orange"
EXCESS_FLOOR = 1e-6
"""L − L* below this fraction of L* is at the optimum within float32 rounding: drawn at that floor, never as −∞."""


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
        self.optimum_loss: float | None = None
        """L*, the least loss there is (None: unknown, log10 L is drawn)."""
        self._shown: tuple[float, float] | None = None  # the y limits as drawn, widened to even ticks
        self.marks: tuple[int, ...] = ()
        """Steps where a setting changed and the run went on (a vertical line each)."""

    def reset(self, total_steps: int) -> None:
        self.history = History(HISTORY_ROWS)
        self.total_steps = max(1, total_steps)
        self._limits = None
        self.optimum_loss = None
        self.marks = ()
        self.refresh()

    def mark(self, step: int, total_steps: int | None = None) -> None:
        """A setting changed at `step` and the run goes on: a line there, so the curve before and after compare."""
        self.marks = (*self.marks, step)
        if total_steps is not None:
            self.total_steps = max(1, total_steps)
        self.refresh()

    def cut(self, step: int) -> None:
        """The run goes on from `step` (rewound): the curve after it, and its marks, are dropped."""
        rows = self.history.rows()
        self.history = History(HISTORY_ROWS)
        for row in rows[rows[:, 0] <= step]:
            self.history.append(*row)
        self.marks = tuple(mark for mark in self.marks if mark <= step)
        self.refresh()

    def set_optimum(self, loss: float | None) -> None:
        """L* is known (or not): the curve becomes log10(L − L*), from the first point on."""
        loss = loss if loss is not None and math.isfinite(loss) else None
        if loss == self.optimum_loss:
            return
        self.optimum_loss = loss
        self._limits = None
        rows = self.history.rows()
        if len(rows):
            self._grow_limits(self.transform(rows[:, 1]))
        self.refresh()

    @property
    def label(self) -> str:
        """What the y axis shows."""
        return "log10 loss" if self.optimum_loss is None else "log10(L−L*)"

    def transform(self, losses) -> np.ndarray:
        """Losses as drawn: log10 L, or log10(L − L*) with tiny excesses at EXCESS_FLOOR·L*; NaN where nothing shows."""
        return log10_excess(losses, self.optimum_loss)

    def add(self, steps: list[int], losses: list[float]) -> None:
        self.history.extend(steps, losses)
        if self._grow_limits(self.transform(losses)):
            self.refresh()
        else:
            self.update_layer()

    def _grow_limits(self, logs: np.ndarray) -> bool:
        """Widen the axis to these values, in quarter decades; True when it changed."""
        limits = grown_limits(self._limits, logs)
        changed, self._limits = limits != self._limits, limits
        return changed

    def log10_points(self) -> tuple[np.ndarray, np.ndarray]:
        """The kept points as drawn: (steps, log10 L or log10(L − L*)), without what a log axis can't show."""
        rows = self.history.rows()
        logs = self.transform(rows[:, 1])
        shown = np.isfinite(logs)
        return rows[shown, 0], logs[shown]

    def picture_key(self) -> tuple:
        return (self._limits, self.total_steps, self.optimum_loss, self.marks)

    def make_layer(self, picture: Picture) -> np.ndarray | None:
        if self._shown is None or picture.canvas is None:
            return None
        steps, logs = self.log10_points()
        if not len(steps):
            return None
        return line_layer(steps, logs, picture.canvas, (0.0, float(self.total_steps)), self._shown)

    def build_picture(self, theme: str) -> Picture:
        plt = self.plt
        # the axes' names in the title, not in a row of their own: at 80×24 that row is a row of curve
        if self.optimum_loss is None:
            plt.title("log10 loss by step")
        else:
            plt.title(f"log10(L−L*) by step; L* = {self.optimum_loss:.4g}")  # plotext drops a title wider than the plot
        plt.xlim(0, self.total_steps)
        self._shown = None
        if self._limits is not None:
            axis = even_axis(*self._limits, self.size.height - CHROME_ROWS)
            self._shown = (axis.low, axis.high)
            plt.ylim(*self._shown)
            if axis.ticks:
                plt.yticks(axis.ticks, axis.labels)
            plt.scatter([0], [self._shown[1]], marker=" ")  # an invisible point: plotext draws no ticks without data
            for step in self.marks:
                plt.vline(step, self.color("gray"))
        self.layer_style = Style() if self.monochrome else CURVE_STYLE
        return Picture(plt.build(), *self.size)


def log10_excess(losses, optimum_loss: float | None) -> np.ndarray:
    """log10 L, or log10(L − L*) when L* is known, with tiny excesses at EXCESS_FLOOR·L*; NaN where nothing shows."""
    values = np.asarray(losses, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        if optimum_loss is not None:
            floor = EXCESS_FLOOR * abs(optimum_loss) or np.finfo(np.float64).tiny
            values = np.where(np.isfinite(values), np.maximum(values - optimum_loss, floor), np.nan)
        return np.where(np.isfinite(values) & (values > 0), np.log10(np.where(values > 0, values, 1.0)), np.nan)


def grown_limits(limits: tuple[float, float] | None, logs: np.ndarray) -> tuple[float, float] | None:
    """`limits` widened to hold `logs` (log10 values), snapped outward to LIMIT_GRID: unchanged while the curves stay inside."""
    logs = logs[np.isfinite(logs)]
    if not len(logs):
        return limits
    low, high = float(logs.min()), float(logs.max())
    if limits is not None and limits[0] <= low and high <= limits[1]:
        return limits
    low, high = (low, high) if limits is None else (min(low, limits[0]), max(high, limits[1]))
    return (math.floor((low - 0.02) / LIMIT_GRID) * LIMIT_GRID, math.ceil((high + 0.02) / LIMIT_GRID) * LIMIT_GRID)


def log10_rows(history: History) -> tuple[np.ndarray, np.ndarray]:
    """A loss history's rows as (steps, log10 loss), without what a log axis can't show (non-finite, ≤ 0)."""
    rows = history.rows()
    steps, losses = rows[:, 0], rows[:, 1]
    shown = np.isfinite(losses) & (losses > 0)
    return steps[shown], np.log10(losses[shown])
