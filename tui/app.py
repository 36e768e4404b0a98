"""The descent app: one screen, shared by the `descent` command and the tests through `make_app`."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual import events
from textual.actions import parse
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from engine.settings.run_settings import Settings
from tui.cli.signals import EXIT_INTERRUPTED, exit_on_signals, hangup_safe, restore_signals
from tui.key_order import KeysInOrder, split_escape
from tui.screens.export_on_quit import may_quit, running_export
from tui.screens.main_screen import MainScreen
from tui.widgets.literal import visible
from tui.workers.pace import DEFAULT_FPS

TOAST_S = 3.0
"""The longest a toast stays: at 80×24 it lies over the plot."""
TOAST_CHARS = 160
"""A toast says a headline, not an explanation (that is one key away, x)."""


class DescentApp(App):
    """Watch gradient descent fit a line, live."""

    CSS_PATH = "app.tcss"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]  # a screen under 24 rows is -short: the fit's 8 rows can't be kept
    TITLE = "descent"
    # ctrl+c quits, as in any command: Textual 8 only hints at q, and copies in a field (a priority binding wins over that)
    BINDINGS = [Binding("ctrl+c", "interrupt", "Quit", show=False, priority=True, system=True)]

    def __init__(
        self,
        settings: Settings,
        fps: int = DEFAULT_FPS,
        dataset=None,
        race: tuple | None = None,
        lite: bool = False,
        tour: bool = False,
        glyphs: str = "braille",
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
        self.glyphs = glyphs
        """How the plots are drawn: braille, blocks or ascii (tui.widgets.plotting.glyphs)."""
        self.autoplay: float | None = None
        """`descent tour --autoplay SECONDS`: each stop's time (tui.screens.autoplay); `loop`: start again after the last."""
        self.loop = False
        self.autoplayer = None
        """The tui.screens.autoplay.Autoplay playing the tour, which any key or click stops."""
        self._signals: list[int] = []
        self._keys = KeysInOrder(self._forward_key)
        self.export_at_quit = None
        self._next_toast: dict | None = None
        self._toast_posted = False
        """The Exporter whose export a quit stopped (tui.screens.export_on_quit), else None."""

    def get_driver_class(self):
        return hangup_safe(super().get_driver_class())

    def on_load(self) -> None:
        # Before the driver starts, so a stop signal ends the app as q does from then on: until here tui/cli/stopping's
        # handler raises Stopped wherever the main thread is, Textual's own start included.
        self._signals = exit_on_signals(self)

    def on_mount(self) -> None:
        if self.tour and isinstance(self.screen, MainScreen):
            self.call_after_refresh(self.screen.action_tour)
            if self.autoplay is not None:
                from tui.screens.autoplay import start_autoplay

                self.call_after_refresh(start_autoplay, self, self.autoplay, self.loop)

    def on_unmount(self) -> None:
        restore_signals(self._signals)

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None, markup: bool = False) -> None:
        """At most one toast at a time, short, and gone within TOAST_S: at 80×24 a toast covers the plot.

        A toast is a headline; whatever explains it stays in the Analysis panel and its whole view (x).
        Messages carry file names, typed values and CSV headers, so they are never read as markup (a `[/]`
        among them raised MarkupError and killed the app) and their control characters are escaped.
        """
        message, title = visible(message), visible(title)
        if len(message) > TOAST_CHARS:
            message = message[: TOAST_CHARS - 1] + "…"
        # notify() only posts: toasts asked for in one burst would stack. The latest waits here; one callback
        # clears the shown ones and posts it, after every toast posted before it (the queue is in order).
        self._next_toast = {"message": message, "title": title, "severity": severity, "timeout": min(timeout or TOAST_S, TOAST_S)}
        if not self._toast_posted:
            self._toast_posted = True
            self.call_later(self._show_next_toast)

    def _show_next_toast(self) -> None:
        toast, self._next_toast, self._toast_posted = self._next_toast, None, False
        if toast is not None:
            self.clear_notifications()
            super().notify(**toast, markup=False)

    async def on_event(self, event: events.Event) -> None:
        if self.autoplayer is not None and isinstance(event, (events.Key, events.MouseDown)):
            self.autoplayer.stop()  # the person takes the tour back; the key still does what it does
        if isinstance(event, events.Key) and not event.is_forwarded and not getattr(event, "in_order", False):
            for key in split_escape(event):
                self._keys.take(key)  # tui.key_order: one key at a time, in the order typed
            return
        await super().on_event(event)

    async def _forward_key(self, key: events.Key):
        """Do with `key` what Textual does (priority bindings, else the focused widget); where it went, or None."""
        if not self.is_running or not self.screen_stack:
            return None  # quitting: the keys left over go nowhere
        target = self.focused or self.screen
        key.in_order = True
        await super().on_event(key)
        return target if key.is_forwarded else None

    def on_key(self, event: events.Key) -> None:
        self._keys.reached_app(event)  # the bindings have run: the next key may go

    def action_interrupt(self) -> None:
        self.export_at_quit = running_export(self)  # said on stderr once the app has closed (tui.screens.export_on_quit)
        self.exit(return_code=EXIT_INTERRUPTED)

    async def action_quit(self) -> None:
        """q: the first one during an export only says what a second would stop."""
        if may_quit(self):
            self.export_at_quit = running_export(self)
            self.exit()

    def get_default_screen(self) -> Screen:
        if self.race:
            from tui.screens.race_screen import RaceScreen

            return RaceScreen(self.settings, self.race, self.fps)
        return MainScreen(self.settings, self.fps, self.dataset)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":  # the screen's own `s` saves one where the exports go
                yield command
        from tui.screens.race_screen import RaceScreen

        if isinstance(screen, (MainScreen, RaceScreen)):
            for binding in screen.BINDINGS:
                if binding.action.startswith("app."):
                    continue  # the palette already offers Quit
                _, name, arguments = parse(binding.action)  # an action may take arguments: rewind(-1)
                yield SystemCommand(binding.description, binding.tooltip, partial(getattr(screen, f"action_{name}"), *arguments))
        from tui.screens.preset_commands import preset_commands, race_preset_commands  # the palette's, not the first paint's

        if isinstance(screen, MainScreen):
            yield from preset_commands(screen)
        elif isinstance(screen, RaceScreen):
            yield from race_preset_commands(screen)


def make_app(
    settings: Settings | None = None,
    fps: int = DEFAULT_FPS,
    dataset=None,
    race: tuple | None = None,
    lite: bool = False,
    tour: bool = False,
    glyphs: str = "braille",
) -> DescentApp:
    """The app for these settings (the defaults: the tutorial's run); `race`: racers instead (engine.settings.racers.Racer, or
    `OPT[@LR]` strings); `lite`: colourless plots; `tour`: open in the guided tour; `glyphs`: braille, blocks or ascii."""
    return DescentApp(settings or Settings(), fps=fps, dataset=dataset, race=race, lite=lite, tour=tour, glyphs=glyphs)
