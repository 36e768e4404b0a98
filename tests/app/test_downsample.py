"""Downsampling a scatter to its canvas: the same dots lit, the extremes kept, the size bounded by the canvas."""

import numpy as np
import pytest
from plotext._utility import get_matrix_data
from textual_plotext.plot import Plot

from engine.data.synthetic import synthesize
from engine.settings.run_settings import Settings
from tui.widgets.plotting.downsample import axis_limits, braille_cells, canvas_dots, reduce_points


def lit_dots(x, y, width, height, x_limits, y_limits) -> set:
    """The dots plotext itself lights for these points (its own mapping, point by point)."""
    columns = get_matrix_data(list(x), list(x_limits), width)
    rows = get_matrix_data(list(y), list(y_limits), height)
    return {(c, r) for c, r in zip(columns, rows, strict=True) if 0 <= c < width and 0 <= r < height}


@pytest.mark.parametrize("dataset", ["linear", "outliers", "sine"])
def test_reduced_points_light_the_same_dots_and_keep_the_extremes(dataset):
    data = synthesize(Settings(points=20_000, dataset=dataset, seed=3))
    width, height = canvas_dots(90, 25)
    x, y = reduce_points(data.x, data.y, width, height)
    assert len(x) < len(data.x) / 3
    assert (x.min(), x.max(), y.min(), y.max()) == (data.x.min(), data.x.max(), data.y.min(), data.y.max())
    limits = axis_limits(data.x), axis_limits(data.y)
    assert lit_dots(x, y, width, height, *limits) == lit_dots(data.x, data.y, width, height, *limits)
    # Kept points are the data's own points, in their order.
    assert np.all(np.diff(x) >= 0)
    assert np.isin(y, data.y).all()


def test_each_columns_lowest_and_highest_point_is_kept():
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 1, 50_000), rng.normal(0, 1, 50_000)
    width, height = 40, 12
    kept_x, kept_y = reduce_points(x, y, width, height)
    limits = axis_limits(x)
    column = np.floor(np.round(0.5 + (width - 1) * (x - limits[0]) / (limits[1] - limits[0]), 8)).astype(int)
    for c in range(width):
        in_column = column == c
        assert y[in_column].min() in kept_y and y[in_column].max() in kept_y


def test_size_is_bounded_by_the_canvas_whatever_n():
    width, height = 60, 20
    bound = width * height + 2 * width + 2
    sizes = []
    for points in (10_000, 300_000, 3_000_000):
        data = synthesize(Settings(points=points, noise=40.0))
        x, _ = reduce_points(data.x, data.y, width, height)
        sizes.append(len(x))
        assert len(x) <= bound
    # Saturated: 300× more points, nearly no more kept.
    assert sizes[2] <= sizes[0] * 1.5


def test_small_data_comes_back_unchanged():
    data = synthesize(Settings(points=10))
    x, y = reduce_points(data.x, data.y, 400, 240)
    assert x is data.x and y is data.y


def test_points_outside_explicit_limits_are_dropped():
    x = np.linspace(0, 10, 1000)
    kept_x, kept_y = reduce_points(x, x, 20, 10, x_limits=(2, 8), y_limits=(2, 8))
    assert kept_x.min() >= 2 - 0.5 * 6 / 19 and kept_x.max() <= 8 + 0.5 * 6 / 19
    assert len(kept_x) <= 20 * 10 + 2 * 20 + 2


def test_mismatched_shapes_are_refused():
    with pytest.raises(ValueError, match="same length"):
        reduce_points(np.zeros(5), np.zeros(4), 10, 10)


def build(columns, rows, limits, x, y, marker) -> str:
    """A plotext figure with no axes or ticks, so its canvas is exactly columns × rows cells."""
    plt = Plot()
    plt.plotsize(columns, rows)
    plt.xaxes(False, False)
    plt.yaxes(False, False)
    plt.xticks([])
    plt.yticks([])
    plt.xlim(*limits[0])
    plt.ylim(*limits[1])
    plt.scatter(x, y, marker=marker)
    return plt.build()


@pytest.mark.parametrize("dataset", ["linear", "sine"])
def test_braille_cells_draw_the_very_characters_of_the_full_braille_scatter(dataset):
    data = synthesize(Settings(points=5_000, dataset=dataset, seed=7))
    limits = axis_limits(data.x), axis_limits(data.y)
    cx, cy, markers = braille_cells(data.x, data.y, 70, 22, *limits)
    assert len(cx) <= 70 * 22
    assert build(70, 22, limits, cx, cy, markers) == build(70, 22, limits, data.x, data.y, "braille")


def test_reduced_scatter_draws_the_same_plot():
    data = synthesize(Settings(points=8_000, dataset="outliers"))
    limits = axis_limits(data.x), axis_limits(data.y)
    x, y = reduce_points(data.x, data.y, *canvas_dots(70, 22, "braille"), *limits)
    assert len(x) < 3_000
    assert build(70, 22, limits, x, y, "braille") == build(70, 22, limits, data.x, data.y, "braille")
