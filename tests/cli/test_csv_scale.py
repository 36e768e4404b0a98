"""The CSV reader at scale and at its edges: numpy's fast path with the careful reader's answers, line ends,
byte-order marks, standard input, and the memory guard that sizes a file before reading it."""

import io
import sys
import types

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.data import memory_guard as memory
from engine.data.csv_fast import fast_columns
from engine.data.csv_reader import _careful_columns, decode, read_csv
from engine.settings.errors import DataError, SettingError
from engine.settings.run_settings import Settings
from tests.helpers import ROOT, run_cli


def write(tmp_path, content: bytes | str, name="points.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def test_a_plain_file_takes_the_fast_path_and_reads_as_the_careful_reader(tmp_path):
    rows = "".join(f"{i * 0.37:.17g},{-i ** 1.5:.6e}\n" for i in range(2000))
    raw = ("x,y\n" + rows).encode()
    fast = fast_columns(raw, "x", "y")
    assert fast is not None
    careful = _careful_columns("p", decode("p", raw), "x", "y")
    np.testing.assert_array_equal(fast[0], careful[0])
    np.testing.assert_array_equal(fast[1], careful[1])
    data = read_csv(write(tmp_path, raw), "x", "y")
    np.testing.assert_array_equal(data.y, careful[1])


@pytest.mark.parametrize(
    "raw",
    [b'"x","y"\n"1","2"\n"3","4"\n', b"1,2\n3,abc\n", b"1,2\n3,inf\n", b"1,2\n3\n", b"1,2\n  \n3,4\n", b"x,y\n1,2\n"],
    ids=["quoted", "word", "inf", "short", "blank-spaces", "one-row"],
)
def test_whatever_numpy_cant_read_exactly_goes_to_the_careful_reader(raw):
    assert fast_columns(raw, "1", "2") is None


CELLS = st.sampled_from(["1", "-2.5", "3e2", " 4 ", "", "x", "nan", "inf", "1e400", "1_0", "0x1", "٣", "１", "\u00a05", '"6"', "7.", ".5"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=1, max_size=3), min_size=0, max_size=6), st.sampled_from([",", ";", "\t"]),
       st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_the_fast_path_never_answers_differently(rows, separator, end, header):
    text = ("x" + separator + "y" + end if header else "") + "".join(separator.join(row) + end for row in rows)
    raw = text.encode()
    fast = fast_columns(raw, "1", "2")
    if fast is None:
        return  # the careful reader answers, as before
    careful = _careful_columns("p", decode("p", raw), "1", "2")  # must not raise: the fast path took the file
    np.testing.assert_array_equal(fast[0], careful[0])
    np.testing.assert_array_equal(fast[1], careful[1])


@pytest.mark.parametrize("separator", ["\u2028", "\u0085", "\x0b", "\x0c", "\u2029", "\x1c"])
def test_lines_end_only_at_newlines_and_carriage_returns(tmp_path, separator):
    # str.splitlines would make 4 rows of these 3 lines, and name the wrong line in messages
    path = write(tmp_path, f"1,2\n3,4{separator}5,6\n7,8\n")
    with pytest.raises(DataError, match="line 2: "):
        read_csv(path)
    assert read_csv(write(tmp_path, "1,2\r3,4\r\n5,6\n", "mixed.csv")).x.tolist() == [1, 3, 5]


def test_a_bad_cell_is_named_on_its_own_line(tmp_path):
    with pytest.raises(DataError, match=r"line 2: 'x' is not a number"):
        read_csv(write(tmp_path, "1,2\x0c\n3,x\n"))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-8-sig"])
def test_byte_order_marks_are_read(tmp_path, encoding):
    text = "x,y\n1,2\n3,4.5\n"
    raw = text.encode(encoding)
    if encoding.endswith(("-le", "-be")):
        raw = "\ufeff".encode(encoding) + raw  # the plain codecs write no mark: add the one a file would carry
    data = read_csv(write(tmp_path, raw), "x", "y")
    assert data.x.tolist() == [1, 3] and data.y.tolist() == [2, 4.5]


def test_utf16_without_a_mark_and_bad_utf16_are_refused_in_words(tmp_path):
    with pytest.raises(DataError, match="NUL"):
        read_csv(write(tmp_path, "1,2\n3,4\n".encode("utf-16-le")))
    with pytest.raises(DataError, match="not UTF-16 text"):
        read_csv(write(tmp_path, b"\xff\xfe1\x00,\x00\x00\xd8", "bad.csv"))


def test_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=io.BytesIO(b"x,y\n1,2\n3,4\n5,6\n")))
    data = read_csv("-", "x", "y")
    assert data.y.tolist() == [2, 4, 6] and data.source == "-"
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=io.BytesIO(b"1,2\n3,q\n")))
    with pytest.raises(DataError, match=r"^standard input: line 2: 'q' is not a number"):
        read_csv("-")


