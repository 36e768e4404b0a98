"""Pulling the engine's generator in a thread and handing the UI at most one frame per 1/fps.

The worker never touches widgets: it posts `Frame` messages (thread-safe) carrying the latest
snapshot and the (step, loss) points since the previous frame. The pacing is `tui.workers.pace`'s
loop, shared with the race.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from textual.message import Message

from tui.workers.pace import FrameLosses, Pace, PacedLoop


class Frame(Message):
    """What the UI draws next: the newest snapshot and the losses since the last frame."""

    def __init__(
        self, run_id: int, pull: int, snapshot, steps: list[int], losses: list[float], rate: float, final: bool, analysis=None, path=None
    ) -> None:
        super().__init__()
        self.run_id = run_id
        self.pull = pull
        """Which `Runner.pull` call posted it: a paused worker's last frame must not pause its successor."""
        self.snapshot = snapshot
        self.steps = steps
        self.losses = losses
        self.rate = rate
        """Steps per second, measured in the worker."""
        self.final = final
        """The worker stopped after this frame (finished, cancelled or its step limit reached)."""
        self.analysis = analysis
        """The curvature at this snapshot (engine.maths.curvature), when the runner was given a `LiveAnalysis`."""
        self.path = path or []
        """θ (as fitted) at every `path_every`-th step since the last frame, for the loss landscape."""


class Runner:
    """One run's generator, pulled by one worker at a time (pause and resume keep pulling the same one)."""

    def __init__(self, generator: Iterator, run_id: int, analysis=None, path_every: int = 0, tape=None) -> None:
        self.generator = generator
        self.tape = tape if tape is not None else NO_TAPE
        """The rewind tape (engine.descent.history.Tape) this run's snapshots go on, in the stepping thread."""
        self.generation = self.tape.generation
        """The tape's branch when this runner was made: after a truncate its appends are refused."""
        self.run_id = run_id
        self.analysis = analysis
        """A `LiveAnalysis`: asked once per frame here, in the thread that steps, because for a model not
        linear in θ its estimate writes θ into the model's tensors and must not overlap a step."""
        self.path_every = path_every
        """Keep θ every this many steps for the frames' `path` (0: none; only a two-parameter model draws one)."""
        self.exhausted = False
        self._loop = PacedLoop()

    def frame_drawn(self) -> None:
        """The UI has drawn a frame: the worker may post the next."""
        self._loop.frame_drawn()

    def then(self, generator: Iterator) -> Iterator:
        """`generator`, pulled only once this runner's worker has stopped stepping (a cancelled one may be mid-step)."""
        with self._loop.stepping:
            pass
        yield from generator

    def pull(
        self, pace: Pace, post: Callable[[Frame], None], cancelled: Callable[[], bool], limit: int | None = None, serial: int = 0
    ) -> None:
        """Pull snapshots until done, cancelled or `limit` steps, posting frames at the pace's fps."""
        steps: list[int] = []
        losses = FrameLosses([None])
        path: list = []
        latest = None
        tape, generation = self.tape, self.generation

        def take(most: float, until: float) -> int:
            """Up to `most` steps, until the clock passes `until` (one step at least): how many it took.

            One loop over the generator for many steps, the per-step work written out in it: at 100 points a
            step is ~19 µs and each call and lookup per step shows in turbo's steps/s (benchmarks/tui_speed.py)."""
            nonlocal latest
            taken, keep, add_loss, clock, path_every = 0, steps.append, losses.add, time.perf_counter, self.path_every
            try:
                for snapshot in self.generator:
                    latest = snapshot
                    if snapshot.step >= tape.wanted:  # most steps: the tape keeps them only as the newest (post_frame)
                        tape.add(snapshot, generation)
                    keep(snapshot.step)
                    add_loss(None, snapshot)
                    if path_every and snapshot.step % path_every == 0:
                        path.append(snapshot.vector.copy())
                    taken += 1
                    if snapshot.finished:
                        self.exhausted = True
                        return taken
                    if taken >= most or clock() >= until:
                        return taken
            except Exception:
                # a generator that raised is finished: show the steps it did take, then let the worker report it
                self.exhausted = True
                if latest is not None:
                    tape.add(latest, generation)
                    post(Frame(self.run_id, serial, latest, steps, losses.read()[None], self._loop.rate, final=True))
                raise
            self.exhausted = True  # the generator ended without a last snapshot
            return taken

        def post_frame(final: bool, rate: float) -> bool:
            nonlocal steps, path
            if latest is None and not final:
                return False
            if latest is not None:
                tape.add(latest, generation)  # the newest step: a rewind from here starts at it
            analysis = None if latest is None else self._analyse(latest)
            post(Frame(self.run_id, serial, latest, steps, losses.read()[None], rate, final=final, analysis=analysis, path=path))
            steps, path = [], []
            return latest is not None

        self._loop.run(pace, take, post_frame, cancelled, lambda: self.exhausted, limit)

    def _analyse(self, snapshot):
        """The curvature at this snapshot; None when there is none to give (no analysis, or a diverged θ)."""
        if self.analysis is None or snapshot.status == "diverged":
            return None  # estimating at a blown-up θ gives a meaningless number
        try:
            return self.analysis.at(snapshot)
        except (RuntimeError, ValueError):
            return None  # an estimate that fails (odd model, out of memory) must not stop the run


class _NoTape:
    """A runner's tape when it has none (the race's tests, the benchmarks): wants no step."""

    wanted = float("inf")
    generation = 0

    def add(self, snapshot, generation=None) -> None:
        pass


NO_TAPE = _NoTape()
