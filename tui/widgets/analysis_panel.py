"""The Analysis panel: the loss's curvature, the learning rates it allows, and why a run went as it did."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tui.insight import analysis_text


class AnalysisPanel(Widget):
    """λmax, λmin, κ, lr_max, lr_best and the predicted steps; a warning or an explanation under them.

    Redrawn only when what it says changes (once per problem for an exact analysis, every few frames for an
    estimate): its height follows its text, and a re-layout every frame would slow the run.
    """

    DEFAULT_CSS = """
    AnalysisPanel { height: auto; max-height: 7; padding: 0 1; background: $boost; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._text = Text()
        self._shown: tuple | None = None

    def render(self) -> Text:
        return self._text

    @property
    def plain(self) -> str:
        return self._text.plain

    def show(self, analysis, lr: float, warning: str | None = None, remark: str | None = None) -> None:
        key = (analysis, lr, warning, remark)
        if key == self._shown:
            return
        self._shown = key
        self._text = analysis_text(analysis, lr, warning, remark)
        self.refresh(layout=True)
