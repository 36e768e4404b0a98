"""The points, the fitted curve as it moves, and the least-squares line dimmed behind it."""

from __future__ import annotations

import numpy as np
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual_plotext import PlotextPlot

from tui.downsample import braille_bits
from tui.widgets.plot_canvas import Picture, line_layer, points_layer

CURVE_SAMPLES = 48
POINT_COLOR, FIT_COLOR, OPTIMUM_COLOR = "cyan", "orange", "gray"
LEGEND_MARKER = "⠶"
"""The legend's marker for the layers drawn here (plotext's braille marker can't be a legend's)."""
FALLBACK_STYLES = {POINT_COLOR: Style(color="cyan"), FIT_COLOR: Style(color="dark_orange")}


class FitPlot(PlotextPlot):
    """Scatter of the data with the current fit; the axes stay on the data so a wild line can't hide the points.

    The axes, the points and the least-squares line are built once (plotext, then kept as cells: a
    `Picture`); each frame only the fitted line is rasterised over them, and only the cells it changed
    are repainted. Any number of points costs the same: they are binned to the canvas's braille dots.
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
        self._picture: Picture | None = None
        self._picture_key: tuple | None = None
        self._fit_layer: np.ndarray | None = None
        self._fit_style = FALLBACK_STYLES[FIT_COLOR]
        self._points: tuple[tuple, np.ndarray] | None = None  # (what they were binned for, the layer)

    @property
    def curve_x(self) -> np.ndarray:
        """Where the fitted and least-squares curves are evaluated (data units)."""
        return self._curve_x

    @property
    def limits(self) -> tuple[float, float, float, float] | None:
        """(x_lo, x_hi, y_lo, y_hi): fixed from the data, so the picture behind the line never moves."""
        return self._limits

    def show_data(self, x: np.ndarray, y: np.ndarray) -> None:
        """New points: forget the old fit and optimum."""
        self._x, self._y = x, y
        x_lo, x_hi = float(np.min(x)), float(np.max(x))
        y_lo, y_hi = float(np.min(y)), float(np.max(y))
        pad = 0.05 * (y_hi - y_lo) or 1.0
        self._limits = (x_lo, x_hi if x_hi > x_lo else x_lo + 1, y_lo - pad, y_hi + pad)
        self._curve_x = np.linspace(x_lo, x_hi, CURVE_SAMPLES)
        self._fit = self._optimum = self._fit_layer = None
        self.refresh()

    def show_optimum(self, y: np.ndarray | None) -> None:
        if y is None and self._optimum is None:
            return
        self._optimum = y
        self.refresh()

    def show_fit(self, y: np.ndarray | None) -> None:
        """Draw the fitted curve: repaint only the cells whose dots changed, nothing when none did
        (late in a run the line barely moves, and every repaint is bytes on the wire)."""
        y = y if y is not None and bool(np.all(np.isfinite(y))) else None
        if (y is None) != (self._fit is None):  # the legend gains or loses "fit": a new picture
            self._fit, self._fit_layer = y, None
            self.refresh()
            return
        self._fit = y
        picture = self._picture
        if y is None or picture is None or picture.canvas is None or self._picture_key != self._key():
            self.refresh()
            return
        layer = self._layer_of(y, picture)
        old = self._fit_layer
        self._fit_layer = layer
        if old is None or old.shape != layer.shape:
            self.refresh()
            return
        canvas = picture.canvas
        changed = old != layer
        regions = []
        for r in np.flatnonzero(changed.any(axis=1)):
            columns = np.flatnonzero(changed[r])
            regions.append(Region(canvas.left + int(columns[0]), canvas.top + int(r), int(columns[-1] - columns[0]) + 1, 1))
        if regions:
            self.refresh(*regions)

    @property
    def points_layer(self) -> np.ndarray | None:
        """The points as drawn: braille dot bits per canvas cell (rows × columns, top row first)."""
        return self._points[1] if self._points is not None else None

    # ── drawing ──────────────────────────────────────────────────────────────
    def render_line(self, y: int) -> Strip:
        picture = self._current_picture()
        if y >= len(picture.strips):
            return Strip.blank(self.size.width)
        return picture.line_with(y, self._fit_layer, self._fit_style)

    def _key(self) -> tuple:
        theme = self._get_plotext_theme_name(self.app.theme)
        return (self.size, theme, self._limits, id(self._x), self._optimum is None, self._fit is None)

    def _current_picture(self) -> Picture:
        key = self._key()
        if self._picture is None or key != self._picture_key or self._picture_stale:
            self._picture, self._picture_key, self._picture_stale = self._build(key[1]), key, False
            self._fit_layer = None if self._fit is None else self._layer_of(self._fit, self._picture)
        return self._picture

    _picture_stale = False

    def refresh(self, *regions, **kwargs):
        if not regions:
            self._picture_stale = True  # a whole repaint (new data, optimum, theme, size) rebuilds the picture
        return super().refresh(*regions, **kwargs)

    def _layer_of(self, y: np.ndarray, picture: Picture) -> np.ndarray | None:
        if picture.canvas is None or self._limits is None:
            return None
        x_lo, x_hi, y_lo, y_hi = self._limits
        return line_layer(self._curve_x, y, picture.canvas, (x_lo, x_hi), (y_lo, y_hi))

    def _build(self, theme: str) -> Picture:
        """plotext draws the axes, the legend and the least-squares line; the points are drawn in under them."""
        width, height = self.size
        plt = self.plt
        plt.clear_data()
        plt.plotsize(width, height)
        plt._set_size(width, height)  # as PlotextPlot.render does (textual-plotext issue 5)
        plt.theme(theme)
        plt.title("fit")
        plt.xlabel("x")
        plt.ylabel("y")
        if self._limits is not None:
            x_lo, x_hi, y_lo, y_hi = self._limits
            # Legend entries only: one point in the top-left cell, which the legend itself covers
            # (plotext can't label a series without a point on the canvas).
            corner = [x_lo], [y_hi]
            if len(self._x):
                plt.scatter(*corner, marker=LEGEND_MARKER, color=POINT_COLOR, label="points")
            if self._optimum is not None:
                plt.plot(self._curve_x.tolist(), self._optimum.tolist(), color=OPTIMUM_COLOR, label="least squares")
            if self._fit is not None:
                plt.plot(*corner, marker=LEGEND_MARKER, color=FIT_COLOR, label="fit")
            plt.xlim(x_lo, x_hi)
            plt.ylim(y_lo, y_hi)
        picture = Picture(plt.build(), width, height)
        picture.keep_legend(["points", "least squares", "fit"])
        self._fit_style = picture.style_before("fit") or FALLBACK_STYLES[FIT_COLOR]
        if self._limits is not None and len(self._x) and picture.canvas is not None:
            picture.draw(self._points_for(picture.canvas), picture.style_before("points") or FALLBACK_STYLES[POINT_COLOR], under=True)
        return picture

    def _points_for(self, canvas) -> np.ndarray:
        """The points binned to this canvas's dots: O(N), so done once per data and canvas size, not per repaint."""
        key = (canvas.rows, canvas.columns, self._limits, id(self._x))
        if self._points is None or self._points[0] != key:
            bits = braille_bits(self._x, self._y, canvas.columns, canvas.rows, self._limits[:2], self._limits[2:])
            self._points = key, points_layer(bits)
        return self._points[1]
