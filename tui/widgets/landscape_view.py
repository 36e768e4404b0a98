"""The loss landscape of a two-parameter model: log10 loss as coloured cells, with the path, now and the optimum."""

from __future__ import annotations

import numpy as np
from rich.color import Color
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tui.widgets.plotting.glyphs import glyphs_of, translate_strip, translate_text

RAMP = [(13, 8, 135), (84, 2, 163), (139, 10, 165), (185, 50, 137), (219, 92, 104), (244, 136, 73), (254, 188, 43), (240, 249, 33)]
"""Low loss dark, high loss bright (plasma): the valley's floor is the darkest stripe."""
LEVELS = 24
PATH, NOW, OPTIMUM = "•", "◆", "✕"


def _ramp_styles(levels: int = LEVELS) -> list[Style]:
    stops = np.array(RAMP, dtype=np.float64)
    where = np.linspace(0, len(stops) - 1, levels)
    styles = []
    for w in where:
        low = int(np.floor(w))
        high = min(low + 1, len(stops) - 1)
        rgb = stops[low] + (stops[high] - stops[low]) * (w - low)
        styles.append(Style(bgcolor=Color.from_rgb(*rgb.round())))
    return styles


STYLES = _ramp_styles()
MARK_STYLES = {PATH: Style(color="white"), NOW: Style(color="bright_white", bold=True), OPTIMUM: Style(color="bright_green", bold=True)}
NO_STYLE = Style()
_CONSOLE = Console(width=400, color_system="truecolor")


