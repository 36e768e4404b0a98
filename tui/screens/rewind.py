"""Rewind and scrub (issue 22): [ ] a kept step back or forward, { } a tenth of the run, with the run paused or done.

A collaborator of MainScreen. Every snapshot the run yields passes through the tape (engine/descent/history.py)
in the worker's thread; rewinding shows a kept snapshot on every view at once (the fit line, the landscape's
marble, the autograd numbers, the code pane's live values, the status: `step 120 / 1,000 · rewound`). Space,
n or a changed lr from there goes on from that θ: the screen's `go_on` calls `branch`, which drops the later
history (tape, loss curve, landscape path), and the loss curve gets a mark at the branch.
"""

from __future__ import annotations

from textual.binding import Binding

from engine.descent.history import Tape
from tui.workers.run_state import RunState

REWIND_BINDINGS = [
    Binding(
        "left_square_bracket", "rewind(-1)", "Back a step", tooltip="run paused or done: one kept step back", id="rewind-back", show=False
    ),
    Binding(
        "right_square_bracket", "rewind(1)", "On a step", tooltip="run paused or done: one kept step forward", id="rewind-on", show=False
    ),
    Binding("left_curly_bracket", "rewind(-1, True)", "Back a tenth", tooltip="a tenth of the run back", id="rewind-far-back", show=False),
    Binding("right_curly_bracket", "rewind(1, True)", "On a tenth", tooltip="a tenth of the run forward", id="rewind-far-on", show=False),
]


class Rewind:
    """The run's tape, and which of its snapshots is shown while rewound (`shown`; None: the run as it stands)."""

    def __init__(self, screen, driver) -> None:
        self.screen = screen
        self.driver = driver
        """The screen's RunDriver: a running run pauses before it moves."""
        self.tape = Tape()
        self.shown = None
        """The kept snapshot on screen while rewound."""
        self.live: tuple | None = None
        """(snapshot, state) of the run as it stood when rewinding began: ] past the last kept step returns to it."""

    @property
    def rewound(self) -> bool:
        return self.shown is not None

    def reset(self) -> None:
        """A new run is being made: a new tape."""
        self.tape, self.shown, self.live = Tape(), None, None

    def tape_from(self, first=None):
        """The tape a new Runner records on (tui.workers.runner), `first` (already pulled) kept on it now."""
        if first is not None:
            self.tape.add(first)
        return self.tape

    # ── moving ───────────────────────────────────────────────────────────────
    def move(self, by: int, far: bool = False) -> None:
        """`by` kept steps (or tenths of the run, `far`) back or forward; a running run pauses first."""
        screen = self.screen
        life = screen.life
        if screen.snapshot is None or screen.problem is None or not (life.steppable or life.over):
            return
        if life.running:
            self.driver.pause()
        live = self.live[0] if self.live is not None else screen.snapshot
        here = screen.snapshot
        if far:
            tenth = max(1, screen.settings.steps // 10)
            target = self.tape.at(max(here.step + by * tenth, 0))
            if by > 0 and (target is None or target.step <= here.step):
                target = self.tape.move(here.step, 1)
        else:
            target = self.tape.move(here.step, by)
        if target is None:
            return
        if target.step >= live.step:
            self._back_to_live()
            return
        if self.live is None:
            self.live = (screen.snapshot, life.state)
            life.rewind()  # paused: space, n or a new lr go on from here (RunDriver.start_run / go_on call `branch`)
        self.shown = target
        self._show(target)

    def _back_to_live(self) -> None:
        if self.live is None:
            return
        snapshot, state = self.live
        self.shown, self.live = None, None
        self.screen.life.unrewind(state)
        self._show(snapshot)

    def _show(self, snapshot) -> None:
        """Every view shows `snapshot`: fit line, landscape marble, autograd numbers, code pane, status."""
        screen = self.screen
        screen.snapshot = snapshot
        teaching = getattr(screen, "teaching", None)
        if teaching is not None and teaching.walked_from is not None:
            teaching._end_walk()  # a phase-by-phase walk was of another θ
        fit = screen.fit
        fit.show_fit(screen.problem.model.curve(snapshot.vector, fit.curve_x))
        screen.insight.draw(screen.problem, snapshot)
        if teaching is not None:
            teaching.follow()
        screen.show_status()

    def late_frame(self, frame) -> None:
        """A frame the paused worker posted after rewinding began: its losses join the curve, its snapshot the live end."""
        screen = self.screen
        screen.loss.add(frame.steps, frame.losses)
        snapshot = frame.snapshot
        if snapshot is not None and self.live is not None and snapshot.step > self.live[0].step:
            ended = {"done": RunState.DONE, "diverged": RunState.DIVERGED}.get(snapshot.status, self.live[1])
            self.live = (snapshot, ended)
        screen.runner.frame_drawn()

    # ── going on from a rewound step ─────────────────────────────────────────
    def branch(self, snapshot) -> None:
        """The run goes on from `snapshot`: every later step is dropped from the tape, the loss curve and the path."""
        latest = self.tape.latest
        self.shown, self.live = None, None
        if latest is None or latest.step <= snapshot.step:
            return
        self.tape.truncate(snapshot.step)
        screen = self.screen
        screen.loss.cut(snapshot.step)
        if screen.insight.path:
            screen.insight.path = [s.vector.copy() for s in self.tape.snapshots()]

    def label(self) -> str:
        """Beside the step on the status line while rewound: `rewound`, and how far apart the kept steps are."""
        if not self.rewound:
            return ""
        stride = self.tape.stride
        return "rewound" if stride == 1 else f"rewound, 1 step in {stride} kept"
