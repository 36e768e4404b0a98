"""The Analysis panel: the loss's curvature, the learning rates it allows, and why a run went as it did."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tui.widgets.analysis_text import analysis_text

COMPACT_BELOW = 60
"""Narrower than this (80 columns with the parameter panel), the numbers go on two short lines, without the formulas."""


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
        self._shown: tuple | None = None
        self._text = Text()
        self._text_for: tuple | None = None

    def render(self) -> Text:
        width = self.size.width
        compact = width < COMPACT_BELOW
        if self._text_for != (self._shown, width):
            self._text = self._build(compact=compact, width=max(width - 2, 20)) if self._shown else Text()
            self._text_for = (self._shown, width)
        return self._text

    @property
    def plain(self) -> str:
        return self.render().plain

    def whole(self) -> Text:
        """Everything the panel knows, with every explanation whole: the scrollable view's text."""
        if not self._shown:
            return Text("No analysis yet: the run is being prepared.")
        return self._build()

    def _build(self, **how) -> Text:
        analysis, lr, warning, remark, lesson, rule = self._shown
        return analysis_text(analysis, lr, warning, remark, lesson=lesson, rule=rule, **how)

    def show(
        self,
        analysis,
        lr: float,
        warning: str | None = None,
        remark: str | None = None,
        lesson: str | None = None,
        rule: tuple[str, float] = ("manual", 0.9),
    ) -> None:
        """`rule`: (optimizer, momentum) of the run, whose own rule counts the steps (engine.maths.optimizer_rules)."""
        key = (analysis, lr, warning, remark, lesson, rule)
        if key == self._shown:
            return
        self._shown = key
        self.refresh(layout=True)
