"""Pulling a race's generators in one thread, round-robin, and handing the UI one frame per 1/fps.

Each round takes one step of every racer still running, so the racers stay step for step together and
the loss curves compare at equal steps, whatever each optimizer costs. A round is one step of
`tui.workers.pace`'s loop, the one the single run uses.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message

from tui.workers.pace import FrameLosses, Pace, PacedLoop


class RacerRun:
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

    def __init__(self, racers: list[RacerRun], run_id: int, path_every: int = 0) -> None:
        self.racers = racers
        self.run_id = run_id
        self.path_every = path_every
        """Keep each racer's θ every this many steps for the landscape; 0: none (models with more than two parameters)."""
        self._paths: dict[str, list] = {r.name: [] for r in racers}
        self._loop = PacedLoop()

    @property
    def finished(self) -> bool:
        return all(racer.finished for racer in self.racers)

    def frame_drawn(self) -> None:
        self._loop.frame_drawn()

    def pull(self, pace: Pace, post: Callable[[RaceFrame], None], cancelled: Callable[[], bool]) -> None:
        """Take rounds until every racer has finished or the worker is cancelled, posting frames at the pace's fps."""
        names = [r.name for r in self.racers]
        steps: dict[str, list[int]] = {name: [] for name in names}
        losses = FrameLosses(names)

        def take(most: float, until: float) -> int:
            return self._round(steps, losses)  # one round of every racer: one step of the pace's budget

        def post_frame(final: bool, rate: float) -> bool:
            nonlocal steps
            snapshots = {r.name: r.latest for r in self.racers}
            paths, self._paths = self._paths, {name: [] for name in names}
            post(RaceFrame(self.run_id, snapshots, steps, losses.read(), final=final, paths=paths))
            steps = {name: [] for name in names}
            return True

        self._loop.run(pace, take, post_frame, cancelled, lambda: self.finished)

    def _round(self, steps: dict, losses: FrameLosses) -> int:
        """One step of every racer still running; 1 when any of them stepped."""
        stepped = 0
        for racer in self.racers:
            if racer.finished:
                continue
            snapshot = next(racer.generator, None)
            if snapshot is None:
                racer.finished = True
                continue
            racer.latest = snapshot
            steps[racer.name].append(snapshot.step)
            losses.add(racer.name, snapshot)
            if self.path_every and (snapshot.step % self.path_every == 0 or snapshot.finished):
                self._paths[racer.name].append(snapshot.vector[:2].copy())
            racer.finished = snapshot.finished
            stepped = 1
        return stepped
