"""Reduce a scatter of any size to the points a plot canvas can show, so drawing costs the same for any N.

plotext maps a value v to dot ⌊0.5 + (dots − 1)·(v − lo)/(hi − lo)⌋ (rounded to 8 decimals first) and
then spends ~1.8 µs per point in Python. Two points in the same dot draw the same, so keeping one point
per occupied dot draws an identical scatter. Kept points are real data points (never cell centres), and
each column's lowest and highest point and the leftmost and rightmost points are always among them, so
the data's extremes, and with them plotext's automatic axis limits, are unchanged. The fitted line is
drawn from its own grid of x, so it is exact whatever is done here.

numpy only and O(N): chunks of the data are binned with vectorised arithmetic, never a Python loop over
points, and the temporaries stay a few MB whatever N is.
"""

from __future__ import annotations

import numpy as np

DOTS_PER_CELL = {"braille": (2, 4), "fhd": (2, 3), "hd": (2, 2)}
"""Dots per terminal cell (across, down) of plotext's high-resolution markers; every other marker is 1×1."""
CHUNK = 1 << 20
"""Points binned at a time: bounds the temporaries (a few arrays of this length) for any N."""


def canvas_dots(columns: int, rows: int, marker: str = "braille") -> tuple[int, int]:
    """The canvas's size in dots for a canvas of `columns` × `rows` terminal cells drawn with `marker`."""
    across, down = DOTS_PER_CELL.get(marker, (1, 1))
    return max(1, columns * across), max(1, rows * down)


def axis_limits(values: np.ndarray) -> tuple[float, float]:
    """plotext's automatic limits of one axis: (min, max), widened as plotext does when they are equal."""
    low, high = (float(np.nanmin(values)), float(np.nanmax(values))) if len(values) else (0.0, 0.0)
    if low != high:
        return low, high
    return (0.5 * low, 1.5 * low) if low != 0 else (-1.0, 1.0)


def dot_index(values: np.ndarray, limits: tuple[float, float], dots: int) -> np.ndarray:
    """The dot each value falls in along one axis, with plotext's own formula (int64, may lie outside 0..dots-1)."""
    low, high = limits
    position = 0.5 + (dots - 1) * (values - low) / (high - low)
    # plotext rounds to 8 decimals before flooring, so that 9.9999999999 lands in dot 10, not 9.
    return np.floor(np.round(position, 8)).astype(np.int64)


def reduce_points(
    x: np.ndarray,
    y: np.ndarray,
    width: int,
    height: int,
    x_limits: tuple[float, float] | None = None,
    y_limits: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The points of (x, y) that a `width` × `height`-dot canvas shows, at most one per dot plus extremes.

    Limits default to plotext's automatic ones (the data's extremes). With the canvas's true size in dots
    and its limits, the kept points light exactly the dots all the points light; points outside the limits
    (which plotext would not draw) are dropped. Returns the inputs themselves when there is nothing to save.
    At most width·height + 2·width + 2 points are returned, in their original order.
    """
    x, y = np.asarray(x), np.asarray(y)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"x and y must be 1-D and the same length (got {x.shape} and {y.shape})")
    count = len(x)
    if count <= 2 * width + 2:
        # Fewer points than the extremes alone could keep: reducing saves nothing.
        return x, y
    x_limits = x_limits or axis_limits(x)
    y_limits = y_limits or axis_limits(y)
    cells = width * height
    cell_point = np.full(cells, -1, dtype=np.int64)  # one point's index per occupied dot
    lowest = np.full(width, np.inf)  # per dot column: the lowest y seen, and a point having it
    highest = np.full(width, -np.inf)
    lowest_point = np.full(width, -1, dtype=np.int64)
    highest_point = np.full(width, -1, dtype=np.int64)
    ends = [(np.inf, -1), (-np.inf, -1)]  # the leftmost and rightmost drawn points: (x, index)
    for start in range(0, count, CHUNK):
        xs, ys = x[start : start + CHUNK], y[start : start + CHUNK]
        column = dot_index(xs, x_limits, width)
        row = dot_index(ys, y_limits, height)
        inside = (column >= 0) & (column < width) & (row >= 0) & (row < height)
        index = np.flatnonzero(inside)
        if len(index) == 0:
            continue
        column, row, xs, ys = column[index], row[index], xs[index], ys[index]
        index += start
        left, right = np.argmin(xs), np.argmax(xs)
        if xs[left] < ends[0][0]:
            ends[0] = (xs[left], index[left])
        if xs[right] > ends[1][0]:
            ends[1] = (xs[right], index[right])
        # Repeated indices in a fancy assignment leave one of the assigned values: which one does not
        # matter, any point of the dot draws the dot.
        cell_point[row * width + column] = index
        _keep_extreme(np.minimum, lowest, lowest_point, column, ys, index)
        _keep_extreme(np.maximum, highest, highest_point, column, ys, index)
    # With each column's y extremes, the leftmost and rightmost points pin all four automatic limits.
    kept = [cell_point, lowest_point, highest_point, np.array([end[1] for end in ends])]
    chosen = np.concatenate(kept)
    chosen = np.unique(chosen[chosen >= 0])
    if len(chosen) >= count:
        return x, y
    return x[chosen], y[chosen]


def _keep_extreme(better, best: np.ndarray, best_point: np.ndarray, column: np.ndarray, ys: np.ndarray, index: np.ndarray) -> None:
    """Fold one chunk into each column's extreme y (`better` is np.minimum or np.maximum) and a point having it."""
    chunk_best = best.copy()
    better.at(chunk_best, column, ys)
    improved = chunk_best != best
    if not improved.any():
        return
    # A point of this chunk that reaches its column's new extreme; any one of several ties will do.
    reaches = np.flatnonzero(improved[column] & (ys == chunk_best[column]))
    best_point[column[reaches]] = index[reaches]
    best[:] = chunk_best


