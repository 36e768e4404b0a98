"""The valley view's part of the main screen (key v): it records θ at every snapshot drawn and shows, in the fit's
place, the error along the Hessian's eigenvectors beside its predicted lines (tui/widgets/valley_view.py)."""

from __future__ import annotations

import numpy as np
from textual.binding import Binding

VALLEY_BINDINGS = [
    Binding(
        "v",
        "valley",
        "Valley",
        tooltip="the error along the valley's steep and flat directions, against step, with predicted lines",
        id="valley",  # the footer names it by id (tui/screens/footer_keys.py)
    ),
]
KEEP = 8000
"""θs recorded at most; past that every other one is dropped (the view draws a few hundred)."""


class Valley:
    """Records the run's θ by step; mounts and feeds the ValleyView."""

    def __init__(self, screen) -> None:
        self.screen = screen
        self.view = None
        self.key = None  # (model, rule settings) the records belong to
        self.steps: list[int] = []
        self.vectors: list[np.ndarray] = []
        self.basis = None
        self.why: str | None = None

    def follow(self, problem, snapshot) -> None:
        """Every frame drawn: θ at this step (a new problem, rule or earlier step starts the record afresh)."""
        if problem is None or snapshot is None:
            return
        s = problem.settings
        key = (id(problem.model), s.lr, s.optimizer, s.momentum, s.batch_size, problem.forgets_grad_reset)
        if key != self.key or (self.steps and snapshot.step < self.steps[-1]):
            self.key, self.steps, self.vectors, self.basis = key, [], [], None
            self.why = None
        if not self.steps or snapshot.step > self.steps[-1]:
            self.steps.append(snapshot.step)
            self.vectors.append(np.array(snapshot.vector, dtype=np.float64))
            if len(self.steps) > KEEP:
                self.steps, self.vectors = self.steps[::2], self.vectors[::2]
        view = self.view
        if view is not None and view.display:
            if self.screen.landscape.display or self.screen.query_one("#loss-curve").display:
                view.display = False  # l took the fit's place: one plot there at a time
                return
            self.draw(problem)

    def toggle(self) -> None:
        screen = self.screen
        if self.view is None:
            from tui.widgets.valley_view import ValleyView

            self.view = ValleyView(id="valley")
            self.view.display = False
            screen.query_one("#plots").mount(self.view, before=screen.fit)
        shown = not self.view.display
        self.view.display = shown
        screen.fit.display = not shown
        if shown:
            screen.landscape.display = False
            screen.query_one("#loss-curve").display = False
            self.draw(screen.problem)
            why = None if screen.problem is None else self._why(screen.problem)
            if why:
                screen.notify(why, title="Valley directions", severity="warning")
        else:
            screen.focus_plot()

    def draw(self, problem) -> None:
        view = self.view
        if problem is None or not self.steps:
            view.show_reason("waiting for the run")
            return
        why = self._why(problem)
        if why:
            view.show_reason(why)
            return
        from engine.maths.optimum import least_squares
        from engine.maths.valley import eigen_errors

        if self.basis is None:
            from engine.maths.valley import eigenbasis

            self.basis = (eigenbasis(problem), least_squares(problem).vector)
        basis, optimum = self.basis
        steps, vectors = self._history()
        errors = eigen_errors(basis, optimum, vectors)
        anchor = eigen_errors(basis, optimum, self.vectors[0][None, :])[0]
        finite = np.all(np.isfinite(errors), axis=1)
        steps = steps[finite]
        values, first = basis.values, anchor
        if len(values) > 2:  # the flattest and the steepest of many directions
            values, errors, first = values[[0, -1]], errors[:, [0, -1]], first[[0, -1]]
        view.show(problem.settings, values, steps, errors[finite], (self.steps[0], first))

    def _history(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps, θs) since the record began: the landscape's path where it holds every step (a frame in turbo is
        hundreds of steps), else the θ of each frame drawn."""
        screen = self.screen
        path, every = screen.insight.path, getattr(screen.runner, "path_every", 0)
        start, now = self.steps[0], self.steps[-1]
        if every and path and len(path) == now // every + 1:
            steps = np.arange(len(path)) * every
            keep = steps >= start
            return steps[keep], np.array(path)[keep]
        return np.array(self.steps), np.array(self.vectors)

    def _why(self, problem) -> str | None:
        from engine.maths.valley import why_no_valley

        if problem.forgets_grad_reset:
            return "theta.grad = None is forgotten (b): the rates |1 − lr·λ| hold only when each step uses its own gradient"
        return why_no_valley(problem)
