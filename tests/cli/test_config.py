"""Config files: print-config round trips exactly, layers override in order, bad files say what is wrong."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from engine.settings.config_file import ConfigError, config_text, layered_settings, parse_config
from engine.settings.run_settings import Settings
from tests.helpers import cli

TIMINGS = ("seconds", "steps_per_second", "warmup_seconds")


def run_json(capsys, *argv: str) -> dict:
    code, out, err = cli(capsys, "run", "--json", *argv)
    assert code in (0, 1), err
    report = json.loads(out)
    for key in TIMINGS:
        report.pop(key, None)
    return report


def test_print_config_fed_back_gives_the_same_run(capsys, tmp_path):
    flags = ["--standardize", "--lr", "0.0123456789", "--holdout", "0.2", "--steps", "150", "--optimizer", "momentum", "--seed", "7"]
    code, text, _ = cli(capsys, "run", "--print-config", *flags)
    assert code == 0
    path = tmp_path / "run.toml"
    path.write_text(text)
    assert run_json(capsys, "--config", str(path)) == run_json(capsys, *flags)
    # And the file alone holds every setting: no flag was needed to get the same result.
    assert parse_config(text).changes["lr"] == 0.0123456789


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    lr=st.floats(min_value=1e-12, max_value=1e6, exclude_min=True),
    x_min=st.floats(min_value=-1e15, max_value=1e14, allow_subnormal=True),
    column=st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1).filter(str.strip),
    standardize=st.booleans(),
)
def test_config_text_reads_back_to_the_same_settings(lr, x_min, column, standardize):
    original = Settings(lr=lr, x_min=x_min, x_max=x_min + 1e14, x_column=column, standardize=standardize, batch_size=None)
    back = layered_settings(config=parse_config(config_text(original)))
    assert back == original
    for f in fields(Settings):
        assert type(getattr(back, f.name)) is type(getattr(original, f.name))


def test_a_string_setting_cant_add_keys_to_the_file():
    sneaky = '1"\nlr = 99.0\nsteps = 5\n# "'
    back = layered_settings(config=parse_config(config_text(Settings(x_column=sneaky))))
    assert back.x_column == sneaky
    assert (back.lr, back.steps) == (Settings().lr, Settings().steps)


def test_unset_settings_are_comments_and_read_back_unset():
    text = config_text(Settings(batch_size=None, data=None))
    assert "# batch_size is unset" in text and "\nbatch_size =" not in text
    assert layered_settings(config=parse_config(text)).batch_size is None
    assert layered_settings(config=parse_config(config_text(Settings(batch_size=16)))).batch_size == 16


def test_layers_override_in_order_defaults_preset_file_flags(capsys, tmp_path):
    # The standardized preset sets lr 0.1 and steps 100; the file overrides lr; a flag overrides the file.
    path = tmp_path / "layers.toml"
    path.write_text('preset = "standardized"\nlr = 0.05\nnoise = 3\n')
    code, text, _ = cli(capsys, "run", "--print-config", "--config", str(path), "--noise", "2.5")
    assert code == 0
    got = parse_config(text).changes
    assert got["standardize"] is True and got["steps"] == 100  # from the preset
    assert got["lr"] == 0.05  # the file beats its preset
    assert got["noise"] == 2.5  # a flag beats the file
    assert got["points"] == Settings().points  # untouched: the default


def test_a_preset_flag_replaces_the_files_preset_but_not_its_keys(capsys, tmp_path):
    path = tmp_path / "layers.toml"
    path.write_text('preset = "standardized"\nlr = 0.05\n')
    code, text, _ = cli(capsys, "run", "--print-config", "--config", str(path), "--preset", "outliers")
    got = parse_config(text).changes
    assert code == 0 and got["dataset"] == "outliers" and got["loss"] == "huber" and got["lr"] == 0.05 and got["steps"] == 1000


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("lr = 0.001\nsteps = = 3\n", "not valid TOML: Invalid value (at line 2, column 9)"),
        ("lr = 0.001\n[table\n", "at line 2"),
        ("lrr = 0.001\n", "unknown key 'lrr'; did you mean lr?"),
        ("colour = 3\n", "unknown key 'colour'"),
        ('steps = "ten"\n', "steps must be an int (got a str 'ten')"),
        ("steps = 10.5\n", "steps must be an int (got a float 10.5)"),
        ('lr = "fast"\n', "lr must be a float (got a str 'fast')"),
        ("standardize = 1\n", "standardize must be a bool (got an int 1)"),
        ("optimizer = 3\n", "optimizer must be a str (got an int 3)"),
        ("x_min = true\n", "x_min must be a float (got a bool True)"),
        ("preset = 3\n", "preset must be a str"),
        ('preset = "fastest"\n', "preset must be one of seed, diverge"),
        ("lr = -1.0\n", "lr: must be greater than 0"),
    ],
)
def test_bad_files_exit_2_naming_the_file_and_the_problem(capsys, tmp_path, content, expected):
    path = tmp_path / "bad.toml"
    path.write_text(content)
    code, out, err = cli(capsys, "run", "--config", str(path))
    assert code == 2 and out == ""
    assert err.startswith(f"descent: error: {path}: ") and err.count("\n") == 1
    assert expected in err


def test_a_flag_that_fixes_a_files_value_wins(capsys, tmp_path):
    path = tmp_path / "fixed.toml"
    path.write_text("x_min = 200\n")
    code, text, _ = cli(capsys, "run", "--print-config", "--config", str(path), "--x-max", "300")
    assert code == 0 and parse_config(text).changes["x_min"] == 200.0


def test_a_missing_file_a_folder_and_non_utf8_are_named(capsys, tmp_path):
    code, _, err = cli(capsys, "run", "--config", str(tmp_path / "nope.toml"))
    assert code == 2 and "nope.toml: no such config file" in err
    code, _, err = cli(capsys, "run", "--config", str(tmp_path))
    assert code == 2 and "is a folder, not a config file" in err
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"lr = \xff\xfe\n")
    code, _, err = cli(capsys, "run", "--config", str(binary))
    assert code == 2 and "not UTF-8" in err


def test_an_unknown_preset_flag_lists_the_presets(capsys):
    code, _, err = cli(capsys, "run", "--preset", "fastest")
    assert code == 2 and "--preset: must be one of seed, diverge, standardized, outliers, sine, race" in err


def test_parse_errors_are_config_errors_not_tracebacks():
    with pytest.raises(ConfigError, match="x.toml: unknown key 'speed'"):
        parse_config("speed = 1\n", "x.toml")
