"""SIGTERM and SIGHUP stop `descent run` as ctrl+c does: the last step reported, partial files gone, status 128+N.

And a partial file left by a SIGKILLed run is swept by the next run that writes there, and nothing else is.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from contextlib import contextmanager

import pytest

import tui.cli.run as run
from engine.descent.problem import make_problem
from engine.settings.run_settings import Settings
from tests.helpers import ROOT
from tests.stop_helpers import partials, start_run
from tui.cli.stopping import stop_on_signals
from tui.exports.atomic import write_atomic
from tui.exports.partials import sweep_stale


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["TERM", "HUP", "INT"])
def test_a_stop_signal_prints_the_json_so_far_and_leaves_no_partial(tmp_path, signum):
    process = start_run(tmp_path, "--json")
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, err
    report = json.loads(out)
    assert report["interrupted"] is True and report["signal"] == signal.Signals(signum).name
    assert 0 < report["steps"] < 100_000_000
    assert "Traceback" not in err
    assert partials(tmp_path) == []
    rows = list(csv.reader((tmp_path / "h.csv").open()))
    assert int(rows[-1][0]) == report["steps"]  # the history is that of the steps reported, whole


def test_a_signal_just_after_a_steps_row_stops_the_run_at_that_step(tmp_path, monkeypatch):
    # CI caught a SIGTERM landing after step 165's row was written and before 165 was taken as the last step:
    # the history said 165, the report 164. Here the signal comes at that very point, every time.
    real = run.history_recorder

    @contextmanager
    def signalled_after_row_7(path, problem):
        with real(path, problem) as record:

            def record_then_signal(snapshot):
                record(snapshot)
                if snapshot.step == 7:
                    os.kill(os.getpid(), signal.SIGTERM)

            yield record_then_signal

    monkeypatch.setattr(run, "history_recorder", signalled_after_row_7)
    with stop_on_signals():
        report, *_ = run.run_to_end(make_problem(Settings(device="cpu", steps=100)), history=str(tmp_path / "h.csv"))
    assert report["interrupted"] is True and report["signal"] == "SIGTERM"
    rows = list(csv.reader((tmp_path / "h.csv").open()))
    assert report["steps"] == 7 and int(rows[-1][0]) == 7


@pytest.mark.slow
def test_the_summary_names_the_signal(tmp_path):
    process = start_run(tmp_path)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 143
    assert "INTERRUPTED at step" in out and "(SIGTERM)" in out
    assert "Traceback" not in err and partials(tmp_path) == []


@pytest.mark.slow
def test_sigterm_before_the_first_step_is_one_line_and_143():
    # the signal arrives while the run is being prepared (torch loading, the data made): no report yet
    script = (
        "import os, signal\n"
        "import tui.cli.run as run\n"
        "real = run.run_headless\n"
        "def signalled(*args, **kwargs):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    return real(*args, **kwargs)\n"
        "run.run_headless = signalled\n"
        "from tui.cli.main import main\n"
        "raise SystemExit(main(['run', '--steps', '10', '--device', 'cpu']))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 143, result.stderr
    assert result.stdout == "" and result.stderr == "descent: stopped by SIGTERM\n"


def test_ctrl_c_while_the_command_itself_loads_is_one_line_and_130():
    # ctrl+c in the first tenth of a second, while the command's modules load: it was an import traceback
    script = (
        "import os, signal, sys\n"
        "class CtrlC:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'engine.settings.config_file':\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "sys.meta_path.insert(0, CtrlC())\n"
        "from tui.cli.main import main\n"
        "raise SystemExit(main(['run', '--steps', '10', '--device', 'cpu']))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # a shell's background job starts with ctrl+c ignored; a person's terminal does not
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert result.returncode == 130, result.stderr
    assert result.stdout == "" and result.stderr == "descent: interrupted\n"


@pytest.mark.slow
def test_a_sigkilled_runs_partial_is_swept_by_the_next_run(tmp_path):
    process = start_run(tmp_path)
    process.kill()
    process.communicate(timeout=30)
    left = partials(tmp_path)
    assert len(left) == 1 and f".{process.pid}." in left[0].name
    write_atomic(tmp_path / "h.csv", "step,loss\n")  # the next write to the same file
    assert partials(tmp_path) == []
    assert (tmp_path / "h.csv").read_text() == "step,loss\n"


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_the_sweep_removes_only_its_own_pattern_of_dead_writers(tmp_path):
    dead, alive = _dead_pid(), os.getppid()
    mine = tmp_path / f".h.csv.{dead}.abcd_123.partial"
    keep = [
        tmp_path / f".h.csv.{alive}.abcd_123.partial",  # its writer still runs
        tmp_path / f".other.csv.{dead}.abcd_123.partial",  # another target's
        tmp_path / f".h.csv.{dead}.abcd_123.partial.txt",  # not the pattern
        tmp_path / f".h.csv.{dead}.toolong12.partial",  # not mkstemp's 8 characters
        tmp_path / ".h.csv.abcd_123.partial",  # an older version's, without a pid: can't tell, kept
        tmp_path / f"h.csv.{dead}.abcd_123.partial",  # not hidden
        tmp_path / "h.csv",
    ]
    for path in [mine, *keep]:
        path.write_text("x")
    link = tmp_path / f".h.csv.{dead}.link_123.partial"
    link.symlink_to(tmp_path / "h.csv")  # a link of that name is not a partial of ours: kept, and so is its target
    assert sweep_stale(tmp_path / "h.csv") == [mine]
    assert all(path.exists() for path in keep) and link.is_symlink()


def test_a_stop_ends_the_race_not_just_its_runner(monkeypatch, capsys):
    import tui.cli.race as race
    from tui.cli import stopping

    calls = []
    descend_timed = race.descend_timed

    def interrupted(problem):  # the first racer's run, as if SIGTERM arrived during it
        calls.append(problem)
        first, last, seconds, timed, _ = descend_timed(problem)
        return first, last, seconds, timed, True

    monkeypatch.setattr(race, "descend_timed", interrupted)
    monkeypatch.setattr(stopping, "_received", [signal.SIGTERM])
    from engine.settings.run_settings import Settings

    code = race.run_race(Settings(steps=10, device="cpu"), ("manual", "adam", "momentum"), as_json=True)
    assert code == 143 and len(calls) == 1
    runs = json.loads(capsys.readouterr().out)["runs"]
    assert [run["optimizer"] for run in runs] == ["manual"]
    assert runs[0]["interrupted"] is True and runs[0]["signal"] == "SIGTERM"
