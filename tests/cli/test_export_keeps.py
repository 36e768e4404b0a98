"""Exports keep what was there: the mode of a file written over, a symlink (its target replaced), and any file a name collides with."""

from __future__ import annotations

import os
import stat

import pytest

from tui.cli.main import main
from tui.exports.atomic import ExportError, unused_name, write_atomic, write_new


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755, 0o444])
def test_writing_over_a_file_keeps_its_mode(tmp_path, mode):
    path = tmp_path / "settings.toml"
    path.write_text("old")
    path.chmod(mode)
    write_atomic(path, "new")
    assert path.read_text() == "new" and _mode(path) == mode


def test_a_new_file_gets_the_umask_mode_not_mkstemps_private_one(tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    write_atomic(tmp_path / "new.csv", "x")
    assert _mode(tmp_path / "new.csv") == 0o666 & ~umask


def test_a_symlink_is_followed_and_its_target_replaced(tmp_path):
    real = tmp_path / "real" / "history.csv"
    real.parent.mkdir()
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "history.csv"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new" and _mode(real) == 0o640
    assert list((tmp_path / "real").glob(".*.partial")) == [] and list(tmp_path.glob(".*.partial")) == []


def test_a_dangling_symlink_writes_its_target(tmp_path):
    link = tmp_path / "out.toml"
    link.symlink_to(tmp_path / "made.toml")
    write_atomic(link, "x")
    assert link.is_symlink() and (tmp_path / "made.toml").read_text() == "x"


def test_write_new_never_replaces_a_file(tmp_path):
    (tmp_path / "shot.svg").write_text("first")
    (tmp_path / "shot-2.svg").symlink_to(tmp_path / "elsewhere.svg")  # a name taken by a dangling link counts too
    path = write_new(tmp_path, "shot", ".svg", "second")
    assert path.name == "shot-3.svg" and path.read_text() == "second"
    assert (tmp_path / "shot.svg").read_text() == "first" and not (tmp_path / "elsewhere.svg").exists()


def test_keep_existing_refuses_a_name_taken_meanwhile(tmp_path):
    path = tmp_path / "a.svg"
    path.write_text("older")
    with pytest.raises(ExportError) as caught:
        write_atomic(path, "newer", keep_existing=True)
    assert caught.value.errno == 17 and path.read_text() == "older"
    assert list(tmp_path.glob(".*.partial")) == []


def test_the_default_export_folder_is_a_new_one(tmp_path, monkeypatch):
    from tui.screens.exporter import default_export_folder

    monkeypatch.chdir(tmp_path)
    first = default_export_folder()
    os.mkdir(first)
    second = default_export_folder()
    assert second != first and not os.path.exists(second)
    assert unused_name(first) == second or second.startswith(first[:-2])


@pytest.mark.parametrize("flags", [("--export-history", "DATA"), ("--export-script", "DATA"), ("--export-history", "CONFIG"),
                                   ("--export-history", "SAME", "--export-script", "SAME")])
def test_an_export_over_the_runs_own_file_is_refused_and_the_file_kept(tmp_path, capsys, flags):
    data = tmp_path / "points.csv"
    data.write_text("x,y\n1,2\n2,3\n3,5\n")
    config = tmp_path / "run.toml"
    config.write_text("steps = 5\n")
    names = {"DATA": str(data), "CONFIG": str(config), "SAME": str(tmp_path / "out.txt")}
    argv = ["run", "--data", str(data), "--config", str(config), "--device", "cpu", *(names.get(f, f) for f in flags)]
    with pytest.raises(SystemExit) as stop:
        main(argv)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.count("\n") == 1 and flags[0] in err and "another name" in err
    assert data.read_text() == "x,y\n1,2\n2,3\n3,5\n" and config.read_text() == "steps = 5\n"
    assert not (tmp_path / "out.txt").exists()


def test_without_hard_links_a_new_name_is_still_never_written_over(tmp_path, monkeypatch):
    def no_links(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)  # a FAT or FUSE mount
    (tmp_path / "shot.svg").write_text("first")
    assert write_new(tmp_path, "shot", ".svg", "second").name == "shot-2.svg"
    with pytest.raises(ExportError):
        write_atomic(tmp_path / "shot.svg", "third", keep_existing=True)
    assert (tmp_path / "shot.svg").read_text() == "first" and list(tmp_path.glob(".*.partial")) == []
