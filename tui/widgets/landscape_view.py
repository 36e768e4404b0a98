"""The loss landscape of a two-parameter model: log10 loss as coloured cells, with the path, now and the optimum."""

from __future__ import annotations

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

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


class LandscapeView(Widget):
    """Shown instead of the fit plot while `l` is on. Its grid follows its size; the window follows the path."""

    DEFAULT_CSS = """
    LandscapeView { height: 2fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.problem = None
        self.optimum = None
        self.landscape = None
        self.path = np.zeros((0, 2))
        self.now: np.ndarray | None = None
        self._grid_size: tuple[int, int] | None = None

    def reset(self, problem, optimum) -> None:
        """A new problem: forget the window and the path."""
        self.problem, self.optimum, self.landscape, self.now = problem, optimum, None, None
        self.path = np.zeros((0, 2))
        self._grid_size = None

    def show(self, path: np.ndarray, now: np.ndarray) -> None:
        """Draw the path so far and the current point; a new window when they leave the old one."""
        self.path, self.now = path, now
        if self.display:
            self.refresh()

    def grid_size(self) -> tuple[int, int]:
        """(columns, rows) of cells: the widget less a title line and a line of ranges."""
        width, height = self.size
        return max(2, width), max(2, height - 2)

    def _window(self):
        from engine.landscape import landscape_window, loss_grid

        points = self.path if self.now is None else np.vstack([self.path, self.now[None, :2]]) if len(self.path) else self.now[None, :2]
        size = self.grid_size()
        if self.landscape is not None and self._grid_size == size and self.landscape.contains(points[np.all(np.isfinite(points), axis=1)]):
            return self.landscape
        start = points[0]
        optimum = None if self.optimum is None else self.optimum.vector
        k_range, b_range = landscape_window(start, optimum, points)
        self.landscape = loss_grid(self.problem, k_range, b_range, size=size, optimum=self.optimum)
        self._grid_size = size
        return self.landscape

    def render(self) -> Text:
        if self.problem is None or self.now is None:
            return Text("loss landscape: waiting for the run", style="dim")
        from engine.landscape import path_cells

        landscape = self._window()
        log_loss, what = self.shading(landscape)
        low, high = float(np.min(log_loss)), float(np.max(log_loss))
        levels = np.clip(((log_loss - low) / ((high - low) or 1.0) * (LEVELS - 1)).round(), 0, LEVELS - 1).astype(np.int64)
        rows, columns = log_loss.shape
        marks: dict[tuple[int, int], str] = {}
        if len(self.path):
            for r, c in zip(*path_cells(landscape, self.path), strict=True):
                marks[(int(r), int(c))] = PATH
        if self.optimum is not None:
            r, c = path_cells(landscape, self.optimum.vector[:2])
            marks[(int(r[0]), int(c[0]))] = OPTIMUM
        r, c = path_cells(landscape, self.now[:2])
        marks[(int(r[0]), int(c[0]))] = NOW
        names = self.problem.model.names
        scaled = " (x standardized)" if self.problem.settings.standardize else ""
        text = Text(no_wrap=True, overflow="ellipsis")  # one line per row, whatever the width: the grid must not shift
        text.append("landscape ", style="bold")
        text.append(f"{what} {low:.2g}…{high:.2g} over ({names[0]}, {names[1]}){scaled}  ", style="dim")
        text.append(f"{PATH} path {NOW} now ", style="")
        text.append(f"{OPTIMUM} optimum", style="bright_green")
        text.append("\n")
        for display_row in range(rows):
            row = rows - 1 - display_row  # b grows upwards
            for column in range(columns):
                char = marks.get((row, column))
                cell = STYLES[levels[row, column]]
                text.append(char or " ", cell + MARK_STYLES[char] if char else cell)
            text.append("\n")
        k, b = landscape.k_values, landscape.b_values
        text.append(f"{names[0]} {k[0]:.4g} … {k[-1]:.4g} →   {names[1]} {b[0]:.4g} … {b[-1]:.4g} ↑", style="dim")
        return text

    def shading(self, landscape) -> tuple[np.ndarray, str]:
        """What the colours show: log10(L − L*) for MSE, whose contours show the valley's shape (log10 L has a floor
        at the noise, L*, that washes the valley out); log10 L for other losses."""
        if self.optimum is None or self.problem.settings.loss != "mse":
            return landscape.log_loss, "log10 L"
        excess = np.log10(np.maximum(10.0**landscape.log_loss - self.optimum.loss, 1e-300))
        # the optimum's own cell is ~−∞: floor the shading so it doesn't stretch the scale
        return np.maximum(excess, np.percentile(excess, 2)), "log10(L−L*)"

    def cell_of(self, vector) -> tuple[int, int]:
        """(display row, column) of a point in the grid as drawn: for the tests."""
        from engine.landscape import path_cells

        landscape = self._window()
        r, c = path_cells(landscape, np.asarray(vector)[:2])
        return len(landscape.b_values) - 1 - int(r[0]), int(c[0])

    def char_at(self, display_row: int, column: int) -> str:
        """The character drawn at a grid cell (display row 0 is the top): for the tests."""
        lines = self.render().plain.split("\n")
        return lines[1 + display_row][column]
