"""ctrl+c during `descent run` stops at once, reports the step it stopped at, and exits 130."""

import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time

import pytest

from tests.helpers import ROOT

STEPS = 100_000_000


def _interrupted_run(*args: str) -> subprocess.CompletedProcess:
    """Sends ctrl+c once the progress bar (stderr on a terminal) shows steps done: not at a guessed moment,
    which on a loaded machine can fall while torch is still loading."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120"}
    terminal, stderr_end = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "run", "--steps", str(STEPS), *args],
        stdout=subprocess.PIPE,
        stderr=stderr_end,
        text=True,
        env=env,
        cwd=ROOT,
        # ctrl+c's default even when the tests run where SIGINT is ignored (a background job, nohup): a child
        # inherits "ignored", and Python then installs no KeyboardInterrupt handler at all.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    os.close(stderr_end)
    err = _read_until(terminal, re.compile(rf"\b[1-9][\d,]*/{STEPS}\b"))
    process.send_signal(signal.SIGINT)
    # Keep reading the terminal until it exits: a bar left unread fills the pty's buffer and blocks its writer.
    # It stops at once (the steps it reports are far below the 10⁸ asked); the timeout only bounds a hang.
    err += _read_until(terminal, None, until=lambda: process.poll() is not None)
    out, _ = process.communicate(timeout=60)
    os.close(terminal)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _read_until(terminal: int, pattern: re.Pattern | None, timeout: float = 120, until=lambda: False) -> str:
    """What the terminal shows until `pattern` appears, or (pattern None) until `until()` holds and nothing more
    comes; the timeout only bounds a hang."""
    text = ""
    deadline = time.monotonic() + timeout
    while pattern is None or not pattern.search(text):
        if time.monotonic() > deadline:  # a bound on a hang, not a speed claim
            pytest.fail(f"the run never showed {pattern}: {text[-300:]!r}")
        ready, _, _ = select.select([terminal], [], [], 0.1)
        if not ready:
            if pattern is None and until():
                break
            continue
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        text += chunk.decode(errors="replace")
    return text


@pytest.mark.slow
def test_ctrl_c_prints_the_json_with_interrupted():
    result = _interrupted_run("--json")
    assert result.returncode == 130, result.stderr
    report = json.loads(result.stdout)
    assert report["interrupted"] is True
    assert 0 < report["steps"] < STEPS
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_ctrl_c_summary_says_where_it_stopped():
    result = _interrupted_run()
    assert result.returncode == 130
    assert "INTERRUPTED at step" in result.stdout and f"of {STEPS}" in result.stdout
    assert "Traceback" not in result.stderr
