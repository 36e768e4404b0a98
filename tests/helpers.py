"""Shared test helpers: running the CLI in a subprocess, and draining a descent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
    """`descent ARGS` in a fresh interpreter, as a user's shell would run it (no terminal)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CUDA_VISIBLE_DEVICES", None)
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT, **kwargs
    )


def last_snapshot(problem):
    from engine.descend import descend

    snapshot = None
    for snapshot in descend(problem):  # noqa: B007 - the last one is the point
        pass
    return snapshot
