"""A plotext picture kept as cells, so layers can be drawn into its canvas without plotext rebuilding it.

plotext rebuilds a whole figure (axes, ticks, every point) for any change and costs ~2 µs a point or
cell. During a run only the fitted line moves: the axes, the points and the least-squares line are drawn
once into a `Picture`, and each frame the line is rasterised here, in numpy, as braille dots over it.
The mapping from values to dots is plotext's own (`tui.widgets.plotting.downsample.dot_index`), so the layers line up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip

from tui.widgets.plotting.downsample import lit_bits

_CONSOLE = Console(width=1000, color_system="truecolor", force_terminal=True, legacy_windows=False)
Cell = tuple[str, Style]
BRAILLE, BRAILLE_LAST = 0x2800, 0x28FF
"""The braille block: a cell's eight dots are the low eight bits of its code point."""


@dataclass
class Canvas:
    """Where plotext put its canvas (inside the axes' box), in cells of the picture."""

    top: int
    left: int
    rows: int
    columns: int


class Picture:
    """A built plotext figure as rows of (character, style) cells, with its canvas found from the box."""

    def __init__(self, ansi: str, width: int, height: int) -> None:
        blank = (" ", Style())
        self.cells: list[list[Cell]] = []
        for line in Text.from_ansi(ansi).split("\n", allow_blank=True)[:height]:
            row = [(char, segment.style or Style()) for segment in line.render(_CONSOLE) for char in segment.text]
            self.cells.append((row + [blank] * width)[:width])
        while len(self.cells) < height:
            self.cells.append([blank] * width)
        self.canvas = _find_canvas(self.cells)
        self.strips = [to_strip(row) for row in self.cells]
        self.legend: np.ndarray | None = None
        """Canvas cells of the legend (rows × columns, True = legend): layers leave them alone."""
        self.on_top: np.ndarray | None = None
        """Canvas cells drawn last (rows × columns, True = a few points): the moving layer adds its dots to their glyph
        and keeps their style, so a point stays a point and the line stays whole."""

    def keep_legend(self, labels: list[str]) -> None:
        """Mark the legend's cells (the rows holding these labels, from the canvas's left to the label's end)."""
        canvas = self.canvas
        if canvas is None:
            return
        mask = np.zeros((canvas.rows, canvas.columns), dtype=bool)
        for r, row in enumerate(self.cells[canvas.top : canvas.top + canvas.rows]):
            text = "".join(char for char, _ in row)
            for label in labels:
                at = text.find(f" {label} ", canvas.left)
                if at >= 0:
                    mask[r, : at + len(label) + 2 - canvas.left] = True
        self.legend = mask

    @property
    def canvas_region(self):
        """The canvas as a region of the widget."""
        canvas = self.canvas
        return Region(canvas.left, canvas.top, canvas.columns, canvas.rows)

    def style_before(self, label: str) -> Style | None:
        """The style of the legend's marker drawn before `label` (the series' own colour), if the legend is shown."""
        canvas = self.canvas
        if canvas is None:
            return None
        for row in self.cells[canvas.top : canvas.top + canvas.rows]:
            text = "".join(char for char, _ in row)
            at = text.find(f" {label} ", canvas.left)
            if at >= 2:
                return row[at - 1][1]
        return None

    def draw(self, layer: np.ndarray, style: Style, under: bool = False) -> None:
        """Put braille `layer` (canvas rows × columns of dot bits, top row first) into the canvas for good.

        `under`: only into blank cells, as if drawn before what is there (a cloud of points under the lines)."""
        canvas = self.canvas
        if canvas is None:
            return
        if self.legend is not None:
            layer = np.where(self.legend, 0, layer)
        for r, c in zip(*np.nonzero(layer), strict=True):
            row = self.cells[canvas.top + r]
            char, base = row[canvas.left + c]
            if under and char != " ":
                continue
            row[canvas.left + c] = (chr(0x2800 + int(layer[r, c])), base + style)
        self.strips = [to_strip(row) for row in self.cells]

    def line_with(self, y: int, layer: np.ndarray | None, style: Style) -> Strip:
        """Row `y` of the picture with a braille `layer` drawn over the canvas (the moving line)."""
        canvas = self.canvas
        if layer is None or canvas is None or not canvas.top <= y < canvas.top + canvas.rows:
            return self.strips[y]
        bits = layer[y - canvas.top]
        if self.legend is not None:
            bits = np.where(self.legend[y - canvas.top], 0, bits)
        columns = np.flatnonzero(bits)
        if not len(columns):
            return self.strips[y]
        row = list(self.cells[y])
        on_top = self.on_top[y - canvas.top] if self.on_top is not None else None
        for c in columns:
            char, base = row[canvas.left + c]
            if on_top is not None and on_top[c] and BRAILLE <= ord(char) <= BRAILLE_LAST:
                row[canvas.left + c] = (chr(ord(char) | int(bits[c])), base)  # the point's glyph and colour, with the line's dots
            else:
                row[canvas.left + c] = (chr(BRAILLE + int(bits[c])), base + style)
        return to_strip(row)


