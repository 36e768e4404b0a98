"""`descent run --race a,b@LR,c`: each racer on the same data from the same start, ranked in a table and in words."""

from __future__ import annotations

import json
import sys
import time

from engine.settings.racers import Racer
from engine.settings.run_settings import Settings
from tui.cli.options import fail
from tui.cli.report import run_report
from tui.cli.run import EXIT_DIVERGED, EXIT_DONE, checked
from tui.cli.stopping import signal_name, stop_signal, stopped_status
from tui.widgets.literal import visible


def descend_timed(problem):
    """(first, last, seconds, timed steps, interrupted): the descent, timing only steady descending.

    The first update is pulled before the clock starts: a torch.optim optimizer's first step() pays a
    one-off start-up (lazy imports, state allocation) that would otherwise be charged to whichever
    racer happens to run first. None when not even step 0 was reached.
    """
    from engine.descent.descend import descend

    generator = descend(problem)
    first = last = warm = None
    seconds, interrupted = 0.0, False
    try:
        first = last = warm = next(generator)
        if not first.finished:
            last = warm = next(generator, first)
        start = time.perf_counter()
        for snapshot in generator:
            last = snapshot
        seconds = time.perf_counter() - start
    except KeyboardInterrupt:
        interrupted = True
    if first is None:
        return None
    timed = last.step - warm.step if seconds > 0 else 0
    return first, last, seconds, timed, interrupted


RACE_EXPORTS = (("--export-history", "export_history"), ("--export-script", "export_script"))
"""`descent run`'s export options: a race refuses each (it is several runs; export one by running its optimizer alone)."""


def refuse_exports(args) -> None:
    """Exit 2 naming the first export option given with --race (or a config file's race)."""
    for flag, name in RACE_EXPORTS:
        if getattr(args, name, None):
            fail(f"{flag}: not with --race (a race is several runs): run the one optimizer to export, e.g. --optimizer adam --lr 0.05")


def run_race(settings: Settings, racers: tuple[Racer | str, ...], as_json: bool = False, plot: bool = False) -> int:
    """Run every racer to its end, one after the other; exit 1 only when every one of them diverged.

    A racer that diverges is a result of the race (momentum overshooting where plain descent
    crawls), not a failure of the command; only a race nobody finished is one. ctrl+c ends the race
    at the racer it interrupts: the table shows who ran, and the exit is 130.
    """
    from engine.descent.race import race_problems
    from engine.maths.curvature import analyse
    from engine.maths.ladder import resolved
    from engine.maths.optimum import least_squares
    from engine.words.race_verdict import excess, race_context, race_result, ranking, verdict
    from tui.cli.data_input import data_or_fail
    from tui.cli.race_table import race_header, race_table

    dataset = data_or_fail(settings, streams_only=True)  # a stream is read once, here
    racers = checked(resolved, settings, racers, dataset)  # rungs given as multiples of 1/λmax get their lr from the data
    problems = checked(race_problems, settings, racers, dataset)
    shared = problems[0][1]
    optimum = least_squares(shared)  # the same points and loss for every racer: one optimum, one curvature
    analysis = analyse(shared)  # before any descent: an estimate is taken where every racer starts
    runs, results, plots, interrupted = [], [], [], False
    context = race_context(settings, optimum, analysis)
    for label, problem in problems:
        outcome = descend_timed(problem)
        if outcome is None:
            interrupted = True
            break
        first, last, seconds, timed, interrupted = outcome
        report = run_report(problem, first, last, optimum, seconds, analysis=analysis)
        report["steps_per_second"] = timed / seconds if seconds > 0 and timed > 0 else None
        result = race_result(label, problem.settings, first, last)
        report["excess"] = excess(result, context)
        if interrupted:
            report["interrupted"] = True
            report["signal"] = signal_name(stop_signal())
        runs.append({"label": label, "optimizer": problem.settings.optimizer, "lr": problem.settings.lr, **report})
        results.append(result)
        if interrupted:
            break  # a stop ends the race, not just this racer
        if plot:
            from tui.cli.ascii_plot import final_plot

            plots.append(f"── {label} ──\n{final_plot(problem, last)}")
    if not runs:
        sys.stderr.write("descent: interrupted before the first step\n")
        return stopped_status()  # ctrl+c (or SIGTERM, SIGHUP) before the first step
    order = [result.label for result in ranking(results)]
    if as_json:
        print(json.dumps({"runs": runs, "ranking": order}, allow_nan=False))
    else:
        lines = [*race_header(settings, runs, optimum), *race_table(runs, order), "", *verdict(results, context)]
        if any(getattr(racer, "multiple", None) is not None for racer in racers):
            from engine.words.ladder_words import ladder_lines

            lines += ["", *ladder_lines(results, context)]
        if interrupted:
            lines.append(f"INTERRUPTED during {runs[-1]['label']} ({runs[-1].get('signal', 'SIGINT')}): the race stopped there.")
        print("\n".join([*map(visible, lines), *plots]))
    if interrupted:
        return stopped_status()
    return EXIT_DIVERGED if all(run["diverged"] for run in runs) else EXIT_DONE
