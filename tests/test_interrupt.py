"""ctrl+c during `descent run` stops at once, reports the step it stopped at, and exits 130."""

import json
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from tests.stop_helpers import start_run


def _interrupted_run(*args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as folder:
        process = start_run(Path(folder), *args)  # once it is descending: a fixed sleep lost the race on a loaded machine
        process.send_signal(signal.SIGINT)
        started = time.monotonic()
        out, err = process.communicate(timeout=30)
    assert time.monotonic() - started < 5, "ctrl+c must stop the run at once"
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def test_ctrl_c_prints_the_json_with_interrupted():
    result = _interrupted_run("--json")
    assert result.returncode == 130, result.stderr
    report = json.loads(result.stdout)
    assert report["interrupted"] is True
    assert 0 < report["steps"] < 100_000_000
    assert "Traceback" not in result.stderr


def test_ctrl_c_summary_says_where_it_stopped():
    result = _interrupted_run()
    assert result.returncode == 130
    assert "INTERRUPTED at step" in result.stdout and "of 100000000" in result.stdout
    assert "Traceback" not in result.stderr
