"""Shared by the signal and pipe tests: a real `descent run` that is known to be descending before it is signalled."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import ROOT

START_S = 90.0  # torch's import alone takes seconds on a loaded machine: wait for the steps, not for a fixed time


def partials(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.partial"))


def start_run(folder: Path, *args: str, **popen) -> subprocess.Popen:
    """`descent run` with --export-history into `folder`, returned once its history is being written."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    popen = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **popen}
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "run", "--steps", "100000000", "--device", "cpu", "--export-history", str(folder / "h.csv"),
         *args], text=True, env=env, cwd=ROOT, **popen,
    )
    deadline = time.monotonic() + START_S
    while not any(path.stat().st_size > 200 for path in partials(folder) if path.exists()):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"the run never started writing its history: {process.communicate()}")
        time.sleep(0.05)
    return process
