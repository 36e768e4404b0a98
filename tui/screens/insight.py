"""What explains the main screen's run (issue 5): analysis, lr warnings, lr_best, explanations, landscape, autograd.

`Insight` is a collaborator of MainScreen: it keeps the insight's state and drives the panels it is given;
the screen owns the keys and calls it, with the settings and the run's parts as arguments, at the points
of the run's life its methods name.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from textual.binding import Binding

from engine.models.model_kind import is_linear_in_parameters
from tui.widgets.analysis_text import divergence_note, headline
from tui.workers.run_state import RunState

INSIGHT_BINDINGS = [
    Binding(
        "y", "toggle_analysis", "Analysis", tooltip="show or hide the Analysis panel: curvature, lr_max, lr_best", id="analysis", show=False
    ),
    Binding(
        "o",
        "lr_best",
        "best lr",
        tooltip="set lr to the best for the steps left: the least loss at the end, from the closed form (the run goes on from θ)",
        id="lr-best",
        show=False,
    ),
    Binding(
        "l",
        "toggle_landscape",
        "Landscape",
        tooltip="the loss landscape over (k, b) with the path so far, instead of the fit (two-parameter models)",
        id="landscape",
    ),
    Binding(
        "a",
        "toggle_autograd",
        "Grad",
        tooltip="autograd's graph from torch, the chain rule in numbers, and ∂L/∂k, ∂L/∂b beside the formulas, instead of the loss",
        id="autograd",
    ),
    Binding("w", "warmup", "Warm-up", tooltip="the tutorial's warm-up: z = mean((x+2)²) and x.grad from autograd", id="warmup", show=False),
    Binding("x", "explain", "Why", tooltip="the whole explanation: every number and sentence of the Analysis panel", id="explain"),
    Binding("z", "standardize", "Standardize", tooltip="fit on standardized x, or not (starts again)", id="standardize", show=False),
    Binding(
        "m",
        "momentum",
        "Momentum",
        tooltip="switch to momentum at its best β*, lr* where the curvature is known (else β as set); the run goes on from θ",
        id="momentum",
        show=False,
    ),
]
PATH_POINTS = 4000
"""The landscape's path keeps at most this many θ, evenly thinned: a run of any length draws the same."""


