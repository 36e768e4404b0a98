"""Exports: the history's rows are the run's, the script reproduces the loss, writes are all or nothing."""

from __future__ import annotations

import csv
import errno
import json
import os
import subprocess
import sys
from collections import deque

import pytest

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.settings.config_file import layered_settings, read_config
from engine.settings.run_settings import Settings
from tests.helpers import cli
from tui.exports import atomic
from tui.exports.atomic import ExportError, atomic_writer, write_atomic
from tui.exports.folder import export_folder, export_script
from tui.exports.script import MAX_EMBEDDED_POINTS


def final_snapshot(settings: Settings):
    return deque(descend(make_problem(settings)), maxlen=1)[0]


def run_script(path) -> dict[str, float]:
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, cwd=path.parent)
    assert done.returncode == 0, done.stderr
    return {key: float(value) for key, _, value in (line.partition("=") for line in done.stdout.splitlines()) if key.endswith("loss")}


def test_history_has_a_row_per_step_and_its_last_row_is_the_final_loss(capsys, tmp_path):
    path = tmp_path / "history.csv"
    code, out, err = cli(capsys, "run", "--json", "--holdout", "0.2", "--steps", "40", "--export-history", str(path))
    assert code == 0, err
    report = json.loads(out)
    rows = list(csv.DictReader(path.open()))
    assert list(rows[0]) == ["step", "loss", "k", "b", "grad_k", "grad_b", "test_loss"]
    assert [int(row["step"]) for row in rows] == list(range(41))
    assert float(rows[-1]["loss"]) == report["loss"] and float(rows[-1]["test_loss"]) == report["test_loss"]
    assert {name: float(rows[-1][name]) for name in ("k", "b")} == report["params"]
    assert float(rows[-1]["grad_b"]) == report["grads"]["b"]
    assert float(rows[0]["loss"]) == report["initial_loss"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_history_of_a_poly_model_names_its_coefficients(capsys, tmp_path):
    path = tmp_path / "history.csv"
    code, _, _ = cli(capsys, "run", "--model", "poly:2", "--standardize", "--lr", "0.05", "--steps", "3", "--export-history", str(path))
    assert code == 0
    assert path.read_text().splitlines()[0] == "step,loss,c0,c1,c2,grad_c0,grad_c1,grad_c2"


@pytest.mark.slow
@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"standardize": True, "lr": 0.05, "optimizer": "adam", "steps": 300},
        {"model": "poly:2", "standardize": True, "lr": 0.05, "holdout": 0.25, "steps": 400},
        {"dataset": "outliers", "loss": "huber", "huber_delta": 10.0, "standardize": True, "lr": 0.1, "optimizer": "momentum"},
        {"lr": 3.5e-4},  # diverges: the script stops where the run did
    ],
    ids=["tutorial", "adam", "poly-holdout", "huber-momentum", "diverging"],
)
def test_the_exported_script_reproduces_the_final_loss(tmp_path, changes):
    settings = Settings().with_changes(device="cpu", **changes)
    path = tmp_path / "reproduce.py"
    export_script(path, settings)
    last = final_snapshot(settings)
    printed = run_script(path)
    assert printed["loss"] == pytest.approx(last.loss, rel=1e-6)
    if settings.holdout:
        assert printed["test_loss"] == pytest.approx(last.test_loss, rel=1e-6)


@pytest.mark.slow
def test_a_malicious_csv_path_and_column_cant_inject_code(tmp_path):
    folder = tmp_path / 'data"\'\nprint("INJECTED")\n#'
    folder.mkdir()
    data = folder / "points.csv"
    data.write_text("a,b\n" + "".join(f"{i},{2 * i + 1.5}\n" for i in range(30)))
    settings = Settings(data=str(data), x_column="a", y_column="b", lr=1e-3, steps=50, device="cpu")
    path = tmp_path / "reproduce.py"
    export_script(path, settings)
    text = path.read_text()
    assert "INJECTED" not in text and str(folder) not in text
    assert run_script(path)["loss"] == pytest.approx(final_snapshot(settings).loss, rel=1e-6)


@pytest.mark.slow
def test_string_settings_enter_the_script_only_through_repr(tmp_path):
    sneaky = "1'\nimport os; os._exit(3)\n#"
    path = tmp_path / "reproduce.py"
    export_script(path, Settings(steps=5, x_column=sneaky, device="cpu"))
    compile(path.read_text(), str(path), "exec")
    assert "\nimport os; os._exit(3)" not in path.read_text()
    assert "loss" in run_script(path)


