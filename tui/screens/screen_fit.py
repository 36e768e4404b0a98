"""How the main screen fits its terminal and which keys win (issue 25), mixed into MainScreen.

- Breakpoints: below 80 columns (`-cramped`) the parameter panel steps aside by itself (tui/app.tcss; p brings it
  back); under 24 rows (`-short`) the fit and the loss share what there is.
- The footer names the keys the width holds, the lesson's first (tui/screens/footer_keys.py), re-fitted on resize.
- The tour's → ← PgDn PgUp Escape are priority bindings (tui/screens/teaching.py): they are the tour's while it
  runs, whatever has the focus, except a field; otherwise they pass on (the landscape's arrows).
- n is the code pane's next phase while the pane shows, whichever view has the focus; `step_once` is a whole step.
"""

from __future__ import annotations

from tui.screens.footer_keys import footer_bindings
from tui.screens.teaching import TOUR_ACTIONS


class FitsTerminal:
    """Mixed into MainScreen (before Screen): its breakpoints, its footer's keys, the tour's keys and n."""

    HORIZONTAL_BREAKPOINTS = [(0, "-cramped"), (80, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]

    @property
    def active_bindings(self):
        """The footer's keys fitted to the width: at 80 columns the teaching keys, not the pace keys."""
        return footer_bindings(super().active_bindings, self.size.width, self.app.get_key_display, self)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in TOUR_ACTIONS:  # priority bindings: the tour's only while it runs, and never in a field
            return self.teaching.takes_tour_key(self.focused)
        return True

    def on_resize(self) -> None:  # Textual calls MainScreen's own on_resize too
        self.refresh_bindings()  # the footer names as many keys as the new width holds

    def action_step(self) -> None:
        if not self.teaching.step_key():  # the code pane shows: n takes a phase, whichever view has the focus
            self.step_once()

    def step_once(self) -> None:
        """One whole step (pauses a running descent)."""
        if not self.life.steppable:
            return
        self.pause()
        self.driver.start_run(limit=1)
