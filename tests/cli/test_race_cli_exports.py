"""`--race` refuses every export option of `descent run`: a race is several runs, and one file would silently be one racer's."""

from __future__ import annotations

import pytest

from tests.helpers import cli
from tui.cli.race import RACE_EXPORTS


def test_every_export_option_of_run_is_listed():
    from tui.cli.command import build_parser

    run = build_parser()._subparsers._group_actions[0].choices["run"]
    exports = {flag for action in run._actions for flag in action.option_strings if flag.startswith("--export")}
    assert exports == {flag for flag, _ in RACE_EXPORTS}


@pytest.mark.parametrize(("option", "name"), [("--export-history", "h.csv"), ("--export-script", "s.py")])
@pytest.mark.parametrize("race", [["--race", "manual,adam@0.05"], ["--config", "race.toml"]], ids=["flag", "config"])
def test_a_race_with_an_export_is_one_line_naming_it_and_writes_nothing(capsys, tmp_path, monkeypatch, option, name, race):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "race.toml").write_text('race = ["manual", "adam@0.05"]\n')
    code, out, err = cli(capsys, "run", "--steps", "3", *race, option, name)
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert err.startswith(f"descent: error: {option}: not with --race")
    assert not (tmp_path / name).exists()
