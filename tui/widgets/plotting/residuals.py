"""Each point's residual as a vertical segment from the point to the fitted line, as braille dots (the code pane's forward phase)."""

from __future__ import annotations

import numpy as np

from tui.widgets.plotting.canvas import Canvas
from tui.widgets.plotting.downsample import dot_index, lit_bits

MAX_SEGMENTS = 400
"""More segments than this fill the plot solid: the points are evenly thinned to this many."""


def residuals_layer(
    x: np.ndarray, y: np.ndarray, predictions: np.ndarray, canvas: Canvas, x_limits: tuple[float, float], y_limits: tuple[float, float]
) -> np.ndarray:
    """Segments from (x, y) to (x, prediction) as braille bits (rows × columns, top row first), plotext's dot mapping."""
    if len(x) > MAX_SEGMENTS:
        keep = np.linspace(0, len(x) - 1, MAX_SEGMENTS).round().astype(np.int64)
        x, y, predictions = x[keep], y[keep], predictions[keep]
    across, down = 2 * canvas.columns, 4 * canvas.rows
    columns = dot_index(np.asarray(x, dtype=np.float64), x_limits, across)
    ends = np.clip(dot_index(np.stack([y, predictions]).astype(np.float64), y_limits, down), 0, down - 1)
    low, high = ends.min(axis=0), ends.max(axis=0)
    inside = (columns >= 0) & (columns < across)
    lit = np.zeros((down, across), dtype=bool)
    rows = np.arange(down)[:, None]
    span = (rows >= low[inside][None, :]) & (rows <= high[inside][None, :])  # down × segments
    # np.logical_or.at: two points in one dot column both light it
    np.logical_or.at(lit.T, columns[inside], span.T)
    return lit_bits(lit)[::-1]
