"""The app at scale: many points drawn with their extremes, the memory guard at the points field, --lite,
a paused turbo run on many points, and the two-layer plots repainting only what changed."""

from __future__ import annotations

import numpy as np
import pytest

import engine.data.memory_guard
from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state, wait_until
from tui.app import DescentApp, make_app
from tui.cli import main as cli
from tui.widgets.fit_plot import FitPlot
from tui.widgets.loss_plot import LossPlot
from tui.widgets.plotting.downsample import dot_index
from tui.widgets.plotting.layered_plot import LITE_THEME


def point_is_drawn(plot: FitPlot, x: float, y: float) -> bool:
    """Whether the braille dot plotext's mapping gives (x, y) is lit in the plot's points layer."""
    canvas, layer = plot.picture.canvas, plot.points_layer
    x_lo, x_hi, y_lo, y_hi = plot.limits
    column = int(dot_index(np.array([x]), (x_lo, x_hi), 2 * canvas.columns)[0])
    row = int(dot_index(np.array([y]), (y_lo, y_hi), 4 * canvas.rows)[0])
    bit = [[0x40, 0x80], [0x04, 0x20], [0x02, 0x10], [0x01, 0x08]][row % 4][column % 2]
    return bool(layer[canvas.rows - 1 - row // 4, column // 2] & bit)


async def test_a_200k_point_run_draws_the_datas_extremes():
    app = make_app(Settings(points=200_000, noise=30.0))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.pause()
        plot = app.screen.query_one(FitPlot)
        x, y = app.screen.dataset.x, app.screen.dataset.y
        lowest, highest = int(np.argmin(y)), int(np.argmax(y))
        assert point_is_drawn(plot, x[lowest], y[lowest])
        assert point_is_drawn(plot, x[highest], y[highest])
        # the picture is bounded by the canvas, not by N
        assert plot.points_layer.shape == (plot.picture.canvas.rows, plot.picture.canvas.columns)


async def test_the_memory_guard_speaks_beside_the_points_field(monkeypatch):
    monkeypatch.setattr(engine.data.memory_guard, "available_host_bytes", lambda: 10_000_000)  # 10 MB free
    app = make_app(Settings(points=1_000_000))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_state(pilot, "error")
        error = app.screen.query_one("#panel").query(".setting-error").filter(".setting-error").nodes
        shown = [str(node.render()) for node in error if node.display]
        assert len(shown) == 1 and "1,000,000 points need about" in shown[0] and "use at most about" in shown[0]
        assert app.screen.dataset is None  # refused before the points were made


def test_the_cli_refuses_too_many_points_in_one_line(monkeypatch, capsys):
    monkeypatch.setattr(engine.data.memory_guard, "available_host_bytes", lambda: 10_000_000)
    try:
        cli.main(["--points", "1000000"])
    except SystemExit as stop:
        assert stop.code == 2
    else:
        raise AssertionError("expected exit 2")
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("descent: error: --points: 1,000,000 points need")


@pytest.mark.slow
async def test_lite_means_10_fps_and_plots_without_colour(monkeypatch):
    made = []
    monkeypatch.setattr(DescentApp, "run", lambda self: made.append(self))
    assert cli.main(["--lite"]) == 0
    assert cli.main(["--lite", "--fps", "5"]) == 0
    assert cli.main([]) == 0
    assert [(app.fps, app.lite) for app in made] == [(10, True), (5, True), (20, False)]
    app = made[0]
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.pause()
        for plot in (app.screen.query_one(FitPlot), app.screen.query_one(LossPlot)):
            assert plot.theme == LITE_THEME
            colours = {segment.style.color for strip in plot.picture.strips for segment in strip if segment.style}
            assert colours <= {None}, colours
        assert app.screen.pace.fps == 10


@pytest.mark.slow
async def test_turbo_on_many_points_pauses_within_a_few_steps():
    """Turbo has no frame budget: the worker must check for a pause after every step, not at the end of the run.

    How long the pause takes in seconds is a benchmark's figure (benchmarks/pace.py), not a test's."""
    app = make_app(Settings(points=2_000_000, steps=1_000_000))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready", timeout=60)
        await pilot.press("t", "space")
        await wait_until(pilot, lambda: screen.snapshot is not None and screen.snapshot.step >= 3, what="a few steps")
        await pilot.press("space")
        pressed_at = screen.snapshot.step
        await wait_for_state(pilot, "paused")
        await app.workers.wait_for_complete()
        assert screen.snapshot.step - pressed_at <= 20, (pressed_at, screen.snapshot.step)
        step = screen.snapshot.step
        await pilot.pause(0.3)
        assert screen.snapshot.step == step  # the worker really stopped


async def test_a_frame_repaints_only_the_cells_the_line_changed():
    app = make_app(Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.pause()
        plot = app.screen.query_one(FitPlot)
        picture = plot.picture
        dirty = []
        original = plot.refresh
        plot.refresh = lambda *regions, **kw: (dirty.append(regions), original(*regions, **kw))[1]
        curve = app.screen.problem.model.curve(app.screen.snapshot.vector, plot.curve_x)
        plot.show_fit(curve)  # the same line: nothing to repaint
        plot.show_fit(curve + 0.5 * (plot.limits[3] - plot.limits[2]) / picture.canvas.rows)  # half a cell up
        await pilot.pause()
        assert dirty and all(regions for regions in dirty), "a moved line must not repaint the whole plot"
        assert sum(len(regions) for regions in dirty) <= picture.canvas.rows
        assert plot.picture is picture  # the axes and the points were not rebuilt
