"""The main screen: parameters, the fit, the loss curve and the status line, driven by the keys."""

from __future__ import annotations

import threading

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Select, Static
from textual.worker import Worker, WorkerState, get_current_worker

from engine.settings.run_settings import Settings
from tui.screens.exporter import WORKFLOW_BINDINGS, Exporter
from tui.screens.help_screen import HelpScreen
from tui.screens.insight import INSIGHT_BINDINGS, Insight
from tui.screens.pace_keys import HELP_QUIT_BINDINGS, PACE_BINDINGS
from tui.screens.teaching import TEACHING_BINDINGS, Teaching
from tui.screens.valley_keys import VALLEY_BINDINGS, Valley
from tui.widgets.analysis_panel import AnalysisPanel
from tui.widgets.autograd_panel import AutogradPanel
from tui.widgets.fit_plot import FitPlot
from tui.widgets.landscape_view import LandscapeView
from tui.widgets.loss_curve_view import LossCurveView
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
    AUTO_FOCUS = ""  # never a field: letters go to a field only when the person moved there (on_screen_resume)
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
        *VALLEY_BINDINGS,
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
                yield LossCurveView(id="loss-curve")
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
        self.insight = Insight(
            self.analysis_panel, self.landscape, self.autograd, self.fit, self.loss, self.notify, self.query_one(LossCurveView)
        )
        self.exporter = Exporter(self)
        self.teaching = Teaching(self)
        self.valley = Valley(self)
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
            # said beside the field and here; the focus stays put: a letter typed next must not land in the field
            self.notify(f"{name}: {why}", title="Fix this first", severity="error")
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
        from tui.screens.best_keys import best_changes

        lr = (best_changes(self, {"lr": "best"}) or {}).get("lr")  # the best lr for the steps left, not lr_best
        if lr is not None:
            # The same path as a typed lr (issue 12): the run goes on from θ, with a mark on the loss curve where the
            # lr changed, so the curve shows what lr_best does from there; before a run that is step 0, the clean experiment.
            self.panel.set_value("lr", lr)
            self.apply({"lr": lr})

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
        if self.settings.optimizer == "momentum":
            self.notify("the update rule is momentum already", title="Momentum")
            return
        self.apply({"optimizer": "momentum"})

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
        self.exporter.export(self.settings, self.snapshot.step if self.snapshot is not None else 0)

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

    def focus_plot(self) -> None:
        """The plot shown (the fit, or the landscape in its place) takes the keys."""
        (self.landscape if self.landscape.display else self.fit).focus()

    def on_screen_resume(self) -> None:
        # A modal closed: Textual gives the focus back to where it was; where that was nothing (the plot it was
        # on went away), the plot takes it, never the first field
        if self.focused is None:
            self.focus_plot()

    # ── the run's life ───────────────────────────────────────────────────────
    def prepare_run(self, settings: Settings, dataset, run: bool = False, start=None) -> None:
        """Stop any run and build a new one from `settings` (new points unless `dataset` is kept); from θ = `start` if given."""
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
        marble = {} if start is None else {"start": start}
        self.points_shown = shown
        if dataset is not None:
            self.call_after_refresh(shown.set)
        self.run_worker(
            lambda: prepare(settings, dataset, run_id, self.post_message, lambda: get_current_worker().is_cancelled, shown, **marble),
            thread=True,
            group="prepare",
            exclusive=True,
            exit_on_error=False,
        )
        self.show_status()

    def apply(self, changes: dict, run: bool = False, restart: bool = False) -> None:
        """Apply changed settings: the run goes on from where it is when it can (`go_on`), unless `restart`."""
        from engine.settings.errors import SettingError
        from tui.screens.best_keys import best_changes

        changes = best_changes(self, changes)  # `best` typed in the lr or momentum field: its number
        if changes is None:
            return
        try:
            settings = self.settings.with_changes(**changes)
        except SettingError as error:
            self.panel.show_error(error.setting, error.message)
            return
        if not restart and self._can_go_on(settings):
            self.go_on(settings, run=run or self.state == "running")
            return
        data_changed = any(FIELDS[name].metadata["group"] == "Data" for name in changes)
        self.prepare_run(settings, None if data_changed else self.dataset, run=run or self.state == "running")

    def _can_go_on(self, settings: Settings) -> bool:
        """A run under way whose change keeps its data and model (lr, steps, rule, momentum, batch size)."""
        if self.state not in ("ready", "running", "paused") or self.runner is None or self.snapshot is None:
            return False
        from engine.descent.steer import steerable  # torch is loaded: the run exists

        return steerable(self.settings, settings) and self.snapshot.step <= settings.steps

    def go_on(self, settings: Settings, run: bool) -> None:
        """The run goes on from θ where it is, under `settings`, with a mark on the loss curve at this step."""
        import itertools

        from engine.descent.steer import go_on

        self.workers.cancel_group(self, "run")
        old, snapshot = self.runner, self.snapshot
        problem, generator = go_on(self.problem, settings, snapshot.vector, snapshot.step)
        # pulled in the worker, once the old one has stopped; its first snapshot is θ as shown already
        steps = itertools.islice(old.then(generator), 1, None)
        self.settings, self.problem = settings, problem
        self.panel.set_applied(settings)
        self.run_id += 1  # a frame the old worker still posts (a step past this one, at the old lr) is ignored
        self.runner = Runner(steps, self.run_id, analysis=old.analysis, path_every=old.path_every)
        if snapshot.step:
            self.loss.mark(snapshot.step, settings.steps)
        else:
            self.loss.total_steps = max(1, settings.steps)
            self.loss.refresh()
        self.state, self.note = ("paused" if snapshot.step else "ready"), ""
        self.insight.steered(settings)
        if run:
            self.start_run()
        self.show_status()

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

    @on(LandscapeView.StartMoved)
    def _start_moved(self, message: LandscapeView.StartMoved) -> None:
        """A marble dropped on the landscape: the run starts again from there, same data."""
        if self.problem is None:
            return
        self.prepare_run(self.settings, self.dataset, run=self.state == "running", start=message.vector)

    @on(ParameterPanel.Typed)
    def _typed(self, message: ParameterPanel.Typed) -> None:
        if message.name == "lr":
            self.insight.typed_lr(message.text, self.settings)
            self.show_status()

    @on(DataReady)
    def _data_ready(self, message: DataReady) -> None:
        if message.run_id == self.run_id:
            dataset = self.dataset = message.dataset
            self.fit.show_data(dataset.x, dataset.y)
            self.fit.set_labels(getattr(dataset, "x_name", "x"), getattr(dataset, "y_name", "y"))  # a CSV's column names
            self.panel.show_dataset(dataset)
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
        self.loss.set_optimum(None if optimum is None else optimum.loss)  # L* known: the plot shows L − L*
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
            self.insight.done(self.problem, snapshot, self.settings)
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
        self.valley.follow(self.problem, snapshot)
        self.show_status()

    def show_status(self) -> None:
        device = str(self.problem.device) if self.problem is not None else ""
        pace = self.pace.describe()
        note = self.note or self.insight.note(self.state, self.settings)
        optimum = self.insight.optimum
        best = None if optimum is None else optimum.loss
        self.status.show(self.state, self.snapshot, self.settings.steps, self.rate, device, pace, note, optimum_loss=best)

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
