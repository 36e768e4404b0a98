"""The main screen's parts talk through arguments and messages: no mixins, no reaching into the panel's inputs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.screen import Screen
from textual.widgets import Input

from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state
from tui.app import make_app
from tui.screens.main_screen import MainScreen
from tui.screens.race_screen import RaceScreen
from tui.widgets.parameter_panel import ParameterPanel

SCREENS = Path(__file__).resolve().parents[2] / "tui" / "screens"


def test_the_screens_are_plain_screens():
    assert MainScreen.__bases__ == (Screen,) and RaceScreen.__bases__ == (Screen,)


def test_no_screen_module_names_the_panels_inputs():
    """The panel's controls are its own: a screen that needs a value asks the panel or hears its messages."""
    for path in SCREENS.glob("*.py"):
        strings = [n.value for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        assert not [s for s in strings if "setting-" in s], path.name


@pytest.mark.slow
async def test_set_value_shows_without_applying_and_typed_tells_the_screen():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        panel = screen.query_one(ParameterPanel)
        panel.set_value("lr", 0.5)
        await pilot.pause()
        assert panel.query_one("#setting-lr", Input).value == "0.5"
        assert screen.settings.lr == 1e-4 and panel.pending() == {"lr": 0.5}  # shown, not applied
        assert "above lr_max" in screen.analysis_panel.plain  # the panel's Typed reached the screen: it warns before Enter
