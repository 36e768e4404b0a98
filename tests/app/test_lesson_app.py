"""Issue 12 in the app: L − L* shown, the teaching's texts, direct control (go on, a marble), a CSV's own names,
and focus that keeps letters out of the fields."""

from __future__ import annotations

import numpy as np
import pytest

from engine.settings.run_settings import Settings
from tests.helpers import status_text, wait_for_state, wait_until
from tui.app import make_app


@pytest.mark.slow
async def test_the_loss_plot_and_the_status_show_the_excess_over_l_star():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        best = screen.optimum.loss
        assert screen.loss.optimum_loss == best and screen.loss.label == "log10(L−L*)"
        assert f"L−L* {screen.snapshot.loss - best:.4g}" in status_text(app)
        await pilot.press("t", "space")
        await wait_for_state(pilot, "done")
        excess = screen.snapshot.loss - best
        assert 0 < excess < 0.05 and f"L−L* {excess:.4g}" in status_text(app)  # b's crawl: the loss reads 92.4 throughout
        _, logs = screen.loss.log10_points()
        assert logs[0] > 2 and logs[-1] < -1  # both phases on one axis: 470 above L* at the start, < 0.05 at the end


@pytest.mark.slow
async def test_without_a_known_optimum_the_loss_plot_shows_log10_l():
    app = make_app(Settings(device="cpu", loss="mae", steps=20))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        assert app.screen.loss.optimum_loss is None and app.screen.loss.label == "log10 loss"
        assert "L−L*" not in status_text(app)


async def test_the_fit_plot_carries_a_csvs_column_names_and_the_panel_its_facts(tmp_path):
    path = tmp_path / "heights.csv"
    path.write_text("name,height,weight\na,150,50\nb,160,56\nc,170,63\nd,185,80\n")
    app = make_app(Settings(device="cpu", data=str(path), x_column="height", y_column="weight", lr=1e-5))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.pause()
        fit = app.screen.fit
        assert (fit.x_label, fit.y_label) == ("height", "weight")
        title = "".join(char for char, _ in fit.picture.cells[0])  # the axes' names are in the title (a row of canvas more)
        assert "weight against height" in title
        facts = str(app.screen.query_one("#data-facts").render())
        assert "heights.csv" in facts and "4" in facts and "150 … 185" in facts
        assert not app.screen.panel._rows["points"].display


@pytest.mark.slow
async def test_o_says_what_it_chose_and_x_shows_what_no_lr_can_do():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        await pilot.press("o")
        await wait_until(pilot, lambda: any("the least loss after 1,000 steps" in n.message for n in app._notifications))
        toast = next(n.message for n in app._notifications if "least loss" in n.message)
        assert toast.startswith(f"lr best = {screen.settings.lr:.6g}") and not toast.endswith("…")
        await pilot.press("x")
        await pilot.pause()
        from tui.screens.explain_screen import ExplainScreen

        assert isinstance(app.screen, ExplainScreen)
        whole = app.screen.text.plain
        assert "(κ−1)/(κ+1)" in whole and "key z" in whole and "key m" in whole
        await pilot.press("escape")
        assert app.screen is screen


@pytest.mark.slow
async def test_z_standardizes_and_m_switches_to_momentum():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        await pilot.press("m")
        await wait_until(pilot, lambda: screen.settings.optimizer == "momentum")
        assert str(screen.query_one("#setting-optimizer").value) == "momentum"
        await pilot.press("z")
        await wait_for_state(pilot, "ready")
        assert screen.settings.standardize and screen.analysis.condition_number < 2
        assert screen.query_one("#setting-standardize").label.plain == "on"


@pytest.mark.slow
async def test_a_new_lr_mid_run_goes_on_from_theta_with_a_mark():
    app = make_app(Settings(device="cpu", steps=2000))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        await pilot.press("n", "n", "n")
        await wait_until(pilot, lambda: screen.snapshot.step == 3)
        theta = screen.snapshot.vector.copy()
        screen.apply({"lr": 2e-4})
        await pilot.pause()
        assert screen.settings.lr == 2e-4 and screen.snapshot.step == 3 and screen.state == "paused"
        assert screen.loss.marks == (3,)
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.snapshot.step == 4)
        # one plain step at the new lr from θ₃: θ₄ = θ₃ − lr·∇L(θ₃), with ∇L = (2/N)·Φᵀ(Φθ − y)
        x, y = screen.dataset.x, screen.dataset.y
        phi = np.stack([x, np.ones_like(x)], axis=1)
        expected = theta - 2e-4 * (2 / len(x)) * phi.T @ (phi @ theta - y)
        np.testing.assert_allclose(screen.snapshot.vector, expected, rtol=1e-4)


@pytest.mark.slow
async def test_arrows_on_the_landscape_drop_the_marble_and_the_run_starts_there():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        await pilot.press("l")
        await pilot.pause()
        assert app.focused is screen.landscape
        start = screen.snapshot.vector.copy()
        k_step = screen.landscape.landscape.k_step
        await pilot.press("right")
        await wait_until(pilot, lambda: screen.state == "ready" and not np.allclose(screen.snapshot.vector, start))
        np.testing.assert_allclose(screen.snapshot.vector, start + [k_step, 0.0], rtol=1e-5)
        assert screen.snapshot.step == 0
        # a click puts it on the cell clicked
        await pilot.click(screen.landscape, offset=(2, 2))
        await wait_until(pilot, lambda: not np.allclose(screen.snapshot.vector, start + [k_step, 0.0]))
        assert screen.snapshot.step == 0 and app.focused is screen.landscape


@pytest.mark.slow
async def test_letters_never_land_in_a_field_after_a_modal_closes():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        points = screen.query_one("#setting-points")
        await pilot.press("l", "question_mark", "escape", "a", "l", "y")
        await pilot.pause()
        assert points.value == "100" and not isinstance(app.focused, type(points))


@pytest.mark.slow
async def test_closing_a_modal_gives_the_focus_back_to_the_field_the_person_chose():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        lr = app.screen.query_one("#setting-lr")
        await pilot.click(lr)
        assert app.focused is lr
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is lr


@pytest.mark.slow
async def test_a_preset_starts_its_lesson_from_step_0_and_warns_about_nothing_but_its_lesson():
    from engine.settings.presets import PRESETS
    from tui.screens.preset_commands import apply_preset_to

    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        for name in PRESETS:
            if PRESETS[name].race:
                continue
            apply_preset_to(screen, name)
            await wait_for_state(pilot, "ready", timeout=60)
            assert screen.snapshot.step == 0 and screen.loss.marks == ()
            warned = "⚠" in screen.analysis_panel.plain or "above" in status_text(app)
            assert warned == (name == "diverge"), name


@pytest.mark.slow
async def test_a_new_lr_while_running_keeps_running_from_where_it_was():
    app = make_app(Settings(device="cpu", steps=200_000))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        await pilot.press("t", "space")
        await wait_until(pilot, lambda: screen.snapshot.step > 50, what="50 steps")
        screen.apply({"lr": 2e-4})
        at = screen.loss.marks[0]
        assert screen.state == "running" and at > 50 and screen.settings.lr == 2e-4
        await wait_until(pilot, lambda: screen.snapshot.step > at + 100, what="100 steps more")
        steps, _ = screen.loss.history.rows()[:, 0], None
        assert steps.min() == 0  # the curve was kept, not started over
        await pilot.press("space")
        await wait_for_state(pilot, "paused")
