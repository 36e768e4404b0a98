"""The points, the fitted curve as it moves, and the least-squares line dimmed behind it."""

from __future__ import annotations

import numpy as np
from rich.style import Style

from tui.widgets.plotting.canvas import Canvas, Picture, line_layer, points_layer
from tui.widgets.plotting.downsample import braille_bits
from tui.widgets.plotting.layered_plot import LayeredPlot
from tui.widgets.plotting.ticks import CHROME_ROWS, even_axis

CURVE_SAMPLES = 48
POINT_COLOR, FIT_COLOR, OPTIMUM_COLOR = "cyan", "orange", "gray"
LEGEND_MARKER = "⠶"
"""The legend's marker for the points (plotext's braille marker can't be a legend's): the glyph each point is drawn with."""
FIT_LEGEND_MARKER = "⠤"
"""The legend's marker for the fitted line: a dash of dots, unlike the points' ⠶, so without colour (NO_COLOR) the
legend still tells them apart (the least-squares line's is plotext's ▞)."""
SPARSE_CELLS_PER_POINT = 1
"""Data this sparse (at most one point per canvas cell on average) is drawn a cell per point, not a dot per point."""
POINT_GLYPH_BITS = 0x36
"""⠶: braille dots 2, 3, 5 and 6, the legend's marker for the points."""
ON_TOP_COLUMNS = 2
"""Points are drawn over the lines when there is at most one per this many canvas columns: the lines keep most of
their cells. Denser points go under them (the tutorial's 100 points on an 80-column screen)."""
FALLBACK_STYLES = {POINT_COLOR: Style(color="cyan"), FIT_COLOR: Style(color="dark_orange")}
LEGEND = ["points", "least squares", "fit"]


