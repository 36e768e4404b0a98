"""Issue 21 in the app: key m reaches momentum's β*, lr*; o never crashes where κ is beyond double precision; the
landscape is drawn in the data's (k, b) units whatever --standardize says."""

from __future__ import annotations

import numpy as np
import pytest

from engine.maths.optimizer_rules import lr_limit, momentum_best
from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state, wait_until
from tui.app import make_app

pytestmark = pytest.mark.slow  # each test runs the app


async def test_m_switches_to_momentum_at_its_best_beta_and_lr_which_converge():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        await pilot.press("m")
        await wait_until(pilot, lambda: screen.settings.optimizer == "momentum")
        s, analysis = screen.settings, screen.analysis
        best = momentum_best(analysis.lambda_max, analysis.lambda_min)
        assert s.momentum == pytest.approx(best.beta, abs=1e-3) and s.lr == pytest.approx(best.lr, rel=2e-3)
        assert s.lr < lr_limit(analysis.lambda_max, "momentum", s.momentum)  # as set (cut down), it stays stable
        assert str(screen.query_one("#setting-lr").value) == f"{s.lr:g}"
        await pilot.press("t", "space")
        await wait_for_state(pilot, "done", timeout=60)
        assert screen.snapshot.status == "done" and screen.snapshot.loss < 92.398  # better than plain at 1e-4


async def test_o_where_kappa_is_beyond_double_precision_says_words_not_a_traceback():
    """Issue 21: poly:5 on raw x, κ ≥ 1e16: the step count divided by log((κ−1)/(κ+1)) = 0 on `o`."""
    app = make_app(Settings(device="cpu", model="poly:5", steps=20))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        assert screen.analysis.condition_number > 1e15
        await pilot.press("o")  # the best lr for the steps left (issue 23): a number, not a crash
        await wait_until(pilot, lambda: screen.settings.lr != 1e-4, what="o's lr")
        assert 0 < screen.settings.lr < screen.analysis.lr_max
        await pilot.press("x")
        await pilot.pause()
        whole = app.screen.text.plain
        assert "no lr makes plain gradient descent fast" in whole
        assert "more steps than can be counted" in whole and "never shrinks" not in whole


async def test_the_landscape_is_drawn_in_the_datas_units_when_x_is_standardized():
    """Issue 21: with standardizing on the axes read k −3.7 … 33.9 (fitted units) while the status showed k ≈ 0.6."""
    app = make_app(Settings(device="cpu", standardize=True, lr=0.1, steps=30))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        await pilot.press("l")
        await pilot.press("t", "space")
        await wait_for_state(pilot, "done")
        await pilot.pause()
        view = screen.landscape
        ranges = view.render().plain.split("\n")[-1]
        k_low, k_high = view.landscape.k_values[0], view.landscape.k_values[-1]
        start, end = screen.insight.path[0], screen.snapshot
        k_start = start @ view.to_drawn[0]
        assert k_low <= k_start <= k_high and k_low <= end.params["k"] <= k_high
        assert k_high - k_low < 5 and f"k {k_low:.4g} …" in ranges  # the data's k (≈0.6 → 1.01), not standardized units
        assert view.char_at(*view.cell_of(screen.optimum.vector)) in ("✕", "◆")
        # a cell's loss is the loss at that (k, b) in the data's units: y − (k·x + b)
        x, y = screen.dataset.x, screen.dataset.y
        row, column = 3, 5
        k, b = view.landscape.k_values[column], view.landscape.b_values[row]
        assert 10 ** view.landscape.log_loss[row, column] == pytest.approx(np.mean((k * x + b - y) ** 2), rel=1e-9)
