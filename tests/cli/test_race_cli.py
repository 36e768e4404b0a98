"""`descent run --race`: racers at their own lr, from flags, TOML and the preset; the sorted table; bad racers exit 2."""

from __future__ import annotations

import json
import statistics

import pytest

from engine.settings.config_file import ConfigError, parse_config
from engine.settings.run_settings import Settings
from tests.helpers import cli, run_cli


@pytest.mark.parametrize("command", [("run", "--device", "cpu"), ()])
@pytest.mark.parametrize("race, named", [("adam@abc", "'adam@abc'"), ("nosuch", "'nosuch'"), ("manual,adam@", "'adam@'")])
def test_a_bad_racer_is_one_line_naming_it_and_exit_2(capsys, command, race, named):
    code, out, err = cli(capsys, *command, "--race", race)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("descent: error: argument --race: ") and named in err


def test_the_table_is_sorted_by_final_loss_with_lr_excess_steps_and_rate(capsys):
    code, out, err = cli(capsys, "run", "--device", "cpu", "--steps", "300", "--race", "manual@1e-4,adam@1e-4,momentum@1e-4")
    assert code == 0, err
    lines = out.splitlines()
    header = next(line for line in lines if "optimizer" in line)
    assert header.split() == ["optimizer", "lr", "final", "loss", "excess", "steps", "steps/s"]
    rows = [line.split() for line in lines if line[:2] in ("1.", "2.", "3.")]
    assert [row[1] for row in rows] == ["momentum", "manual", "adam"]  # at 1e-4 adam's ~lr steps crawl
    losses = [float(row[3]) for row in rows]
    assert losses == sorted(losses)
    optimum = float(next(line for line in lines if line.startswith("least squares:")).split()[3])
    for row, loss in zip(rows, losses, strict=True):
        assert row[2] == "0.0001" and row[5] == "300" and int(row[6].replace(",", "")) > 0
        assert float(row[4]) == pytest.approx(loss - optimum, rel=5e-3, abs=1e-3)  # excess: 3 digits
    words = lines[lines.index("") + 1 :]
    assert words[0].startswith("momentum@0.0001 wins with loss ")
    assert words[1].startswith("manual@0.0001 trails by ") and "κ = 13,208" in words[1]
    assert words[2].startswith("adam@0.0001 trails by ") and "300 steps of 0.0001 move a parameter at most ~0.03" in words[2]


def test_json_keeps_runs_adds_each_lr_and_the_ranking_best_first(capsys):
    code, out, err = cli(capsys, "run", "--device", "cpu", "--steps", "200", "--json", "--race", "manual@1e-4,manual@2e-4,adam@0.05")
    assert code == 0, err
    report = json.loads(out)
    runs = report["runs"]
    assert [(run["label"], run["optimizer"], run["lr"]) for run in runs] == [
        ("manual@0.0001", "manual", 1e-4), ("manual@0.0002", "manual", 2e-4), ("adam@0.05", "adam", 0.05)
    ]  # fmt: skip
    by_loss = sorted(runs, key=lambda run: run["loss"])
    assert report["ranking"] == [run["label"] for run in by_loss]
    ranks = report["ranking"]
    assert ranks.index("manual@0.0002") < ranks.index("manual@0.0001")  # the smaller plain step ends further away
    for run in runs:
        assert run["excess"] == pytest.approx(run["loss"] - run["optimum"]["loss"])


def test_a_race_in_toml_is_a_list_of_racers(capsys, tmp_path):
    config = tmp_path / "race.toml"
    config.write_text('race = ["manual@1e-4", "adam@0.05"]\nsteps = 20\ndevice = "cpu"\n')
    code, out, err = cli(capsys, "run", "--config", str(config), "--json")
    assert code == 0, err
    runs = json.loads(out)["runs"]
    assert [(run["label"], run["lr"], run["steps"]) for run in runs] == [("manual@0.0001", 1e-4, 20), ("adam@0.05", 0.05, 20)]
    flag = cli(capsys, "run", "--config", str(config), "--json", "--race", "sgd")  # the flag wins over the file
    assert [run["label"] for run in json.loads(flag[1])["runs"]] == ["sgd"]
    assert parse_config('race = "manual,adam@0.05"').race == parse_config('race = ["manual", "adam@0.05"]').race


@pytest.mark.parametrize(
    "content, expected",
    [
        ('race = ["adam@abc"]', "race: 'adam@abc': the lr after @ must be a number"),
        ('race = ["nosuch"]', "race: 'nosuch' is not an optimizer"),
        ("race = [1, 2]", "race must be a list of str"),
        ('rase = ["adam"]', "unknown key 'rase'; did you mean race?"),
    ],
)
def test_a_bad_race_in_toml_names_the_file_and_the_racer(capsys, tmp_path, content, expected):
    with pytest.raises(ConfigError) as error:
        parse_config(content, "race.toml")
    assert str(error.value).startswith("race.toml: ") and expected in str(error.value)
    config = tmp_path / "race.toml"
    config.write_text(content + "\n")
    code, out, err = cli(capsys, "run", "--config", str(config))
    assert code == 2 and out == "" and err.count("\n") == 1 and expected in err


def test_the_race_preset_gives_each_racer_the_lr_that_shows_what_it_does(capsys):
    code, out, err = cli(capsys, "run", "--device", "cpu", "--preset", "race")
    assert code == 0, err
    assert "adam@0.05 wins with loss" in out and "at the least-squares minimum after 1,000 steps" in out


def _rates(*args: str) -> dict[str, float]:
    result = run_cli("run", "--device", "cpu", "--json", *args)
    assert result.returncode == 0, result.stderr
    return {run["label"]: run["steps_per_second"] for run in json.loads(result.stdout)["runs"]}


@pytest.mark.slow
def test_a_racers_rate_is_within_3x_of_the_same_run_alone():
    """Momentum first in a fresh process pays torch.optim's one-off start-up: it must not count as descending.

    The same run races again last (`momentum@0.0001` is `momentum` at the default lr), once the start-up is
    paid: the two rates are the same work, measured in the same process. Medians of three processes, so one
    slow moment on a shared machine does not decide it.
    """
    runs = [_rates("--steps", "1500", "--race", "momentum,manual,momentum@0.0001") for _ in range(3)]
    first = statistics.median(run["momentum"] for run in runs)
    again = statistics.median(run["momentum@0.0001"] for run in runs)
    assert 1 / 3 < first / again < 3, (first, again)


def test_settings_are_shared_except_each_racers_optimizer_and_lr():
    from engine.descent.race import race_problems
    from engine.settings.racers import parse_race

    settings = Settings(device="cpu", steps=7, momentum=0.5, seed=3)
    for _, problem in race_problems(settings, parse_race("momentum@0.001,adam")):
        assert (problem.settings.steps, problem.settings.momentum, problem.settings.seed) == (7, 0.5, 3)


def test_print_config_keeps_the_race_and_reads_back_to_the_same_racers(capsys, tmp_path):
    from engine.settings.racers import parse_race

    code, text, err = cli(capsys, "run", "--print-config", "--race", "manual,adam@0.0123456789", "--steps", "30")
    assert code == 0, err
    assert parse_config(text).race == parse_race("manual,adam@0.0123456789")
    config = tmp_path / "race.toml"
    config.write_text(text)
    code, out, err = cli(capsys, "run", "--config", str(config), "--device", "cpu", "--json")
    assert code == 0, err
    assert [(run["label"], run["lr"], run["steps"]) for run in json.loads(out)["runs"]] == [
        ("manual", 1e-4, 30), ("adam@0.0123457", 0.0123456789, 30)
    ]  # fmt: skip
