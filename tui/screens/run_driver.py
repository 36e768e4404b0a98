"""The run's driver on the main screen: build a run, steer it, start and pause it, and draw what its workers post.

A collaborator of MainScreen, as Insight and Teaching are: the screen keeps the keys and the layout and hands
the run's life here (its state is `screen.life`, a RunLife); the workers' messages reach `receive`.
"""

from __future__ import annotations

from textual.worker import Worker, WorkerState, get_current_worker

from engine.settings.run_settings import Settings
from tui.widgets.landscape_view import LandscapeView
from tui.widgets.parameter_panel import FIELDS, ParameterPanel
from tui.workers.heap import freeze_once
from tui.workers.preparing import DataReady, DataWaiting, PrepareFailed, ProblemReady, prepare
from tui.workers.runner import Frame, Runner


class RunDriver:
    """The run's life as the main screen drives it; it writes the screen's run (`runner`, `problem`, `snapshot`)."""

    def __init__(self, screen) -> None:
        self.screen = screen

    def receive(self, message) -> None:
        """A message from the run's workers, or a change to the run from the panel or the landscape."""
        handlers = {
            DataReady: self.data_ready,
            DataWaiting: self.data_waiting,
            ProblemReady: self.problem_ready,
            PrepareFailed: self.prepare_failed,
            Frame: self.frame,
            ParameterPanel.Applied: self.applied,
            ParameterPanel.Typed: self.typed,
            LandscapeView.StartMoved: self.start_moved,
        }
        handlers[type(message)](message)

    def applied(self, message: ParameterPanel.Applied) -> None:
        self.apply(message.changes)

    def start_moved(self, message: LandscapeView.StartMoved) -> None:
        """A marble dropped on the landscape: the run starts again from there, same data."""
        screen = self.screen
        if screen.problem is not None:
            self.prepare_run(screen.settings, screen.dataset, run=screen.life.running, start=message.vector)

    def typed(self, message: ParameterPanel.Typed) -> None:
        if message.name == "lr":
            self.screen.insight.typed_lr(message.text, self.screen.settings)
            self.show_status()

    def prepare_run(self, settings: Settings, dataset, run: bool = False, start=None) -> None:
        """Stop any run and build a new one from `settings` (new points unless `dataset` is kept); from θ = `start` if given."""
        screen = self.screen
        screen.workers.cancel_group(screen, "run")
        run_id = screen.life.restart(run)
        if settings != screen.settings:
            screen.settings = settings
            screen.panel.set_applied(settings)
        screen.dataset, screen.runner, screen.problem, screen.snapshot, screen.rate = dataset, None, None, None, None
        screen.loss.reset(settings.steps)
        screen.learner.rewind.reset()
        screen.insight.reset(settings)
        fit = screen.fit
        if dataset is not None and not fit.shows(dataset):
            fit.show_data(dataset.x, dataset.y)  # at once, before the worker's DataReady: the first screen has its points
        fit.show_fit(None)
        fit.show_optimum(None)
        shown = screen.life.points_shown
        marble = {} if start is None else {"start": start}
        if dataset is not None:
            screen.call_after_refresh(shown.set)
        screen.run_worker(
            lambda: prepare(settings, dataset, run_id, screen.post_message, lambda: get_current_worker().is_cancelled, shown, **marble),
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

        screen = self.screen
        changes = best_changes(screen, changes)  # `best` typed in the lr or momentum field: its number
        if changes is None:
            return
        try:
            settings = screen.settings.with_changes(**changes)
        except SettingError as error:
            screen.panel.show_error(error.setting, error.message)
            return
        if not restart and self.can_go_on(settings):
            self.go_on(settings, run=run or screen.life.running)
            return
        data_changed = any(FIELDS[name].metadata["group"] == "Data" for name in changes)
        self.prepare_run(settings, None if data_changed else screen.dataset, run=run or screen.life.running)

    def can_go_on(self, settings: Settings) -> bool:
        """A run under way whose change keeps its data and model (lr, steps, rule, momentum, batch size)."""
        screen = self.screen
        if not screen.life.steppable or screen.runner is None or screen.snapshot is None:
            return False
        from engine.descent.steer import steerable  # torch is loaded: the run exists

        return steerable(screen.settings, settings) and screen.snapshot.step <= settings.steps

    def go_on(self, settings: Settings, run: bool) -> None:
        """The run goes on from θ where it is, under `settings`, with a mark on the loss curve at this step."""
        import itertools

        from engine.descent.steer import go_on

        screen = self.screen
        screen.workers.cancel_group(screen, "run")
        old, snapshot = screen.runner, screen.snapshot
        screen.learner.rewind.branch(snapshot)  # from a rewound step: the later history goes
        problem, generator = go_on(screen.problem, settings, snapshot.vector, snapshot.step)
        # pulled in the worker, once the old one has stopped; its first snapshot is θ as shown already
        steps = itertools.islice(old.then(generator), 1, None)
        screen.settings, screen.problem = settings, problem
        screen.panel.set_applied(settings)
        # a new run_id: a frame the old worker still posts (a step past this one, at the old lr) is ignored
        tape = screen.learner.rewind.tape_from()  # after branch(): this runner's appends are the new branch's
        screen.runner = Runner(steps, screen.life.steer(snapshot.step), analysis=old.analysis, path_every=old.path_every, tape=tape)
        if snapshot.step:
            screen.loss.mark(snapshot.step, settings.steps)
        else:
            screen.loss.total_steps = max(1, settings.steps)
            screen.loss.refresh()
        screen.insight.steered(settings)
        if run:
            self.start_run()
        self.show_status()

    def start_run(self, limit: int | None = None) -> None:
        screen = self.screen
        if screen.learner.rewind.rewound:  # space or n on a rewound step: the run goes on from there
            self.go_on(screen.settings, run=False)
        runner, pace = screen.runner, screen.pace
        if runner is None or runner.exhausted:
            return
        serial = screen.life.start() if limit is None else screen.life.step()
        screen.run_worker(
            lambda: runner.pull(pace, screen.post_message, lambda: get_current_worker().is_cancelled, limit, serial),
            thread=True,
            group="run",
            exclusive=limit is None,
            exit_on_error=False,
        )
        self.show_status()

    def step(self) -> None:
        """One whole step (pauses a running descent)."""
        if self.screen.life.steppable:
            self.pause()
            self.start_run(limit=1)

    def pause(self) -> None:
        screen = self.screen
        screen.workers.cancel_group(screen, "run")
        screen.life.pause()
        self.show_status()

    def data_waiting(self, message: DataWaiting) -> None:
        screen = self.screen
        if screen.life.is_current(message.run_id):  # a FIFO with no writer yet: say so, not "loading" for ever
            screen.life.note = message.words  # a note, not a state: the run is still loading
            screen.notify(message.words, title="Data")
            self.show_status()

    def data_ready(self, message: DataReady) -> None:
        screen = self.screen
        if screen.life.is_current(message.run_id):
            screen.life.note = ""  # what a stream's wait said is over
            dataset = screen.dataset = message.dataset
            if not screen.fit.shows(dataset):
                screen.fit.show_data(dataset.x, dataset.y)
            screen.fit.set_labels(getattr(dataset, "x_name", "x"), getattr(dataset, "y_name", "y"))  # a CSV's column names
            screen.panel.show_dataset(dataset)
            screen.call_after_refresh(screen.life.points_shown.set)  # now torch may load

    def problem_ready(self, message: ProblemReady) -> None:
        screen = self.screen
        if not screen.life.is_current(message.run_id):
            return
        screen.problem = message.problem
        freeze_once()  # torch and the screen are all there: out of the collector's way (tui/workers/heap.py)
        live, path_every = screen.insight.ready(message, screen.settings)
        tape = screen.learner.rewind.tape_from(first=message.first)
        screen.runner = Runner(message.generator, message.run_id, analysis=live, path_every=path_every, tape=tape)
        fit = screen.fit
        optimum = message.optimum
        fit.show_optimum(None if optimum is None else screen.problem.model.curve(optimum.vector, fit.curve_x))
        screen.loss.set_optimum(None if optimum is None else optimum.loss)  # L* known: the plot shows L − L*
        run = screen.life.ready()
        self.draw(message.first, [0], [message.first.loss])
        if run:
            self.start_run()

    def prepare_failed(self, message: PrepareFailed) -> None:
        screen = self.screen
        if not screen.life.is_current(message.run_id):
            return
        screen.life.fail(message.message)
        if message.setting:
            screen.panel.show_error(message.setting, message.message)
        screen.notify(message.message, title="Can't run", severity="error")
        self.show_status()

    def frame(self, frame: Frame) -> None:
        screen = self.screen
        if not screen.life.is_current(frame.run_id) or screen.runner is None:
            return
        if screen.learner.rewind.rewound:  # the paused worker's last frame: the live end moves, the step shown stays
            screen.learner.rewind.late_frame(frame)
            return
        screen.rate = frame.rate or screen.rate
        snapshot = frame.snapshot or screen.snapshot
        if snapshot.status == "diverged":
            screen.life.diverge(screen.insight.divergence(snapshot, screen.settings))
        elif snapshot.status == "done":
            screen.life.finish()
            screen.insight.done(screen.problem, snapshot, screen.settings)
        elif frame.final:
            screen.life.pull_ended(frame.pull)
        screen.insight.frame(frame, screen.settings)
        self.draw(snapshot, frame.steps, frame.losses)
        screen.runner.frame_drawn()

    def draw(self, snapshot, steps: list[int], losses: list[float]) -> None:
        screen = self.screen
        screen.snapshot = snapshot
        fit = screen.fit
        fit.show_fit(screen.problem.model.curve(snapshot.vector, fit.curve_x))
        screen.loss.add(steps, losses)
        screen.insight.draw(screen.problem, snapshot)
        screen.valley.follow(screen.problem, snapshot)
        self.show_status()

    def show_status(self) -> None:
        screen = self.screen
        device = str(screen.problem.device) if screen.problem is not None else ""
        rewound = screen.learner.rewind.label()
        pace = "" if rewound else screen.pace.describe()  # a rewound step has no pace: its room goes to k and b
        note = screen.note or screen.insight.note(screen.state, screen.settings)
        optimum = screen.insight.optimum
        best = None if optimum is None else optimum.loss
        warning = not screen.note and screen.insight.warns(screen.state, screen.settings)  # an lr past its limit: first, any width
        screen.status.show(
            screen.state, screen.snapshot, screen.settings.steps, screen.rate, device, pace, note,
            optimum_loss=best, rewound=rewound, warning=warning,
        )

    def worker_failed(self, event: Worker.StateChanged) -> None:
        """A worker that raised stops the run with a sentence on screen; a traceback never reaches it."""
        screen = self.screen
        if event.state == WorkerState.ERROR and event.worker.group in ("run", "prepare"):
            error = event.worker.error
            where = f" after step {screen.snapshot.step:,}" if screen.snapshot is not None and event.worker.group == "run" else ""
            screen.life.fail(f"the run stopped{where}: {type(error).__name__}: {error}")
            screen.notify(screen.note, title="Error", severity="error")
            self.show_status()
