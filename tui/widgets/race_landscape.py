"""The race's loss landscape: one heatmap, every racer's path over it in the racer's colour and marker.

The picture of why the optimizers differ in an ill-conditioned valley: plain descent crawls down the steep
wall and along the floor, momentum overshoots and swings, adam heads for the optimum diagonally (its steps are
about lr in every parameter at once).
"""

from __future__ import annotations

import numpy as np
from rich.style import Style
from rich.text import Text

from tui.widgets.landscape_view import MARK_STYLES, OPTIMUM, LandscapeView
from tui.widgets.race_marks import marker_of, rich_colour_of


class RaceLandscapeView(LandscapeView):
    """`show_racers` instead of `show`: the window holds every racer's path and where each is now."""

    def __init__(self, names: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.names = names
        self.paths: dict[str, np.ndarray] = {}
        self.nows: dict[str, np.ndarray] = {}

    def show_racers(self, paths: dict[str, np.ndarray], nows: dict[str, np.ndarray]) -> None:
        """Each racer's (k, b) path so far and its θ now; a diverged racer's far-off points stay out of the window."""
        # kept as drawn (the data's units, engine.maths.landscape); `show` is given them as fitted
        self.paths = {name: self.drawn(_finite(path)) for name, path in paths.items()}
        self.nows = {
            name: self.drawn(np.asarray(now[:2], dtype=np.float64))[0] for name, now in nows.items() if np.all(np.isfinite(now[:2]))
        }
        if not self.nows:
            return
        points = [path for path in paths.values() if len(path)] + [now[None, :2] for now in nows.values()]
        finite = [_finite(p) for p in points]
        self.show(np.vstack([p for p in finite if len(p)]), self.fitted(next(iter(self.nows.values()))))

    def mark_kinds(self, landscape, path_cells) -> list:
        """Every path first, in the race's order, then the optimum, then every racer's θ now, bold, over all paths."""
        cells = {index: path_cells(landscape, self.paths[name]) for index, name in enumerate(self.names) if len(self.paths.get(name, ()))}
        kinds = []
        for index, (rows, columns) in _shared_in_turn(cells).items():
            kinds.append((rows, columns, marker_of(index), Style(color=rich_colour_of(index))))
        if self.optimum is not None:
            r, c = path_cells(landscape, self.optimum_drawn())
            kinds.append((r[:1], c[:1], OPTIMUM, MARK_STYLES[OPTIMUM]))
        for index, name in enumerate(self.names):
            if name in self.nows:
                r, c = path_cells(landscape, self.nows[name])
                kinds.append((r[:1], c[:1], marker_of(index), Style(color=rich_colour_of(index), bold=True)))
        return kinds

    def legend_marks(self, legend: Text) -> None:
        legend.append("paths: markers as below  ")
        legend.append(f"{OPTIMUM} optimum", style="bright_green")


def _shared_in_turn(cells: dict[int, tuple[np.ndarray, np.ndarray]]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Each racer's path cells, a cell several racers share going to the one with the fewest cells shown so far.

    Paths overlap where racers take the same road (manual's short path lies on momentum's longer one): drawn
    one over the other, the first would vanish; shared this way, a racer with a short path keeps it in sight.
    """
    owners: dict[tuple[int, int], list[int]] = {}
    for index, (rows, columns) in cells.items():
        for cell in set(zip(rows.tolist(), columns.tolist(), strict=True)):
            owners.setdefault(cell, []).append(index)
    kept: dict[int, tuple[list[int], list[int]]] = {index: ([], []) for index in cells}
    shared = []
    for cell, racers in owners.items():
        if len(racers) == 1:
            kept[racers[0]][0].append(cell[0])
            kept[racers[0]][1].append(cell[1])
        else:
            shared.append(cell)
    for row, column in sorted(shared, key=lambda cell: (cell[1], cell[0])):  # in a fixed order: the same picture every frame
        owner = min(owners[(row, column)], key=lambda index: (len(kept[index][0]), index))
        kept[owner][0].append(row)
        kept[owner][1].append(column)
    return {index: (np.array(rows, dtype=np.int64), np.array(columns, dtype=np.int64)) for index, (rows, columns) in kept.items()}


def _finite(path) -> np.ndarray:
    points = np.atleast_2d(np.asarray(path, dtype=np.float64))[:, :2] if len(path) else np.zeros((0, 2))
    return points[np.all(np.isfinite(points), axis=1)]
