"""steps/s leaves out the one-off warm-up, so a run reports the same rate alone or inside a race."""

import time

import pytest

from engine.settings.run_settings import Settings
from tui.cli import run as run_module


def test_the_first_updates_set_up_is_left_out_of_the_rate(monkeypatch):
    # A descent whose first update costs 0.3 s (torch.optim's set-up) and every other one nothing measurable.
    from engine.descent.descend import descend
    from engine.descent.problem import make_problem

    problem = make_problem(Settings(device="cpu", steps=50))

    def slow_first(problem):
        for snapshot in descend(problem):
            if snapshot.step == 1:
                time.sleep(0.3)
            yield snapshot

    monkeypatch.setattr("engine.descent.descend.descend", slow_first)
    report, _, _, last = run_module.run_to_end(problem)
    assert last.step == 50
    assert report["warmup_seconds"] >= 0.3 and report["seconds"] >= 0.3
    # 49 updates after the first, in far less than the 0.3 s set-up: the rate is of those alone
    assert report["steps_per_second"] > 49 / 0.3
    assert report["steps_per_second"] == pytest.approx(49 / (report["seconds"] - report["warmup_seconds"]), rel=1e-2)


def test_a_single_update_keeps_the_plain_rate():
    from engine.descent.problem import make_problem

    report, _, _, _ = run_module.run_to_end(make_problem(Settings(device="cpu", steps=1)))
    assert "warmup_seconds" not in report and report["steps_per_second"] == pytest.approx(1 / report["seconds"])


def test_summary_names_the_set_up_only_when_it_is_worth_a_word():
    from tui.cli.report import summary_lines

    base = {"params": {"k": 1.0}, "parameter_count": 1, "steps": 10, "points": 5, "device": "cpu", "initial_loss": 2.0, "loss": 1.0,
            "optimum": None, "diverged": False, "seconds": 0.5, "steps_per_second": 100.0}
    settings = Settings()
    assert "one-off set-up" in summary_lines({**base, "warmup_seconds": 0.4}, settings)[-1]
    assert "set-up" not in summary_lines({**base, "warmup_seconds": 0.001}, settings)[-1]


def test_a_race_times_each_racer_as_a_run_alone(capsys):
    # the race (tui/cli/race.py) and a run alone (tui/cli/run.py) both time from the first update on
    import json

    from tui.cli.race import run_race

    assert run_race(Settings(device="cpu", steps=30, lr=1e-4), ("manual", "adam"), as_json=True) == 0
    for run in json.loads(capsys.readouterr().out)["runs"]:
        assert run["steps_per_second"] == pytest.approx((run["steps"] - 1) / run["seconds"], rel=1e-9)
    from engine.descent.problem import make_problem

    alone, _, _, _ = run_module.run_to_end(make_problem(Settings(device="cpu", steps=30)))
    assert alone["steps_per_second"] == pytest.approx(29 / (alone["seconds"] - alone["warmup_seconds"]), rel=1e-2)
