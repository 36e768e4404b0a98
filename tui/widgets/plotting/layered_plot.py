"""A plotext plot drawn in two layers: a picture built only when it must be, and one moving braille layer over it."""

from __future__ import annotations

import numpy as np
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual_plotext import Plot, PlotextPlot

from tui.widgets.plotting.canvas import Picture
from tui.widgets.plotting.glyphs import glyphs_of, translate_strip

LITE_THEME = "clear"
"""plotext's theme without colours: `--lite` draws the plots in the terminal's own colours."""


def _plot_sizer():
    """How to size a figure to the widget: plotsize, then plotext's private `_set_size` if a probe finds it works.

    plotsize clamps the figure to the terminal size plotext detected, which is not the widget's; `_set_size`
    after it undoes the clamp (as PlotextPlot.render does, textual-plotext issue 5). Private, so it is tried
    once here on a figure larger than any terminal plotext assumes; if it raises or the size does not
    stick, plotsize alone is used (a plot may then stop at plotext's idea of the terminal).
    """

    def public(plt, width: int, height: int) -> None:
        plt.plotsize(width, height)

    def with_private(plt, width: int, height: int) -> None:
        plt.plotsize(width, height)
        plt._set_size(width, height)

    try:
        probe = Plot()
        with_private(probe, 1000, 500)
        if (probe._width, probe._height) == (1000, 500):
            return with_private
    except Exception:  # noqa: BLE001 - any failure of a private API means: use the public one
        pass
    return public


set_plot_size = _plot_sizer()
"""set_plot_size(plt, width, height): the figure at the widget's size."""


class LayeredPlot(PlotextPlot):
    """Subclasses say what the picture depends on (`picture_key`), build it (`build_picture`) and make the
    moving layer (`make_layer`); `update_layer` then repaints only the cells the layer changed.

    A whole repaint (`refresh()` with no regions: new data, size, theme, focus) rebuilds the picture: a
    plotext build, a few ms. A frame where only the layer moved costs a numpy rasterisation and writes
    to the terminal only the cells that changed, or nothing.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._picture: Picture | None = None
        self._picture_key: tuple | None = None
        self._picture_stale = True
        self._layer: np.ndarray | None = None
        self.layer_style = Style()

    def on_mount(self) -> None:
        if getattr(self.app, "lite", False):
            self.theme = LITE_THEME
        super().on_mount()

    def picture_key(self) -> tuple:
        """What the picture depends on besides the size and theme: when it changes, the picture is rebuilt."""
        return ()

    def build_picture(self, theme: str) -> Picture:
        raise NotImplementedError

    def make_layer(self, picture: Picture) -> np.ndarray | None:
        """The moving layer as braille bits over `picture`'s canvas (rows × columns, top row first)."""
        return None

    @property
    def monochrome(self) -> bool:
        return self.theme == LITE_THEME

    def color(self, name: str) -> str:
        """A series' plotext colour: none at all in the monochrome theme."""
        return "default" if self.monochrome else name

    @property
    def picture(self) -> Picture | None:
        return self._picture

    def _key(self) -> tuple:
        return (self.size, self._get_plotext_theme_name(self.app.theme), *self.picture_key())

    def update_layer(self) -> None:
        """The layer's data changed: repaint the cells it changed (all, if the picture must be rebuilt)."""
        picture = self._picture
        if picture is None or picture.canvas is None or self._picture_stale or self._picture_key != self._key():
            self.refresh()
            return
        layer = self.make_layer(picture)
        old, self._layer = self._layer, layer
        if old is None or layer is None or old.shape != layer.shape:
            if old is not None or layer is not None:
                self.refresh(picture.canvas_region)
            return
        changed = old != layer
        canvas = picture.canvas
        regions = []
        for r in np.flatnonzero(changed.any(axis=1)):
            columns = np.flatnonzero(changed[r])
            regions.append(Region(canvas.left + int(columns[0]), canvas.top + int(r), int(columns[-1] - columns[0]) + 1, 1))
        if regions:
            self.refresh(*regions)

    def refresh(self, *regions, **kwargs):
        if not regions:
            self._picture_stale = True
        return super().refresh(*regions, **kwargs)

    def render_line(self, y: int) -> Strip:
        picture = self._current_picture()
        if y >= len(picture.strips):
            return Strip.blank(self.size.width)
        return translate_strip(picture.line_with(y, self._layer, self.layer_style), glyphs_of(self))

    def _current_picture(self) -> Picture:
        key = self._key()
        if self._picture is None or self._picture_stale or key != self._picture_key:
            width, height = self.size
            plt = self.plt
            plt.clear_data()
            set_plot_size(plt, width, height)
            plt.theme(key[1])
            self._picture, self._picture_key, self._picture_stale = self.build_picture(key[1]), key, False
            self._layer = self.make_layer(self._picture)
        return self._picture
