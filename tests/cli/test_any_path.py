"""A file name that is not UTF-8 (legal on Linux) is refused with one line naming it, never a crash; a writable one round-trips."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Input

from engine.data.synthetic import Dataset
from engine.settings.config_file import read_config
from engine.settings.run_settings import Settings
from tests.helpers import wait_until
from tui.cli.main import main
from tui.exports.atomic import ExportError, write_atomic
from tui.exports.folder import export_settings

BYTE_NAME = os.fsdecode(b"data\xff.csv")  # "data\udcff.csv": how Python carries the byte 0xff of a name


@pytest.fixture
def odd_csv(tmp_path) -> Path:
    path = tmp_path / BYTE_NAME
    path.write_text("x,y\n1,2\n2,3\n3,5\n")
    return path


def test_print_config_refuses_a_name_toml_cant_hold_naming_data(odd_csv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["run", "--data", str(odd_csv), "--print-config"])
    out, err = capsys.readouterr()
    assert stop.value.code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("descent: error: --data: ") and "data\\xff.csv" in err and "UTF-8" in err


def test_a_utf8_name_round_trips_through_print_config(tmp_path, capsys):
    data = tmp_path / "données [1] \u202e.csv"
    data.write_text("x,y\n1,2\n2,3\n3,5\n")
    assert main(["run", "--data", str(data), "--print-config"]) == 0
    config = tmp_path / "run.toml"
    config.write_text(capsys.readouterr().out, encoding="utf-8")
    assert read_config(config).changes["data"] == str(data)


def test_export_settings_says_why_instead_of_raising(odd_csv, tmp_path):
    with pytest.raises(ExportError) as caught:
        export_settings(tmp_path / "s.toml", Settings(data=str(odd_csv)))
    assert "data" in str(caught.value) and "UTF-8" in str(caught.value)
    assert not (tmp_path / "s.toml").exists() and list(tmp_path.glob(".*.partial")) == []


def test_a_non_utf8_target_name_is_written_as_those_bytes(tmp_path):
    write_atomic(tmp_path / BYTE_NAME, "x")
    assert os.listdir(os.fsencode(tmp_path)) == [b"data\xff.csv"]


def test_a_screenshot_of_a_screen_showing_such_a_name_is_written(tmp_path):
    write_atomic(tmp_path / "shot.svg", f"<svg>{BYTE_NAME}</svg>")
    assert (tmp_path / "shot.svg").read_text() == "<svg>data\\udcff.csv</svg>"


@pytest.mark.slow
async def test_ctrl_s_with_such_a_data_name_shows_why_under_the_path(odd_csv, tmp_path, monkeypatch):
    from tui.app import make_app

    monkeypatch.chdir(tmp_path)
    dataset = Dataset(np.array([1.0, 2.0, 3.0]), np.array([2.0, 3.0, 5.0]), str(odd_csv))
    app = make_app(Settings(data=str(odd_csv), steps=10), dataset=dataset)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen.query("#path-input"), what="the path dialog")
        app.screen.query_one("#path-input", Input).value = str(tmp_path / "s.toml")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "UTF-8" in str(app.screen.query_one("#path-error").render()), what="the reason")
        assert "data\\xff.csv" in str(app.screen.query_one("#path-error").render())
        await pilot.press("escape", "s")  # a screenshot of the screen showing that name is still written
        await wait_until(pilot, lambda: list(tmp_path.glob("descent-*.svg")), what="the screenshot")
        assert app.is_running
    assert not (tmp_path / "s.toml").exists()
