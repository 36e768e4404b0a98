"""A small modal asking where to write (ctrl+s's file, e's folder): Enter accepts, Escape cancels.

The caller's `accept(path)` returns None when it is done, or one line saying why not: the line shows
under the input and the modal stays open, so a typo costs one edit, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.widgets.literal import visible


class PathScreen(ModalScreen[Path | None]):
    """Ask for a path; dismissed with the accepted path, or None when cancelled."""

    DEFAULT_CSS = """
    PathScreen {
        align: center middle;
    }
    #path-body {
        width: 80%;
        max-width: 90;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    #path-error {
        display: none;
        color: $error;
    }
    PathScreen.-invalid #path-error {
        display: block;
    }
    #path-keys {
        color: $text-muted;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    # Declarative focus: a query in on_mount raised when the dialog opened while the app was quitting.
    AUTO_FOCUS = "#path-input"

    def __init__(self, title: str, default: str, accept: Callable[[Path], str | None]) -> None:
        super().__init__()
        self.title_text = title
        self.default = default
        self.accept = accept

    def compose(self):
        with Vertical(id="path-body"):
            yield Label(self.title_text, id="path-title")
            yield Input(self.default, id="path-input", select_on_focus=False)
            yield Static("", id="path-error")
            yield Static("Enter: write   Escape: cancel", id="path-keys")

    def on_input_changed(self) -> None:
        self.show_error(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.show_error("type a path")
            return
        path = Path(text).expanduser()
        problem = self.accept(path)
        if problem:
            self.show_error(problem)
        else:
            self.dismiss(path)

    def show_error(self, message: str | None) -> None:
        error = self.query_one("#path-error", Static)
        error.update(Text(visible(message or "")))  # literal: it quotes the typed path
        self.set_class(bool(message), "-invalid")

    def action_cancel(self) -> None:
        self.dismiss(None)
