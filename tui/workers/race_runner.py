"""Pulling a race's generators in one thread, round-robin, and handing the UI one frame per 1/fps.

Each round takes one step of every racer still running, so the racers stay step for step together and
the loss curves compare at equal steps, whatever each optimizer costs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from textual.message import Message


class Racer:
    """One optimizer's descent in the race: its generator and where it is."""

    def __init__(self, name: str, problem, generator, first) -> None:
        self.name = name
        self.problem = problem
        self.generator = generator
        self.latest = first
        self.finished = first.finished


class RaceFrame(Message):
    """The newest snapshot of every racer, and each racer's (step, loss) points since the last frame."""

    def __init__(self, run_id: int, snapshots: dict, steps: dict, losses: dict, final: bool, paths: dict | None = None) -> None:
        super().__init__()
        self.run_id = run_id
        self.snapshots = snapshots
        self.steps = steps
        self.losses = losses
        self.final = final
        """The worker stopped after this frame (every racer finished, or it was cancelled)."""
        self.paths = paths or {}
        """Each racer's θ every `path_every` steps since the last frame (the landscape's paths); empty when off."""


class RaceRunner:
    """The racers, pulled by one worker at a time (pausing and resuming keep pulling the same generators)."""

    def __init__(self, racers: list[Racer], run_id: int, path_every: int = 0) -> None:
        self.racers = racers
        self.run_id = run_id
        self.path_every = path_every
        """Keep each racer's θ every this many steps for the landscape; 0: none (models with more than two parameters)."""
        self._paths: dict[str, list] = {r.name: [] for r in racers}
        self._lock = threading.Lock()
        self._ui_ready = threading.Event()
        self._ui_ready.set()

    @property
    def finished(self) -> bool:
        return all(racer.finished for racer in self.racers)

    def frame_drawn(self) -> None:
        self._ui_ready.set()

    def pull(self, pace, post: Callable[[RaceFrame], None], cancelled: Callable[[], bool]) -> None:
        with self._lock:
            self._pull(pace, post, cancelled)

    def _pull(self, pace, post, cancelled) -> None:
        frame_s = 1.0 / pace.fps
        steps: dict[str, list[int]] = {r.name: [] for r in self.racers}
        losses: dict[str, list[float]] = {r.name: [] for r in self.racers}
        owed = 0.0
        while True:
            deadline = time.perf_counter() + frame_s
            if pace.turbo:
                rounds = None
            else:
                owed += pace.steps_per_frame
                rounds = int(owed)
                owed -= rounds
            done_rounds = 0
            stop = False
            while rounds is None or done_rounds < rounds:
                if cancelled():
                    stop = True
                    break
                self._round(steps, losses)
                done_rounds += 1
                if self.finished or time.perf_counter() >= deadline:
                    break
            stop = stop or self.finished
            if stop or self._ui_ready.is_set():
                self._ui_ready.clear()
                snapshots = {r.name: r.latest for r in self.racers}
                paths, self._paths = self._paths, {r.name: [] for r in self.racers}
                post(RaceFrame(self.run_id, snapshots, steps, losses, final=stop, paths=paths))
                steps = {r.name: [] for r in self.racers}
                losses = {r.name: [] for r in self.racers}
            if stop:
                return
            now = time.perf_counter()
            if not pace.turbo and now < deadline:
                time.sleep(deadline - now)

    def _round(self, steps, losses) -> None:
        for racer in self.racers:
            if racer.finished:
                continue
            snapshot = next(racer.generator, None)
            if snapshot is None:
                racer.finished = True
                continue
            racer.latest = snapshot
            steps[racer.name].append(snapshot.step)
            losses[racer.name].append(snapshot.values[0].item())
            if self.path_every and (snapshot.step % self.path_every == 0 or snapshot.finished):
                self._paths[racer.name].append(snapshot.vector[:2].copy())
            racer.finished = snapshot.finished
