"""The tests' shared helpers (fixtures are in conftest.py): the CLI in a subprocess, a descent to its end, and
waiting for the app's screen to reach a state without fixed sleeps."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
WAIT_S = 20.0
"""How long a Pilot test waits for a state: torch's first import alone takes seconds on a loaded 2-core machine.
It only bounds a hang; nothing asserts how fast the state came."""


def run_cli(*args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    """`descent ARGS` in a fresh interpreter, as a user's shell would run it (no terminal)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CUDA_VISIBLE_DEVICES", None)
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT, **kwargs
    )


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    """`descent ARGV` in this process: (exit status, stdout, stderr), a SystemExit's code included."""
    from tui.cli.main import main

    try:
        code = main(list(argv))
    except SystemExit as exit:
        code = exit.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def last_snapshot(problem):
    from engine.descent.descend import descend

    snapshot = None
    for snapshot in descend(problem):  # noqa: B007 - the last one is the point
        pass
    return snapshot


def run(settings, dataset=None):
    """(problem, first snapshot, last snapshot) of a CPU run."""
    from engine.descent.descend import descend
    from engine.descent.problem import make_problem

    problem = make_problem(settings.with_changes(device="cpu"), dataset)
    snapshots = list(descend(problem))
    return problem, snapshots[0], snapshots[-1]


def line_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(k, b) of the least-squares line, by numpy."""
    k, b = np.polyfit(x, y, 1)
    return float(k), float(b)


async def wait_until(pilot, condition, timeout: float = WAIT_S, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        await pilot.pause(0.02)


async def wait_for_state(pilot, *states: str, timeout: float = WAIT_S) -> None:
    """Until the screen's run is in one of `states`, and its parameter panel (if it has one) shows its rows."""
    screen = pilot.app.screen

    def reached() -> bool:
        panel = getattr(screen, "panel", None)
        return screen.state in states and (not hasattr(panel, "filled") or panel.filled)

    await wait_until(pilot, reached, timeout, f"state in {states} (now {screen.state})")


def status_text(app) -> str:
    from tui.widgets.status_line import StatusLine

    return app.screen.query_one(StatusLine).plain  # every part, as if the line were wide enough