def big_csv(folder, rows: int):
    path = folder / "big.csv"
    path.write_text("x,y\n" + "".join(f"{i},{2 * i + 1}\n" for i in range(rows)))
    return path


def test_the_script_refuses_a_csv_too_large_to_embed_and_writes_nothing(tmp_path):
    path = tmp_path / "reproduce.py"
    data = big_csv(tmp_path, MAX_EMBEDDED_POINTS + 1)
    with pytest.raises(ExportError, match=f"--export-script: embeds a CSV's points, at most {MAX_EMBEDDED_POINTS:,} .this one has"):
        export_script(path, Settings(data=str(data), x_column="x", y_column="y"))
    assert not path.exists()
    export_script(path, Settings(model="mlp:8", batch_size=10))  # MLPs and mini-batches are reproduced now
    assert path.exists()


@pytest.mark.slow
def test_export_folder_writes_settings_script_and_history_that_agree(tmp_path):
    settings = Settings(standardize=True, lr=0.05, steps=120, seed=3, device="cpu")
    paths = export_folder(tmp_path / "export", settings)
    toml, script, history = paths
    assert layered_settings(config=read_config(toml)) == settings
    rows = list(csv.DictReader(history.open()))
    assert len(rows) == 121
    assert run_script(script)["loss"] == pytest.approx(float(rows[-1]["loss"]), rel=1e-6)


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("old contents\n")
    with pytest.raises(RuntimeError):
        with atomic_writer(path) as stream:
            stream.write("half of the new")
            raise RuntimeError("interrupted")
    assert path.read_text() == "old contents\n"
    assert os.listdir(tmp_path) == ["history.csv"]


def test_a_full_disk_is_one_clear_line_and_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "settings.toml"
    path.write_text("lr = 0.1\n")

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(ExportError) as caught:
        write_atomic(path, "lr = 0.2\n")
    assert str(caught.value) == f"can't write {str(path)!r}: the disk is full"
    assert path.read_text() == "lr = 0.1\n" and os.listdir(tmp_path) == ["settings.toml"]


def test_a_folder_a_missing_folder_and_an_unwritable_one_are_named(tmp_path, monkeypatch):
    with pytest.raises(ExportError, match="it is a folder"):
        write_atomic(tmp_path, "x")
    with pytest.raises(ExportError, match="the folder .*missing.* does not exist"):
        write_atomic(tmp_path / "missing" / "out.csv", "x")
    (tmp_path / "file").write_text("")
    with pytest.raises(ExportError, match="is not a folder"):
        write_atomic(tmp_path / "file" / "out.csv", "x")

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refused)
    with pytest.raises(ExportError, match="permission denied"):
        write_atomic(tmp_path / "out.csv", "x")


def test_the_cli_exits_2_naming_a_file_it_cant_write(capsys, tmp_path):
    target = tmp_path / "missing" / "history.csv"
    code, out, err = cli(capsys, "run", "--steps", "5", "--export-history", str(target))
    assert code == 2 and out == "" and err.count("\n") == 1 and str(target) in err
    data = big_csv(tmp_path, MAX_EMBEDDED_POINTS + 1)
    code, _, err = cli(capsys, "run", "--steps", "1", "--data", str(data), "--export-script", str(tmp_path / "s.py"))
    assert code == 2 and err.count("\n") == 1 and "--export-script: embeds a CSV's points" in err


def test_a_cancelled_folder_export_stops_and_leaves_no_history(tmp_path):
    from engine.settings.run_settings import Settings
    from tui.exports.atomic import ExportError
    from tui.exports.folder import export_folder

    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 1  # go on at step 0, stop at the next look

    with pytest.raises(ExportError, match="cancelled at step 1,024"):
        export_folder(tmp_path / "out", Settings(steps=10**9), cancelled)
    assert not (tmp_path / "out" / "history.csv").exists()
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_a_folder_export_of_the_steps_so_far_is_the_runs_prefix(tmp_path):
    import csv

    from engine.descent.problem import make_problem
    from engine.settings.run_settings import Settings
    from tests.helpers import last_snapshot
    from tui.exports.folder import export_folder

    settings = Settings(steps=10**9)
    export_folder(tmp_path / "out", settings, history_steps=40)
    rows = list(csv.DictReader(open(tmp_path / "out" / "history.csv")))
    assert [int(row["step"]) for row in rows] == list(range(41))
    assert float(rows[-1]["loss"]) == last_snapshot(make_problem(settings.with_changes(steps=40))).loss
    assert "steps = 1000000000" in (tmp_path / "out" / "settings.toml").read_text()
