"""Milliseconds to build one plotext frame of the data and the fitted line, at 200×60, for N up to 10 million.

Each frame is what the app draws per update: a fresh figure, the scatter, the model's line, `build()`.
"full" draws every point (skipped past --full-max points: it costs ~1.8 µs a point and GBs of lists);
"reduced" draws `tui.downsample.reduce_points`' output (one point per occupied dot); "cells" draws
`braille_cells`' output (one point per occupied cell, carrying its braille character: the same picture).
Both are computed once beforehand (their cost is printed apart: it is paid when the data or the plot's
size changes, not per frame). Target: ≤ 15 ms per frame.
Usage: python benchmarks/plot_frame.py [--size 200 60] [--marker braille] [--points 100 10000 ...]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from textual_plotext.plot import Plot

from engine.data import synthesize
from engine.settings import Settings
from tui.downsample import axis_limits, braille_cells, canvas_dots, reduce_points

TARGET_MS = 15.0
LINE_POINTS = 200  # the fitted line's grid of x: the app draws the model's curve, not the data


def frame_ms(x: np.ndarray, y: np.ndarray, size: tuple[int, int], marker, repeats: int, limits) -> float:
    """Median ms to build one frame with these points and a line across them, with the axes' limits set."""
    (x_low, x_high), (y_low, y_high) = limits
    line_x = np.linspace(x_low, x_high, LINE_POINTS)
    line_y = line_x  # any line will do: its cost does not depend on N
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        plt = Plot()
        plt.plotsize(*size)
        plt.xlim(x_low, x_high)
        plt.ylim(y_low, y_high)
        plt.scatter(x, y, marker=marker)
        plt.plot(line_x, line_y, marker="braille")
        plt.build()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, nargs=2, default=(200, 60), metavar=("COLUMNS", "ROWS"))
    parser.add_argument("--marker", default="braille", help="plotext marker: braille, hd, fhd, dot, …")
    parser.add_argument("--points", type=int, nargs="*", default=[100, 10_000, 100_000, 1_000_000, 10_000_000])
    parser.add_argument("--full-max", type=int, default=100_000, help="largest N drawn in full")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    size = tuple(args.size)
    # The canvas is the plot less its tick labels and axes; the whole plot's size is a close upper bound.
    dots = canvas_dots(*size, args.marker)
    print(f"plot {size[0]}×{size[1]} cells, marker {args.marker} ({dots[0]}×{dots[1]} dots), median of {args.repeats}")
    cells = args.marker == "braille"
    header = f"{'N':>12} {'full ms':>9} {'kept':>8} {'reduce ms':>10} {'reduced ms':>11}"
    print(header + (f" {'cells':>7} {'cells ms':>9} {'frame ms':>9}" if cells else "") + f" {'target':>7}")
    for points in args.points:
        data = synthesize(Settings(points=points))
        limits = axis_limits(data.x), axis_limits(data.y)
        full = frame_ms(data.x, data.y, size, args.marker, args.repeats, limits) if points <= args.full_max else None
        start = time.perf_counter()
        x, y = reduce_points(data.x, data.y, *dots, *limits)
        reduce_ms = 1000 * (time.perf_counter() - start)
        reduced = best = frame_ms(x, y, size, args.marker, args.repeats, limits)
        full_text = f"{full:9.1f}" if full is not None else f"{'skipped':>9}"
        line = f"{points:>12,} {full_text} {len(x):>8,} {reduce_ms:>10.1f} {reduced:>11.1f}"
        if cells:
            start = time.perf_counter()
            cx, cy, markers = braille_cells(data.x, data.y, *size, *limits)
            cells_ms = 1000 * (time.perf_counter() - start)
            best = frame_ms(cx, cy, size, markers, args.repeats, limits)
            line += f" {len(cx):>7,} {cells_ms:>9.1f} {best:>9.1f}"
        print(line + f" {'ok' if best <= TARGET_MS else 'MISSED':>7}")


if __name__ == "__main__":
    main()
