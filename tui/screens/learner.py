"""The learner acts (issue 22): P predicts before the run, [ ] { } rewind it. Made by the screen's `Teaching`.

`Learner` holds the two halves, `Predicting` (tui/screens/prediction.py) and `Rewind` (tui/screens/rewind.py),
and gives the screen their actions: `action_predict` and `action_rewind(by, far)` are these collaborators' own
methods, set on the screen when its Teaching makes the Learner, so the main screen (at its 300-line limit)
gains no line: its keys come with TEACHING_BINDINGS.
"""

from __future__ import annotations

from tui.screens.prediction import PREDICT_BINDINGS, Predicting
from tui.screens.rewind import REWIND_BINDINGS, Rewind

__all__ = ["PREDICT_BINDINGS", "REWIND_BINDINGS", "Learner"]


class Learner:
    """The run's tape and its questions, for one main screen."""

    def __init__(self, screen) -> None:
        self.rewind = Rewind(screen)
        """Made with the screen: the driver records every run's snapshots on its tape."""
        self.predicting = Predicting(screen)
        """Its panel is mounted when a question is first asked."""
        screen.learner = self  # what the driver, the tour and autoplay reach (autoplay by duck typing)
        screen.action_predict = self.predicting.ask_here
        screen.action_rewind = self.rewind.move
