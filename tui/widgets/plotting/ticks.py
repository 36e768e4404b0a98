"""Ticks on round values, evenly spaced in rows: the axis's limits are widened a little so each tick lands on a row.

plotext puts a tick on the row floor(0.5 + (rows−1)·(v − lo)/(hi − lo)); with arbitrary limits, equally spaced
values land on rows 1 or 2 apart (and a tick can vanish). Here one row is worth u = step/r exactly and the
lower limit is a multiple of u, so the ticks at multiples of the step sit every r rows.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

NICE = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
"""Round steps, times a power of ten."""
ROWS_PER_TICK = (2, 3, 4, 5)
"""A tick every this many rows: one every row crowds the labels; more than 5 leaves too few."""
SMALL_ROWS = 6
"""On a canvas this short (80×24's loss plot has 4 rows) a tick may go on every row: else half the axis is empty."""
TRIES = 12
"""Round steps tried per r, from the smallest that fits: beyond, the axis would be mostly empty."""
CHROME_ROWS = 4
"""A titled plotext plot: title, top and bottom of the box, x tick labels (the axes' names are in the title: at 80×24
a row of labels is a row of canvas less)."""


@dataclass(frozen=True)
class Axis:
    """An axis's limits and its ticks with their labels."""

    low: float
    high: float
    ticks: tuple[float, ...]
    labels: tuple[str, ...]


def _nice_steps(at_least: float):
    """Round steps ≥ `at_least`, increasing."""
    exponent = math.floor(math.log10(at_least))
    while True:
        for m in NICE:
            step = m * 10.0**exponent
            if step >= at_least * (1 - 1e-12):
                yield step
        exponent += 1


def _label(value: float, step: float) -> str:
    """As many decimals as the step has (0.25 → 2), or 3 significant digits for very small or large steps."""
    if step < 1e-3 or step >= 1e6:
        return "0" if abs(value) < step / 2 else f"{value:.3g}"
    decimals = len(f"{step:.6f}".rstrip("0").split(".")[1])
    text = f"{value:.{decimals}f}"
    return "0" if float(text) == 0 else text


def _ticks(bottom: float, top: float, step: float) -> list[float]:
    first, last = math.ceil(bottom / step - 1e-9), math.floor(top / step + 1e-9)
    return [k * step for k in range(first, last + 1)]


def even_axis(low: float, high: float, rows: int) -> Axis:
    """Limits containing [low, high] and round ticks every r rows of a `rows`-row canvas (r in 2..5, least room wasted)."""
    if not (math.isfinite(low) and math.isfinite(high)) or rows < 2:
        return Axis(low, high, (), ())
    span = high - low if high > low else max(abs(low), 1.0)
    fewest = 3 if rows >= 7 else 2
    best = None
    for r in ((1, *ROWS_PER_TICK) if rows <= SMALL_ROWS else ROWS_PER_TICK):
        if (rows - 1) // r < 1:
            continue
        for step in itertools.islice(_nice_steps(span * r / (rows - 1)), TRIES):
            unit = step / r
            bottom = math.floor(low / unit + 1e-9) * unit
            top = bottom + (rows - 1) * unit
            if top >= high - 1e-9 * span:
                # centre the data: the rows to spare go half below, half above
                spare = int((top - high) / unit + 1e-9)
                bottom -= (spare // 2) * unit
                top = bottom + (rows - 1) * unit
                if len(_ticks(bottom, top, step)) < fewest:
                    continue  # the limits missed a multiple of the step: the next step may not
                score = (top - bottom, abs(r - 3))
                if best is None or score < best[0]:
                    best = (score, bottom, top, step)
                break
    if best is None:
        return Axis(low, high, (), ())
    _, bottom, top, step = best
    ticks = _ticks(bottom, top, step)
    # min/max: a rounding error of one part in 10¹⁶ must not leave the data's edge outside (plotext rounds rows to 8 decimals)
    return Axis(min(bottom, low), max(top, high), tuple(ticks), tuple(_label(t, step) for t in ticks))


def tick_rows(axis: Axis, rows: int) -> list[int]:
    """The canvas rows (from the bottom) plotext draws `axis`'s ticks on."""
    return [math.floor(round(0.5 + (rows - 1) * (t - axis.low) / (axis.high - axis.low), 8)) for t in axis.ticks]
