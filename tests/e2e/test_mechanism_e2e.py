"""Issue 23 through the real `descent` in a pseudo-terminal at 80×24: v draws the valley's two directions with their rates,
a shows torch's graph, q quits with 0."""

from __future__ import annotations

import pytest

from tests.e2e.pty_screen import PtyScreen

pytestmark = pytest.mark.slow


def test_v_and_a_in_a_real_terminal():
    terminal = PtyScreen("--steps", "60", "--device", "cpu")
    try:
        terminal.wait_for("ready")
        terminal.press("v")
        terminal.press("t ")
        screen = terminal.wait_for("steep ×0.32982 a step")
        assert "flat ×0.99995 a step" in screen and "log10 |error|" in screen
        terminal.press("a")
        terminal.wait_for("MseLossBackward0")
        terminal.press("q")
        assert terminal.close() == 0
    finally:
        if terminal.process.isalive():
            terminal.process.terminate(force=True)
