"""`descent --race manual,momentum,adam`: the optimizers on the same data from the same start, side by side.

Its own screen, so the single run's screen and its fast path stay as they are: the race has no parameter
panel (every racer shares the settings given on the command line), only the plots, a line per racer and the keys.
"""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from engine.settings.racers import Racer, parse_racer
from engine.settings.run_settings import Settings
from tui.screens.help_screen import HelpScreen
from tui.screens.pace_keys import HELP_QUIT_BINDINGS, PACE_BINDINGS
from tui.screens.race_insight import RACE_INSIGHT_BINDINGS, RaceInsight
from tui.screens.race_status import race_status
from tui.widgets.plotting.glyphs import glyphs_of, translate_text
from tui.widgets.race_landscape import RaceLandscapeView
from tui.widgets.race_plots import RaceFitPlot, RaceLossPlot
from tui.workers.heap import freeze_once
from tui.workers.pace import Pace
from tui.workers.race_preparing import RaceReady, prepare_race
from tui.workers.race_runner import RaceFrame, RaceRunner
from tui.workers.run_state import RunLife, RunState


class RaceScreen(Screen):
    """The race's life (RunState and transitions, as the main screen's) is `self.life`; it never diverges as a whole."""

    BINDINGS = [
        Binding("space", "run_pause", "Run", tooltip="run the race, or pause it", id="run-pause"),
        Binding("r", "restart", "Restart", tooltip="the race again from step 0", id="restart"),
        *PACE_BINDINGS,
        *HELP_QUIT_BINDINGS,
        *RACE_INSIGHT_BINDINGS,  # after help and quit: a narrow footer cuts its end, and those two must stay
        Binding("escape", "back", "Back", tooltip="back to the single run (when the race came from a preset)", show=False),
    ]

    def __init__(self, settings: Settings, racers: tuple[Racer | str, ...], fps: int, run: bool = False) -> None:
        """`run`: the race starts once it is built."""
        super().__init__()
        self.run_at_start = run
        self.racers = tuple(parse_racer(racer) if isinstance(racer, str) else racer for racer in racers)
        self.names = tuple(racer.label for racer in self.racers)
        self.settings, self.pace = settings, Pace(fps)
        self.life = RunLife()
        self.runner: RaceRunner | None = None
        self.snapshots: dict = {}

    @property
    def state(self) -> RunState:
        return self.life.state

    @property
    def note(self) -> str:
        return self.life.note

    def compose(self):
        with Vertical(id="race-plots"):
            yield RaceFitPlot(list(self.names), id="race-fit")
            yield RaceLandscapeView(list(self.names), id="race-landscape")
            yield RaceLossPlot(list(self.names), self.settings.steps, id="race-loss")
        yield Static("", id="race-analysis")
        yield Static("", id="race-status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.fit = self.query_one(RaceFitPlot)
        self.loss = self.query_one(RaceLossPlot)
        self.status = self.query_one("#race-status", Static)
        self.insight = RaceInsight(self, self.query_one("#race-analysis", Static), self.query_one(RaceLandscapeView), self.fit)
        self.fit.focus()
        self.prepare(run=self.run_at_start)

    def prepare(self, run: bool = False) -> None:
        """Build the race again from step 0; `run`: it starts once built."""
        self.workers.cancel_group(self, "race")
        run_id = self.life.restart(run)
        self.runner = None
        self.loss.reset()
        self.insight.reset()
        settings, racers = self.settings, self.racers
        post = self.post_message
        self.run_worker(lambda: prepare_race(settings, racers, run_id, post), thread=True, group="prepare", exit_on_error=False)
        self.show_status()

    def action_run_pause(self) -> None:
        life = self.life
        if life.running:
            self.workers.cancel_group(self, "race")
            life.pause()
        elif life.steppable:
            self.start()
        elif life.over:
            self.prepare(run=True)
        elif life.state is RunState.LOADING:
            life.run_when_ready = True
        self.show_status()

    def action_restart(self) -> None:
        self.prepare(run=self.life.running)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:  # opened over the main screen by the race preset
            self.workers.cancel_group(self, "race")
            self.app.pop_screen()

    def action_help(self) -> None:
        from tui.screens.race_help import RACE_PARTS

        self.app.push_screen(HelpScreen(self.BINDINGS, RACE_PARTS))

    def action_toggle_analysis(self) -> None:
        self.insight.toggle_analysis()

    def action_toggle_landscape(self) -> None:
        self.insight.toggle_landscape(self.snapshots)

    def action_screenshot(self) -> None:
        self.insight.screenshot()

    def action_pace(self, change: str) -> None:
        getattr(self.pace, change)()  # PACE_BINDINGS: faster, slower or toggle_turbo
        self.show_status()

    def focus_plot(self) -> None:
        self.fit.focus()

    def start(self) -> None:
        runner, pace = self.runner, self.pace
        if runner is None or runner.finished:
            return
        self.life.start()
        self.run_worker(
            lambda: runner.pull(pace, self.post_message, lambda: get_current_worker().is_cancelled),
            thread=True,
            group="race",
            exclusive=True,
            exit_on_error=False,
        )

    @on(RaceReady)
    def _ready(self, message: RaceReady) -> None:
        freeze_once()  # tui/workers/heap.py
        if not self.life.is_current(message.run_id):
            return
        path_every = self.insight.ready(message.racers, message.optimum, message.analysis)
        self.runner = RaceRunner(message.racers, message.run_id, path_every=path_every)
        fit = self.fit
        fit.show_data(message.dataset.x, message.dataset.y)
        model = message.racers[0].problem.model
        fit.show_optimum(None if message.optimum is None else model.curve(message.optimum.vector, fit.curve_x))
        self.loss.set_optimum(None if message.optimum is None else message.optimum.loss)  # L* known: the plot shows L − L*
        run = self.life.ready()
        first = {r.name: r.latest for r in message.racers}
        self._draw(first, {n: [0] for n in first}, {n: [s.loss] for n, s in first.items()})
        if run:
            self.start()
        self.show_status()

    @on(RaceFrame)
    def _frame(self, frame: RaceFrame) -> None:
        if not self.life.is_current(frame.run_id) or self.runner is None:
            return
        self.insight.frame(frame)
        self._draw(frame.snapshots, frame.steps, frame.losses)
        # the frame's own snapshots, not the runner's live state: a frame posted before the end may arrive after it
        if self.life.state is not RunState.DONE and all(snapshot.finished for snapshot in frame.snapshots.values()):
            self.life.finish()
            self.insight.finish(frame.snapshots, self.names)
            self.show_status()
        self.runner.frame_drawn()

    def _draw(self, snapshots: dict, steps: dict, losses: dict) -> None:
        self.snapshots = snapshots
        model = self.runner.racers[0].problem.model
        self.fit.show_fits({name: model.curve(s.vector, self.fit.curve_x) for name, s in snapshots.items()})
        self.loss.add(steps, losses)
        self.insight.draw(snapshots)
        self.show_status()

    def show_status(self) -> None:
        life = self.life
        ranked = self.insight.ranked if life.state is RunState.DONE else None
        status = race_status(life.state, life.note, self.pace.describe(), self.names, self.snapshots, ranked)
        self.status.update(translate_text(status, glyphs_of(self)))  # the legend's markers as the plots draw them

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.group in ("race", "prepare"):
            error = event.worker.error
            self.life.fail(f"the race stopped: {type(error).__name__}: {error}")
            self.notify(self.life.note, title="Error", severity="error")
            self.show_status()
