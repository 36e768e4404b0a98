"""`descent run --race a,b,c`: each optimizer on the same data from the same start, reported in order."""

from __future__ import annotations

import json

from engine.settings import Settings
from tui.cli.report import summary_lines
from tui.cli.run import EXIT_DIVERGED, EXIT_DONE, checked, run_to_end
from tui.cli.stopping import stopped_status
from tui.literal import visible


def run_race(settings: Settings, race: str, as_json: bool = False, plot: bool = False) -> int:
    """Run every racer to its end, one after the other; exit 1 only when every one of them diverged.

    A racer that diverges is a result of the race (momentum overshooting where plain descent
    crawls), not a failure of the command; only a race nobody finished is one.
    """
    from engine.race import parse_race, race_problems

    names = checked(parse_race, race)
    runs, blocks = [], []
    for name, problem in checked(race_problems, settings, names):
        outcome = run_to_end(problem)
        if outcome is None:  # ctrl+c (or SIGTERM, SIGHUP) before the first step
            return stopped_status()
        report, analysis, notes, last = outcome
        runs.append({"optimizer": name, **report})
        block = [f"── {name} ──", *map(visible, summary_lines(report, problem.settings, analysis=analysis, notes=notes))]
        if plot:
            from tui.cli.ascii_plot import final_plot

            block.append(final_plot(problem, last))
        blocks.append("\n".join(block))
        if report.get("interrupted"):
            break  # a stop ends the race, not just this racer
    if as_json:
        print(json.dumps({"runs": runs}, allow_nan=False))
    else:
        print("\n\n".join(blocks))
    if runs[-1].get("interrupted"):
        return stopped_status()
    return EXIT_DIVERGED if all(run["diverged"] for run in runs) else EXIT_DONE
