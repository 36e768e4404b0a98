"""Pulling the engine's generator in a thread and handing the UI at most one frame per 1/fps.

The worker never touches widgets: it posts `Frame` messages (thread-safe) carrying the latest
snapshot and the (step, loss) points since the previous frame. The pacing is `tui.workers.pace`'s
loop, shared with the race.
"""

from __future__ import annotations

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

    def __init__(self, generator: Iterator, run_id: int, analysis=None, path_every: int = 0) -> None:
        self.generator = generator
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

        def take() -> int:
            nonlocal latest
            try:
                snapshot = next(self.generator, None)
            except Exception:
                # a generator that raised is finished: show the steps it did take, then let the worker report it
                self.exhausted = True
                if latest is not None:
                    post(Frame(self.run_id, serial, latest, steps, losses.read()[None], self._loop.rate, final=True))
                raise
            if snapshot is None:
                self.exhausted = True
                return 0
            latest = snapshot
            steps.append(snapshot.step)
            losses.add(None, snapshot)
            if self.path_every and snapshot.step % self.path_every == 0:
                path.append(snapshot.vector.copy())
            if snapshot.finished:
                self.exhausted = True
            return 1

        def post_frame(final: bool, rate: float) -> bool:
            nonlocal steps, path
            if latest is None and not final:
                return False
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
