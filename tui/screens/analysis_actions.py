"""The main screen's insight keys and hooks (issue 5): analysis, lr warnings, lr_best, explanations, landscape, autograd.

A mixin, so that MainScreen keeps the run's life and this module keeps what explains it; MainScreen calls
the `insight_*` hooks at the points of the run's life they name.
"""

from __future__ import annotations

import numpy as np
from textual.binding import Binding
from textual.widgets import Input

from tui.widgets.analysis_text import divergence_note

INSIGHT_BINDINGS = [
    Binding(
        "y", "toggle_analysis", "Analysis", tooltip="show or hide the Analysis panel: curvature, lr_max, lr_best", id="analysis", show=False
    ),
    Binding(
        "o",
        "lr_best",
        "lr_best",
        tooltip="set lr to lr_best = 2/(λmax+λmin), the fastest lr for plain gradient descent (the run starts again from step 0)",
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
        "Grads",
        tooltip="the step's ∂L/∂k, ∂L/∂b from autograd beside the formulas, instead of the loss",
        id="autograd",
    ),
    Binding("w", "warmup", "Warm-up", tooltip="the tutorial's warm-up: z = mean((x+2)²) and x.grad from autograd", id="warmup", show=False),
]
PATH_POINTS = 4000
"""The landscape's path keeps at most this many θ, evenly thinned: a run of any length draws the same."""


