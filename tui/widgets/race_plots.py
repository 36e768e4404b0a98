"""The race's plots: every racer's fitted line over the points, and every racer's loss curve, one colour each."""

from __future__ import annotations

import numpy as np
from textual_plotext import PlotextPlot

from tui.loss_history import LossHistory
from tui.widgets.fit_plot import FitPlot

COLOURS = ("orange", "magenta", "green", "blue", "red", "yellow", "white", "cyan")
"""plotext's names; the status line's (rich's) names for the same colours are in RICH_COLOURS."""
RICH_COLOURS = ("dark_orange", "magenta", "green", "blue", "red", "yellow", "white", "cyan")


def colour_of(index: int) -> str:
    return COLOURS[index % len(COLOURS)]


def rich_colour_of(index: int) -> str:
    return RICH_COLOURS[index % len(RICH_COLOURS)]


class RaceFitPlot(FitPlot):
    """The points, the least-squares line, and one fitted line per racer, labelled in the legend."""

    def __init__(self, names: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.names = names
        self._fits: dict[str, list[float] | None] = {}

    def show_fits(self, curves: dict[str, np.ndarray]) -> None:
        for name, y in curves.items():
            self._fits[name] = y.tolist() if y is not None and np.all(np.isfinite(y)) else None
        self.redraw()

    def redraw(self) -> None:
        if not hasattr(self, "names"):
            return  # FitPlot's constructor draws before the names are set
        plt = self.plt
        plt.clear_data()
        plt.title("fit: the race")
        plt.xlabel("x")
        plt.ylabel("y")
        curve_x = self._curve_x.tolist()
        if self._x:
            plt.scatter(self._x, self._y, marker="dot", color="cyan")
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
        self.histories = {name: LossHistory() for name in names}

    def add(self, steps: dict[str, list[int]], losses: dict[str, list[float]]) -> None:
        for name in self.names:
            self.histories[name].add(steps.get(name, []), losses.get(name, []))
        self.redraw()

    def redraw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.title("loss (log10)")
        plt.xlabel("step")
        plt.ylabel("log10 loss")
        for index, name in enumerate(self.names):
            steps, logs = self.histories[name].log10_points()
            stride = max(1, len(steps) // max(16, 2 * self.size.width))
            if stride > 1:
                steps, logs = steps[:-1:stride] + steps[-1:], logs[:-1:stride] + logs[-1:]
            if steps:
                plt.plot(steps, logs, color=colour_of(index), label=name)
        plt.xlim(0, self.total_steps)
        self.refresh()
