"""A CSV that is a stream (a pipe, a FIFO, standard input) is read as one: checked while it comes, never waited on silently."""

from __future__ import annotations

import os
import threading
import time

import pytest

from engine.data.csv_reader import read_csv
from engine.data.stream_read import ReadWatch
from engine.settings.errors import DataError, SettingError

ROWS = b"x,y\n1,2\n2,4\n3,6.5\n4,8\n"


def _pipe_name(content: bytes) -> str:
    """/dev/fd/N of a pipe holding `content`, its writer already gone: what `<(cat f.csv)` hands a command."""
    read_end, write_end = os.pipe()
    os.write(write_end, content)
    os.close(write_end)
    return f"/dev/fd/{read_end}"


def _feeder(path, content: bytes, chunks: int = 1) -> threading.Thread:
    """A writer that opens the FIFO (waiting for its reader) and writes `content`, `chunks` times."""

    def write():
        try:
            with open(path, "wb") as stream:
                for _ in range(chunks):
                    stream.write(content)
        except BrokenPipeError:
            pass  # the reader refused and left: what a refusal does to a writer

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_a_pipe_named_by_its_descriptor_is_read(tmp_path):
    name = _pipe_name(ROWS)
    try:
        data = read_csv(name, "x", "y")
    finally:
        os.close(int(name.rsplit("/", 1)[1]))
    assert data.x.tolist() == [1, 2, 3, 4] and data.y.tolist() == [2, 4, 6.5, 8]
    assert (data.x_name, data.y_name) == ("x", "y")


def test_a_fifo_is_read_once_its_writer_comes(tmp_path):
    fifo = tmp_path / "points.fifo"
    os.mkfifo(fifo)
    writer = _feeder(fifo, ROWS)
    data = read_csv(str(fifo))
    writer.join(timeout=30)
    assert data.y.tolist() == [2, 4, 6.5, 8]


def test_a_fifo_without_a_writer_says_so_and_stops_when_cancelled(tmp_path):
    fifo = tmp_path / "nobody.fifo"
    os.mkfifo(fifo)
    told = []
    watch = ReadWatch(waiting=told.append, cancelled=lambda: bool(told))  # cancelled once it has said why it waits
    with pytest.raises(DataError, match="reading stopped"):
        read_csv(str(fifo), watch=watch)
    assert told == [f"waiting for a writer on FIFO {fifo}…"]


def test_a_fifo_a_writer_opened_and_closed_is_empty_not_waited_on(tmp_path):
    fifo = tmp_path / "empty.fifo"
    os.mkfifo(fifo)
    writer = _feeder(fifo, b"")
    give_up = time.monotonic() + 60  # a guard against a hang, not a timing: the message below is what is checked
    with pytest.raises(DataError, match="is empty"):
        read_csv(str(fifo), watch=ReadWatch(cancelled=lambda: time.monotonic() > give_up))
    writer.join(timeout=30)


def test_an_endless_line_is_refused_while_it_is_read(tmp_path):
    fifo = tmp_path / "endless.fifo"
    os.mkfifo(fifo)
    _feeder(fifo, b"1," * (1 << 19), chunks=10_000)  # 10 GB if read to the end: refused after a few MB
    with pytest.raises(DataError, match=r"line 1 is longer than 1,048,576 characters"):
        read_csv(str(fifo))


def test_nul_bytes_are_refused_at_the_first_piece(tmp_path):
    fifo = tmp_path / "zero.fifo"
    os.mkfifo(fifo)
    _feeder(fifo, b"\x00" * (1 << 20), chunks=10_000)  # /dev/zero's like: never ends by itself
    with pytest.raises(DataError, match="NUL bytes"):
        read_csv(str(fifo))


def test_the_memory_guard_counts_a_stream_while_it_is_read(tmp_path, monkeypatch):
    from engine.data import memory_guard
    from engine.data.synthetic import load_dataset
    from engine.settings.run_settings import Settings

    monkeypatch.setattr(memory_guard, "available_host_bytes", lambda: 50_000_000)  # 50 MB free
    fifo = tmp_path / "big.fifo"
    os.mkfifo(fifo)
    _feeder(fifo, b"1,2\n" * 250_000, chunks=400)  # 100 million rows if read to the end
    with pytest.raises(SettingError) as caught:
        load_dataset(Settings(data=str(fifo), device="cpu"))
    assert caught.value.setting == "data"
    assert f"{fifo}: the " in caught.value.message and "rows read so far need about" in caught.value.message
    assert "use a file of at most about" in caught.value.message


def test_the_memory_guard_never_opens_a_fifo_to_size_it(tmp_path):
    # before: file_points opened the file to read its head, and a FIFO's open waits for a writer: a hang, no message
    from engine.data.memory_guard import check_fits, file_points
    from engine.settings.run_settings import Settings

    fifo = tmp_path / "nobody.fifo"
    os.mkfifo(fifo)
    done = threading.Event()
    result = []
    threading.Thread(target=lambda: (result.append(file_points(str(fifo))), check_fits(Settings(data=str(fifo))), done.set()),
                     daemon=True).start()
    assert done.wait(30), "file_points or check_fits opened the FIFO and waited for a writer"
    assert result == [None]


@pytest.mark.parametrize("missing", ["no/such.csv"])
def test_no_such_file_names_standard_input(missing):
    with pytest.raises(DataError, match=r"no such file \(`-` reads the points from standard input\)"):
        read_csv(missing)
