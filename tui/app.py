"""The descent app: one screen, shared by the `descent` command and the tests through `make_app`."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from engine.settings import Settings
from tui.preset_commands import preset_commands
from tui.screens.main_screen import MainScreen
from tui.signals import EXIT_INTERRUPTED, exit_on_signals, restore_signals
from tui.workers.pace import DEFAULT_FPS


class DescentApp(App):
    """Watch gradient descent fit a line, live."""

    CSS_PATH = "app.tcss"
    TITLE = "descent"
    # ctrl+c quits, as in any command: Textual 8 only hints at q, and copies in a field (a priority binding wins over that)
    BINDINGS = [Binding("ctrl+c", "interrupt", "Quit", show=False, priority=True, system=True)]

    def __init__(
        self,
        settings: Settings,
        fps: int = DEFAULT_FPS,
        dataset=None,
        race: tuple[str, ...] | None = None,
        lite: bool = False,
        tour: bool = False,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.fps = fps
        self.dataset = dataset
        self.race = race
        self.lite = lite
        """Low bandwidth: the plots take plotext's colourless theme (tui.widgets.plotting.layered_plot); the caller picks the fps."""
        self.tour = tour
        """Open in the guided tour (`descent tour`)."""
        self._signals: list[int] = []

    def on_mount(self) -> None:
        self._signals = exit_on_signals(self)
        if self.tour and isinstance(self.screen, MainScreen):
            self.call_after_refresh(self.screen.action_tour)

    def on_unmount(self) -> None:
        restore_signals(self._signals)

    def action_interrupt(self) -> None:
        self.exit(return_code=EXIT_INTERRUPTED)

    def get_default_screen(self) -> Screen:
        if self.race:
            from tui.screens.race_screen import RaceScreen

            return RaceScreen(self.settings, self.race, self.fps)
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


def make_app(
    settings: Settings | None = None,
    fps: int = DEFAULT_FPS,
    dataset=None,
    race: tuple[str, ...] | None = None,
    lite: bool = False,
    tour: bool = False,
) -> DescentApp:
    """The app for these settings (the defaults: the tutorial's run); `race`: optimizers to race instead; `lite`: colourless
    plots; `tour`: open in the guided tour."""
    return DescentApp(settings or Settings(), fps=fps, dataset=dataset, race=race, lite=lite, tour=tour)
