"""The keys every descent screen shares: faster, slower, turbo, help and quit, and what the pace keys do."""

from __future__ import annotations

from textual.binding import Binding

PACE_BINDINGS = [
    Binding("plus", "faster", "Faster", tooltip="twice as many steps per frame", id="faster"),
    Binding("minus", "slower", "Slower", tooltip="half as many steps per frame", id="slower"),
    Binding("t", "turbo", "Turbo", tooltip="turbo on/off: as fast as the engine goes, drawn at the frame rate", id="turbo"),
]
HELP_QUIT_BINDINGS = [
    Binding("question_mark,f1", "help", "Help", tooltip="this help", id="help"),
    Binding("q", "app.quit", "Quit", tooltip="quit descent", id="quit"),
]


class PaceActions:
    """The pace keys, for a screen with a `pace` (tui.workers.pace.Pace) and a `show_status()`."""

    def action_faster(self) -> None:
        self.pace.faster()
        self.show_status()

    def action_slower(self) -> None:
        self.pace.slower()
        self.show_status()

    def action_turbo(self) -> None:
        self.pace.toggle_turbo()
        self.show_status()
