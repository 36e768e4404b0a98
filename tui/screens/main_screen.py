"""The main screen: parameters, the fit, the loss curve and the status line, driven by the keys."""

from __future__ import annotations

from types import SimpleNamespace

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Select, Static
from textual.worker import Worker

from engine.settings.run_settings import Settings
from tui.screens.exporter import WORKFLOW_BINDINGS, Exporter
from tui.screens.insight import INSIGHT_BINDINGS, Insight
from tui.screens.key_rules import FittedFooter, checked_action, fitted_active_bindings, step_or_phase
from tui.screens.pace_keys import HELP_QUIT_BINDINGS, PACE_BINDINGS
from tui.screens.run_driver import RunDriver
from tui.screens.teaching import TEACHING_BINDINGS, Teaching
from tui.screens.valley_keys import VALLEY_BINDINGS, Valley
from tui.widgets.analysis_panel import AnalysisPanel
from tui.widgets.autograd_panel import AutogradPanel
from tui.widgets.fit_plot import FitPlot
from tui.widgets.landscape_view import LandscapeView
from tui.widgets.loss_curve_view import LossCurveView
from tui.widgets.loss_plot import LossPlot
from tui.widgets.parameter_panel import ParameterPanel
from tui.widgets.status_line import StatusLine
from tui.workers.pace import Pace
from tui.workers.preparing import DataReady, PrepareFailed, ProblemReady
from tui.workers.run_state import RunLife, RunState
from tui.workers.runner import Frame, Runner

MIN_WIDTH, MIN_HEIGHT = 60, 18
"""Below this the plots have no room for their axes: the screen says what it needs instead."""


