"""Which keys the main screen names and which win (issue 25), as MainScreen's attributes (it has no mixins):

- `fitted_active_bindings` (its `active_bindings`): the footer names the keys the width holds, the lesson's first
  (tui/screens/footer_keys.py); `FittedFooter` asks again when its width changes.
- `checked_action` (its `check_action`): the tour's → ← PgDn PgUp Escape are priority bindings (tui/screens/teaching.py),
  the tour's while it runs whatever has the focus, except a field; outside the tour they pass on (the landscape's arrows).
- `step_or_phase` (its `action_step`): n is the code pane's next phase while the pane shows, whichever view has the
  focus; otherwise a whole step.
"""

from __future__ import annotations

from textual.widgets import Footer

from tui.screens.footer_keys import fitted_active_bindings
from tui.screens.teaching import TOUR_ACTIONS

__all__ = ["FittedFooter", "checked_action", "fitted_active_bindings", "step_or_phase"]


class FittedFooter(Footer):
    """Textual's compact footer, re-fitted when the screen's width changes (the keys shown depend on it)."""

    def on_resize(self) -> None:
        self.screen.refresh_bindings()


def checked_action(screen, action: str, parameters: tuple = ()) -> bool:
    """MainScreen.check_action: the tour's keys only while the tour runs (Textual asks before the screen is mounted
    too, when it has no Teaching yet)."""
    if action not in TOUR_ACTIONS:
        return True
    teaching = getattr(screen, "teaching", None)
    return teaching is not None and teaching.takes_tour_key(screen.focused)


def step_or_phase(screen) -> None:
    """MainScreen.action_step (n): the code pane's next phase while it shows, else one whole step."""
    if not screen.teaching.step_key():
        screen.driver.step()
