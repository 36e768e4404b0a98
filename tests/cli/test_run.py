"""`descent run` in a subprocess, as scripts use it: exit codes, JSON, messages."""

import json

import numpy as np
import pytest

from tests.helpers import run_cli

JSON_KEYS = {"steps", "initial_loss", "loss", "params", "optimum", "diverged", "device", "seconds", "steps_per_second"}


@pytest.mark.slow
def test_json_of_the_default_run():
    result = run_cli("run", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)  # exactly one JSON object, nothing else on stdout
    assert JSON_KEYS <= report.keys()
    assert report["steps"] == 1000 and report["diverged"] is False and report["device"] == "cpu"
    assert set(report["params"]) == {"k", "b"} and set(report["optimum"]["params"]) == {"k", "b"}
    assert report["loss"] < report["initial_loss"]
    assert report["optimum"]["loss"] <= report["loss"]
    # timed from the first update on: its one-off set-up is left out of the rate
    timed = report["seconds"] - report["warmup_seconds"]
    assert 0 <= report["warmup_seconds"] < report["seconds"]
    assert report["steps_per_second"] == pytest.approx((report["steps"] - 1) / timed, rel=1e-3)
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


@pytest.mark.slow
def test_diverged_run_exits_1_and_still_prints_json():
    result = run_cli("run", "--json", "--lr", "1e-3")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["diverged"] is True and report["steps"] < 1000


@pytest.mark.slow
def test_human_summary_and_plot():
    result = run_cli("run", "--steps", "50", "--plot")
    assert result.returncode == 0
    assert "50 steps of manual at lr 0.0001 on 100 points" in result.stdout
    assert "least squares" in result.stdout
    assert "\x1b[" not in result.stdout  # the plot is plain text
    assert "fit after 50 steps" in result.stdout


@pytest.mark.slow
def test_csv_data(tmp_path):
    path = tmp_path / "line.csv"
    x = np.linspace(-1, 1, 30)
    path.write_text("x,y\n" + "".join(f"{a},{3 * a - 1}\n" for a in x))
    result = run_cli("run", "--json", "--data", str(path), "--lr", "0.5", "--steps", "2000")
    report = json.loads(result.stdout)
    assert report["points"] == 30
    assert report["params"]["k"] == pytest.approx(3, rel=1e-4) and report["params"]["b"] == pytest.approx(-1, rel=1e-4)


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, words",
    [
        (["--lr", "0"], "--lr: must be greater than 0"),
        (["--lr", "abc"], "--lr: 'abc' is not a number"),
        (["--points", "1"], "--points: must be between 2"),
        (["--steps", "-3"], "--steps: must be between 0"),
        (["--x-min", "5", "--x-max", "1"], "--x-max: must be greater than x_min"),
        (["--noise", "nan"], "--noise: must be a finite number"),
        (["--optimizer", "bogus"], "--optimizer: invalid choice: 'bogus'"),
        (["--data", "/no/such.csv"], "/no/such.csv: no such file"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args, words):
    result = run_cli("run", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("descent: error: ") and words in lines[0]