# Braille dot bits by (row within the cell counted from the bottom, column within the cell):
# U+2800 + the OR of the bits of the dots that are on.
_BRAILLE_BITS = np.array([[0x40, 0x80], [0x04, 0x20], [0x02, 0x10], [0x01, 0x08]], dtype=np.int64)


def braille_cells(
    x: np.ndarray,
    y: np.ndarray,
    columns: int,
    rows: int,
    x_limits: tuple[float, float],
    y_limits: tuple[float, float],
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The braille scatter of (x, y) as one point per occupied terminal cell: (x, y, marker) to plot.

    plotext draws a braille scatter by mapping every point to a dot, then grouping dots per cell in
    Python: ~2 µs a point. Done here in numpy, the result is at most `columns` × `rows` points (a few
    thousand for a band of noisy data), each at its cell's centre with that cell's braille character as
    its marker. Plotted on a `columns` × `rows`-cell canvas with these limits set (plt.xlim/ylim), it
    draws the very characters `plt.scatter(x, y, marker="braille")` draws.
    """
    bits = braille_bits(x, y, columns, rows, x_limits, y_limits)
    cell_row, cell_column = np.nonzero(bits)
    codes = bits[cell_row, cell_column]
    markers = [chr(0x2800 + int(code)) for code in codes]
    return _cell_values(cell_column, x_limits, columns), _cell_values(cell_row, y_limits, rows), markers


def braille_bits(
    x: np.ndarray,
    y: np.ndarray,
    columns: int,
    rows: int,
    x_limits: tuple[float, float],
    y_limits: tuple[float, float],
) -> np.ndarray:
    """Each cell's braille dot bits (rows × columns, row 0 at the bottom): chr(0x2800 + bits) draws the cell."""
    x, y = np.asarray(x), np.asarray(y)
    dots_across, dots_down = 2 * columns, 4 * rows
    lit = np.zeros(dots_down * dots_across, dtype=bool)
    for start in range(0, len(x), CHUNK):
        column = dot_index(x[start : start + CHUNK], x_limits, dots_across)
        row = dot_index(y[start : start + CHUNK], y_limits, dots_down)
        inside = (column >= 0) & (column < dots_across) & (row >= 0) & (row < dots_down)
        lit[row[inside] * dots_across + column[inside]] = True
    return lit_bits(lit.reshape(dots_down, dots_across))


def lit_bits(lit: np.ndarray) -> np.ndarray:
    """(4·rows × 2·columns) lit dots, row 0 at the bottom, as each cell's braille bits (rows × columns)."""
    dots_down, dots_across = lit.shape
    rows, columns = dots_down // 4, dots_across // 2
    # (cell row, dot row in cell, cell column, dot column in cell): OR the bits of each cell's lit dots.
    return (lit.reshape(rows, 4, columns, 2) * _BRAILLE_BITS[None, :, None, :]).sum(axis=(1, 3))


def _cell_values(cell: np.ndarray, limits: tuple[float, float], cells: int) -> np.ndarray:
    """Values plotext maps to exactly these cells of an axis of `cells` cells (the inverse of dot_index)."""
    low, high = limits
    if cells < 2:
        return np.full(len(cell), (low + high) / 2)
    return low + cell * (high - low) / (cells - 1)
