"""Milliseconds per frame of the fit plot's real drawing path, at 200×60, for N up to 10 million.

The app's FitPlot (tui/widgets/fit_plot.py) draws in two layers: a picture (plotext's axes, legend and
least-squares line, with the points binned to braille dots in numpy and drawn in under them) built when
the data or the size changes, and the fitted line rasterised over it each frame. This times both halves
with the same functions, without Textual: "picture ms" is paid once per data or resize; "frame ms" is
paid per frame (the line's layer, and every canvas row re-made, the worst case: the app re-makes only
the rows the line changed). Target: frame ≤ 15 ms for any N.
`--glyphs blocks` or `ascii` adds what those sets cost: each row's characters translated as it is drawn.
Usage: python benchmarks/plot_frame.py [--size 200 60] [--points 100 10000 ...] [--glyphs braille|blocks|ascii]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from rich.style import Style
from textual_plotext.plot import Plot

from engine.data.synthetic import synthesize
from engine.settings.run_settings import Settings
from tui.widgets.fit_plot import CURVE_SAMPLES, LEGEND
from tui.widgets.plotting.canvas import Picture, line_layer, points_layer
from tui.widgets.plotting.downsample import braille_bits
from tui.widgets.plotting.glyphs import translate_strip

TARGET_MS = 15.0


def build_picture(x, y, size, limits) -> Picture:
    """What FitPlot.build_picture does: plotext's axes and legend, then the points binned in."""
    x_lo, x_hi, y_lo, y_hi = limits
    plt = Plot()
    plt.plotsize(*size)
    plt.title("fit")
    plt.scatter([x_lo], [y_hi], marker="⠶", color="cyan", label="points")
    curve_x = np.linspace(x_lo, x_hi, CURVE_SAMPLES)
    plt.plot(curve_x.tolist(), curve_x.tolist(), color="gray", label="least squares")
    plt.plot([x_lo], [y_hi], marker="⠶", color="orange", label="fit")
    plt.xlim(x_lo, x_hi)
    plt.ylim(y_lo, y_hi)
    picture = Picture(plt.build(), *size)
    picture.keep_legend(LEGEND)
    canvas = picture.canvas
    picture.draw(points_layer(braille_bits(x, y, canvas.columns, canvas.rows, (x_lo, x_hi), (y_lo, y_hi))), Style(color="cyan"), under=True)
    return picture


def frame(picture: Picture, curve_x, curve_y, limits, glyphs: str = "braille") -> None:
    """What a frame costs: the line's layer, then every canvas row re-made with it (in `glyphs`, as LayeredPlot draws it)."""
    x_lo, x_hi, y_lo, y_hi = limits
    layer = line_layer(curve_x, curve_y, picture.canvas, (x_lo, x_hi), (y_lo, y_hi))
    style = Style(color="dark_orange")
    for row in range(len(picture.strips)):
        translate_strip(picture.line_with(row, layer, style), glyphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, nargs=2, default=(200, 60), metavar=("COLUMNS", "ROWS"))
    parser.add_argument("--points", type=int, nargs="*", default=[100, 10_000, 100_000, 1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--glyphs", choices=("braille", "blocks", "ascii"), default="braille")
    args = parser.parse_args()
    size = tuple(args.size)
    print(f"fit plot {size[0]}×{size[1]} cells, {args.glyphs}; frame = median of {args.repeats}; target frame ≤ {TARGET_MS:g} ms")
    print(f"{'N':>12} {'picture ms':>11} {'frame ms':>9} {'target':>7}")
    for points in args.points:
        data = synthesize(Settings(points=points))
        x_lo, x_hi = float(data.x.min()), float(data.x.max())
        y_lo, y_hi = float(data.y.min()), float(data.y.max())
        limits = (x_lo, x_hi, y_lo, y_hi)
        start = time.perf_counter()
        picture = build_picture(data.x, data.y, size, limits)
        picture_ms = 1000 * (time.perf_counter() - start)
        curve_x = np.linspace(x_lo, x_hi, CURVE_SAMPLES)
        times = []
        for k in range(args.repeats):  # a line that moves each frame
            curve_y = y_lo + (0.2 + 0.03 * k) * (curve_x - x_lo) * (y_hi - y_lo) / (x_hi - x_lo)
            start = time.perf_counter()
            frame(picture, curve_x, curve_y, limits, args.glyphs)
            times.append(time.perf_counter() - start)
        frame_ms = 1000 * statistics.median(times)
        print(f"{points:>12,} {picture_ms:>11.1f} {frame_ms:>9.2f} {'ok' if frame_ms <= TARGET_MS else 'MISSED':>7}")


if __name__ == "__main__":
    main()
