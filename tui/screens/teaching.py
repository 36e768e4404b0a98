"""Teaching with descent: the guided tour (T) and the code of the step (c), for the main screen.

A collaborator of MainScreen: the screen owns the keys and calls it; it mounts the tour's panel
(tui/screens/tour.py) and the code pane (tui/widgets/code_pane.py) when first asked, and walks a step
phase by phase (engine/maths/step_phases.py, which loads torch: by then the run has loaded it).
"""

from __future__ import annotations

from textual.binding import Binding

from tui.screens.learner import PREDICT_BINDINGS, REWIND_BINDINGS, Learner

TEACHING_BINDINGS = [
    *PREDICT_BINDINGS,  # P first: the footer shows it; everything after it here is hidden (the help lists it)
    Binding(
        "T",
        "tour",
        "Tour",
        tooltip="the guided tour: the tutorial's lesson in 9 stops (→ ← or PgDn PgUp move, Escape leaves)",
        id="tour",
        show=False,
    ),
    Binding(
        "c",
        "code",
        "Code",
        tooltip="the code of the step: the exported PyTorch loop with live values; n there takes one phase at a time",
        id="code",
        show=False,
    ),
    # The tour's panel has these keys while it has the focus; here they serve when the focus went elsewhere
    # (a click on the plot, Escape out of a field) and nothing there takes them. Outside the tour they do nothing.
    # Priority: while the tour runs its keys win over the focused plot's (the landscape moves its start with the arrows),
    # except in a field, where → ← move the cursor (`takes_tour_key`). Outside the tour they pass on to the focused widget.
    # The footer names them during the tour (tui/screens/footer_keys.py).
    Binding("right,pagedown", "tour_next", "Next stop", tooltip="during the tour: the next stop", id="tour-next", priority=True),
    Binding("left,pageup", "tour_back", "Back", tooltip="during the tour: the previous stop", id="tour-back", priority=True),
    Binding("escape", "tour_leave", "Leave tour", tooltip="during the tour: leave it, the screen as it is", id="tour-leave", priority=True),
    *REWIND_BINDINGS,
]
TOUR_ACTIONS = ("tour_next", "tour_back", "tour_leave")


