"""The prediction panel: a question with numbered answers before the run, the answer beside what happened after.

Docked under the plots (over the tour's panel during the tour). While a question is up it has the focus:
1–4 answer, Escape or → skip. It posts nothing itself: it calls the `Predicting` collaborator that made it.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static


class PredictionPanel(Static):
    """One Static: "predict" and the question, or the verdicts; its keys work while a question is up."""

    can_focus = True
    DEFAULT_CSS = """
    PredictionPanel { height: auto; max-height: 7; background: $boost; padding: 0 1; border-top: solid $accent; }
    """
    BINDINGS = [
        Binding("1", "answer(0)", "1", show=False),
        Binding("2", "answer(1)", "2", show=False),
        Binding("3", "answer(2)", "3", show=False),
        Binding("4", "answer(3)", "4", show=False),
        Binding("space", "hold", "Answer first", show=False),  # the run waits for the answer: predict, then run
        Binding("escape,right", "skip", "Skip", tooltip="skip the question: the run plays all the same", id="predict-skip"),
    ]

    def __init__(self, predicting, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.predicting = predicting
        self.asking = False
        """Whether a question is up: only then do the digits answer."""

    def show_question(self, head: str, question_text: str) -> None:
        self.asking = True
        text = Text.assemble((f" {head} ", "bold reverse"), " ", question_text)
        text.append("  1–4 answer · Esc or → skips", style="dim")
        self.update(text)

    def show_text(self, head: str, body: str) -> None:
        self.asking = False
        self.update(Text.assemble((f" {head} ", "bold reverse"), " ", body))  # a Text: the run's numbers are never markup

    def action_answer(self, index: int) -> None:
        if self.asking:
            self.predicting.answer(index)

    def action_hold(self) -> None:
        if self.asking:
            self.notify("answer first (a digit), or Esc to skip: then the run plays", title="Predict", timeout=3)
        else:
            self.screen.action_run_pause()

    def action_skip(self) -> None:
        if self.asking:
            self.predicting.answer(None)
        else:
            self.predicting.dismiss_key()