@pytest.mark.slow
def test_cli_reads_standard_input():
    result = run_cli("run", "--data", "-", "--steps", "5", "--json", input="x,y\n0,1\n1,3\n2,5\n")
    assert result.returncode == 0, result.stderr
    assert '"points": 3' in result.stdout


def test_a_file_too_big_for_free_memory_is_refused_from_its_size(tmp_path, monkeypatch):
    path = write(tmp_path, "x,y\n" + "".join(f"{i:06d},{i:06d}\n" for i in range(20_000)))
    rows, size = memory.file_points(path)
    assert abs(rows - 20_001) < 200 and size > 100_000
    monkeypatch.setattr(memory, "available_host_bytes", lambda: 2_000_000)
    monkeypatch.setattr("engine.data.csv_reader.read_bytes", lambda path: pytest.fail("read before the guard"))
    with pytest.raises(SettingError) as refused:
        memory.check_fits(Settings(data=path))
    assert refused.value.setting == "data"
    message = refused.value.message
    assert message.startswith(f"{path}: about ") and "MB is free in memory; use a file of at most about" in message
    monkeypatch.setattr(memory, "available_host_bytes", lambda: 10**12)
    memory.check_fits(Settings(data=path))  # fits: nothing said


def test_cli_refuses_a_big_file_in_one_line(tmp_path, monkeypatch, capsys):
    path = write(tmp_path, "".join(f"{i:06d},{i:06d}\n" for i in range(50_000)))
    monkeypatch.setattr(memory, "available_host_bytes", lambda: 5_000_000)
    from tui.cli.run import run_headless

    with pytest.raises(SystemExit) as exited:
        run_headless(Settings(data=path, device="cpu"))
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"descent: error: --data: {path}: about ") and "rows need about" in err
    assert "MB is free in memory; use a file of at most about" in err


def test_psutil_is_installed_with_descent_where_there_is_no_proc():
    # the guard's figure on macOS and Windows comes from psutil: a plain `pip install .` must bring it there
    from packaging.requirements import Requirement

    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    (psutil,) = [Requirement(text) for text in project["dependencies"] if Requirement(text).name == "psutil"]
    platforms = {name: psutil.marker.evaluate({"sys_platform": name}) for name in ("darwin", "win32", "linux")}
    assert platforms == {"darwin": True, "win32": True, "linux": False}


def test_psutil_answers_where_there_is_no_proc(monkeypatch):
    monkeypatch.setattr(memory, "_meminfo_available", lambda: None)
    monkeypatch.setattr(memory, "_cgroup_room", lambda: None)
    fake = types.SimpleNamespace(virtual_memory=lambda: types.SimpleNamespace(available=123_456_789))
    monkeypatch.setitem(sys.modules, "psutil", fake)
    assert memory.available_host_bytes() == 123_456_789
    monkeypatch.setattr(memory, "_cgroup_room", lambda: 1_000)
    assert memory.available_host_bytes() == 1_000  # a container's limit still wins
    monkeypatch.setitem(sys.modules, "psutil", None)  # not installed: unknown, nothing refused
    monkeypatch.setattr(memory, "_cgroup_room", lambda: None)
    assert memory.available_host_bytes() is None
