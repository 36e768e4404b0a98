"""The descent app: one screen, shared by the `descent` command and the tests through `make_app`."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.screen import Screen

from engine.settings import Settings
from tui.preset_commands import preset_commands
from tui.runner import DEFAULT_FPS
from tui.screens.main_screen import MainScreen


class DescentApp(App):
    """Watch gradient descent fit a line, live."""

    CSS_PATH = "app.tcss"
    TITLE = "descent"

    def __init__(self, settings: Settings, fps: int = DEFAULT_FPS, dataset=None) -> None:
        super().__init__()
        self.settings = settings
        self.fps = fps
        self.dataset = dataset

    def get_default_screen(self) -> Screen:
        return MainScreen(self.settings, self.fps, self.dataset)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":  # the screen's own `s` saves one where the exports go
                yield command
        if isinstance(screen, MainScreen):
            for binding in screen.BINDINGS:
                if binding.action.startswith("app."):
                    continue  # the palette already offers Quit
                yield SystemCommand(binding.description, binding.tooltip, getattr(screen, f"action_{binding.action}"))
            yield from preset_commands(screen)


def make_app(settings: Settings | None = None, fps: int = DEFAULT_FPS, dataset=None) -> DescentApp:
    """The app for these settings (the defaults: the tutorial's run)."""
    return DescentApp(settings or Settings(), fps=fps, dataset=dataset)
