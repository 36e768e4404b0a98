"""The app under stress: a step that raises, hundreds of mashed keys with resizes, and a long turbo run's memory."""

from __future__ import annotations

import os
import random

import pytest

from engine.settings.run_settings import Settings
from tests.helpers import status_text, wait_for_state, wait_until
from tui.app import make_app
from tui.widgets.loss_plot import HISTORY_ROWS, LossPlot

STATES = {"loading", "ready", "running", "paused", "done", "diverged", "error"}
FAIL_AT = 7


def _failing_first_run(monkeypatch) -> list[int]:
    """The first generator the app builds raises at step FAIL_AT; later ones (after r) are the real thing."""
    import engine.descent.descend

    real = engine.descent.descend.descend
    built = []

    def descend(problem):
        built.append(len(built))
        if len(built) > 1:
            yield from real(problem)
            return
        for snapshot in real(problem):
            if snapshot.step == FAIL_AT:
                raise RuntimeError(f"injected failure at step {FAIL_AT}")
            yield snapshot

    monkeypatch.setattr(engine.descent.descend, "descend", descend)
    return built


@pytest.mark.slow
async def test_a_failing_step_stops_the_run_with_a_sentence_and_r_recovers(monkeypatch):
    built = _failing_first_run(monkeypatch)
    app = make_app(Settings(steps=200))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.press("space")
        await wait_for_state(pilot, "error")
        text = status_text(app)
        assert f"the run stopped after step {FAIL_AT - 1}" in text and f"RuntimeError: injected failure at step {FAIL_AT}" in text, text
        assert screen.snapshot.step == FAIL_AT - 1, "the last good step is what is shown"
        assert app.is_running and app._exception is None

        await pilot.press("space")  # nothing to resume: it says so and stays put
        assert screen.state == "error"
        await pilot.press("r")  # a new start builds a new, working run
        await wait_for_state(pilot, "ready")
        assert len(built) == 2 and screen.note == ""
        await pilot.press("t", "space")
        await wait_for_state(pilot, "done")
        assert screen.snapshot.step == 200 and "200 / 200" in status_text(app)


MASH_KEYS = ["space", "n", "r", "g", "plus", "minus", "t", "p", "question_mark", "escape", "tab", "shift+tab", "enter",
             "backspace", *"0123456789", *"abcdefhijkmsuvwxyz.:-e"]
SIZES = [(100, 30), (80, 24), (60, 18), (50, 12), (140, 40), (100, 30)]


@pytest.mark.slow
async def test_mashing_keys_while_running_leaves_the_app_alive_and_consistent(in_tmp_path):
    rng = random.Random(8)
    app = make_app(Settings(steps=10**9))
    pressed = 0
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.press("space")
        for burst in range(7):
            keys = [rng.choice(MASH_KEYS) for _ in range(32)]
            await pilot.press(*keys)
            pressed += len(keys)
            await pilot.resize_terminal(*SIZES[burst % len(SIZES)])
            assert app.is_running
        await pilot.resize_terminal(100, 30)
        # leave the help and the fields; undo what was typed into them; then let it settle
        await pilot.press("escape", "escape")
        screen = app.screen
        screen.panel.set_applied(screen.settings)
        screen.teaching.show_code(False)  # a `c` among the keys: with the code pane shown n walks a step phase by phase
        screen.focus_plot()
        await wait_until(pilot, lambda: screen.state in STATES - {"loading"}, what="a settled state")
        if screen.state == "running":
            await pilot.press("space")
        # An `e` among the keys may be re-running all 10⁹ steps for an export: wait for the run's workers
        # only; the export is cancelled when the app quits.
        await app.workers.wait_for_complete([w for w in app.workers if w.group != "export"])
        await pilot.pause(0.2)
        assert app.is_running and app._exception is None
        assert screen.state in {"ready", "paused"}, f"state {screen.state}: {screen.note}"
        assert screen.snapshot is not None and f"{screen.snapshot.step:,} / {screen.settings.steps:,}" in status_text(app)
        assert screen.state in status_text(app)
        # still usable: a step moves it by exactly one
        before = screen.snapshot.step
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.snapshot.step == before + 1, what="one more step")
    assert pressed >= 224


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads the resident size from /proc")
async def test_a_long_turbo_run_keeps_memory_flat():
    app = make_app(Settings(steps=10**9))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.press("t", "space")
        await wait_until(pilot, lambda: screen.snapshot.step > 10_000, what="10,000 steps")
        # past the warm-up: caches and the plot's buffers are at their size
        early_step, early_mb = screen.snapshot.step, _rss_mb()
        # counted in steps, not seconds: a loaded machine takes longer, the run is as long
        await wait_until(pilot, lambda: screen.snapshot.step > early_step + 20_000, timeout=180, what="20,000 more steps")
        late_step, late_mb = screen.snapshot.step, _rss_mb()
        history = screen.query_one(LossPlot).history
        assert screen.state == "running"
        assert len(history) <= HISTORY_ROWS
        assert late_mb - early_mb < 20, f"memory grew {late_mb - early_mb:.1f} MB over {late_step - early_step:,} steps"
        print(f"soak: steps {early_step:,} → {late_step:,}, RSS {early_mb:.1f} → {late_mb:.1f} MB, history {len(history)} points")
