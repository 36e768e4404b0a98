"""Issue 5's panels in the app: the loss landscape (l), autograd beside the formulas (a), the warm-up (w)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state, wait_until
from tui.app import make_app
from tui.widgets.landscape_view import NOW, OPTIMUM, PATH

pytestmark = pytest.mark.slow  # each test here runs the app or a subprocess for over a second

STEPS = 40


async def test_the_landscape_shows_the_path_now_and_the_optimum():
    settings = Settings(steps=STEPS, device="cpu")
    app = make_app(settings)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.press("l")
        await pilot.pause()
        view = screen.landscape
        assert view.display and not screen.fit.display
        await pilot.press("t", "space")
        await wait_for_state(pilot, "done")
        await pilot.pause()
        grid = "\n".join(view.render().plain.split("\n")[1:-1])  # without the legend and the ranges
        assert grid.count(NOW) == 1 and grid.count(OPTIMUM) == 1 and PATH in grid
        # The same run again, outside the app: every θ it passed through lies on a drawn path cell.
        vectors = [s.vector.copy() for s in descend(make_problem(settings, screen.dataset))]
        assert len(vectors) == STEPS + 1
        for vector in vectors:
            row, column = view.cell_of(vector)
            assert view.char_at(row, column) in (PATH, NOW, OPTIMUM), f"θ {vector} is not on the drawn path"
        row, column = view.cell_of(vectors[-1])
        assert view.char_at(row, column) == NOW
        row, column = view.cell_of(screen.optimum.vector)
        assert view.char_at(row, column) == OPTIMUM
        # the elongated valley: in every row of the picture the darkest cell is within a few columns of the optimum's
        shade, _ = view.shading(view.landscape)
        _, optimum_column = view.cell_of(screen.optimum.vector)
        assert shade.shape[0] >= 5
        assert np.all(np.abs(shade.argmin(axis=1) - optimum_column) <= 3)
        await pilot.press("l")
        assert screen.fit.display and not view.display


async def test_the_landscape_needs_two_parameters():
    app = make_app(Settings(model="mlp:4", device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.press("l")
        await pilot.pause()
        assert not screen.landscape.display and screen.fit.display
        assert any("two parameters" in n.message and "mlp:4" in n.message for n in app._notifications)


async def test_the_autograd_panel_shows_both_gradients_equal():
    app = make_app(Settings(device="cpu", steps=1000))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.press("a")
        await pilot.press("n", "n", "n")
        await wait_until(pilot, lambda: screen.snapshot.step == 3, what="three steps")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.autograd.display and not screen.loss.display
        snapshot = screen.snapshot
        k, b = snapshot.vector
        # the points as backward() saw them (float32), then float64 arithmetic, as the panel's formula column does
        x, y = (v.astype(np.float32).astype(np.float64) for v in (screen.dataset.x, screen.dataset.y))
        residual = k * x + b - y
        formula = np.array([2 * np.mean(residual * x), 2 * np.mean(residual)])  # the tutorial's formulas, numpy
        np.testing.assert_allclose(snapshot.gradient, formula, rtol=1e-4)
        text = screen.autograd.plain
        assert "Autograd at step 3" in text and "predictions = k·x + b" in text
        assert f"{formula[0]:.7g}" in text and f"{formula[1]:.7g}" in text
        assert f"{snapshot.gradient[0]:.7g}" in text
        assert "equal within float32 rounding" in text


async def test_w_shows_the_warm_up():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.press("w")
        await pilot.pause()
        from tui.screens.warmup_screen import WarmUpScreen

        assert isinstance(app.screen, WarmUpScreen)
        text = str(app.screen.query_one("#warmup-text").render())
        x = np.linspace(0, 10, 100)
        assert f"z = {np.mean((x + 2) ** 2):.6g}" in text
        assert f"{2 * (x[50] + 2) / 100:>14.7f}" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, WarmUpScreen)
