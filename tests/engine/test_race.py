"""The race: same data, same start, the optimizers' order; and `descent run`'s analysis, divergence and --race."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.descent.race import parse_race, race, race_problems
from engine.settings.errors import SettingError
from engine.settings.run_settings import OPTIMIZERS, Settings

ROOT = Path(__file__).resolve().parents[2]


def descent_run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "tui.cli", "run", "--device", "cpu", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_the_race_keeps_the_order_and_starts_everyone_at_the_same_point_on_the_same_data():
    names = ["adam", "manual", "momentum"]
    settings = Settings(device="cpu", steps=20, start=3)
    problems = race_problems(settings, names)
    assert [name for name, _ in problems] == names
    assert [problem.settings.optimizer for _, problem in problems] == names
    assert all(problem.dataset is problems[0][1].dataset for _, problem in problems)
    racers = race(settings, names)
    firsts = [next(descent) for _, descent in racers]
    for snapshot in firsts[1:]:
        np.testing.assert_array_equal(snapshot.vector, firsts[0].vector)
    seconds = [next(descent).vector for _, descent in racers]
    assert not np.array_equal(seconds[0], seconds[1])  # the same start, then each its own way


@pytest.mark.parametrize(
    "text, named",
    [
        ("", "''"),
        ("manual,,adam", "manual,,adam"),
        ("manual,newton", "'newton'"),
        ("adam,adam", "adam is listed twice"),
        ("adam@abc", "'adam@abc'"),
        ("nosuch@0.1", "'nosuch'"),
        ("adam@0", "'adam@0'"),
        ("adam@-1e-3", "'adam@-1e-3'"),
        ("adam@nan", "'adam@nan'"),
        ("adam@", "'adam@'"),
        ("manual@1e-4,manual@0.0001", "manual@0.0001 is listed twice"),
    ],
)
def test_bad_race_lists_are_refused_naming_the_setting_and_the_racer(text, named):
    with pytest.raises(SettingError) as error:
        parse_race(text)
    assert error.value.setting == "race"
    assert named in error.value.message and "\n" not in error.value.message


def test_race_names_are_trimmed_and_kept_in_order():
    assert [racer.optimizer for racer in parse_race(" rmsprop, sgd ,manual")] == ["rmsprop", "sgd", "manual"]


def test_each_racer_may_have_its_own_lr_and_one_optimizer_may_race_at_several():
    racers = parse_race("manual@1e-4, momentum@1e-4,adam@0.05")
    assert [(r.optimizer, r.lr) for r in racers] == [("manual", 1e-4), ("momentum", 1e-4), ("adam", 0.05)]
    lrs = parse_race("manual@1e-4,manual@2e-4,manual@2.9e-4")
    assert [r.label for r in lrs] == ["manual@0.0001", "manual@0.0002", "manual@0.00029"]
    assert parse_race(["manual", "adam@0.05"]) == parse_race("manual,adam@0.05")  # a TOML list reads as the flag does
    settings = Settings(device="cpu", steps=5, lr=3e-5)
    problems = race_problems(settings, parse_race("manual,manual@2e-4,adam@0.05"))
    assert [label for label, _ in problems] == ["manual", "manual@0.0002", "adam@0.05"]
    assert [problem.settings.lr for _, problem in problems] == [3e-5, 2e-4, 0.05]  # no @: the run's lr
    assert [problem.settings.optimizer for _, problem in problems] == ["manual", "manual", "adam"]


@pytest.mark.slow
def test_run_json_has_the_analysis_of_the_problem_as_optimized():
    result = descent_run("--standardize", "--steps", "10", "--json")
    assert result.returncode == 0, result.stderr
    analysis = json.loads(result.stdout)["analysis"]
    assert set(analysis) == {"lambda_max", "lambda_min", "condition_number", "lr_max", "lr_best"}
    assert analysis["lambda_max"] == pytest.approx(2.0) and analysis["lr_max"] == pytest.approx(1.0)


@pytest.mark.slow
def test_a_diverged_run_says_when_and_why_and_exits_1():
    result = descent_run("--lr", "5e-4")
    assert result.returncode == 1
    line = next(line for line in result.stdout.splitlines() if line.startswith("DIVERGED"))
    assert "at step 9" in line and "0.0005" in line and "0.000298" in line and "--lr" in line


@pytest.mark.slow
def test_race_json_has_one_run_per_optimizer_in_order_and_exits_1_only_when_all_diverged():
    result = descent_run("--race", "sgd,adam,manual", "--lr", "5e-4", "--steps", "50", "--json")
    assert result.returncode == 0, result.stderr  # adam survives: the race has a finisher
    report = json.loads(result.stdout)
    runs = report["runs"]
    assert [run["optimizer"] for run in runs] == ["sgd", "adam", "manual"]
    assert [run["lr"] for run in runs] == [5e-4, 5e-4, 5e-4]
    assert [run["diverged"] for run in runs] == [True, False, True]
    assert runs[0]["diverged_at"] == runs[2]["diverged_at"] == 9  # sgd and manual are the same rule
    assert report["ranking"][0] == "adam"  # the only finisher; the diverged follow
    assert all(run["analysis"] == runs[0]["analysis"] for run in runs)
    assert all({"loss", "params", "steps", "diverged_at"} <= set(run) for run in runs)
    everyone_diverges = descent_run("--race", "manual,sgd", "--lr", "5e-4")
    assert everyone_diverges.returncode == 1
    assert "No winner: every racer diverged, the first at step 9." in everyone_diverges.stdout
    rows = [line.split() for line in everyone_diverges.stdout.splitlines() if line[:2] in ("1.", "2.")]
    assert [row[1] for row in rows] == ["manual", "sgd"]  # a tie keeps the race's order
    assert all(row[3:6] == ["diverged", "at", "9"] for row in rows)


@pytest.mark.slow
def test_a_bad_race_value_exits_2_with_one_line_naming_the_option_and_the_choices():
    result = descent_run("--race", "manual,newton")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--race" in lines[0] and "newton" in lines[0]
    assert all(name in lines[0] for name in OPTIMIZERS)
