"""The whole explanation (x): every number of the Analysis panel and every sentence of its warnings, scrollable.

In place the panel says a one-line headline, so that it never squeezes the plots; here nothing is cut.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class ExplainScreen(ModalScreen):
    """The Analysis panel's whole text; escape, x or q closes it, the arrows and page keys scroll it."""

    BINDINGS = [Binding("escape,x,q", "dismiss", "Close")]

    def __init__(self, text: Text) -> None:
        super().__init__()
        self.text = text

    def compose(self):
        with VerticalScroll(id="explain-body"):
            yield Static(self.text, id="explain-text")
