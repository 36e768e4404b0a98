"""Fuzzed TOML config files: every key with any TOML value, and broken TOML text, ends in Settings or one ConfigError line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.settings.config_file import COLUMN_KEYS, ConfigError, layered_settings, parse_config, read_config, toml_value
from engine.settings.errors import SettingError
from engine.settings.presets import PRESETS
from engine.settings.run_settings import SETTING_NAMES, Settings
from tests.helpers import ROOT

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

KEYS = st.one_of(st.sampled_from((*SETTING_NAMES, "preset")), st.text(min_size=1, max_size=12))

_scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e-300, max_value=1e-300),
    st.text(max_size=30),
    st.sampled_from(["linear", "poly:3", "mlp:16", "adam", "huber", "cuda:0", "mps", "sine", "", " ", "poly:٣", "mlp:0"]),
)
TOML_VALUES = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=2), max_leaves=8
)
RAW_VALUES = st.sampled_from(
    ["1979-05-27", "07:32:00", "1979-05-27T07:32:00Z", "0x1F", "0o17", "0b11", "1e400", "-1e-400", "nan", "+inf", "1_000",
     "'single'", '"""multi\nline"""', "[1, 'a']", "{}", "[[]]", "true", "99999999999999999999999"]
)


def _toml(key: str, value) -> str:
    """One `key = value` line; values TOML can't write (nan, nested tables in arrays…) as inline text anyway."""
    quoted = '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
    try:
        return f"{quoted} = {_literal(value)}\n"
    except (TypeError, ValueError):
        return f"{quoted} = {value!r}\n"


def _literal(value) -> str:
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml('k' + str(i), v).strip()}" for i, v in enumerate(value.values())) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return toml_value(value)


def _settings_or_one_line(text: str):
    """What a file with this text gives: Settings, or a one-line message. Anything else fails the test."""
    try:
        config = parse_config(text, "fuzz.toml")
        if config.preset is not None and config.preset not in PRESETS:
            return "unknown preset"
        return layered_settings(None, config)
    except ConfigError as error:
        message = str(error)
        assert message.startswith("fuzz.toml: ") and "\n" not in message, message
        return message
    except SettingError as error:
        assert error.setting in SETTING_NAMES and "\n" not in error.message
        return str(error)


@FUZZ
@given(key=KEYS, value=TOML_VALUES)
def test_every_key_with_any_toml_value(key, value):
    outcome = _settings_or_one_line(_toml(key, value))
    if isinstance(outcome, Settings) and key in SETTING_NAMES:
        if key in COLUMN_KEYS and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # a column's 1-based position, kept as `--x-column 2` keeps it (checked against the file)
        assert getattr(outcome, key) == (tuple(value) if isinstance(value, list) else value)


@FUZZ
@given(key=st.sampled_from(SETTING_NAMES), raw=RAW_VALUES)
def test_every_key_with_odd_toml_literals(key, raw):
    _settings_or_one_line(f"{key} = {raw}\n")


@FUZZ
@given(text=st.text(max_size=300))
def test_broken_toml_text(text):
    _settings_or_one_line(text)


FRAGMENTS = ["lr = 1e-3", "lr = ", "[table]", "= 3", "points = 5\npoints = 6", "x_min = [", '"', "\x00", "\ufeff"]


@FUZZ
@given(lines=st.lists(st.sampled_from(FRAGMENTS), max_size=6))
def test_broken_toml_fragments(lines):
    _settings_or_one_line("\n".join(lines))


@pytest.mark.parametrize("depth", [100, 5000])
def test_deeply_nested_values_are_refused(depth):
    for text in ("lr = " + "[" * depth + "]" * depth, "lr = " + "{a=" * depth + "1" + "}" * depth):
        assert isinstance(_settings_or_one_line(text), str)


def test_a_fifo_or_device_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "settings.toml"
    os.mkfifo(fifo)  # reading it would block until someone writes
    with pytest.raises(ConfigError, match="not a regular file"):
        read_config(fifo)
    with pytest.raises(ConfigError, match="not a regular file"):
        read_config("/dev/zero")  # never ends


def test_a_huge_file_is_refused(tmp_path):
    path = tmp_path / "big.toml"
    path.write_text("# " + "x" * (2 * 1024 * 1024) + "\n")
    with pytest.raises(ConfigError, match="too large"):
        read_config(path)


CLI_SAMPLE = [
    "lr = nan\n",
    "points = 99999999999999999999999\n",
    "steps = -1\n",
    "lr = " + "[" * 3000 + "]" * 3000 + "\n",
    "model = 'poly:٣'\n",
    "optimizer = ['adam']\n",
    "x_min = 1979-05-27\n",
    "preset = 7\n",
    "preset = 'nope'\n",
    "lr = 1e-3\nlr = 2e-3\n",
    "\x00\x01binary",
    "lerning_rate = 0.1\n",
]


@pytest.mark.slow
def test_bad_config_files_through_the_cli(tmp_path):
    """A sample through `descent run --config` in subprocesses: exit 2, one line on stderr, no traceback."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = []
    for i, text in enumerate(CLI_SAMPLE):
        path = tmp_path / f"bad{i}.toml"
        path.write_bytes(text.encode("utf-8"))
        command = [sys.executable, "-m", "tui.cli", "run", "--config", str(path)]
        runs.append((text, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)))
    for text, process in runs:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 2, (text[:40], out, err)
        assert err.count("\n") == 1 and err.startswith("descent: error: ") and "Traceback" not in err, (text[:40], err)