def to_strip(row: list[Cell]) -> Strip:
    """Cells as a strip: one segment per run of equal style."""
    segments: list[Segment] = []
    text, style = "", None
    for char, cell_style in row:
        if cell_style == style:
            text += char
            continue
        if text:
            segments.append(Segment(text, style))
        text, style = char, cell_style
    if text:
        segments.append(Segment(text, style))
    return Strip(segments, len(row))


def _find_canvas(cells: list[list[Cell]]) -> Canvas | None:
    """The cells inside plotext's box: between the ┌…┐ line and the └…┘ line."""
    rows = ["".join(char for char, _ in row) for row in cells]
    top = next((i for i, row in enumerate(rows) if "┌" in row and "┐" in row), None)
    if top is None:
        return None
    bottom = next((i for i in range(top + 1, len(rows)) if "└" in rows[i]), None)
    if bottom is None or bottom - top < 2:
        return None
    left, right = rows[top].index("┌") + 1, rows[top].rindex("┐")
    if right <= left:
        return None
    return Canvas(top + 1, left, bottom - top - 1, right - left)


def line_layer(
    x: np.ndarray, y: np.ndarray, canvas: Canvas, x_limits: tuple[float, float], y_limits: tuple[float, float]
) -> np.ndarray:
    """The polyline through (x, y) (x increasing) as braille bits on the canvas (rows × columns, top row first).

    Each dot column is lit from the line's height there to its height at the next column, so steep lines
    stay connected; heights are clipped to the canvas first, so a line that flies off (a diverging run)
    costs the same as one that doesn't. O(canvas), whatever the values.
    """
    across, down = 2 * canvas.columns, 4 * canvas.rows
    (x_low, x_high), (y_low, y_high) = x_limits, y_limits
    column_x = x_low + np.arange(across) * (x_high - x_low) / max(1, across - 1)
    heights = (down - 1) * (np.interp(column_x, x, y) - y_low) / (y_high - y_low)
    heights = np.floor(np.clip(heights, -2, down + 1) + 0.5).astype(np.int64)
    # A steep step is drawn half in each column: from the column's height to the midpoints with its neighbours.
    before = (np.insert(heights[:-1], 0, heights[0]) + heights) // 2
    after = (heights + np.append(heights[1:], heights[-1])) // 2
    low = np.minimum(heights, np.minimum(before, after))
    high = np.maximum(heights, np.maximum(before, after))
    dot_rows = np.arange(down)[:, None]
    lit = (dot_rows >= low[None, :]) & (dot_rows <= high[None, :])
    lit &= (column_x >= min(x[0], x[-1]))[None, :] & (column_x <= max(x[0], x[-1]))[None, :]
    return lit_bits(lit)[::-1]


def points_layer(bits: np.ndarray) -> np.ndarray:
    """`tui.widgets.plotting.downsample.braille_bits` (bottom row first) as a layer (top row first)."""
    return bits[::-1]