class LandscapeView(Widget):
    """Shown instead of the fit plot while `l` is on. Its grid follows its size; the window follows the path.

    "Drop a marble": the arrow keys move the start θ₀ one cell, a click puts it on the cell clicked; either
    posts `StartMoved`, and the screen starts the run again from there.
    """

    DEFAULT_CSS = """
    LandscapeView { height: 2fr; }
    """
    can_focus = True
    BINDINGS = [
        Binding("left", "move_start(-1, 0)", "θ₀ ←", show=False, tooltip="move the start θ₀ one cell left (smaller k)"),
        Binding("right", "move_start(1, 0)", "θ₀ →", show=False, tooltip="move the start θ₀ one cell right (larger k)"),
        Binding("up", "move_start(0, 1)", "θ₀ ↑", show=False, tooltip="move the start θ₀ one cell up (larger b)"),
        Binding("down", "move_start(0, -1)", "θ₀ ↓", show=False, tooltip="move the start θ₀ one cell down (smaller b)"),
    ]

    class StartMoved(Message):
        """The person moved the start θ₀ (as fitted: the plane drawn): the run starts again from it."""

        def __init__(self, vector: np.ndarray) -> None:
            super().__init__()
            self.vector = vector

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.problem = None
        self.optimum = None
        self.landscape = None
        self.path = np.zeros((0, 2))
        self.now: np.ndarray | None = None
        self._grid_size: tuple[int, int] | None = None
        self._drawn = 0
        self._strips: list[Strip] | None = None
        self._strips_for = None
        self.to_drawn = np.eye(2)
        """θ as fitted → (k, b) as drawn: the data's own units, what the status line shows (engine.maths.landscape)."""

    def reset(self, problem, optimum) -> None:
        """A new problem: forget the window and the path."""
        self.problem, self.optimum, self.landscape, self.now = problem, optimum, None, None
        self.path = np.zeros((0, 2))
        self.to_drawn = np.eye(2)
        if problem is not None and len(getattr(problem.model, "names", ())) == 2:
            from engine.maths.landscape import data_unit_matrix

            self.to_drawn = data_unit_matrix(problem)
        self._grid_size = None
        self._drawn += 1

    def show(self, path: np.ndarray, now: np.ndarray) -> None:
        """Draw the path so far and the current point (θ as fitted); a new window when they leave the old one."""
        self.path, self.now = self.drawn(path), self.drawn(now)[0]
        self._drawn += 1
        if self.display:
            self.refresh()

    def drawn(self, points) -> np.ndarray:
        """(k, b) as drawn, in the data's units, of points as fitted: one row per point."""
        points = np.atleast_2d(np.asarray(points, dtype=np.float64))
        return points[:, :2] @ self.to_drawn.T if len(points) else np.zeros((0, 2))

    def fitted(self, point) -> np.ndarray:
        """θ as fitted of a point as drawn: where the marble dropped on the drawing starts the run."""
        return np.linalg.solve(self.to_drawn, np.asarray(point, dtype=np.float64)[:2])

    def optimum_drawn(self) -> np.ndarray | None:
        return None if self.optimum is None else self.drawn(self.optimum.vector)[0]

    def grid_size(self) -> tuple[int, int]:
        """(columns, rows) of cells: the widget less a title line and a line of ranges."""
        width, height = self.size
        return max(2, width), max(2, height - 2)

    def _window(self):
        from engine.maths.landscape import landscape_window, loss_grid

        points = self.path if self.now is None else np.vstack([self.path, self.now[None, :2]]) if len(self.path) else self.now[None, :2]
        size = self.grid_size()
        if self.landscape is not None and self._grid_size == size and self.landscape.contains(points[np.all(np.isfinite(points), axis=1)]):
            return self.landscape
        start = points[0]
        k_range, b_range = landscape_window(start, self.optimum_drawn(), points)
        to_fitted = None if np.array_equal(self.to_drawn, np.eye(2)) else np.linalg.inv(self.to_drawn)
        self.landscape = loss_grid(self.problem, k_range, b_range, size=size, optimum=self.optimum, to_fitted=to_fitted)
        self._grid_size = size
        return self.landscape

    def render_line(self, y: int) -> Strip:
        # The Line API: one Strip of run-length Segments per row. A Text of one span per cell costs ~8 ms a frame
        # to lay out, and that time, taken from the run through the GIL, halved its steps per second.
        if self._strips is None or self._strips_for != (self.size, self._drawn):
            self._build()
        return self._strips[y] if y < len(self._strips) else Strip.blank(self.size.width, NO_STYLE)

    def _build(self) -> None:
        width = self.size.width
        lines = self.lines()
        strips = []
        for line in lines:
            if isinstance(line, Text):
                line.truncate(width, overflow="ellipsis")
                strips.append(Strip(line.render(_CONSOLE)).adjust_cell_length(width))
            else:
                strips.append(Strip(line).adjust_cell_length(width))
        # Padding and plain text come out with no style at all, which NO_COLOR's monochrome filter can't take.
        strips = [Strip([Segment(t, NO_STYLE if st is None else st, c) for t, st, c in strip], strip.cell_length) for strip in strips]
        strips = [translate_strip(strip, glyphs_of(self)) for strip in strips]  # --glyphs
        self._strips, self._strips_for = strips, (self.size, self._drawn)

    def lines(self) -> list:
        """The picture: a legend (Text), one list of Segments per grid row (b grows upwards), the ranges (Text)."""
        if self.problem is None or self.now is None:
            return [Text("loss landscape: waiting for the run", style="dim")]
        from engine.maths.landscape import path_cells

        landscape = self._window()
        shade, what = self.shading(landscape)
        finite = np.isfinite(shade)
        if not finite.all():  # a loss that overflows on a far cell is as bright as the brightest
            shade = np.where(finite, shade, shade[finite].max() if finite.any() else 0.0)
        low, high = float(np.min(shade)), float(np.max(shade))
        levels = np.clip(((shade - low) / ((high - low) or 1.0) * (LEVELS - 1)).round(), 0, LEVELS - 1).astype(np.int64)
        rows, columns = shade.shape
        kinds = self.mark_kinds(landscape, path_cells)
        marks = np.zeros((rows, columns), dtype=np.int64)  # 0: no mark; i + 1: kinds[i]
        for index, (r, c, _, _) in enumerate(kinds):
            marks[r, c] = index + 1
        names = self.problem.model.names
        scaled = " (in x's units)" if self.problem.settings.standardize else ""
        legend = Text()
        legend.append("landscape ", style="bold")
        legend.append(f"{what} {low:.2g}…{high:.2g} over ({names[0]}, {names[1]}){scaled}  ", style="dim")
        self.legend_marks(legend)
        result: list = [legend]
        marked: dict[tuple[int, int], Style] = {}  # one Style object per (level, mark): runs join on identity
        for row in range(rows - 1, -1, -1):  # b grows upwards
            segments, run, run_style = [], "", None
            for column in range(columns):
                kind, level = marks[row, column], levels[row, column]
                mark, style = " ", STYLES[level]
                if kind:
                    mark = kinds[kind - 1][2]
                    style = marked.get((level, kind)) or marked.setdefault((level, kind), STYLES[level] + kinds[kind - 1][3])
                if style is not run_style and run:
                    segments.append(Segment(run, run_style))
                    run = ""
                run += mark
                run_style = style
            segments.append(Segment(run, run_style))
            result.append(segments)
        k, b = landscape.k_values, landscape.b_values
        result.append(Text(f"{names[0]} {k[0]:.4g} … {k[-1]:.4g} →   {names[1]} {b[0]:.4g} … {b[-1]:.4g} ↑", style="dim"))
        return result

    def mark_kinds(self, landscape, path_cells) -> list[tuple[np.ndarray, np.ndarray, str, Style]]:
        """What is drawn over the shading, later kinds over earlier ones: (rows, columns, character, style)."""
        kinds = []
        if len(self.path):
            kinds.append((*path_cells(landscape, self.path), PATH, MARK_STYLES[PATH]))
        if self.optimum is not None:
            r, c = path_cells(landscape, self.optimum_drawn())
            kinds.append((r[:1], c[:1], OPTIMUM, MARK_STYLES[OPTIMUM]))
        r, c = path_cells(landscape, self.now[:2])
        kinds.append((r[:1], c[:1], NOW, MARK_STYLES[NOW]))
        return kinds

    def legend_marks(self, legend: Text) -> None:
        """The legend's key to the marks."""
        legend.append(f"{PATH} path {NOW} now ")
        legend.append(f"{OPTIMUM} optimum", style="bright_green")

    def render(self) -> Text:
        """The picture as plain text (what the tests read): the same lines render_line draws."""
        text = Text("\n".join(line.plain if isinstance(line, Text) else "".join(seg.text for seg in line) for line in self.lines()))
        return translate_text(text, glyphs_of(self))

    def shading(self, landscape) -> tuple[np.ndarray, str]:
        """What the colours show: log10(L − L*) for MSE, whose contours show the valley's shape (log10 L has a floor
        at the noise, L*, that washes the valley out); log10 L for other losses."""
        if self.optimum is None or self.problem.settings.loss != "mse":
            return landscape.log_loss, "log10 L"
        excess = np.log10(np.maximum(10.0**landscape.log_loss - self.optimum.loss, 1e-300))
        # the optimum's own cell is ~−∞: floor the shading so it doesn't stretch the scale
        return np.maximum(excess, np.percentile(excess, 2)), "log10(L−L*)"

    def action_move_start(self, columns: int, rows: int) -> None:
        if self.landscape is None or not len(self.path):
            return
        start = np.array(self.path[0], dtype=np.float64)
        start[0] += columns * self.landscape.k_step
        start[1] += rows * self.landscape.b_step
        self.post_message(self.StartMoved(self.fitted(start)))

    def on_click(self, event: events.Click) -> None:
        landscape = self.landscape
        if landscape is None:
            return
        row, column = event.y - 1, event.x  # under the legend's line; b grows upwards
        rows, columns = len(landscape.b_values), len(landscape.k_values)
        if 0 <= row < rows and 0 <= column < columns:
            self.focus()
            point = np.array([landscape.k_values[column], landscape.b_values[rows - 1 - row]])
            self.post_message(self.StartMoved(self.fitted(point)))

    def cell_of(self, vector) -> tuple[int, int]:
        """(display row, column) of a point (θ as fitted) in the grid as drawn: for the tests."""
        from engine.maths.landscape import path_cells

        landscape = self._window()
        r, c = path_cells(landscape, self.drawn(vector)[0])
        return len(landscape.b_values) - 1 - int(r[0]), int(c[0])

    def char_at(self, display_row: int, column: int) -> str:
        """The character drawn at a grid cell (display row 0 is the top): for the tests."""
        lines = self.render().plain.split("\n")
        return lines[1 + display_row][column]