class Teaching:
    """The tour and the code pane of one MainScreen."""

    def __init__(self, screen, driver, views) -> None:
        self.screen = screen
        self.driver = driver
        """The screen's RunDriver (tui/screens/run_driver.py): a step, a pause, a stop's run."""
        self.views = views
        """The screen's widgets this switches or draws on: `plots` (where the code pane goes), `fit`, `loss`, `autograd`."""
        self.code = None
        """The CodePane, once c (or the tour) asked for it."""
        self.tour = None
        """The Tour while one is on."""
        self.walked_from: tuple | None = None
        """(problem, step) a phase-by-phase step started from; a later snapshot or problem ends that walk."""
        self.learner = Learner(screen, driver)
        """Predicting (P, the tour's questions) and rewinding ([ ] { }): issue 22, tui/screens/learner.py."""

    # ── the tour ─────────────────────────────────────────────────────────────
    def start_tour(self, index: int = 0) -> None:
        from tui.screens.tour import Tour

        if self.tour is not None:
            self.tour.go(index)
            return
        self.tour = Tour(self.screen, self)
        self.tour.start(index)

    def takes_tour_key(self, focused) -> bool:
        """Whether the tour's keys (→ ← PgDn PgUp Escape) are the tour's now: while it runs, unless a field has the focus."""
        if self.tour is None:
            return False
        from tui.widgets.parameter_panel import ParameterPanel
        from tui.widgets.prediction_panel import PredictionPanel  # a question asked: Esc or → skips it (tui/screens/prediction.py)

        return focused is None or not any(isinstance(node, (ParameterPanel, PredictionPanel)) for node in focused.ancestors_with_self)

    def step_key(self) -> bool:
        """n while the code pane shows: its next phase, whatever has the focus (True); else False, a whole step."""
        if self.code is None or not self.code.display:
            return False
        self.next_phase()
        return True

    def tour_move(self, by: int) -> None:
        if self.tour is not None:
            self.tour.move(by)

    def tour_leave(self) -> None:
        if self.tour is not None:
            self.tour.leave()

    # ── the code pane ────────────────────────────────────────────────────────
    def code_pane(self):
        if self.code is None:
            from tui.widgets.code_pane import CodePane

            self.code = CodePane(id="code")
            self.code.display = False
            self.views.plots.mount(self.code)
            self.code.set_interval(0.25, self.follow)
        return self.code

    def toggle_code(self) -> None:
        self.show_code(not (self.code is not None and self.code.display))

    def show_code(self, shown: bool, focus: bool = True) -> None:
        """The code pane instead of the loss plot (and the autograd panel), or back."""
        if not shown and self.code is None:
            return
        screen, code = self.screen, self.code_pane()
        code.display = shown
        self.views.loss.display = not shown
        self.views.autograd.display = False
        if shown:
            self.follow()
            if focus:
                code.focus()
        else:
            self._end_walk()
            if screen.focused is code:
                screen.focus_plot()

    def follow(self) -> None:
        """The pane follows the run on screen; a new run or a step taken elsewhere ends a walk through phases."""
        screen, code = self.screen, self.code
        if code is None or not code.display:
            return
        if self.walked_from is not None and self.walked_from[0] is not screen.problem:
            self._end_walk()
        code.follow(screen.settings, screen.dataset, screen.problem, screen.snapshot)
        if code.broken:
            from tui.screens.break_it import short_line, steer_broken

            steer_broken(screen, True)  # a run made since b (r, g, a new setting) is broken as soon as it can be
            code.broken_note = short_line(screen)

    def toggle_break(self) -> None:
        """b in the code pane: forget theta.grad = None (the run goes on accumulating gradients), or put it back."""
        from tui.screens.break_it import short_line, steer_broken, what_happens

        screen, code = self.screen, self.code_pane()
        code.broken = not code.broken
        steer_broken(screen, code.broken)
        code.broken_note = short_line(screen) if code.broken else ""
        from tui.widgets.analysis_text import headline

        # the whole explanation where every explanation stays (the Analysis panel, x); its first sentence as a toast
        screen.insight.remark = what_happens(screen) if code.broken else None
        screen.insight.show(screen.settings)
        if code.broken:
            screen.notify(headline(screen.insight.remark, 100), title="Break it", severity="warning")
        else:
            screen.notify("theta.grad = None is back: each step uses this step's gradient alone", title="Mended", timeout=4)
        code.refresh()

    def next_phase(self) -> None:
        """n with the code pane: the next phase of a step; after the update the run takes that step."""
        from engine.maths.step_phases import step_phases, supports_phases

        screen, code = self.screen, self.code_pane()
        if not code.display:
            self.show_code(True)
        problem, snapshot = screen.problem, screen.snapshot
        if problem is None or snapshot is None or not screen.life.steppable:
            return
        why = supports_phases(problem)
        if why is not None:
            screen.notify(f"{why}: n takes the whole step", title="Code", timeout=3)
            self.driver.step()
            return
        if screen.life.running:
            self.driver.pause()
        if code.broken:  # a phase walk computes this step's own gradient, not the sum .grad holds now
            screen.notify("with theta.grad = None forgotten, n takes the whole step", title="Code", timeout=3)
            self.driver.step()  # the whole step (n here once called this method again, for ever)
            return
        if code.phases is None:
            if self.walked_from is not None and self.walked_from[1] >= snapshot.step:
                return  # the step just taken is not drawn yet: its θ is where the next walk starts
            code.phases = step_phases(problem, snapshot.vector)
            self.walked_from = (problem, snapshot.step)
        phase = next(code.phases)
        code.show_phase(phase)
        if phase.name == "forward":
            x, y = problem.dataset.x[problem.train], problem.dataset.y[problem.train]
            self.views.fit.show_residuals((x, y, phase.predictions))
        elif phase.name == "update":
            code.phases = None  # the pane keeps showing the update until the next n
            self.views.fit.show_residuals(None)  # they were to the line before the update
            self.driver.step()

    def _end_walk(self) -> None:
        if self.code is not None:
            self.code.end_step()
        self.walked_from = None
        self.views.fit.show_residuals(None)
