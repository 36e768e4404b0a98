"""The descent app: one screen, shared by the `descent` command and the tests through `make_app`."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.screen import Screen

from engine.settings import Settings
from tui.runner import DEFAULT_FPS
from tui.screens.main_screen import MainScreen


class DescentApp(App):
    """Watch gradient descent fit a line, live."""

    CSS_PATH = "app.tcss"
    TITLE = "descent"

    def __init__(self, settings: Settings, fps: int = DEFAULT_FPS, dataset=None, lite: bool = False) -> None:
        super().__init__()
        self.settings = settings
        self.fps = fps
        self.dataset = dataset
        self.lite = lite
        """Low bandwidth: the plots take plotext's colourless theme (tui.widgets.layered_plot); the caller picks the fps."""

    def get_default_screen(self) -> Screen:
        return MainScreen(self.settings, self.fps, self.dataset)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            for binding in screen.BINDINGS:
                if binding.action.startswith("app."):
                    continue  # the palette already offers Quit
                yield SystemCommand(binding.description, binding.tooltip, getattr(screen, f"action_{binding.action}"))


def make_app(settings: Settings | None = None, fps: int = DEFAULT_FPS, dataset=None, lite: bool = False) -> DescentApp:
    """The app for these settings (the defaults: the tutorial's run); `lite`: colourless plots, for slow links."""
    return DescentApp(settings or Settings(), fps=fps, dataset=dataset, lite=lite)
