"""Keys (issue 12, item 5): a burst applies in the order typed; letters land in a field only when the person went there;
closing a modal gives focus back to where it was."""

from __future__ import annotations

import pytest
from textual import events

from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state, wait_until
from tui.app import make_app

pytestmark = pytest.mark.slow  # each test here runs the app or a subprocess for over a second


def _burst(app, *keys: tuple[str, str | None]) -> None:
    """Keys as a terminal sends them in one burst: straight into the app's queue, no pause between them."""
    for key, character in keys:
        app._driver.send_message(events.Key(key, character))


@pytest.mark.parametrize(
    "burst",
    [
        [("question_mark", "?"), ("escape", "\x1b"), ("q", "q")],
        # what a terminal really sends for Escape then q typed quickly: ESC q in one read, which parses as alt+q
        [("question_mark", "?"), ("alt+q", "q")],
    ],
)
async def test_question_mark_escape_q_in_one_burst_quits_with_0(burst):
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        _burst(app, *burst)
        await wait_until(pilot, lambda: app.return_code is not None, what="the app to exit")
    assert app.return_code == 0


async def test_a_burst_typed_into_a_field_keeps_its_order():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        field = app.screen.query_one("#setting-lr")
        field.focus()  # as a click would
        await pilot.press("ctrl+a", "ctrl+k")
        _burst(app, *[(c if c.isalnum() else "full_stop", c) for c in "0.00025"])
        await wait_until(pilot, lambda: field.value == "0.00025", what=f"0.00025 typed in order (now {field.value!r})")
