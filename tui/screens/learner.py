"""The learner acts (issue 22): P predicts before the run, [ ] { } rewind it. Made by the screen's `Teaching`.

`Learner` holds the two halves, `Predicting` (tui/screens/prediction.py) and `Rewind` (tui/screens/rewind.py),
for the screen's `action_predict` and `action_rewind(by, far)` to call; their keys come with TEACHING_BINDINGS.
"""

from __future__ import annotations

from tui.screens.prediction import PREDICT_BINDINGS, Predicting
from tui.screens.rewind import REWIND_BINDINGS, Rewind

__all__ = ["PREDICT_BINDINGS", "REWIND_BINDINGS", "Learner"]


class Learner:
    """The run's tape and its questions, for one main screen."""

    def __init__(self, screen, driver) -> None:
        self.rewind = Rewind(screen, driver)
        """Made with the screen: the driver records every run's snapshots on its tape."""
        self.predicting = Predicting(screen, driver)
        """Its panel is mounted when a question is first asked."""