class Insight:
    """The run's analysis and explanations, and the panels that show them (analysis, landscape, autograd)."""

    def __init__(self, analysis_panel, landscape, autograd, fit, loss, notify: Callable, loss_curve=None) -> None:
        self.analysis_panel, self.landscape, self.autograd = analysis_panel, landscape, autograd
        self.loss_curve = loss_curve
        """L(k) for a one-parameter model (`slope`), shown by `l` in the landscape's place."""
        self.fit, self.loss = fit, loss
        """The plots the landscape and the autograd panel take turns with."""
        self.notify = notify
        self.landscape.display = self.autograd.display = False
        if loss_curve is not None:
            loss_curve.display = False
        self.live = None
        """The run's LiveAnalysis (engine.maths.curvature), made in the prepare thread."""
        self.analysis = None
        """The newest Analysis: exact once per problem, or an estimate refreshed every few frames."""
        self.start_analysis = None
        """The analysis where the run started: what a divergence is explained with (a blown-up θ has no meaningful λ)."""
        self.optimum = None
        self.typed_warning: str | None = None
        """The lr warning for a value typed but not applied yet."""
        self.remark: str | None = None
        """Why the finished run went as it did (a divergence or a stall), under the numbers."""
        self.path: list[np.ndarray] = []
        self.problem = None
        """The run's problem once made: its float32 cast check is said on the status line."""

    def reset(self, settings) -> None:
        """A new run is being made: nothing of the old one's analysis or path applies."""
        self.live = self.analysis = self.start_analysis = self.optimum = None
        self.typed_warning = self.remark = None
        self.path = []
        self.problem = None
        self.show(settings)

    def ready(self, message, settings) -> tuple[object, int]:
        """The problem is made: keep its analysis and optimum; the Runner's (analysis, path_every) for it."""
        self.optimum = message.optimum
        if message.analysis is not None:
            self.live, self.analysis = message.analysis
            self.start_analysis = self.analysis
        self.problem = message.problem
        drawn = has_landscape(message.problem)
        self.path = [message.first.vector.copy()] if drawn else []
        self.landscape.reset(message.problem, message.optimum)
        if self.loss_curve is not None:
            self.loss_curve.reset(message.problem, message.optimum)
            if self.loss_curve.display and self.loss_curve.curve is None:  # the model changed: its curve is gone
                self.loss_curve.display, self.fit.display = False, True
        self.show(settings)
        return self.live, (max(1, settings.steps // PATH_POINTS) if drawn else 0)

    def frame(self, frame, settings) -> None:
        """A frame came: a newer estimate to show, and θ's path so far."""
        if frame.analysis is not None and frame.analysis != self.analysis:
            self.analysis = frame.analysis
            self.show(settings)
        if frame.path:
            self.path.extend(frame.path)
            if len(self.path) > 2 * PATH_POINTS:
                from engine.maths.landscape import thin_path

                self.path = list(thin_path(np.array(self.path), PATH_POINTS))

    def draw(self, problem, snapshot) -> None:
        """Each frame: the panels that are visible follow the snapshot."""
        if self.autograd.display and problem is not None:
            self.autograd.show(problem, snapshot)
        if self.landscape.display and self.path:
            self.landscape.show(np.array(self.path)[:, :2], snapshot.vector[:2])
        if self.loss_curve is not None and self.loss_curve.display and self.path:
            self.loss_curve.show(np.array(self.path)[:, 0], float(snapshot.vector[0]))

    def divergence(self, snapshot, settings) -> str:
        """The status note for a divergence: the step, lr against lr_max (both numbers), and what to do."""
        from engine.words.explain import APP_FIXES, explain_divergence

        text = explain_divergence(
            snapshot.diverged_at,
            settings.lr,
            self.start_analysis,
            settings.optimizer,
            settings.standardize,
            APP_FIXES,
            momentum=settings.momentum,
            standardized_analysis=self.standardized_twin(settings),
        )
        self.remark = text
        self.show(settings)
        self.notify(headline(text), title="Diverged", severity="error")
        return divergence_note(text)

    def done(self, problem, snapshot, settings) -> None:
        """A finished run that stands where it does for a nameable reason (a stall along the valley, saturated units): say it."""
        from engine.words.explain import APP_FIXES, explain_end

        text = explain_end(problem, snapshot, self.optimum, self.analysis, APP_FIXES, self.standardized_twin(settings))
        if text:
            self.remark = text
            self.show(settings)
            self.notify(headline(text), title="Why it ended here", severity="warning")

    def steered(self, settings) -> None:
        """The run goes on under new settings: the last explanation no longer applies; the warnings follow the new lr."""
        self.typed_warning = self.remark = None
        self.show(settings)

    def note(self, state: RunState, settings) -> str:
        """The status note: an lr typed past its limit in any state; before a run or paused, the lr's warning or float32's note."""
        if state not in (RunState.READY, RunState.PAUSED, RunState.DONE) and not self.typed_warning:
            return ""
        warning = self.typed_warning or (self._warning(settings.lr, settings) if state is not RunState.DONE else None)
        cast = getattr(self.problem, "cast", None)
        return warning or (cast.note() if cast is not None else None) or ""

    def warns(self, state: RunState, settings) -> bool:
        """Whether the status note is an lr warning: it then comes first on the status line, at any width."""
        return bool(self.typed_warning) or (state in (RunState.READY, RunState.PAUSED) and self._warning(settings.lr, settings) is not None)

    def typed_lr(self, text: str, settings) -> None:
        """An lr typed above lr_max warns at once, before Enter and before the run."""
        try:
            lr = float(text)
        except ValueError:
            lr = None
        self.typed_warning = self._warning(lr, settings) if lr is not None and lr != settings.lr else None
        self.show(settings)

    def lr_best(self) -> float | None:
        """lr_best to set, as shown (`:g`); None, after saying why, when there is none."""
        analysis = self.analysis
        if analysis is None:
            self.notify("no analysis yet: wait until the run is ready", title="lr_best", severity="warning")
            return None
        if analysis.lr_best is None or not np.isfinite(analysis.lr_best):
            self.notify(
                f"lr_best = 2/(λmax+λmin) needs λmin, which only MSE on a linear or poly model gives; "
                f"here λmax is an estimate (lr_max ≈ {analysis.lr_max:.3g}).",
                title="lr_best unavailable",
                severity="warning",
            )
            return None
        lesson = self._lesson(settings=None)
        if lesson:  # a large κ: lr_best is the best plain descent can do, and that is slow; say so, and what fixes it
            self.notify(headline(lesson.split(": ", 1)[-1]), title="lr_best", severity="warning")
        return float(f"{analysis.lr_best:g}")

    def toggle_landscape(self, problem, snapshot, model: str) -> None:
        """The landscape instead of the fit, or back; a two-parameter model's is a surface, a one-parameter model's a curve L(k)."""
        curve = self.loss_curve
        if self.landscape.display or (curve is not None and curve.display):
            self.landscape.display, self.fit.display = False, True
            if curve is not None:
                curve.display = False
            return
        if problem is None:
            self.notify("the run is not ready yet", title="Landscape", severity="warning")
            return
        if curve is not None and curve.curve is not None:
            curve.display, self.fit.display = True, False
            if snapshot is not None:
                self.draw(problem, snapshot)
            return
        if not two_parameters(problem):
            size = snapshot.layout.size if snapshot is not None else "more"
            self.notify(
                f"the landscape needs a model with one or two parameters (slope, linear or poly:1); {model} has {size}",
                title="Landscape unavailable",
                severity="warning",
            )
            return
        self.landscape.display, self.fit.display = True, False
        if snapshot is not None:
            self.draw(problem, snapshot)

    def toggle_autograd(self, problem, snapshot) -> None:
        """The autograd panel instead of the loss plot, or back."""
        self.autograd.display = not self.autograd.display
        self.loss.display = not self.autograd.display
        if self.autograd.display and snapshot is not None:
            self.draw(problem, snapshot)

    def show(self, settings) -> None:
        # what was just typed first, then why the run ended as it did, then the applied lr's warning
        warning = self.typed_warning or (None if self.remark else self._warning(settings.lr, settings))
        rule = (settings.optimizer, settings.momentum)
        self.analysis_panel.show(self.analysis, settings.lr, warning, self.remark, self._lesson(settings), rule)

    def _lesson(self, settings) -> str | None:
        """Where κ is large and the rule is plain descent: what no lr, not even lr_best, can do, and what fixes it."""
        if self.analysis is None or not self.analysis.exact:
            return None  # engine.words.explain loads torch, which the first paint must not wait for
        from engine.settings.run_settings import PLAIN_DESCENT
        from engine.words.explain import APP_FIXES, explain_lr_best

        if settings is not None and settings.optimizer not in PLAIN_DESCENT:
            return None
        return explain_lr_best(self.analysis, getattr(settings, "standardize", False), APP_FIXES, self.standardized_twin(settings))

    def standardized_twin(self, settings):
        """The curvature with standardized x (engine.maths.standardized), once per problem: what `z` would do."""
        if self.problem is None or self.analysis is None or not self.analysis.exact or getattr(settings, "standardize", False):
            return None
        if getattr(self, "_twin_for", None) is not self.problem:
            from engine.maths.standardized import twin_analysis

            self._twin, self._twin_for = twin_analysis(self.problem), self.problem
        return self._twin

    def momentum_best(self) -> dict:
        """What `m` applies: momentum at β*, lr* (cut so that it stays stable) where the curvature is exact; else momentum alone."""
        analysis = self.analysis
        if analysis is None or not analysis.exact or not analysis.lambda_min or analysis.lambda_max <= 0:
            return {"optimizer": "momentum"}
        from engine.maths.optimizer_rules import momentum_best
        from engine.words.rule_words import safe_momentum_best

        best = safe_momentum_best(momentum_best(analysis.lambda_max, analysis.lambda_min), analysis.lambda_max, analysis.lambda_min)
        return {"optimizer": "momentum", "momentum": best.beta, "lr": best.lr}

    def _warning(self, lr: float, settings) -> str | None:
        if self.analysis is None:
            return None  # nothing to warn with yet; and engine.words.explain loads torch, which the first paint must not wait for
        from engine.words.explain import warn_lr

        return warn_lr(self.analysis, lr, settings.optimizer, settings.momentum)


def two_parameters(problem) -> bool:
    """Whether the problem's model is linear in two parameters: the ones whose landscape is drawn."""
    model = getattr(problem, "model", None)
    return is_linear_in_parameters(model) and len(model.names) == 2


def has_landscape(problem) -> bool:
    """A curve (one parameter) or a surface (two) to draw the path on."""
    model = getattr(problem, "model", None)
    return is_linear_in_parameters(model) and len(model.names) in (1, 2)
