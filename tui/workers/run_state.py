"""The run's life, shared by the main screen and the race: one `RunState` and the transitions between them.

A string compared in forty places drifts (one screen says "stopped" where the other says "paused"); here each
state is named once and each change of state is a named method that refuses a change the run can't make.
`RunLife` also keeps what travels with the state: the run's serial (`run_id`, so a message from an older run is
ignored), the pull's serial (so only the newest pull's last frame pauses the run), whether the run starts on its
own once it is built, and the Event that says its points are on screen (torch may load then).
"""

from __future__ import annotations

import threading
from enum import Enum


class RunState(str, Enum):
    """Where a run is; its value is the word the status line shows."""

    LOADING = "loading"
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    DIVERGED = "diverged"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


LOADING, READY, RUNNING, PAUSED, DONE, DIVERGED, ERROR = RunState  # noqa: E741 — short names for the table below

STEPPABLE = frozenset({READY, PAUSED, RUNNING})
"""Built and not over: a step can be taken, settings can be steered."""
OVER = frozenset({DONE, DIVERGED})
"""Ended by the descent itself: a run key starts it again from the beginning."""

LEGAL = {
    "ready": {LOADING, ERROR},  # ERROR: an older run's worker may fail while the new one loads
    "start": {READY, PAUSED},
    "step": {READY, PAUSED},  # one pull of one step: the run is paused before and after
    "finish": {RUNNING, PAUSED, DONE},  # DONE: a frame posted before the end may arrive after it
    "diverge": {RUNNING, PAUSED, DIVERGED},
    "steer": {READY, PAUSED, RUNNING},
    "rewind": {READY, PAUSED, DONE, DIVERGED},
}
"""The states each transition may leave (`restart`, `pause`, `pull_ended` and `fail` may leave any)."""


class IllegalTransition(RuntimeError):
    """A change of state the run can't make (a bug in the caller, never the person's doing)."""


class RunLife:
    """One run's state, its serials and its flags; every change of state goes through a named method."""

    def __init__(self) -> None:
        self.state = LOADING
        self.note = ""
        """Why the run ended or can't run (diverged, error); '' otherwise."""
        self.run_id = 0
        self.pull_serial = 0
        self.run_when_ready = False
        self.points_shown = threading.Event()

    # ── questions ──────────────────────────────────────────────────────────
    @property
    def running(self) -> bool:
        return self.state is RUNNING

    @property
    def steppable(self) -> bool:
        return self.state in STEPPABLE

    @property
    def over(self) -> bool:
        return self.state in OVER

    def is_current(self, run_id: int) -> bool:
        """Whether a message stamped `run_id` is from this run (not from one restarted or steered since)."""
        return run_id == self.run_id

    # ── transitions ────────────────────────────────────────────────────────
    def _move(self, transition: str, to: RunState) -> None:
        if self.state not in LEGAL[transition]:
            raise IllegalTransition(f"{transition}: {self.state} → {to} is not a change a run makes")
        self.state = to

    def restart(self, run: bool = False) -> int:
        """A new run is being built (from any state); `run`: start it once built. Returns its run_id."""
        self.run_id += 1
        self.state, self.note, self.run_when_ready = LOADING, "", run
        self.points_shown = threading.Event()
        return self.run_id

    def ready(self) -> bool:
        """The run is built; returns whether it should start now (asked for while it loaded)."""
        self._move("ready", READY)
        run, self.run_when_ready = self.run_when_ready, False
        return run

    def start(self) -> int:
        """The run runs on until paused or over; returns the pull's serial."""
        self._move("start", RUNNING)
        return self._next_pull()

    def step(self) -> int:
        """One pull of one step: the run stays paused; returns the pull's serial."""
        self._move("step", PAUSED)
        return self._next_pull()

    def _next_pull(self) -> int:
        self.pull_serial += 1
        return self.pull_serial

    def pause(self) -> None:
        """A running run pauses; any other state stays as it is (pause is asked for before every step)."""
        if self.state is RUNNING:
            self.state = PAUSED

    def pull_ended(self, pull: int) -> None:
        """A pull's last frame: the newest pull ended (its step limit, or the steps set) and the run pauses."""
        if pull == self.pull_serial and self.state is RUNNING:  # an older pull's end, or a pause already, changes nothing
            self.state = PAUSED

    def finish(self) -> None:
        """The descent took all its steps."""
        self._move("finish", DONE)

    def diverge(self, note: str) -> None:
        """The loss left the floats; `note` says why."""
        self._move("diverge", DIVERGED)
        self.note = note

    def steer(self, at_step: int) -> int:
        """The run goes on from θ under new settings (a new run_id: frames of the old pull are ignored)."""
        self._move("steer", PAUSED if at_step else READY)
        self.note = ""
        self.run_id += 1
        return self.run_id

    def rewind(self) -> None:
        """An earlier step is shown (tui/screens/rewind.py): the run can go on from there, so it is paused."""
        self._move("rewind", PAUSED)

    def unrewind(self, state: RunState) -> None:
        """Back at the run's end after rewinding: the state it had there (paused, done or diverged)."""
        if self.state is not PAUSED or state not in (PAUSED, DONE, DIVERGED):
            raise IllegalTransition(f"unrewind: {self.state} → {state} is not a change a run makes")
        self.state = state

    def fail(self, note: str) -> None:
        """The run can't be built or a worker raised (from any state); `note` says why."""
        self.state, self.note = ERROR, note
