"""Issue 23 through the real `descent` in a pseudo-terminal at 80×24: v draws the valley's two directions with their rates,
a shows torch's graph, q quits with 0."""

from __future__ import annotations

import pytest

from tests.e2e.terminal import Terminal

pytestmark = pytest.mark.slow


def test_v_and_a_in_a_real_terminal():
    with Terminal("--steps", "60", "--device", "cpu") as terminal:
        terminal.wait_for("ready")
        terminal.press("v", "t", "space")
        terminal.wait_for("steep ×0.32982 a step")
        screen = terminal.text()
        assert "flat ×0.99995 a step" in screen and "log10 |error|" in screen
        terminal.press("a")
        terminal.wait_for("MseLossBackward0")
        terminal.press("q")
        assert terminal.wait_exit() == 0
