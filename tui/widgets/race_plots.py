"""The race's plots: every racer's fitted line over the points, and every racer's loss curve.

Each racer has a colour and a marker (tui.widgets.race_marks); the legend is the status under the plots,
so no label covers a curve. Lines are drawn first, then every racer's markers, staggered along its line:
two racers on the same line still both show, one marker each in turn.
"""

from __future__ import annotations

import numpy as np
from textual_plotext import PlotextPlot

from engine.descent.history import History
from tui.widgets.fit_plot import CURVE_SAMPLES
from tui.widgets.loss_plot import HISTORY_ROWS, grown_limits, log10_excess
from tui.widgets.plotting.downsample import axis_limits, canvas_dots, reduce_points
from tui.widgets.plotting.glyphs import glyphs_of, translate_text
from tui.widgets.plotting.layered_plot import LITE_THEME
from tui.widgets.plotting.ticks import even_axis
from tui.widgets.race_marks import colour_of, marker_of, rich_colour_of, staggered

__all__ = ["RaceFitPlot", "RaceLossPlot", "colour_of", "marker_of", "rich_colour_of"]

AXES_COLUMNS = 8
"""About how many columns plotext gives the y axis and the borders: the rest is the canvas."""


class _RacePlot(PlotextPlot):
    """A race plot: colourless under `--lite` (the markers still tell the racers apart)."""

    def on_mount(self) -> None:
        if getattr(self.app, "lite", False):
            self.theme = LITE_THEME
        super().on_mount()

    def colour(self, index: int) -> str:
        return "default" if self.theme == LITE_THEME else colour_of(index)

    def render(self):
        return translate_text(super().render(), glyphs_of(self))  # --glyphs

    def canvas_columns(self) -> int:
        return max(4, self.size.width - AXES_COLUMNS)

    def draw_markers(self, index: int, count: int, x: np.ndarray, y: np.ndarray, x_range: tuple[float, float]) -> None:
        """The racer's marker at its staggered places along (x, y) within x_range (x increasing)."""
        if len(x) == 0:
            return
        where = staggered(x_range[0], x_range[1], self.canvas_columns(), index, count)
        where = where[(where >= x[0]) & (where <= x[-1])]
        if len(where) == 0:  # a line shorter than one stagger: its end alone
            where = x[-1:]
        marks = np.interp(where, x, y)
        keep = np.isfinite(marks)
        if keep.any():
            self.plt.scatter(where[keep].tolist(), marks[keep].tolist(), marker=marker_of(index), color=self.colour(index))


RACE_FIT_CHROME_ROWS = 3
"""The race's fit around its canvas: the box's top and bottom, and the x ticks (no title, no labels)."""


class RaceFitPlot(_RacePlot):
    """The points, the least-squares line, and one fitted line per racer, each with its markers."""

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

    def on_resize(self) -> None:
        self.redraw()  # the markers' stagger follows the width

    def redraw(self) -> None:
        plt = self.plt
        plt.clear_data()
        # No title and no axis labels: at 80×24 every row goes to the canvas (the screen's status says what is drawn).
        curve_x = self._curve_x.tolist()
        if len(self._x):
            plt.scatter(self._x.tolist(), self._y.tolist(), marker="dot", color="default" if self.theme == LITE_THEME else "cyan")
        if self._optimum is not None:
            plt.plot(curve_x, self._optimum, color="gray", marker="braille")
        drawn = [(index, self._fits.get(name)) for index, name in enumerate(self.names)]
        drawn = [(index, fit) for index, fit in drawn if fit is not None]
        for index, fit in drawn:
            plt.plot(curve_x, fit, color=self.colour(index), marker="braille")
        if self._limits is not None:
            x_lo, x_hi, y_lo, y_hi = self._limits
            for index, fit in drawn:
                self.draw_markers(index, len(self.names), self._curve_x, np.asarray(fit), (x_lo, x_hi))
            plt.xlim(x_lo, x_hi)
            axis = even_axis(y_lo, y_hi, self.size.height - RACE_FIT_CHROME_ROWS)  # round ticks, as the single run's fit
            plt.ylim(axis.low, axis.high)
            if axis.ticks:
                plt.yticks(axis.ticks, axis.labels)
        self.refresh()


RACE_CHROME_ROWS = 4
"""The race's loss plot around its canvas: title, the box's top and bottom, the x ticks (no axis labels)."""


class RaceLossPlot(_RacePlot):
    """log10(L − L*) by step for every racer (log10 L where L* is unknown), one colour and marker each, on round ticks.

    Near the optimum every racer's loss reads 92.39: their excesses over L* differ by decades, which is the race.
    """

    def __init__(self, names: list[str], total_steps: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.names = names
        self.total_steps = max(1, total_steps)
        self.optimum_loss: float | None = None
        self.reset()

    def reset(self) -> None:
        """Forget every racer's curve: a new race starts."""
        self.histories = {name: History(HISTORY_ROWS) for name in self.names}
        self._limits: tuple[float, float] | None = None

    def set_optimum(self, loss: float | None) -> None:
        """L* is known (or not): the curves become log10(L − L*)."""
        self.optimum_loss = loss if loss is not None and np.isfinite(loss) else None
        self._limits = None
        self.redraw()

    @property
    def title(self) -> str:
        return "loss (log10) by step" if self.optimum_loss is None else f"L − L* (log10) by step; L* = {self.optimum_loss:.4g}"

    def add(self, steps: dict[str, list[int]], losses: dict[str, list[float]]) -> None:
        for name in self.names:
            self.histories[name].extend(steps.get(name, []), losses.get(name, []))
        self.redraw()

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.title(self.title)
        curves = []
        for index, name in enumerate(self.names):
            rows = self.histories[name].rows()
            logs = log10_excess(rows[:, 1], self.optimum_loss)
            shown = np.isfinite(logs)
            steps, logs = rows[shown, 0], logs[shown]
            self._limits = grown_limits(self._limits, logs)
            stride = max(1, len(steps) // max(16, 2 * self.size.width))
            if stride > 1:
                steps, logs = np.concatenate([steps[:-1:stride], steps[-1:]]), np.concatenate([logs[:-1:stride], logs[-1:]])
            if len(steps):
                plt.plot(steps.tolist(), logs.tolist(), color=self.colour(index), marker="braille")
                curves.append((index, np.asarray(steps, dtype=np.float64), np.asarray(logs, dtype=np.float64)))
        for index, steps, logs in curves:  # over every line, so no line covers another racer's markers
            self.draw_markers(index, len(self.names), steps, logs, (0.0, float(self.total_steps)))
        plt.xlim(0, self.total_steps)
        if self._limits is not None:
            axis = even_axis(*self._limits, self.size.height - RACE_CHROME_ROWS)  # round ticks, one every few rows
            plt.ylim(axis.low, axis.high)
            if axis.ticks:
                plt.yticks(axis.ticks, axis.labels)
        self.refresh()
