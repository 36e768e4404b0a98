"""The tour's panel: docked under the plots (not a modal: the plot stays on screen), "stop 3/9", the text, what to try."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

FOLLOW_S = 0.25
"""How often the text re-reads the run: its numbers follow a running descent four times a second."""


class TourPanel(Vertical):
    """Keys while it has the focus: → ← (and Page Down / Page Up, for presentation clickers) move, Escape leaves."""

    can_focus = True
    DEFAULT_CSS = """
    TourPanel { height: auto; max-height: 6; background: $boost; padding: 0 1; }
    TourPanel > Static { width: 1fr; }
    TourPanel #tour-head, TourPanel #tour-try { height: 1; }
    TourPanel #tour-try { color: $text-muted; }
    """
    BINDINGS = [
        Binding("right,pagedown", "move(1)", "Next stop", tooltip="the tour's next stop", id="tour-next"),
        Binding("left,pageup", "move(-1)", "Back", tooltip="the tour's previous stop", id="tour-back"),
        Binding("n", "step", "Step", tooltip="a step (with the code pane: its next phase)"),
        Binding("escape", "leave", "Leave tour", tooltip="leave the tour; the screen stays as it is", id="tour-leave"),
    ]

    def __init__(self, tour, **kwargs) -> None:
        super().__init__(**kwargs)
        self.tour = tour
        self.shown: tuple | None = None
        """(stop index, text) on screen: unchanged, nothing is redrawn."""
        self.head_note: str | None = None
        """Said at the head's end instead of the keys: autoplay's countdown (tui/screens/autoplay.py)."""
        self._note_shown: str | None = None

    def compose(self):
        yield Static("", id="tour-head")
        yield Static("", id="tour-text")
        yield Static("", id="tour-try", markup=False)

    def on_mount(self) -> None:
        self.set_interval(FOLLOW_S, self.tour.refresh)

    def show(self, index: int, count: int, stop, text: str) -> None:
        if self.shown == (index, text) and self._note_shown == self.head_note:
            return
        self.shown, self._note_shown = (index, text), self.head_note
        head = Text.assemble((f" stop {index + 1}/{count} ", "bold reverse"), " ", (stop.title, "bold"))
        head.append("  ·  " + (self.head_note or "→ ← PgDn PgUp move, Esc leaves"), style="dim")
        head.no_wrap, head.overflow = True, "ellipsis"
        self.query_one("#tour-head", Static).update(head)
        self.query_one("#tour-text", Static).update(Text(text))  # a Text: no markup in the run's numbers or a file's name
        self.query_one("#tour-try", Static).update(f"try: {stop.hint}")

    def action_move(self, by: int) -> None:
        self.tour.move(by)

    def action_step(self) -> None:
        self.tour.step_key()

    def action_leave(self) -> None:
        self.tour.leave()
