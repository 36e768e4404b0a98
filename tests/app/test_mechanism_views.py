"""Issue 23 in the app at 80×24: v (the valley's two directions), a (autograd's graph), b in the code pane, best typed."""

from __future__ import annotations

import numpy as np
import pytest

from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state, wait_until
from tui.app import make_app

pytestmark = pytest.mark.slow  # each runs the app


async def test_v_shows_both_directions_with_their_rates():
    app = make_app(Settings(device="cpu", steps=60))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.press("v")
        await pilot.press("t", "space")
        await wait_for_state(pilot, "done")
        await pilot.pause()
        view = screen.query_one("#valley")
        assert view.display and not screen.fit.display
        assert "steep ×0.32982" in view.caption and "flat ×0.99995" in view.caption
        assert view.size.width >= 40 and view.size.height >= 8  # room to read it at 80×24
        steps, vectors = screen.valley._history()
        assert list(steps) == list(range(61))  # every step, though turbo drew a frame every few dozen
        assert vectors[-1] == pytest.approx(screen.snapshot.vector)
        await pilot.press("v")
        assert screen.fit.display and not view.display


async def test_v_says_why_not_for_an_mlp():
    app = make_app(Settings(device="cpu", model="mlp:3", steps=5))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.press("v")
        await pilot.pause()
        assert "linear in θ" in app.screen.query_one("#valley").caption
        assert any("linear in θ" in n.message for n in app._notifications)


async def test_a_shows_torchs_graph_and_the_chain_rule():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.press("a")
        await pilot.pause()
        text = screen.autograd.plain
        for name in ("MseLossBackward0", "MvBackward0", "AccumulateGrad", "chain rule: ∂L/∂k"):
            assert name in text
        k, b = screen.snapshot.vector
        x, y = screen.problem.dataset.x, screen.problem.dataset.y
        assert f"backward() gave ∂L/∂k = {2 * np.mean((k * x + b - y) * x):.4g}" in text
        assert screen.autograd.max_scroll_y > 0  # taller than its room at 80×24: it scrolls


async def test_b_breaks_the_loop_for_real_and_mends_it():
    app = make_app(Settings(device="cpu", steps=40))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.press("c")
        await pilot.press("b")
        await pilot.pause()
        code = screen.teaching.code
        assert code.broken and screen.problem.forgets_grad_reset
        lines = code.text(20).plain.splitlines()
        assert any(line.startswith("- ") and "theta.grad = None" in line for line in lines)
        assert any("never settling (x: why)" in n.message for n in app._notifications)
        whole = screen.analysis_panel.whole().plain
        assert "theta.grad is the sum of every gradient so far" in " ".join(whole.split())
        await pilot.press("t", "space")
        await wait_for_state(pilot, "done")
        assert screen.problem.model.tensors[0].grad is not None  # .grad held the running sum
        await pilot.press("b")
        await pilot.pause()
        assert not code.broken and not any(line.startswith("- ") for line in code.text(20).plain.splitlines())


async def test_n_with_the_loop_broken_takes_one_whole_step():
    """c, b, then n: a whole step, said so (n once called itself for ever: a RecursionError ended the app)."""
    app = make_app(Settings(device="cpu", steps=40))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.press("c", "b")
        await pilot.pause()
        assert screen.teaching.code.broken
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.snapshot.step == 1, what="step 1")
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.snapshot.step == 2, what="step 2")
        assert app.is_running and screen.state == "paused"
        assert any("n takes the whole step" in n.message for n in app._notifications)


async def test_best_typed_in_the_lr_field_becomes_a_number():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        field = screen.query_one("#setting-lr")
        field.focus()
        field.value = "best"
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.settings.lr != 1e-4, what="the best lr applied")
        assert 2.9e-4 < screen.settings.lr < 2.984e-4


async def test_the_ladder_race_names_each_regime():
    from engine.settings.presets import PRESETS
    from engine.settings.racers import parse_race

    app = make_app(Settings(device="cpu", steps=100), race=parse_race(PRESETS["ladder"].race))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.press("t", "space")
        await wait_for_state(pilot, "done")
        regimes = {label: words.split(";")[0] for label, _, words in screen.insight.ranked}
        assert regimes == {"0.5/λmax": "smooth", "1/λmax": "one step", "1.5/λmax": "zig-zag", "1.9/λmax": "zig-zag", "2.1/λmax": "diverges"}