class FitPlot(LayeredPlot):
    """Scatter of the data with the current fit; the axes stay on the data so a wild line can't hide the points.

    The picture holds the axes, the points and the least-squares line; the fitted line is the layer that
    moves. Any number of points costs the same per frame: they are binned to the canvas's braille dots
    once per data and canvas size, then drawn from the picture.
    """

    can_focus = True

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._x: np.ndarray = np.zeros(0)  # the dataset's own arrays: kept to re-bin on resize, never copied
        self._y: np.ndarray = np.zeros(0)
        self._curve_x: np.ndarray = np.zeros(0)
        self._fit: np.ndarray | None = None
        self._optimum: np.ndarray | None = None
        self._limits: tuple[float, float, float, float] | None = None
        self._points: tuple[tuple, np.ndarray] | None = None  # (what they were binned for, the layer)
        self._shown: tuple[float, float, float, float] | None = None  # the limits as drawn: y widened to even ticks
        self.x_label, self.y_label = "x", "y"
        self.residuals: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        """(x, y, predictions) drawn as segments with the line: the code pane's forward phase (show_residuals)."""

    @property
    def curve_x(self) -> np.ndarray:
        """Where the fitted and least-squares curves are evaluated (data units)."""
        return self._curve_x

    @property
    def limits(self) -> tuple[float, float, float, float] | None:
        """(x_lo, x_hi, y_lo, y_hi) as drawn: fixed from the data (y widened to even ticks), so the picture never moves."""
        return self._shown or self._limits

    @property
    def points_layer(self) -> np.ndarray | None:
        """The points as drawn: braille dot bits per canvas cell (rows × columns, top row first)."""
        return self._points[1][0] if self._points is not None else None

    def set_labels(self, x_label: str, y_label: str) -> None:
        """The axes' names (a CSV's column names)."""
        if (x_label, y_label) != (self.x_label, self.y_label):
            self.x_label, self.y_label = x_label, y_label
            self.refresh()

    def shows(self, dataset) -> bool:
        """Whether these are the points drawn (the same arrays, not a copy)."""
        return self._x is dataset.x and self._y is dataset.y

    def show_data(self, x: np.ndarray, y: np.ndarray) -> None:
        """New points: forget the old fit and optimum."""
        self._x, self._y = x, y
        x_lo, x_hi = float(np.min(x)), float(np.max(x))
        y_lo, y_hi = float(np.min(y)), float(np.max(y))
        pad = 0.05 * (y_hi - y_lo) or 1.0
        self._limits = (x_lo, x_hi if x_hi > x_lo else x_lo + 1, y_lo - pad, y_hi + pad)
        self._curve_x = np.linspace(x_lo, x_hi, CURVE_SAMPLES)
        self._fit = self._optimum = None
        self.refresh()

    def show_optimum(self, y: np.ndarray | None) -> None:
        if y is None and self._optimum is None:
            return
        self._optimum = y
        self.refresh()

    def show_fit(self, y: np.ndarray | None) -> None:
        """Draw the fitted curve: only the cells whose dots changed are repainted, none when none did
        (late in a run the line barely moves, and every repaint is bytes on the wire)."""
        y = y if y is not None and bool(np.all(np.isfinite(y))) else None
        legend_changes = (y is None) != (self._fit is None)
        self._fit = y
        if legend_changes:
            self.refresh()
        else:
            self.update_layer()

    def picture_key(self) -> tuple:
        return (self._limits, id(self._x), id(self._optimum), self._fit is None, self.x_label, self.y_label)

    def make_layer(self, picture: Picture) -> np.ndarray | None:
        if self._fit is None or picture.canvas is None or self._shown is None:
            return None
        x_lo, x_hi, y_lo, y_hi = self._shown
        layer = line_layer(self._curve_x, self._fit, picture.canvas, (x_lo, x_hi), (y_lo, y_hi))
        if self.residuals is not None:
            from tui.widgets.plotting.residuals import residuals_layer

            layer = layer | residuals_layer(*self.residuals, picture.canvas, (x_lo, x_hi), (y_lo, y_hi))
        return layer

    def show_residuals(self, residuals: tuple[np.ndarray, np.ndarray, np.ndarray] | None) -> None:
        """Draw (x, y, predictions) as segments from each point to the line, or stop (None)."""
        self.residuals = residuals
        self.update_layer()

    def build_picture(self, theme: str) -> Picture:
        """plotext draws the axes, the legend and the least-squares line; the points are drawn in under them."""
        plt = self.plt
        plt.title(f"fit: {self.y_label} against {self.x_label}")  # the axes' names here, not in a row of their own
        self._shown = None
        if self._limits is not None:
            x_lo, x_hi, y_lo, y_hi = self._limits
            axis = even_axis(y_lo, y_hi, self.size.height - CHROME_ROWS)
            y_lo, y_hi = axis.low, axis.high
            self._shown = (x_lo, x_hi, y_lo, y_hi)
            if axis.ticks:
                plt.yticks(axis.ticks, axis.labels)
            # Legend entries only: one point in the top-left cell, which the legend itself covers
            # (plotext can't label a series without a point on the canvas).
            corner = [x_lo], [y_hi]
            if len(self._x):
                plt.scatter(*corner, marker=LEGEND_MARKER, color=self.color(POINT_COLOR), label="points")
            if self._optimum is not None:
                plt.plot(self._curve_x.tolist(), self._optimum.tolist(), color=self.color(OPTIMUM_COLOR), label="least squares")
            if self._fit is not None:
                plt.plot(*corner, marker=FIT_LEGEND_MARKER, color=self.color(FIT_COLOR), label="fit")
            plt.xlim(x_lo, x_hi)
            plt.ylim(y_lo, y_hi)
        picture = Picture(plt.build(), *self.size)
        picture.keep_legend(LEGEND)
        self.layer_style = picture.style_before("fit") or self._fallback(FIT_COLOR)
        if self._shown is not None and len(self._x) and picture.canvas is not None:
            points, sparse = self._points_for(picture.canvas)
            # A few points (at most one per ON_TOP_COLUMNS columns), a glyph each, are drawn last: over the least-squares
            # line, and the moving fit adds its dots to their glyphs (a CSV of 10 rows lies on its own line: drawn
            # first, 8 of its 10 points vanished under it). More points go under the lines, or they would hide them.
            on_top = sparse and len(self._x) * ON_TOP_COLUMNS <= picture.canvas.columns
            picture.draw(points, picture.style_before("points") or self._fallback(POINT_COLOR), under=not on_top)
            if on_top:
                picture.on_top = points > 0
        return picture

    def _fallback(self, color: str) -> Style:
        """A layer's style when the legend (whose marker carries it) has no room to be drawn."""
        return Style() if self.monochrome else FALLBACK_STYLES[color]

    def _points_for(self, canvas: Canvas) -> tuple[np.ndarray, bool]:
        """The points binned to this canvas's dots, and whether they are sparse (a glyph each): O(N), so done once
        per data and canvas size, not per repaint."""
        key = (canvas.rows, canvas.columns, self._shown, id(self._x))
        if self._points is None or self._points[0] != key:
            bits = braille_bits(self._x, self._y, canvas.columns, canvas.rows, self._shown[:2], self._shown[2:])
            sparse = len(self._x) <= canvas.columns * canvas.rows // SPARSE_CELLS_PER_POINT
            if sparse:
                # Few points: one lit dot each reads as noise beside the braille line, so each occupied
                # cell shows the legend's ⠶ instead (a point is then as visible as plotext's "•").
                bits = np.where(bits > 0, POINT_GLYPH_BITS, 0)
            self._points = key, (points_layer(bits), sparse)
        return self._points[1]
