"""An export never replaces a device, a FIFO, a socket or a descriptor: one line naming the option, exit 2, the node kept.

Every special file here is made in a temporary folder. Never point these tests at the machine's own
/dev/null or /dev/full: the code before this fix renamed a regular file over them (as root, for everyone).
"""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from tests.helpers import cli
from tui.exports.atomic import ExportError, write_atomic
from tui.exports.folder import export_settings
from tui.exports.targets import refusal


def _fifo(folder: Path) -> Path:
    path = folder / "pipe"
    os.mkfifo(path)
    return path


def _device(folder: Path) -> Path:
    path = folder / "null"
    try:  # the null device's numbers (1, 3), made here: root in most containers may, a user may not
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError) as error:
        pytest.skip(f"can't make a device node here: {error}")
    return path


def _socket(folder: Path) -> Path:
    path = folder / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))  # the node stays after the socket is closed
    server.close()
    return path


def _device_link(folder: Path) -> Path:
    link = folder / "link.csv"
    link.symlink_to(_device(folder))
    return link


MAKERS = {"fifo": _fifo, "device": _device, "socket": _socket, "link-to-device": _device_link}


def _kind(path: Path) -> int:
    return stat.S_IFMT(os.stat(path).st_mode)


@pytest.mark.parametrize("make", MAKERS.values(), ids=MAKERS.keys())
def test_write_atomic_refuses_a_special_file_and_keeps_it(tmp_path, make):
    target = make(tmp_path)
    kind = _kind(target)
    with pytest.raises(ExportError, match="not a regular file"):
        write_atomic(target, "x")
    assert _kind(target) == kind and not stat.S_ISREG(kind)
    assert list(tmp_path.glob(".*.partial")) == []


@pytest.mark.parametrize("make", MAKERS.values(), ids=MAKERS.keys())
@pytest.mark.parametrize("option", ["--export-history", "--export-script"])
def test_the_cli_refuses_in_one_line_naming_the_option(capsys, tmp_path, make, option):
    target = make(tmp_path)
    kind = _kind(target)
    code, out, err = cli(capsys, "run", "--steps", "5", option, str(target))
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert f"{option}: can't write {str(target)!r}" in err and "not a regular file" in err
    assert _kind(target) == kind


@pytest.mark.parametrize("folder", ["/dev/fd", "/proc/self/fd"])
def test_a_descriptor_is_refused_even_when_it_points_to_a_regular_file(tmp_path, folder):
    # `descent run --export-history /dev/stdout > out.txt`: a rename over out.txt would unlink what the shell opened.
    # A descriptor of our own on a file in tmp_path stands in for stdout: nothing of the machine's is touched.
    out = tmp_path / "out.txt"
    out.write_text("the shell's file")
    descriptor = os.open(out, os.O_RDWR)
    try:
        name = f"{folder}/{descriptor}"
        if not os.path.exists(name):
            pytest.skip(f"{name} does not exist here")
        with pytest.raises(ExportError, match="open descriptor"):
            write_atomic(name, "x")
        assert os.path.samefile(name, out) and out.read_text() == "the shell's file"
    finally:
        os.close(descriptor)


@pytest.mark.parametrize("name", ["/dev/stdin", "/dev/stdout", "/dev/stderr", "/proc/1234/fd/1"])
def test_standard_streams_and_other_processes_descriptors_are_named(name):
    assert "open descriptor" in (refusal(name) or "")  # looked at only, never written


def test_a_link_to_a_descriptor_is_refused(tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("kept")
    descriptor = os.open(out, os.O_RDWR)
    link = tmp_path / "out.csv"
    link.symlink_to(f"/proc/self/fd/{descriptor}")
    try:
        with pytest.raises(ExportError, match="open descriptor"):
            write_atomic(link, "x")
    finally:
        os.close(descriptor)
    assert link.is_symlink() and out.read_text() == "kept"


def test_ctrl_s_refuses_a_fifo_with_the_reason_beside_the_path(tmp_path):
    # the app's ctrl+s shows what export_settings raises under its path field (tui/screens/exporter.py)
    from engine.settings.run_settings import Settings

    target = _fifo(tmp_path)
    with pytest.raises(ExportError, match="FIFO"):
        export_settings(target, Settings())
    assert stat.S_ISFIFO(os.stat(target).st_mode)


def test_a_regular_file_and_a_new_name_are_still_written(tmp_path):
    old = tmp_path / "old.csv"
    old.write_text("before")
    write_atomic(old, "after")
    write_atomic(tmp_path / "new.csv", "made")
    assert old.read_text() == "after" and (tmp_path / "new.csv").read_text() == "made"


def test_sweeping_stale_partials_never_removes_a_special_file(tmp_path):
    # a FIFO or socket named exactly like a partial of a writer that is gone: not a file an export wrote, so it stays
    from tui.exports.partials import sweep_stale

    fifo = tmp_path / ".history.csv.999999999.abcdefgh.partial"
    os.mkfifo(fifo)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / ".history.csv.999999998.abcdefgh.partial"))
    server.close()
    stale = tmp_path / ".history.csv.999999997.abcdefgh.partial"
    stale.write_text("left by a killed run")
    assert sweep_stale(tmp_path / "history.csv") == [stale]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and stat.S_ISSOCK(os.lstat(tmp_path / ".history.csv.999999998.abcdefgh.partial").st_mode)
