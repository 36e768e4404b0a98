"""Fuzzed input: every CSV and every option value ends in a result or a clear one-line error, never a traceback."""

from __future__ import annotations

import math
import string

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.data.csv_reader import read_csv
from engine.settings.errors import DataError, SettingError
from engine.settings.run_settings import Settings, validate
from tui.cli.command import build_parser
from tui.cli.settings_sources import effective_settings

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e-300, max_value=1e-300),  # subnormals and zeros
    st.integers(min_value=-(10**30), max_value=10**30),
)
number_text = st.one_of(
    numbers.map(repr),
    st.sampled_from(["1e400", "-1e-400", "nan", "inf", "-inf", "١٢", "٣.٥", "1,5", "0x10", "1_000", " 7 ", '"3"', "'4'", "", "e", "--1"]),
)
separators = st.sampled_from([",", ";", "\t", " , ", ";;", ",\t"])
line_ends = st.sampled_from(["\n", "\r\n", "\r", "\n\n"])


@st.composite
def csv_texts(draw):
    rows = draw(st.lists(st.lists(number_text, min_size=0, max_size=4), min_size=0, max_size=12))
    text = "".join(draw(separators).join(row) + draw(line_ends) for row in rows)
    if draw(st.booleans()):
        text = draw(st.sampled_from(["x,y", "\ufeffx;y", "a\tb\tc", "", "x"])) + "\n" + text
    return text


def _check(path, x_column="1", y_column="2"):
    try:
        data = read_csv(path, x_column, y_column)
    except DataError as error:
        message = str(error)
        assert message.startswith(str(path)) and "\n" not in message
        return None
    assert len(data.x) == len(data.y) >= 2
    assert np.all(np.isfinite(data.x)) and np.all(np.isfinite(data.y))
    return data


@FUZZ
@given(text=csv_texts())
def test_fuzzed_csv_text(tmp_path, text):
    path = tmp_path / "fuzz.csv"
    path.write_text(text, encoding="utf-8", newline="")
    _check(path)


@FUZZ
@given(raw=st.binary(min_size=0, max_size=2000))
def test_binary_garbage(tmp_path, raw):
    path = tmp_path / "garbage.csv"
    path.write_bytes(raw)
    _check(path)


@FUZZ
@given(text=csv_texts(), x_column=st.text(string.printable, max_size=5), y_column=st.text(string.printable, max_size=5))
def test_fuzzed_column_choices(tmp_path, text, x_column, y_column):
    path = tmp_path / "columns.csv"
    path.write_text(text, encoding="utf-8", newline="")
    _check(path, x_column or "1", y_column or "2")


def test_very_long_line_is_refused_quickly(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("1,2\n" + "3," + "4" * 2_000_000 + "\n")
    with pytest.raises(DataError, match="line 2 is longer than"):
        read_csv(str(path))


def test_special_files_are_read_as_streams_or_refused(tmp_path):
    import os
    import socket

    from engine.data.stream_read import ReadWatch

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # no writer: read as a stream, the wait said and cancellable (tests/engine/test_data_streams.py)
    told = []
    with pytest.raises(DataError, match="reading stopped"):
        read_csv(str(fifo), watch=ReadWatch(waiting=told.append, cancelled=lambda: bool(told)))
    assert told and "waiting for a writer on FIFO" in told[0]
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock.csv"))
    server.close()
    with pytest.raises(DataError, match="is a socket, not a CSV file"):
        read_csv(str(tmp_path / "sock.csv"))


@FUZZ
@given(
    name=st.sampled_from(
        ["points", "x_min", "x_max", "slope", "intercept", "noise", "seed", "lr", "steps", "momentum", "huber_delta", "holdout", "start"]
    ),
    value=numbers,
)
def test_fuzzed_numeric_settings(name, value):
    kind = Settings.__dataclass_fields__[name].type
    if kind == "int" and isinstance(value, float):
        if not math.isfinite(value):
            return
        value = int(value)
    try:
        checked = validate(Settings(**{name: value}))
    except SettingError as error:
        assert error.setting in Settings.__dataclass_fields__ and error.message and "\n" not in error.message
    else:
        assert getattr(checked, name) == value


@pytest.mark.slow
@FUZZ
@given(
    option=st.sampled_from(
        ["--points", "--lr", "--steps", "--noise", "--x-min", "--seed", "--model", "--optimizer", "--device", "--batch-size"]
    ),
    text=st.one_of(number_text, st.text(max_size=12)),
)
def test_fuzzed_command_line_values(capsys, option, text):
    if text.startswith("-"):
        text = " " + text  # argparse would read it as an option
    try:
        effective_settings(build_parser().parse_args(["run", option, text]))
    except SystemExit as stop:
        assert stop.code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("descent: error: ")
