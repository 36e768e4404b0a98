"""A closed stdout ends `descent` quietly with 141 (128 + SIGPIPE, as `yes | head` reports); ctrl+c while piped is 130, every time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from tests.helpers import ROOT
from tests.stop_helpers import partials, start_run

pytestmark = pytest.mark.slow  # each test here runs the app or a subprocess for over a second

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.mark.parametrize("argv", [["presets"], ["run", "--steps", "20", "--device", "cpu"], ["run", "--json", "--steps", "20"],
                                  ["run", "--print-config"]], ids=["presets", "run", "json", "print-config"])
def test_a_reader_gone_before_the_output_ends_quietly_with_141(argv):
    process = subprocess.Popen([sys.executable, "-m", "tui.cli", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, cwd=ROOT)
    process.stdout.close()  # the reader left before a byte was written: every write is EPIPE
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141, err
    assert err == ""


@pytest.mark.parametrize("command", ["run --steps 3000 --device cpu | head -1", "presets | head -2", "run --json --steps 50 | head -c 10"])
def test_head_ends_the_pipe_without_a_traceback(command):
    script = f"set -o pipefail; {sys.executable} -m tui.cli {command} >/dev/null; echo status=${{PIPESTATUS[0]}}"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=120)
    assert "Traceback" not in result.stderr and "Exception" not in result.stderr, result.stderr
    assert result.stdout.strip() in ("status=0", "status=141")  # 0 when head read it all before leaving


@pytest.mark.parametrize("reader_dies_first", [True, False, True, False], ids=["first-1", "together-1", "first-2", "together-2"])
def test_ctrl_c_on_a_piped_run_is_130_every_time(tmp_path, reader_dies_first):
    # `descent run --json | jq`, then ctrl+c: the terminal signals the whole pipeline, the reader dies, descent then writes
    read_end, write_end = os.pipe()
    run = start_run(tmp_path, "--json", stdout=write_end, process_group=0)
    reader = subprocess.Popen(["cat"], stdin=read_end, stdout=subprocess.DEVNULL, process_group=run.pid)
    os.close(read_end)
    os.close(write_end)
    if reader_dies_first:
        reader.kill()
        reader.wait(timeout=10)
    os.killpg(run.pid, signal.SIGINT)
    _, err = run.communicate(timeout=60)
    reader.wait(timeout=10)
    assert run.returncode == 130, err
    assert "Traceback" not in err and "Exception" not in err, err
    assert partials(tmp_path) == []
