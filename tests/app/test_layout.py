"""The app's screen in different terminals, the help screen, the command palette and the panel toggle."""

from __future__ import annotations

import pytest

from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state, wait_until
from tui.app import make_app
from tui.screens.help_screen import HelpScreen
from tui.screens.main_screen import MIN_HEIGHT, MIN_WIDTH, MainScreen
from tui.widgets.fit_plot import FitPlot
from tui.widgets.loss_plot import LossPlot
from tui.widgets.parameter_panel import ParameterPanel
from tui.widgets.status_line import StatusLine


def visible(widget) -> bool:
    return widget.display and widget.size.width > 0 and widget.size.height > 0


def assert_usable_layout(app, width: int, height: int) -> None:
    screen = app.screen
    fit, loss, status = screen.query_one(FitPlot), screen.query_one(LossPlot), screen.query_one(StatusLine)
    assert not screen.has_class("-too-small")
    for widget in (fit, loss, status):
        assert visible(widget), f"{type(widget).__name__} is not visible at {width}×{height}"
        assert widget.region.right <= width and widget.region.bottom <= height
    assert fit.size.width >= 40 and fit.size.height >= 8
    assert loss.size.height >= 6
    assert status.region.bottom <= loss.region.y + loss.size.height + 3


async def test_80x24_then_200x60_then_too_small_and_back():
    app = make_app(Settings(steps=10**9))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        assert_usable_layout(app, 80, 24)
        await pilot.press("space")  # resizing mid-run re-lays out the screen and the run goes on
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert_usable_layout(app, 200, 60)
        assert app.screen.query_one(FitPlot).size.width > 100
        step = app.screen.snapshot.step
        await wait_until(pilot, lambda: app.screen.snapshot.step > step, what="steps after the resize")

        await pilot.resize_terminal(MIN_WIDTH - 10, MIN_HEIGHT - 4)
        await pilot.pause()
        message = app.screen.query_one("#too-small")
        assert app.screen.has_class("-too-small") and visible(message)
        assert f"{MIN_WIDTH}×{MIN_HEIGHT}" in str(message.render())
        assert not visible(app.screen.query_one(FitPlot))

        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert_usable_layout(app, 80, 24)


@pytest.mark.slow
async def test_the_panel_hides_and_the_plot_widens():
    app = make_app(Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.screen.query_one(ParameterPanel)
        fit = app.screen.query_one(FitPlot)
        await pilot.pause()
        narrow = fit.size.width
        await pilot.press("p")
        await pilot.pause()
        assert not panel.display and fit.size.width > narrow + 20
        await pilot.press("p")
        await pilot.pause()
        assert panel.display and fit.size.width == narrow


@pytest.mark.slow
async def test_help_screen_opens_on_question_mark_and_f1():
    app = make_app(Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            text = app.screen.query_one("Markdown").source
            for words in ("space", "one step", "new random start", "next seed", "turbo", "Status line", "Loss", "ctrl+p"):
                assert words in text, words
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)


@pytest.mark.slow
async def test_the_command_palette_offers_every_action():
    app = make_app(Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for binding in MainScreen.BINDINGS:
            assert binding.description in titles, binding.description
        await wait_for_state(pilot, "ready")
        turbo = next(c for c in app.get_system_commands(app.screen) if c.title == "Turbo")
        turbo.callback()
        await pilot.pause()
        assert app.screen.pace.turbo


async def test_points_show_before_torch_has_loaded():
    """The points come from numpy at once; the problem (torch) follows in a worker."""
    app = make_app(Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        fit = app.screen.query_one(FitPlot)
        await wait_until(pilot, lambda: len(fit._x) == 100, what="the points")
        await wait_for_state(pilot, "ready")
        assert app.screen.problem is not None