class InsightActions:
    """Mixed into MainScreen; expects its `settings`, `state`, `snapshot`, `problem`, `note` and `show_status`."""

    live = None
    """The run's LiveAnalysis (engine.analysis), made in the prepare thread."""
    analysis = None
    """The newest Analysis: exact once per problem, or an estimate refreshed every few frames."""
    start_analysis = None
    """The analysis where the run started: what a divergence is explained with (a blown-up θ has no meaningful λ)."""
    optimum = None
    typed_warning: str | None = None
    """The lr warning for a value typed but not applied yet."""
    remark: str | None = None
    """Why the finished run went as it did (a divergence or a stall), under the numbers."""

    def insight_mount(self) -> None:
        from tui.widgets.analysis_panel import AnalysisPanel
        from tui.widgets.autograd_panel import AutogradPanel
        from tui.widgets.landscape_view import LandscapeView
        from tui.widgets.loss_curve_view import LossCurveView

        self.analysis_panel = self.query_one(AnalysisPanel)
        self.landscape = self.query_one(LandscapeView)
        self.autograd = self.query_one(AutogradPanel)
        self.loss_curve = self.query_one(LossCurveView)
        self.landscape.display = self.autograd.display = self.loss_curve.display = False
        self.path: list[np.ndarray] = []

    def insight_reset(self) -> None:
        """A new run is being made: nothing of the old one's analysis or path applies."""
        self.live = self.analysis = self.start_analysis = self.optimum = None
        self.typed_warning = self.remark = None
        self.path = []
        self._show_analysis()

    def insight_ready(self, message) -> dict:
        """The problem is made: keep its analysis and optimum; the Runner's options for this problem."""
        self.optimum = message.optimum
        if message.analysis is not None:
            self.live, self.analysis = message.analysis
            self.start_analysis = self.analysis
        self.path = [message.first.vector.copy()] if self._has_landscape() else []
        self.landscape.reset(message.problem, message.optimum)
        self.loss_curve.reset(message.problem, message.optimum)
        if self.loss_curve.display and self.loss_curve.curve is None:  # the model changed: its curve is gone
            self.loss_curve.display, self.fit.display = False, True
        self._show_analysis()
        path_every = max(1, self.settings.steps // PATH_POINTS) if self._has_landscape() else 0
        return {"analysis": self.live, "path_every": path_every}

    def insight_frame(self, frame) -> None:
        if frame.analysis is not None and frame.analysis != self.analysis:
            self.analysis = frame.analysis
            self._show_analysis()
        if frame.path:
            self.path.extend(frame.path)
            if len(self.path) > 2 * PATH_POINTS:
                from engine.landscape import thin_path

                self.path = list(thin_path(np.array(self.path), PATH_POINTS))

    def insight_draw(self, snapshot) -> None:
        """Each frame: the panels that are visible follow the snapshot."""
        if self.autograd.display and self.problem is not None:
            self.autograd.show(self.problem, snapshot)
        if self.landscape.display and self.path:
            self.landscape.show(np.array(self.path)[:, :2], snapshot.vector[:2])
        if self.loss_curve.display and self.path:
            self.loss_curve.show(np.array(self.path)[:, 0], float(snapshot.vector[0]))

    def insight_divergence(self, snapshot) -> str:
        """The status note for a divergence: the step, lr against lr_max (both numbers), and what to do."""
        from engine.explain import explain_divergence

        settings = self.settings
        text = explain_divergence(snapshot.diverged_at, settings.lr, self.start_analysis, settings.optimizer, settings.standardize)
        self.remark = text
        self._show_analysis()
        self.notify(headline(text), title="Diverged", severity="error", timeout=10)
        return divergence_note(text)

    def insight_done(self, snapshot) -> None:
        """A finished run far from the optimum along the valley: say so in words."""
        from engine.explain import explain_stall

        settings = self.settings
        text = explain_stall(snapshot, self.optimum, self.analysis, settings.lr, settings.optimizer, standardized=settings.standardize)
        if text:
            self.remark = text
            self._show_analysis()
            self.notify(headline(text), title="Stalled along the valley", severity="warning", timeout=10)

    def insight_note(self) -> str:
        """The status note before a run, or while paused: the lr warning when lr > lr_max, else what float32 did to the data."""
        if self.state not in ("ready", "paused", "done"):
            return ""
        warning = self.typed_warning or (self._warning(self.settings.lr) if self.state != "done" else None)
        cast = getattr(self.problem, "cast", None)
        return warning or (cast.note() if cast is not None else None) or ""

    # ── the keys ─────────────────────────────────────────────────────────────
    def action_toggle_analysis(self) -> None:
        shown = self.analysis_panel.display and self.analysis_panel.size.height > 0
        self.set_class(shown, "-hide-analysis")
        self.set_class(not shown, "-show-analysis")

    def action_lr_best(self) -> None:
        analysis = self.analysis
        if analysis is None:
            self.notify("no analysis yet: wait until the run is ready", title="lr_best", severity="warning")
            return
        if analysis.lr_best is None or not np.isfinite(analysis.lr_best):
            self.notify(
                f"lr_best = 2/(λmax+λmin) needs λmin, which only MSE on a linear or poly model gives; "
                f"here λmax is an estimate (lr_max ≈ {analysis.lr_max:.3g}).",
                title="lr_best unavailable",
                severity="warning",
            )
            return
        # The same path as a typed lr: the run starts again from step 0 with the same data and start, so the
        # new loss curve compares with the last one step for step. Keeping θ mid-run would mix two lrs in
        # one curve and hide what lr_best does; the demanding user wants the clean experiment.
        self.panel.query_one("#setting-lr", Input).value = f"{analysis.lr_best:g}"
        self.apply({"lr": float(f"{analysis.lr_best:g}")})

    def action_toggle_landscape(self) -> None:
        if self.landscape.display or self.loss_curve.display:
            self.landscape.display = self.loss_curve.display = False
            self.fit.display = True
            return
        if self.problem is None:
            self.notify("the run is not ready yet", title="Landscape", severity="warning")
            return
        if self.loss_curve.curve is not None:  # one parameter: the landscape is a curve L(k)
            self.loss_curve.display, self.fit.display = True, False
            if self.snapshot is not None:
                self.insight_draw(self.snapshot)
            return
        if not self._two_parameters():
            size = self.snapshot.layout.size if self.snapshot is not None else "more"
            self.notify(
                f"the landscape needs a model with one or two parameters (slope, linear or poly:1); {self.settings.model} has {size}",
                title="Landscape unavailable",
                severity="warning",
            )
            return
        self.landscape.display, self.fit.display = True, False
        if self.snapshot is not None:
            self.insight_draw(self.snapshot)

    def action_toggle_autograd(self) -> None:
        self.autograd.display = not self.autograd.display
        self.loss.display = not self.autograd.display
        if self.autograd.display and self.snapshot is not None:
            self.insight_draw(self.snapshot)

    def action_warmup(self) -> None:
        from tui.screens.warmup_screen import WarmUpScreen

        self.app.push_screen(WarmUpScreen())

    # ── helpers ──────────────────────────────────────────────────────────────
    def on_input_changed(self, event: Input.Changed) -> None:
        """An lr typed above lr_max warns at once, before Enter and before the run."""
        if event.input.id != "setting-lr":
            return
        try:
            lr = float(event.value)
        except ValueError:
            lr = None
        self.typed_warning = self._warning(lr) if lr is not None and lr != self.settings.lr else None
        self._show_analysis()
        self.show_status()

    def _warning(self, lr: float) -> str | None:
        from engine.explain import warn_lr

        return warn_lr(self.analysis, lr, self.settings.optimizer)

    def _two_parameters(self) -> bool:
        model = getattr(self.problem, "model", None)
        return bool(getattr(model, "linear_in_parameters", False)) and len(model.names) == 2

    def _has_landscape(self) -> bool:
        """A curve (one parameter) or a surface (two) to draw the path on."""
        model = getattr(self.problem, "model", None)
        return bool(getattr(model, "linear_in_parameters", False)) and len(model.names) in (1, 2)

    def _show_analysis(self) -> None:
        # what was just typed first, then why the run ended as it did, then the applied lr's warning
        warning = self.typed_warning or (None if self.remark else self._warning(self.settings.lr))
        self.analysis_panel.show(self.analysis, self.settings.lr, warning, self.remark)


def headline(text: str) -> str:
    """A toast's words: the explanation's first clause; the whole of it stays in the Analysis panel (y)."""
    first = text.split(": ", 1)[0]
    return (first if len(first) <= 160 else first[:157] + "…") + " (the Analysis panel, y, says why)"
