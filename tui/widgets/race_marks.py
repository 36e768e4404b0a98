"""How the race tells its racers apart: a colour and a marker each, and where a line's markers go.

Plotext, rich and the landscape each name colours their own way; the tuples here line up index by index.
The markers are drawn staggered: racer i of n puts its marker every `period` columns, shifted by i/n of a
period, so racers whose lines coincide (manual and momentum near the optimum) take turns instead of one
hiding the other.
"""

from __future__ import annotations

import numpy as np

COLOURS = ("orange", "magenta", "green", "blue", "red", "yellow", "white", "cyan")
"""plotext's names; RICH_COLOURS are rich's names for the same colours."""
RICH_COLOURS = ("dark_orange", "magenta", "green", "blue", "red", "yellow", "white", "cyan")
MARKERS = ("●", "▲", "■", "◆", "+", "x", "*", "o")
"""One glyph per racer, one cell wide in any terminal: the legend, the plots and the landscape use the same."""
MIN_PERIOD = 8
"""Columns between two markers of one racer, at least: close enough to follow a line, apart enough to read."""


def colour_of(index: int) -> str:
    return COLOURS[index % len(COLOURS)]


def rich_colour_of(index: int) -> str:
    return RICH_COLOURS[index % len(RICH_COLOURS)]


def marker_of(index: int) -> str:
    return MARKERS[index % len(MARKERS)]


def staggered(low: float, high: float, columns: int, index: int, count: int) -> np.ndarray:
    """Where racer `index` of `count` puts its markers on [low, high] drawn over `columns` columns.

    Every racer has the same period (whole columns, at least 2 per racer so their turns never share a
    column), shifted by its share of it: the racers' markers never fall in the same column.
    """
    count = max(1, count)
    period = max(MIN_PERIOD, 2 * count)
    period += (-period) % count  # a whole number of columns per racer's turn
    width = (high - low) / max(1, columns)
    first = low + width * (period // count * index + period // (2 * count) + 0.5)
    if not width > 0 or first > high:
        return np.zeros(0)
    return np.arange(first, high, period * width)
