"""Extreme input the fuzzing found, each a one-line error: a lone `--` value, a file name too long, huge values quoted briefly."""

from __future__ import annotations

import pytest

from engine.settings.config_file import ConfigError, read_config
from engine.settings.errors import SettingError
from engine.settings.run_settings import Settings, validate
from tui.cli.command import build_parser
from tui.cli.settings_sources import effective_settings
from tui.exports.atomic import ExportError, write_atomic

TOO_LONG = "n" * 300  # past NAME_MAX (255): stat() itself fails with ENAMETOOLONG


@pytest.mark.parametrize("option", ["--lr", "--momentum", "--points", "--model", "--data"])
def test_a_lone_double_dash_value_is_a_usage_error(capsys, option):
    with pytest.raises(SystemExit) as stop:
        effective_settings(build_parser().parse_args(["run", f"{option}=--"]))
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err == f"descent: error: argument {option}: expected one argument\n"


def test_an_export_path_too_long_is_a_message(tmp_path):
    with pytest.raises(ExportError, match="can't write .*File name too long"):
        write_atomic(tmp_path / TOO_LONG, "x")


def test_a_config_path_too_long_is_a_message(tmp_path):
    with pytest.raises(ConfigError, match="can't be read"):
        read_config(tmp_path / TOO_LONG)


@pytest.mark.parametrize(
    "changes, shown",
    [
        ({"points": 10**200}, "got 1.00e+200"),
        ({"steps": -(10**40)}, "got -1.00e+40"),
        ({"seed": 2**40000}, "got about 2**40001"),
        ({"optimizer": "x" * 5000}, "got 'xxxxxxxxxxxxxxxxxxxxxxxxxxx…'"),
        ({"model": "poly:" + "9" * 5000}, "got 'poly:9999999999999999999999…'"),
    ],
)
def test_messages_quote_huge_input_briefly(changes, shown):
    with pytest.raises(SettingError) as error:
        validate(Settings(**changes))
    assert shown in error.value.message and len(error.value.message) < 160


def test_a_model_size_of_thousands_of_digits_is_a_setting_error(capsys):
    with pytest.raises(SystemExit) as stop:
        effective_settings(build_parser().parse_args(["run", "--model", "mlp:" + "1" * 5000]))
    assert stop.value.code == 2 and capsys.readouterr().err.startswith("descent: error: --model: must be linear")


def test_a_cell_past_the_csv_field_limit_is_a_data_error(tmp_path):
    from engine.data.csv_reader import read_csv
    from engine.settings.errors import DataError

    path = tmp_path / "wide.csv"
    path.write_text("1,2\n3," + "4" * 200_000 + "\n")  # under the line bound, over csv's 131,072-character field limit
    with pytest.raises(DataError, match="field larger than field limit"):
        read_csv(str(path))


@pytest.mark.parametrize("value", [float("-inf"), float("nan"), -1.5])
def test_a_float_where_a_count_belongs_is_a_setting_error(value):
    with pytest.raises(SettingError, match="seed"):
        validate(Settings(seed=value))
