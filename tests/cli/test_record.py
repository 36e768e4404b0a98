"""`--record FILE.cast`: the asciicast v2 it writes, and the files it refuses (tui/exports/cast.py, tui/cli/record.py)."""

from __future__ import annotations

import io
import json
import os
import socket
from pathlib import Path

import pytest

from tests.helpers import cli
from tui.exports.atomic import ExportError
from tui.exports.cast import CastFile, CastWriter


class Clock:
    """A clock the test moves: the event times are then exact."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def events_of(text: str) -> tuple[dict, list]:
    lines = text.splitlines()
    return json.loads(lines[0]), [json.loads(line) for line in lines[1:]]


def test_the_header_and_each_write_as_an_event_with_seconds_since_the_start():
    stream, clock = io.StringIO(), Clock()
    writer = CastWriter(stream, 80, 24, "descent tour", clock=clock, timestamp=1_700_000_000)
    clock.now += 0.5
    writer.output("\x1b[?1049h", (80, 24))
    clock.now += 1.25
    writer.output("⠶ fit", (80, 24))
    header, events = events_of(stream.getvalue())
    assert header["version"] == 2 and (header["width"], header["height"]) == (80, 24)
    assert header["timestamp"] == 1_700_000_000 and header["title"] == "descent tour"
    assert events == [[0.5, "o", "\x1b[?1049h"], [1.75, "o", "⠶ fit"]]


def test_a_new_size_is_an_r_event_before_the_output_drawn_at_it():
    stream, clock = io.StringIO(), Clock()
    writer = CastWriter(stream, 80, 24, "t", clock=clock)
    writer.output("a", (80, 24))
    clock.now += 2
    writer.output("b", (100, 30))
    writer.output("c", (100, 30))
    _, events = events_of(stream.getvalue())
    assert [event[1:] for event in events] == [["o", "a"], ["r", "100x30"], ["o", "b"], ["o", "c"]]
    assert events[1][0] == events[2][0] == 2.0


def test_every_event_is_on_disk_as_soon_as_it_is_written(tmp_path):
    cast = CastFile(tmp_path / "demo.cast")
    writer = CastWriter(cast.stream, 80, 24, "t")
    writer.output("hello", (80, 24))
    header, events = events_of((tmp_path / "demo.cast").read_text())  # read while still open, as after a crash
    assert header["version"] == 2 and events[0][1:] == ["o", "hello"]
    cast.close()


def test_a_full_disk_stops_the_recording_not_the_app():
    class Full(io.StringIO):
        def write(self, text):
            if self.getvalue():
                raise OSError(28, "No space left on device")
            return super().write(text)

    writer = CastWriter(Full(), 80, 24, "t")
    writer.output("frame", (80, 24))  # raises nothing
    writer.output("frame", (80, 24))
    assert writer.error is not None and writer.error.errno == 28


def test_an_existing_file_is_never_recorded_over(tmp_path):
    old = tmp_path / "demo.cast"
    old.write_text("an older recording\n")
    with pytest.raises(ExportError, match="it exists; --overwrite replaces it"):
        CastFile(old)
    assert old.read_text() == "an older recording\n"


def test_a_dangling_link_is_not_followed_into_a_new_file(tmp_path):
    (tmp_path / "demo.cast").symlink_to(tmp_path / "elsewhere.cast")
    with pytest.raises(ExportError, match="it exists"):
        CastFile(tmp_path / "demo.cast")
    assert not (tmp_path / "elsewhere.cast").exists()


def test_overwrite_keeps_the_old_file_whole_until_the_recording_ends(tmp_path):
    old = tmp_path / "demo.cast"
    old.write_text("an older recording\n")
    cast = CastFile(old, overwrite=True)
    CastWriter(cast.stream, 80, 24, "t").output("new", (80, 24))
    assert old.read_text() == "an older recording\n"
    partials = [p.name for p in tmp_path.iterdir() if p.name.startswith(".demo.cast.")]
    assert len(partials) == 1 and partials[0].endswith(".partial")
    cast.close()
    assert events_of(old.read_text())[1] == [[pytest.approx(0, abs=5), "o", "new"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.cast"]


def test_a_fifo_a_device_and_a_socket_are_refused_even_with_overwrite(tmp_path):
    fifo = tmp_path / "pipe.cast"
    os.mkfifo(fifo)
    sock_path = tmp_path / "s.cast"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        for target in (fifo, Path(os.devnull), sock_path):
            for overwrite in (False, True):
                with pytest.raises(ExportError, match="not a regular file"):
                    CastFile(target, overwrite=overwrite)
    finally:
        server.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--record", "{tmp}/no/such/folder/demo.cast"], "--record: can't write '{tmp}/no/such/folder/demo.cast': the folder"),
        (["--record", "{tmp}/old.cast"], "--record: can't write '{tmp}/old.cast': it exists; --overwrite replaces it"),
        (["--record", "{tmp}"], "--record: can't write '{tmp}': it is a folder"),
        (["--record", os.devnull], f"--record: can't write '{os.devnull}': it is not a regular file"),
        (["--overwrite"], "--overwrite: only with --record FILE.cast"),
        (["tour", "--loop"], "--loop: only with --autoplay SECONDS"),
        (["--record", "{tmp}/data.csv", "--overwrite", "--data", "{tmp}/data.csv"], "--record: '{tmp}/data.csv' is a file this run reads"),
    ],
)
def test_a_bad_record_target_is_one_line_and_exit_2_before_the_screen_opens(capsys, tmp_path, args, message):
    (tmp_path / "old.cast").write_text("old\n")
    (tmp_path / "data.csv").write_text("x,y\n1,2\n3,4\n5,7\n")
    code, out, err = cli(capsys, *[arg.replace("{tmp}", str(tmp_path)) for arg in args])
    assert code == 2 and out == ""
    assert err.startswith("descent: error: " + message.replace("{tmp}", str(tmp_path))), err
    assert err.count("\n") == 1
    assert (tmp_path / "old.cast").read_text() == "old\n"


def test_the_config_file_may_name_the_recording(capsys, tmp_path):
    (tmp_path / "old.cast").write_text("old\n")
    config = tmp_path / "demo.toml"
    config.write_text(f'record = "{tmp_path / "old.cast"}"\n')
    code, _, err = cli(capsys, "--config", str(config))
    assert code == 2 and "--record: can't write" in err and "it exists" in err


@pytest.mark.parametrize(
    ("text", "message"), [("record = 3\n", "record must be a file name (got an int 3)"), ('record = ""\n', "record must be a file name")]
)
def test_a_bad_record_key_names_the_file_and_the_key(capsys, tmp_path, text, message):
    config = tmp_path / "demo.toml"
    config.write_text(text)
    code, _, err = cli(capsys, "run", "--config", str(config))
    assert code == 2 and f"{config}: {message}" in err


def test_overwrite_through_a_link_replaces_the_file_it_points_to_and_keeps_the_link(tmp_path):
    (tmp_path / "real.cast").write_text("old\n")
    (tmp_path / "demo.cast").symlink_to("real.cast")
    cast = CastFile(tmp_path / "demo.cast", overwrite=True)
    CastWriter(cast.stream, 80, 24, "t").output("new", (80, 24))
    cast.close()
    assert (tmp_path / "demo.cast").is_symlink()
    assert events_of((tmp_path / "real.cast").read_text())[1][0][1:] == ["o", "new"]
