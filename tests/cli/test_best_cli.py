"""`descent run --lr best` (issue 23): the lr as run in the JSON, the choice said in the summary, one line where it can't be."""

from __future__ import annotations

import json

import pytest

from tests.helpers import cli


def test_lr_best_runs_at_the_chosen_lr_and_says_why(capsys):
    code, out, err = cli(capsys, "run", "--lr", "best", "--json")
    assert code == 0, err
    report = json.loads(out)
    lr = report["settings"]["lr"]
    assert 2.9e-4 < lr < 2.984e-4  # just below lr_best = 2/(λmax+λmin): the steep error must die out in 1000 steps
    assert report["loss"] < 92.3978  # better than the tutorial's 1e-4
    code, out, _ = cli(capsys, "run", "--lr", "best")
    assert code == 0
    assert f"at lr {lr:g}" in out and "least loss after 1,000 steps" in out and "lr_best = 2/(λmax+λmin)" in out


def test_the_json_has_the_settings_as_run(capsys):
    code, out, _ = cli(capsys, "run", "--steps", "3", "--json")
    settings = json.loads(out)["settings"]
    assert code == 0 and settings["lr"] == 1e-4 and settings["steps"] == 3 and settings["momentum"] == 0.9


def test_momentum_best_chooses_both(capsys):
    code, out, err = cli(capsys, "run", "--optimizer", "momentum", "--lr", "best", "--momentum", "best", "--json")
    assert code == 0, err
    settings = json.loads(out)["settings"]
    assert 0.9 < settings["momentum"] < 1 and settings["lr"] > 3e-4  # momentum allows lrs past plain descent's 2/λmax
    assert json.loads(out)["excess_loss"] < 1e-6


@pytest.mark.parametrize(
    "args, option",
    [
        (("--lr", "best", "--model", "mlp:4"), "--lr"),
        (("--lr", "best", "--optimizer", "adam"), "--lr"),
        (("--momentum", "best"), "--momentum"),
        (("--lr", "best", "--race", "manual,adam"), "--lr"),
        (("--lr", "best", "--print-config"), "--lr"),
    ],
)
def test_best_where_it_cant_be_is_one_line_and_exit_2(capsys, args, option):
    code, out, err = cli(capsys, "run", *args)
    assert code == 2 and out == ""
    assert err.startswith(f"descent: error: {option}: ") and err.count("\n") == 1
