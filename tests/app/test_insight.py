"""Issue 5 in the app: the Analysis panel, the lr warning, `o` for lr_best, a divergence explained.

Every number is checked against numpy on the run's own points, never against the app's earlier output.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine.settings.run_settings import Settings
from tests.helpers import status_text, wait_for_state, wait_until
from tui.app import make_app


def tutorial_eigenvalues(screen) -> tuple[float, float]:
    """λmin, λmax of H = (2/N)·ΦᵀΦ, Φ = [x, 1], by numpy on the points the screen shows."""
    x = screen.dataset.x
    phi = np.stack([x, np.ones_like(x)], axis=1)
    low, high = np.linalg.eigvalsh(2.0 / len(x) * phi.T @ phi)
    return float(low), float(high)


@pytest.mark.slow
async def test_the_analysis_panel_shows_the_tutorials_curvature():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.pause()
        low, high = tutorial_eigenvalues(screen)
        panel = screen.analysis_panel
        assert panel.display and panel.size.height >= 3
        text = panel.plain
        assert f"λmax {high:.4g}" in text
        assert f"λmin {low:.4g}" in text
        assert f"κ {high / low:,.0f}" in text
        assert f"lr_max = 2/λmax {2 / high:.4g}" in text
        assert f"lr_best = 2/(λmax+λmin) {2 / (high + low):.4g}" in text
        steps = np.ceil(np.log(1000) / -np.log(1 - 1e-4 * low))  # the slow direction sets the pace
        assert f"~{steps:,.0f} steps to shrink the error 1000×" in text
        assert 12_000 < high / low < 15_000, "the tutorial's valley is elongated"


@pytest.mark.slow
async def test_y_toggles_the_panel_and_a_narrow_screen_starts_without_it():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.pause()
        assert not screen.analysis_panel.display
        await pilot.press("y")
        await pilot.pause()
        assert screen.analysis_panel.display and "lr_max" in screen.analysis_panel.plain
        await pilot.press("y")
        await pilot.pause()
        assert not screen.analysis_panel.display


async def test_an_lr_above_lr_max_warns_before_the_run():
    app = make_app(Settings(lr=5e-4, device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        _, high = tutorial_eigenvalues(screen)
        assert 5e-4 > 2 / high
        for text in (status_text(app), screen.analysis_panel.whole().plain):
            assert f"lr 0.0005 is above lr_max = 2/λmax = {2 / high:.3g}" in text and "diverge" in text
        assert "⚠ lr 0.0005 is above lr_max" in screen.analysis_panel.plain  # the headline, in place
        assert screen.state == "ready", "the warning must come before the run, not after"


@pytest.mark.slow
async def test_no_warning_at_the_tutorials_lr_until_a_large_one_is_typed():
    app = make_app(Settings(lr=1e-4, device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        assert "above lr_max" not in status_text(app)
        assert "above lr_max" not in screen.analysis_panel.plain
        screen.query_one("#setting-lr").focus()
        await pilot.press("ctrl+a", "ctrl+k", *"0.001")  # typed, not applied yet
        await pilot.pause()
        assert screen.settings.lr == 1e-4
        assert "lr 0.001 is above lr_max" in status_text(app)
        assert "lr 0.001 is above lr_max" in screen.analysis_panel.whole().plain


@pytest.mark.slow
async def test_o_sets_the_best_lr_for_the_steps_not_lr_best():
    """o (issue 23): the lr leaving the least loss after the run's 1000 steps, below lr_best and lr_max; it converges."""
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        low, high = tutorial_eigenvalues(screen)
        lr_best = 2.0 / (high + low)
        await pilot.press("o")
        await wait_for_state(pilot, "ready")
        lr = screen.settings.lr
        assert 0.99 * lr_best < lr < lr_best, "a little below lr_best: the steep error must die out within 1000 steps"
        shown = float(screen.query_one("#setting-lr").value)
        assert abs(shown - lr) <= 1e-5 * lr
        assert screen.snapshot.step == 0, "a new lr starts the run again from step 0"
        assert any("the least loss after 1,000 steps" in n.message for n in app._notifications)
        await pilot.press("t", "space")
        await wait_for_state(pilot, "done")  # below lr_max: it converges, it doesn't diverge


@pytest.mark.slow
async def test_o_needs_an_exact_analysis():
    app = make_app(Settings(model="mlp:4", device="cpu", steps=50))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        lr = screen.settings.lr
        assert "estimate" in screen.analysis_panel.plain and "λmax ≈" in screen.analysis_panel.plain
        await pilot.press("o")
        await pilot.pause()
        assert screen.settings.lr == lr
        assert any("closed form" in n.message and "mlp:4" in n.message for n in app._notifications)


@pytest.mark.slow
async def test_a_divergence_names_the_step_and_lr_max():
    app = make_app(Settings(lr=1e-3, device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        _, high = tutorial_eigenvalues(screen)
        await pilot.press("t", "space")
        await wait_for_state(pilot, "diverged")
        text = status_text(app)
        step = screen.snapshot.diverged_at
        assert text.startswith(f"diverged  step {step} / 1,000: at step {step}: lr 0.001 is")
        assert f"lr_max = 2/λmax = 2/{high:.4g} = {2 / high:.3g}" in text
        assert f"{1e-3 / (2 / high):.3g}×" in text
        assert f"Diverged at step {step}" in screen.analysis_panel.plain
        assert "To fix it" in screen.analysis_panel.whole().plain  # the remedy is never cut


@pytest.mark.slow
async def test_a_stall_along_the_valley_is_said_in_words():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.press("t", "space")
        await wait_for_state(pilot, "done")
        await wait_until(pilot, lambda: "far from" in screen.analysis_panel.whole().plain, what="the stall explained")
        b_now, b_best = screen.snapshot.params["b"], screen.optimum.params["b"]
        assert abs(b_now - b_best) > 0.1, "the tutorial's b barely moves in 1000 steps"
        assert f"b = {b_now:.4g} is still far from {b_best:.4g}" in screen.analysis_panel.plain
        assert any("far from" in n.message for n in app._notifications)


@pytest.mark.slow
async def test_the_estimate_for_a_network_follows_the_run():
    """mlp: λmax is estimated in the run's thread between steps, every few frames, and labelled as an estimate."""
    from engine.maths.curvature import estimate_lambda_max

    app = make_app(Settings(model="mlp:8", device="cpu", steps=200_000, lr=1e-3))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        first = screen.analysis
        assert not first.exact and first.lambda_max == estimate_lambda_max(screen.problem, screen.snapshot.vector)
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.analysis != first, what="a new estimate")
        await pilot.press("space")
        await app.workers.wait_for_complete()
        assert "Analysis (estimate)" in screen.analysis_panel.plain and "λmax ≈" in screen.analysis_panel.plain
        assert screen.snapshot.step > 0
