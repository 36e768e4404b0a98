"""The app with Pilot: start, run until the loss has fallen, pause, step, reset, new data, divergence.

The default pace is tested on a fake clock in test_app_parts.py, and timed in benchmarks/pace.py."""

from __future__ import annotations

import numpy as np
import pytest

from engine.settings.run_settings import Settings
from tests.helpers import status_text, wait_for_state, wait_until
from tui.app import make_app
from tui.widgets.loss_plot import LossPlot


@pytest.mark.slow
async def test_run_to_the_end_and_the_loss_falls():
    app = make_app(Settings(steps=300))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        first_loss = screen.snapshot.loss
        assert screen.snapshot.step == 0
        await pilot.press("t", "space")
        await wait_for_state(pilot, "done")
        assert screen.snapshot.step == 300
        assert screen.snapshot.loss < first_loss / 3
        steps, logs = screen.query_one(LossPlot).log10_points()
        assert steps[0] == 0 and steps[-1] == 300
        assert logs[-1] < logs[0]
        text = status_text(app)
        assert "300 / 300" in text and "done" in text


@pytest.mark.slow  # the tutorial's 1000 steps at the demo pace: ~8 s
async def test_default_pace_is_the_demo_and_the_tutorial_runs_to_its_end():
    """The default is the demo pace (its schedule, 1000 steps in 8 s, is tests/app/test_lesson_pace.py's, on a fake clock)."""
    app = make_app(Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        assert screen.pace.demo and "pace demo" in status_text(app)
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.snapshot.step >= 1, what="the first step at once")
        assert screen.state == "running"
        await wait_for_state(pilot, "done", timeout=60)
        assert screen.snapshot.step == 1000 and "pace demo" in status_text(app)


async def test_pause_step_reset_and_new_data():
    app = make_app(Settings(steps=10**9))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        start_vector = screen.snapshot.vector.copy()
        x0, y0 = screen.dataset.x.copy(), screen.dataset.y.copy()
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.snapshot.step > 5, what="some steps")
        await pilot.press("space")
        assert screen.state == "paused"
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        paused_at = screen.snapshot.step
        await pilot.pause(0.3)
        assert screen.snapshot.step == paused_at, "a paused run kept stepping"

        await pilot.press("n")
        await wait_until(pilot, lambda: screen.snapshot.step == paused_at + 1, what="one step")
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert screen.snapshot.step == paused_at + 1 and screen.state == "paused"

        await pilot.press("space")  # resumes from the same parameters, not from the start
        await wait_until(pilot, lambda: screen.snapshot.step > paused_at + 5, what="resumed steps")
        await pilot.press("space", "r")  # pause, then a new start
        await wait_for_state(pilot, "ready")
        assert screen.settings.start == 1 and screen.snapshot.step == 0
        assert screen.dataset.x is not None and np.array_equal(screen.dataset.y, y0), "reset changed the data"
        assert not np.allclose(screen.snapshot.vector, start_vector), "reset kept the old start"

        await pilot.press("g")
        await wait_for_state(pilot, "ready")
        assert screen.settings.seed == 1
        assert np.array_equal(screen.dataset.x, x0) and not np.array_equal(screen.dataset.y, y0), "g kept the old points"
        assert app.screen.query_one("#setting-seed").value == "1"
        assert app.screen.query_one("#setting-start").value == "1"


@pytest.mark.slow
async def test_divergence_stops_and_says_so():
    app = make_app(Settings(lr=1e-3))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.press("t", "space")
        await wait_for_state(pilot, "diverged")
        text = status_text(app)
        assert "diverged" in text and f"at step {screen.snapshot.diverged_at}" in text and "lr_max" in text
        assert screen.snapshot.step < 1000


@pytest.mark.slow
async def test_faster_slower_and_turbo_change_the_pace():
    app = make_app(Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        pace = app.screen.pace
        rate = pace.rate
        await pilot.press("plus")
        assert pace.rate == 2 * rate
        await pilot.press("minus", "minus")
        assert pace.rate == rate / 2
        await pilot.press("t")
        assert pace.turbo and "turbo" in status_text(app)
        await pilot.press("t")
        assert not pace.turbo


@pytest.mark.slow
async def test_an_error_in_the_run_is_a_sentence_not_a_traceback():
    app = make_app(Settings(steps=10**9))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")

        def broken():
            yield screen.snapshot
            raise RuntimeError("the device went away")

        screen.runner.generator = broken()
        await pilot.press("space")
        await wait_for_state(pilot, "error")
        assert app.is_running
        assert "RuntimeError: the device went away" in status_text(app)