class MainScreen(Screen):
    """One run at a time: its life (RunState and transitions) is `self.life`."""

    HORIZONTAL_BREAKPOINTS = [(0, "-cramped"), (80, "-narrow"), (100, "-wide")]  # -cramped: the panel steps aside (app.tcss)
    active_bindings = property(fitted_active_bindings)  # key_rules.py: the footer's keys, the tour's, n
    check_action, action_step = checked_action, step_or_phase
    AUTO_FOCUS = ""  # never a field: letters go to a field only when the person moved there (on_screen_resume)
    BINDINGS = [
        Binding("space", "run_pause", "Run", tooltip="run the descent, or pause it", id="run-pause"),
        Binding("n", "step", "Step", tooltip="take one step (pauses a running descent)", id="step"),
        Binding("r", "reset", "Reset", tooltip="a new random start of the parameters, same data", id="reset"),
        Binding("g", "new_data", "Data", tooltip="new points: the next seed", id="new-data"),
        *PACE_BINDINGS,
        Binding("p", "toggle_panel", "Panel", tooltip="hide or show the parameter panel", id="panel", show=False),
        *TEACHING_BINDINGS,  # its P shows in p's place at 80 columns (p is in the help); the rest are hidden
        *WORKFLOW_BINDINGS,
        *HELP_QUIT_BINDINGS,
        *INSIGHT_BINDINGS,  # after help and quit: a narrow footer cuts its end, and those two must stay
        *VALLEY_BINDINGS,
    ]

    def __init__(self, settings: Settings, fps: int, dataset=None) -> None:
        super().__init__()
        self.settings = settings
        self.dataset = dataset
        self.pace = Pace(fps)
        self.life = RunLife()
        self.driver = RunDriver(self)
        self.runner: Runner | None = None
        self.problem = None
        self.snapshot = None
        self.rate: float | None = None

    @property
    def state(self) -> RunState:
        return self.life.state

    @property
    def note(self) -> str:
        return self.life.note

    def compose(self):
        with Horizontal(id="body"):
            yield ParameterPanel(self.settings, id="panel")
            with Vertical(id="plots"):
                yield AnalysisPanel(id="analysis")
                yield FitPlot(id="fit")
                yield LandscapeView(id="landscape")
                yield LossCurveView(id="loss-curve")
                yield LossPlot(id="loss")
                yield AutogradPanel(id="autograd")
        yield StatusLine(id="status")
        yield Static("", id="too-small")
        yield FittedFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # looked up once: a query per frame is measurable time taken from the run
        self.panel = self.query_one(ParameterPanel)
        self.fit = self.query_one(FitPlot)
        self.loss = self.query_one(LossPlot)
        self.status = self.query_one(StatusLine)
        self.analysis_panel = self.query_one(AnalysisPanel)
        self.landscape = self.query_one(LandscapeView)
        self.autograd = self.query_one(AutogradPanel)
        self.insight = Insight(
            self.analysis_panel, self.landscape, self.autograd, self.fit, self.loss, self.notify, self.query_one(LossCurveView)
        )
        self.exporter = Exporter(self)
        views = SimpleNamespace(plots=self.query_one("#plots"), fit=self.fit, loss=self.loss, autograd=self.autograd)
        self.teaching = Teaching(self, self.driver, views)
        self.learner = self.teaching.learner  # the driver records on its tape; the tour asks its questions
        self.valley = Valley(self)
        self.focus_plot()
        self.prepare_run(self.settings, self.dataset)

    # ── what the keys do ─────────────────────────────────────────────────────
    def action_run_pause(self) -> None:
        life = self.life
        if life.running:
            self.pause()
            return
        problems = self.panel.problems()
        if problems:
            name, why = problems[0]
            # said beside the field and here; the focus stays put: a letter typed next must not land in the field
            self.notify(f"{name}: {why}", title="Fix this first", severity="error")
            return
        pending = self.panel.pending()
        if pending:
            self.apply(pending, run=True)
        elif life.state is RunState.LOADING:
            life.run_when_ready = True
        elif life.over:
            self.prepare_run(self.settings, self.dataset, run=True)
        elif life.steppable:
            self.driver.start_run()
        elif life.state is RunState.ERROR:
            self.notify(life.note, title="Can't run", severity="error")

    def action_reset(self) -> None:
        self.prepare_run(self.settings.with_changes(start=self.settings.start + 1), self.dataset, run=self.life.running)

    def action_new_data(self) -> None:
        self.prepare_run(self.settings.with_changes(seed=self.settings.seed + 1), None, run=self.life.running)

    def action_toggle_panel(self) -> None:
        panel = self.panel
        panel.display = not panel.display
        if not panel.display:
            self.focus_plot()

    def action_help(self) -> None:
        from tui.screens.help_screen import HelpScreen  # its Markdown (markdown_it, pygments) loads on ?, not before the first paint
        self.app.push_screen(HelpScreen(self.BINDINGS))

    def action_pace(self, change: str) -> None:
        getattr(self.pace, change)()  # PACE_BINDINGS: faster, slower or toggle_turbo
        self.show_status()

    def action_predict(self) -> None:
        self.learner.predicting.ask_here()

    def action_rewind(self, by: int, far: bool = False) -> None:
        self.learner.rewind.move(by, far)

    def action_toggle_analysis(self) -> None:
        shown = self.analysis_panel.display and self.analysis_panel.size.height > 0
        self.set_class(shown, "-hide-analysis")
        self.set_class(not shown, "-show-analysis")

    def action_lr_best(self) -> None:
        from tui.screens.best_keys import set_best_lr

        set_best_lr(self)

    def action_toggle_landscape(self) -> None:
        self.insight.toggle_landscape(self.problem, self.snapshot, self.settings.model)
        if not isinstance(self.focused, (Input, Select, Checkbox)):
            self.focus_plot()

    def action_explain(self) -> None:
        from tui.screens.explain_screen import ExplainScreen

        self.app.push_screen(ExplainScreen(self.analysis_panel.whole()))

    def action_standardize(self) -> None:
        self.apply({"standardize": not self.settings.standardize})

    def action_momentum(self) -> None:
        changes = self.insight.momentum_best()  # β*, lr* where the curvature is exact (engine.maths.optimizer_rules)
        if all(getattr(self.settings, name) == value for name, value in changes.items()):
            self.notify("the update rule is momentum at these settings already", title="Momentum")
            return
        for name in ("lr", "momentum"):
            if name in changes:
                self.panel.set_value(name, changes[name])
        self.apply(changes)

    def action_toggle_autograd(self) -> None:
        self.insight.toggle_autograd(self.problem, self.snapshot)

    def action_valley(self) -> None:
        self.valley.toggle()

    def action_warmup(self) -> None:
        from tui.screens.warmup_screen import WarmUpScreen

        self.app.push_screen(WarmUpScreen())

    def action_tour(self) -> None:
        self.teaching.start_tour()

    def action_code(self) -> None:
        self.teaching.toggle_code()

    def action_tour_next(self) -> None:
        self.teaching.tour_move(1)

    def action_tour_back(self) -> None:
        self.teaching.tour_move(-1)

    def action_tour_leave(self) -> None:
        self.teaching.tour_leave()

    def action_save_settings(self) -> None:
        self.exporter.save_settings(self.settings)

    def action_export(self) -> None:
        # The history of the steps taken so far (what is on screen), not of all the steps set: those may be 10⁹.
        self.exporter.export(self.settings, self.snapshot.step if self.snapshot is not None else 0, dataset=self.dataset)

    def action_screenshot(self) -> None:
        self.exporter.screenshot()

    @property
    def analysis(self):
        """The newest Analysis of the run (engine.maths.curvature), or None."""
        return self.insight.analysis

    @property
    def optimum(self):
        """The least-squares optimum of the run's problem, when it has one."""
        return self.insight.optimum

    def show_views(self, panel: bool, top: str, bottom: str) -> None:
        """The views a tour stop asks for: the panel or not, `top` "fit" or "landscape", `bottom` "loss", "code", "autograd" or "none"."""
        self.panel.display = panel
        self.landscape.display, self.fit.display = top == "landscape", top != "landscape"
        self.teaching.show_code(bottom == "code", focus=False)
        self.autograd.display, self.loss.display = bottom == "autograd", bottom == "loss"

    def focus_plot(self) -> None:
        """The plot shown (the fit, or the landscape in its place) takes the keys."""
        (self.landscape if self.landscape.display else self.fit).focus()

    def on_screen_resume(self) -> None:
        # A modal closed: Textual gives the focus back to where it was; where that was nothing (the plot it was
        # on went away), the plot takes it, never the first field
        if self.focused is None:
            self.focus_plot()

    # ── the run's life: RunDriver (tui/screens/run_driver.py) ────────────────
    def prepare_run(self, settings: Settings, dataset, run: bool = False, start=None) -> None:
        self.driver.prepare_run(settings, dataset, run, start)

    def apply(self, changes: dict, run: bool = False, restart: bool = False) -> None:
        self.driver.apply(changes, run, restart)

    def pause(self) -> None:
        self.driver.pause()

    def show_status(self) -> None:
        self.driver.show_status()

    @on(DataReady)
    @on(ProblemReady)
    @on(PrepareFailed)
    @on(Frame)
    @on(ParameterPanel.Applied)
    @on(ParameterPanel.Typed)
    @on(LandscapeView.StartMoved)
    def _to_the_driver(self, message) -> None:
        """What the run's workers post, and the panel's and the landscape's changes to the run."""
        self.driver.receive(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.driver.worker_failed(event)

    def on_code_pane_next_phase(self) -> None:  # by name: the code pane's module loads only when c is pressed
        self.teaching.next_phase()

    # ── a terminal too small to draw in ──────────────────────────────────────
    def on_resize(self) -> None:
        width, height = self.size
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(too_small, "-too-small")
        if too_small:
            self.query_one("#too-small", Static).update(
                f"descent needs a terminal of at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is {width}×{height}.\n"
                "Make the window larger (q quits)."
            )
