"""The race's plots: every racer's fitted line over the points, and every racer's loss curve, one colour each."""

from __future__ import annotations

import numpy as np
from textual_plotext import PlotextPlot

from engine.history import History
from tui.widgets.fit_plot import CURVE_SAMPLES
from tui.widgets.loss_plot import HISTORY_ROWS, log10_rows
from tui.widgets.plotting.downsample import axis_limits, canvas_dots, reduce_points

COLOURS = ("orange", "magenta", "green", "blue", "red", "yellow", "white", "cyan")
"""plotext's names; the status line's (rich's) names for the same colours are in RICH_COLOURS."""
RICH_COLOURS = ("dark_orange", "magenta", "green", "blue", "red", "yellow", "white", "cyan")


def colour_of(index: int) -> str:
    return COLOURS[index % len(COLOURS)]


def rich_colour_of(index: int) -> str:
    return RICH_COLOURS[index % len(RICH_COLOURS)]


class RaceFitPlot(PlotextPlot):
    """The points, the least-squares line, and one fitted line per racer, labelled in the legend."""

    def __init__(self, names: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.names = names
        self._fits: dict[str, list[float] | None] = {}
        self._x = self._y = np.zeros(0)
        self._optimum: list[float] | None = None
        self._limits: tuple[float, float, float, float] | None = None
        self._curve_x = np.zeros(0)

    @property
    def curve_x(self) -> np.ndarray:
        """The x at which curves are evaluated (a fixed grid over the data)."""
        return self._curve_x

    def show_data(self, x: np.ndarray, y: np.ndarray) -> None:
        # At most what the canvas can show (extremes kept): plotext costs ~2 µs a point, every frame.
        width, height = canvas_dots(max(10, self.size.width), max(5, self.size.height), "dot")
        self._x, self._y = reduce_points(np.asarray(x), np.asarray(y), width, height)
        x_lo, x_hi = axis_limits(np.asarray(x))
        y_lo, y_hi = axis_limits(np.asarray(y))
        pad = 0.05 * (y_hi - y_lo)
        self._limits = (x_lo, x_hi, y_lo - pad, y_hi + pad)
        self._curve_x = np.linspace(x_lo, x_hi, CURVE_SAMPLES)
        self.redraw()

    def show_optimum(self, y: np.ndarray | None) -> None:
        self._optimum = None if y is None else y.tolist()
        self.redraw()

    def show_fits(self, curves: dict[str, np.ndarray]) -> None:
        for name, y in curves.items():
            self._fits[name] = y.tolist() if y is not None and np.all(np.isfinite(y)) else None
        self.redraw()

    def redraw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.title("fit: the race")
        plt.xlabel("x")
        plt.ylabel("y")
        curve_x = self._curve_x.tolist()
        if len(self._x):
            plt.scatter(self._x.tolist(), self._y.tolist(), marker="dot", color="cyan")
        if self._optimum is not None:
            plt.plot(curve_x, self._optimum, color="gray", label="least squares")
        for index, name in enumerate(self.names):
            fit = self._fits.get(name)
            if fit is not None:
                plt.plot(curve_x, fit, color=colour_of(index), label=name)
        if self._limits is not None:
            x_lo, x_hi, y_lo, y_hi = self._limits
            plt.xlim(x_lo, x_hi)
            plt.ylim(y_lo, y_hi)
        self.refresh()


class RaceLossPlot(PlotextPlot):
    """log10(loss) by step for every racer, one colour each, with a legend."""

    def __init__(self, names: list[str], total_steps: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.names = names
        self.total_steps = max(1, total_steps)
        self.reset()

    def reset(self) -> None:
        """Forget every racer's curve: a new race starts."""
        self.histories = {name: History(HISTORY_ROWS) for name in self.names}

    def add(self, steps: dict[str, list[int]], losses: dict[str, list[float]]) -> None:
        for name in self.names:
            history = self.histories[name]
            for step, loss in zip(steps.get(name, []), losses.get(name, []), strict=True):
                history.append(step, loss)
        self.redraw()

    def redraw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.title("loss (log10)")
        plt.xlabel("step")
        plt.ylabel("log10 loss")
        for index, name in enumerate(self.names):
            steps, logs = (values.tolist() for values in log10_rows(self.histories[name]))
            stride = max(1, len(steps) // max(16, 2 * self.size.width))
            if stride > 1:
                steps, logs = steps[:-1:stride] + steps[-1:], logs[:-1:stride] + logs[-1:]
            if steps:
                plt.plot(steps, logs, color=colour_of(index), label=name)
        plt.xlim(0, self.total_steps)
        self.refresh()
