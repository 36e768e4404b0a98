"""`descent run`: the descent without the app, for scripts and for the curious."""

from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager

from engine.settings.errors import DataError, SettingError
from engine.settings.run_settings import Settings, option_name
from tui.cli.options import fail
from tui.cli.report import run_report, summary_lines
from tui.cli.stopping import signal_name, stop_signal, stopped_status, unbroken
from tui.exports.atomic import ExportError
from tui.exports.folder import export_script
from tui.exports.history import history_recorder
from tui.widgets.literal import visible

EXIT_DONE, EXIT_DIVERGED = 0, 1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a ctrl+c; SIGTERM 143, SIGHUP 129 (tui/cli/stopping.py)
PROGRESS_EVERY_S = 0.1  # the bar redraws at most 10 times a second, however fast the steps go
WARM_UP_STEPS = 1
"""Updates left out of steps/s: the first pays torch.optim's set-up, lazy imports and first allocations."""


def run_headless(
    settings: Settings,
    as_json: bool = False,
    plot: bool = False,
    history: str | None = None,
    script: str | None = None,
    best: frozenset[str] = frozenset(),
) -> int:
    """Descend to the end; print the summary (or JSON) on stdout; return the exit code.

    `history` and `script` are files to export the run's steps (CSV) and a script reproducing it to; `best`
    names the settings given as `best` (lr, momentum), worked out here, once the data exist.
    """
    from engine.descent.problem import make_problem
    from tui.cli.data_input import data_or_fail

    problem = checked(make_problem, settings, data_or_fail(settings, streams_only=True))  # a stream is read once, here
    chosen = None
    if best:
        from tui.cli.best_run import best_problem

        problem, chosen = best_problem(problem, best)
        settings = problem.settings
    if script is not None:
        with _exporting("--export-script"):
            export_script(script, settings, problem.dataset)
    outcome = run_to_end(problem, history=history)
    if outcome is None:
        sys.stderr.write("descent: interrupted before the first step\n")
        return stopped_status()
    report, analysis, notes, last = outcome
    if chosen is not None:
        notes.insert(0, chosen)
    if as_json:
        print(json.dumps(report, allow_nan=False))
    else:
        twin = _standardized_twin(problem, report, analysis)
        print("\n".join(map(visible, summary_lines(report, settings, analysis=analysis, notes=notes, standardized_analysis=twin))))
    if plot:
        from tui.cli.ascii_plot import final_plot

        print(final_plot(problem, last))
    if report.get("interrupted"):
        return stopped_status()
    return EXIT_DIVERGED if report["diverged"] else EXIT_DONE


def _standardized_twin(problem, report, analysis):
    """The curvature with standardized x, for a divergence's advice (standardizing is offered only where it helps)."""
    if not report["diverged"] or analysis is None or not analysis.exact or problem.settings.standardize:
        return None
    from engine.maths.standardized import twin_analysis

    return twin_analysis(problem)


def checked(make, *args):
    """`make(*args)`, with a bad setting or bad data turned into one line on stderr and exit 2."""
    try:
        return make(*args)
    except SettingError as error:
        fail(f"{option_name(error.setting)}: {error.message}")
    except DataError as error:
        fail(str(error))


def run_to_end(problem, history: str | None = None):
    """Descend one problem to its end: (JSON report, analysis, notes for the summary, last snapshot).

    ctrl+c stops it at once: the report is of the last complete step and says `interrupted`;
    None when not even the start was reached.
    """
    from engine.descent.descend import descend
    from engine.maths.curvature import analyse
    from engine.maths.optimum import least_squares
    from engine.words.explain import explain_end, explain_excess

    settings = problem.settings
    optimum = least_squares(problem)
    analysis = analyse(problem)  # before the descent: an estimate is taken where the run starts
    interrupted = ""
    with _exporting("--export-history"), history_recorder(history, problem) as record, _progress(settings.steps) as advance:
        start = time.perf_counter()
        warm = None  # (time, step) once the first update is done: the rate is timed from there
        first = last = None
        next_draw = start
        try:
            for snapshot in descend(problem):
                with unbroken:  # a stop signal waits until the history and the report hold the same last step
                    record(snapshot)
                    first = first or snapshot
                    last = snapshot
                now = time.perf_counter()
                if warm is None and snapshot.step >= WARM_UP_STEPS:
                    warm = (now, snapshot.step)
                if now >= next_draw:
                    advance(snapshot.step)
                    next_draw = now + PROGRESS_EVERY_S
        except KeyboardInterrupt as error:  # ctrl+c, SIGTERM or SIGHUP (tui/cli/stopping.py)
            interrupted = signal_name(stop_signal(error))
        end = time.perf_counter()
        seconds = end - start
        if last is not None:
            advance(last.step)
    if last is None:
        return None
    cast = problem.cast
    report = run_report(problem, first, last, optimum, seconds, analysis=analysis, cast=cast)
    if warm is not None and last.step > warm[1] and end > warm[0]:
        # One-off costs (torch.optim's set-up and first step, lazy imports) are not the rule's speed: the rate
        # counts the updates after the first one, so a run reports the same rate alone or inside a race.
        report["steps_per_second"] = (last.step - warm[1]) / (end - warm[0])
        report["warmup_seconds"] = warm[0] - start
    notes = [] if cast is None or cast.note() is None else [cast.note()]
    if interrupted:
        report["interrupted"] = True
        report["signal"] = interrupted
    elif last.status != "diverged":
        why = explain_end(problem, last, optimum, analysis)
        notes += [why] if why else []
    if optimum is not None:
        below = explain_excess(report["loss"], optimum.loss, report["excess_loss"], settings.dtype)
        notes += [below] if below else []
    return report, analysis, notes, last


@contextmanager
def _exporting(option: str):
    """An export that can't be written ends the command with one line naming the option and the file."""
    try:
        yield
    except ExportError as error:
        message = str(error)
        fail(message if message.startswith(option) else f"{option}: {message}")


class _progress:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar = None

    def __enter__(self):
        if not sys.stderr.isatty():
            return lambda step: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self.bar = Progress(
            "descending", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=Console(stderr=True), transient=True
        )
        self.bar.start()
        task = self.bar.add_task("descent", total=self.total)
        return lambda step: self.bar.update(task, completed=step)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()
