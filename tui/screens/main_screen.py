"""The main screen: parameters, the fit, the loss curve and the status line, driven by the keys."""

from __future__ import annotations

import threading

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from engine.settings import Settings
from tui.screens.exporter import WORKFLOW_BINDINGS, Exporter
from tui.screens.help_screen import HelpScreen
from tui.screens.insight import INSIGHT_BINDINGS, Insight
from tui.screens.pace_keys import HELP_QUIT_BINDINGS, PACE_BINDINGS
from tui.screens.teaching import TEACHING_BINDINGS, Teaching
from tui.widgets.analysis_panel import AnalysisPanel
from tui.widgets.autograd_panel import AutogradPanel
from tui.widgets.fit_plot import FitPlot
from tui.widgets.landscape_view import LandscapeView
from tui.widgets.loss_plot import LossPlot
from tui.widgets.parameter_panel import FIELDS, ParameterPanel
from tui.widgets.status_line import StatusLine
from tui.workers.pace import Pace
from tui.workers.preparing import DataReady, PrepareFailed, ProblemReady, prepare
from tui.workers.runner import Frame, Runner

MIN_WIDTH, MIN_HEIGHT = 60, 18
"""Below this the plots have no room for their axes: the screen says what it needs instead."""


class MainScreen(Screen):
    """One run at a time: `state` is loading, ready, running, paused, done, diverged or error."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("space", "run_pause", "Run", tooltip="run the descent, or pause it", id="run-pause"),
        Binding("n", "step", "Step", tooltip="take one step (pauses a running descent)", id="step"),
        Binding("r", "reset", "Reset", tooltip="a new random start of the parameters, same data", id="reset"),
        Binding("g", "new_data", "Data", tooltip="new points: the next seed", id="new-data"),
        *PACE_BINDINGS,
        Binding("p", "toggle_panel", "Panel", tooltip="hide or show the parameter panel", id="panel"),
        *WORKFLOW_BINDINGS,
        *HELP_QUIT_BINDINGS,
        *INSIGHT_BINDINGS,  # after help and quit: a narrow footer cuts its end, and those two must stay
        *TEACHING_BINDINGS,
    ]

    def __init__(self, settings: Settings, fps: int, dataset=None) -> None:
        super().__init__()
        self.settings = settings
        self.dataset = dataset
        self.pace = Pace(fps)
        self.state = "loading"
        self.note = ""
        self.run_id = 0
        self.runner: Runner | None = None
        self.problem = None
        self.snapshot = None
        self.rate: float | None = None
        self.run_when_ready = False
        self.pull_serial = 0
        self.points_shown = threading.Event()

    def compose(self):
        with Horizontal(id="body"):
            yield ParameterPanel(self.settings, id="panel")
            with Vertical(id="plots"):
                yield AnalysisPanel(id="analysis")
                yield FitPlot(id="fit")
                yield LandscapeView(id="landscape")
                yield LossPlot(id="loss")
                yield AutogradPanel(id="autograd")
        yield StatusLine(id="status")
        yield Static("", id="too-small")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # looked up once: a query per frame is measurable time taken from the run
        self.panel = self.query_one(ParameterPanel)
        self.fit = self.query_one(FitPlot)
        self.loss = self.query_one(LossPlot)
        self.status = self.query_one(StatusLine)
        self.analysis_panel = self.query_one(AnalysisPanel)
        self.landscape = self.query_one(LandscapeView)
        self.autograd = self.query_one(AutogradPanel)
        self.insight = Insight(self.analysis_panel, self.landscape, self.autograd, self.fit, self.loss, self.notify)
        self.exporter = Exporter(self)
        self.teaching = Teaching(self)
        self.focus_plot()
        self.prepare_run(self.settings, self.dataset)

    # ── what the keys do ─────────────────────────────────────────────────────
    def action_run_pause(self) -> None:
        if self.state == "running":
            self.pause()
            return
        problems = self.panel.problems()
        if problems:
            name, why = problems[0]
            self.notify(f"{name}: {why}", title="Fix this first", severity="error")
            self.panel.focus_setting(name)
            return
        pending = self.panel.pending()
        if pending:
            self.apply(pending, run=True)
        elif self.state == "loading":
            self.run_when_ready = True
        elif self.state in ("done", "diverged"):
            self.prepare_run(self.settings, self.dataset, run=True)
        elif self.state in ("ready", "paused"):
            self.start_run()
        elif self.state == "error":
            self.notify(self.note, title="Can't run", severity="error")

    def action_step(self) -> None:
        if self.state not in ("ready", "paused", "running"):
            return
        self.pause()
        self.start_run(limit=1)

    def action_reset(self) -> None:
        self.prepare_run(self.settings.with_changes(start=self.settings.start + 1), self.dataset, run=self.state == "running")

    def action_new_data(self) -> None:
        self.prepare_run(self.settings.with_changes(seed=self.settings.seed + 1), None, run=self.state == "running")

    def action_toggle_panel(self) -> None:
        panel = self.panel
        panel.display = not panel.display
        if not panel.display:
            self.focus_plot()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.BINDINGS))

    def action_faster(self) -> None:
        self.pace.faster()
        self.show_status()

    def action_slower(self) -> None:
        self.pace.slower()
        self.show_status()

    def action_turbo(self) -> None:
        self.pace.toggle_turbo()
        self.show_status()

    def action_toggle_analysis(self) -> None:
        shown = self.analysis_panel.display and self.analysis_panel.size.height > 0
        self.set_class(shown, "-hide-analysis")
        self.set_class(not shown, "-show-analysis")

    def action_lr_best(self) -> None:
        lr = self.insight.lr_best()
        if lr is not None:
            # The same path as a typed lr: the run starts again from step 0 with the same data and start, so the
            # new loss curve compares with the last one step for step. Keeping θ mid-run would mix two lrs in
            # one curve and hide what lr_best does; the demanding user wants the clean experiment.
            self.panel.set_value("lr", lr)
            self.apply({"lr": lr})

    def action_toggle_landscape(self) -> None:
        self.insight.toggle_landscape(self.problem, self.snapshot, self.settings.model)

    def action_toggle_autograd(self) -> None:
        self.insight.toggle_autograd(self.problem, self.snapshot)

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
        self.exporter.export(self.settings, self.snapshot.step if self.snapshot is not None else 0)

    def action_screenshot(self) -> None:
        self.exporter.screenshot()

    @property
    def analysis(self):
        """The newest Analysis of the run (engine.analysis), or None."""
        return self.insight.analysis

    @property
    def optimum(self):
        """The least-squares optimum of the run's problem, when it has one."""
        return self.insight.optimum

    def focus_plot(self) -> None:
        self.fit.focus()

    # ── the run's life ───────────────────────────────────────────────────────
    def prepare_run(self, settings: Settings, dataset, run: bool = False) -> None:
        """Stop any run and build a new one from `settings` (new points unless `dataset` is kept)."""
        self.workers.cancel_group(self, "run")
        self.run_id += 1
        if settings != self.settings:
            self.settings = settings
            self.panel.set_applied(settings)
        self.dataset, self.runner, self.problem, self.snapshot, self.rate = dataset, None, None, None, None
        self.state, self.note, self.run_when_ready = "loading", "", run
        self.loss.reset(settings.steps)
        self.insight.reset(settings)
        fit = self.fit
        if dataset is not None and not fit.curve_x.size:
            fit.show_data(dataset.x, dataset.y)
        fit.show_fit(None)
        fit.show_optimum(None)
        run_id, shown = self.run_id, threading.Event()
        self.points_shown = shown
        if dataset is not None:
            self.call_after_refresh(shown.set)
        self.run_worker(
            lambda: prepare(settings, dataset, run_id, self.post_message, lambda: get_current_worker().is_cancelled, shown),
            thread=True,
            group="prepare",
            exclusive=True,
            exit_on_error=False,
        )
        self.show_status()

    def apply(self, changes: dict, run: bool = False) -> None:
        from engine.errors import SettingError

        try:
            settings = self.settings.with_changes(**changes)
        except SettingError as error:
            self.panel.show_error(error.setting, error.message)
            return
        data_changed = any(FIELDS[name].metadata["group"] == "Data" for name in changes)
        self.prepare_run(settings, None if data_changed else self.dataset, run=run or self.state == "running")

    def start_run(self, limit: int | None = None) -> None:
        runner, pace = self.runner, self.pace
        if runner is None or runner.exhausted:
            return
        self.state = "running" if limit is None else "paused"
        self.pull_serial += 1
        serial = self.pull_serial
        self.run_worker(
            lambda: runner.pull(pace, self.post_message, lambda: get_current_worker().is_cancelled, limit, serial),
            thread=True,
            group="run",
            exclusive=limit is None,
            exit_on_error=False,
        )
        self.show_status()

    def pause(self) -> None:
        self.workers.cancel_group(self, "run")
        if self.state == "running":
            self.state = "paused"
        self.show_status()

    # ── what the workers post ────────────────────────────────────────────────
    @on(ParameterPanel.Applied)
    def _applied(self, message: ParameterPanel.Applied) -> None:
        self.apply(message.changes)

    @on(ParameterPanel.Typed)
    def _typed(self, message: ParameterPanel.Typed) -> None:
        if message.name == "lr":
            self.insight.typed_lr(message.text, self.settings)
            self.show_status()

    @on(DataReady)
    def _data_ready(self, message: DataReady) -> None:
        if message.run_id == self.run_id:
            self.dataset = message.dataset
            self.fit.show_data(message.dataset.x, message.dataset.y)
            self.call_after_refresh(self.points_shown.set)  # now torch may load

    @on(ProblemReady)
    def _problem_ready(self, message: ProblemReady) -> None:
        if message.run_id != self.run_id:
            return
        self.problem = message.problem
        live, path_every = self.insight.ready(message, self.settings)
        self.runner = Runner(message.generator, message.run_id, analysis=live, path_every=path_every)
        fit = self.fit
        optimum = message.optimum
        fit.show_optimum(None if optimum is None else self.problem.model.curve(optimum.vector, fit.curve_x))
        self.state = "ready"
        self.draw(message.first, [0], [message.first.loss])
        if self.run_when_ready:
            self.start_run()

    @on(PrepareFailed)
    def _prepare_failed(self, message: PrepareFailed) -> None:
        if message.run_id != self.run_id:
            return
        self.state, self.note = "error", message.message
        if message.setting:
            self.panel.show_error(message.setting, message.message)
        self.notify(message.message, title="Can't run", severity="error")
        self.show_status()

    @on(Frame)
    def _frame(self, frame: Frame) -> None:
        if frame.run_id != self.run_id or self.runner is None:
            return
        self.rate = frame.rate or self.rate
        snapshot = frame.snapshot or self.snapshot
        if snapshot.status == "diverged":
            self.state = "diverged"
            self.note = self.insight.divergence(snapshot, self.settings)
        elif snapshot.status == "done":
            self.state = "done"
            self.insight.done(snapshot, self.settings)
        elif frame.final and frame.pull == self.pull_serial and self.state == "running":
            self.state = "paused"
        self.insight.frame(frame, self.settings)
        self.draw(snapshot, frame.steps, frame.losses)
        self.runner.frame_drawn()

    def draw(self, snapshot, steps: list[int], losses: list[float]) -> None:
        self.snapshot = snapshot
        fit = self.fit
        fit.show_fit(self.problem.model.curve(snapshot.vector, fit.curve_x))
        self.loss.add(steps, losses)
        self.insight.draw(self.problem, snapshot)
        self.show_status()

    def show_status(self) -> None:
        device = str(self.problem.device) if self.problem is not None else ""
        pace = self.pace.describe()
        note = self.note or self.insight.note(self.state, self.settings)
        self.status.show(self.state, self.snapshot, self.settings.steps, self.rate, device, pace, note)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that raised stops the run with a sentence on screen; a traceback never reaches it."""
        if event.state == WorkerState.ERROR and event.worker.group in ("run", "prepare"):
            error = event.worker.error
            where = f" after step {self.snapshot.step:,}" if self.snapshot is not None and event.worker.group == "run" else ""
            self.state, self.note = "error", f"the run stopped{where}: {type(error).__name__}: {error}"
            self.notify(self.note, title="Error", severity="error")
            self.show_status()

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
