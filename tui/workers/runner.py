"""Pulling the engine's generator in a thread and handing the UI at most one frame per 1/fps.

The worker never touches widgets: it posts `Frame` messages (thread-safe) carrying the latest
snapshot and the (step, loss) points since the previous frame. While the UI is still drawing the
last frame, steps accumulate into the next one instead of queueing messages (back-pressure).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

from textual.message import Message

from tui.cli.options import DEFAULT_FPS

DEFAULT_RATE = 150.0
"""Steps per second at the default pace: the tutorial's 1000 steps in under 7 s, slow enough to watch."""
MIN_RATE, MAX_RATE = 1.0, 1e7
RATE_WINDOW_S = 0.5
"""steps/s is measured over about this long, so the figure is steady but current."""


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
        """The curvature at this snapshot (engine.analysis), when the runner was given a `LiveAnalysis`."""
        self.path = path or []
        """θ (as fitted) at every `path_every`-th step since the last frame, for the loss landscape."""


class Pace:
    """How fast a run goes: a steps-per-second target, or turbo (no pacing at all)."""

    def __init__(self, fps: int = DEFAULT_FPS, rate: float = DEFAULT_RATE) -> None:
        self.fps = fps
        self.rate = rate
        self.turbo = False

    @property
    def steps_per_frame(self) -> float:
        return self.rate / self.fps

    def faster(self) -> None:
        self.turbo = False
        self.rate = min(MAX_RATE, self.rate * 2)

    def slower(self) -> None:
        self.turbo = False
        self.rate = max(MIN_RATE, self.rate / 2)

    def toggle_turbo(self) -> None:
        self.turbo = not self.turbo

    def describe(self) -> str:
        return "turbo" if self.turbo else f"pace {self.rate:,.4g}/s"


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
        self._on_cpu: bool | None = None  # known from the first snapshot
        self._lock = threading.Lock()  # a cancelled worker may still be mid-step when the next one starts
        self._ui_ready = threading.Event()
        self._ui_ready.set()

    def frame_drawn(self) -> None:
        """The UI has drawn a frame: the worker may post the next."""
        self._ui_ready.set()

    def pull(
        self, pace: Pace, post: Callable[[Frame], None], cancelled: Callable[[], bool], limit: int | None = None, serial: int = 0
    ) -> None:
        """Pull snapshots until done, cancelled or `limit` steps, posting frames at the pace's fps."""
        with self._lock:
            self._pull(pace, post, cancelled, limit, serial)

    def _pull(self, pace: Pace, post, cancelled, limit, serial) -> None:
        steps: list[int] = []
        losses: list[float] = []
        path: list = []
        latest = None
        taken = 0
        frame_s = 1.0 / pace.fps
        window_t, window_steps, rate = time.perf_counter(), 0, 0.0
        owed = 0.0
        next_frame = window_t + frame_s
        stop = False
        while not stop:
            budget = float("inf") if pace.turbo else None
            if budget is None:
                owed += pace.steps_per_frame
                budget = int(owed)
                owed -= budget
            round_start = taken
            while budget > 0:
                if cancelled() or self.exhausted:
                    stop = True
                    break
                try:
                    snapshot = next(self.generator, None)
                except Exception:
                    # a generator that raised is finished: show the steps it did take, then let the worker report it
                    self.exhausted = True
                    if latest is not None:
                        post(Frame(self.run_id, serial, latest, steps, _floats(losses), rate, final=True))
                    raise
                if snapshot is None:
                    self.exhausted = stop = True
                    break
                latest = snapshot
                steps.append(snapshot.step)
                if self._on_cpu is None:
                    self._on_cpu = snapshot.values.device.type == "cpu"
                # On a GPU the loss stays there until the frame is posted: one read per frame, not per step.
                losses.append(snapshot.values[0].item() if self._on_cpu else snapshot.values[0])
                if self.path_every and snapshot.step % self.path_every == 0:
                    path.append(snapshot.vector.copy())
                taken += 1
                budget -= 1
                if snapshot.finished:
                    self.exhausted = stop = True
                    break
                if limit is not None and taken >= limit:
                    stop = True
                    break
                if time.perf_counter() >= next_frame:  # a slow step (many points) must not stall the screen
                    break
            now = time.perf_counter()
            window_steps += taken - round_start
            elapsed = now - window_t
            if elapsed >= RATE_WINDOW_S or (stop and (elapsed >= RATE_WINDOW_S / 2 or not rate)):
                rate = window_steps / elapsed if elapsed > 0 and window_steps else rate
                window_t, window_steps = now, 0
            if latest is not None and (stop or self._ui_ready.is_set()):
                self._ui_ready.clear()
                analysis = self._analyse(latest)
                post(Frame(self.run_id, serial, latest, steps, _floats(losses), rate, final=stop, analysis=analysis, path=path))
                steps, losses, path = [], [], []
            elif stop:
                post(Frame(self.run_id, serial, latest, steps, _floats(losses), rate, final=True, path=path))
            if stop:
                return
            if not pace.turbo and now < next_frame:
                time.sleep(next_frame - now)
            next_frame = max(next_frame + frame_s, time.perf_counter())

    def _analyse(self, snapshot):
        """The curvature at this snapshot; None when there is none to give (no analysis, or a diverged θ)."""
        if self.analysis is None or snapshot.status == "diverged":
            return None  # estimating at a blown-up θ gives a meaningless number
        try:
            return self.analysis.at(snapshot)
        except (RuntimeError, ValueError):
            return None  # an estimate that fails (odd model, out of memory) must not stop the run


def _floats(losses: list) -> list[float]:
    """A frame's losses as numbers: already floats on a CPU; device tensors read in one transfer on a GPU."""
    if losses and not isinstance(losses[0], float):
        import torch

        return torch.stack(losses).tolist()
    return losses
