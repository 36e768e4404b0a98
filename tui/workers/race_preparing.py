"""The race's preparation, in a thread: every racer's problem on one dataset from one start, and its first snapshot."""

from __future__ import annotations

from textual.message import Message

from engine.settings.racers import Racer
from engine.settings.run_settings import Settings
from tui.workers.race_runner import RacerRun


class RaceReady(Message):
    def __init__(self, run_id: int, racers: list[RacerRun], dataset, optimum, analysis=None) -> None:
        super().__init__()
        self.run_id, self.racers, self.dataset, self.optimum = run_id, racers, dataset, optimum
        self.analysis = analysis


def prepare_race(settings: Settings, racers: tuple[Racer, ...], run_id: int, post) -> None:
    """Every racer's problem on one dataset from one start, and its first snapshot. Runs in a thread."""
    from engine.descent.descend import descend
    from engine.descent.race import race_problems
    from engine.maths.curvature import analyse
    from engine.maths.ladder import resolved
    from engine.maths.optimum import least_squares

    runners, analysis = [], None
    for label, problem in race_problems(settings, resolved(settings, racers)):
        analysis = analysis or analyse(problem)  # every racer descends the same loss from the same start: one curvature
        generator = descend(problem)
        first = next(generator)
        first.host  # read here, not on the UI thread  # noqa: B018
        runners.append(RacerRun(label, problem, generator, first))
    problem = runners[0].problem
    post(RaceReady(run_id, runners, problem.dataset, least_squares(problem), analysis))
