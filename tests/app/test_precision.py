"""--dtype: float32 by default, float64 on demand, and a word whenever float32 changes the data."""

import json

import numpy as np
import pytest
import torch

from engine.data.precision import check_cast
from engine.data.synthetic import Dataset
from engine.descent.problem import make_problem
from engine.settings.run_settings import Settings
from tests.helpers import last_snapshot, run_cli


def test_float32_keeps_ordinary_data_and_says_nothing():
    check = check_cast(np.linspace(0.0, 100.0, 100), np.linspace(0.0, 100.0, 100) + np.pi)
    assert (check.changed, check.underflow, check.overflow) == (0, 0, 0)
    assert check.note() is None  # rounding within the last bit is what float32 always does


def test_whole_numbers_above_2_to_the_24_are_counted():
    y = np.arange(2**24, 2**24 + 10, dtype=np.float64)  # every odd one becomes its even neighbour
    check = check_cast(np.arange(10.0), y)
    assert check.changed == 5 and check.values == 20
    assert "5 of the 20" in check.note() and "--dtype float64" in check.note()


def test_underflow_and_overflow_are_counted():
    check = check_cast(np.array([1e-300, 1e-39, 1.0, 0.0]), np.array([1e39, -1e39, 2.0, 3.0]))
    assert check.underflow == 2 and check.overflow == 2
    assert check.changed == 4  # 1e-300 → 0 and 1e-39 (subnormal) lose more than 1e-7; ±inf too
    assert "too small" in check.note() and "too large" in check.note()


def test_float64_runs_in_float64_and_checks_nothing():
    x = np.arange(10.0)
    y = np.arange(2**24, 2**24 + 10, dtype=np.float64)
    wide = make_problem(Settings(device="cpu", dtype="float64"), Dataset(x, y, "t"))
    narrow = make_problem(Settings(device="cpu"), Dataset(x, y, "t"))
    assert wide.x_train.dtype == torch.float64 and wide.model.theta.dtype == torch.float64 and wide.cast is None
    assert narrow.y_train.dtype == torch.float32 and narrow.cast.changed == 5
    assert torch.equal(wide.y_train, torch.as_tensor(y))  # every value as given
    assert last_snapshot(wide).loss >= 0


def test_float64_fit_reaches_the_optimum_where_float32_cannot():
    # integers above 2**24 as targets: float32 moves half of them, so its loss can't reach the optimum's
    x = np.linspace(-1.0, 1.0, 64)
    y = 2**25 + np.round(3 * x * 2**3) * 2 + (np.arange(64) % 2)
    settings = Settings(device="cpu", optimizer="lbfgs", lr=1, steps=50, model="linear")
    from engine.maths.optimum import excess_loss, least_squares

    excess = {}
    for dtype in ("float32", "float64"):
        problem = make_problem(settings.with_changes(dtype=dtype), Dataset(x, y, "t"))
        excess[dtype] = excess_loss(least_squares(problem), last_snapshot(problem).vector)
    assert excess["float64"] < 1e-6 * excess["float32"]


@pytest.mark.slow
def test_cli_reports_dtype_cast_and_excess(tmp_path):
    data = tmp_path / "big.csv"
    data.write_text("x,y\n" + "".join(f"{i},{2**24 + i}\n" for i in range(10)))
    result = run_cli("run", "--data", str(data), "--steps", "3", "--lr", "1e-3", "--json")
    report = json.loads(result.stdout)
    assert report["dtype"] == "float32" and report["cast"] == {"values": 20, "changed": 5, "underflow": 0, "overflow": 0}
    assert report["excess_loss"] >= 0
    human = run_cli("run", "--data", str(data), "--steps", "3", "--lr", "1e-3").stdout
    assert "(cpu, float32)" in human and "float32 changes 5 of the 20 data values" in human and "--dtype float64" in human
    wide = run_cli("run", "--data", str(data), "--steps", "3", "--lr", "1e-3", "--dtype", "float64")
    assert "(cpu, float64)" in wide.stdout and "float32 changes" not in wide.stdout


def test_bad_dtype_is_one_line():
    result = run_cli("run", "--dtype", "float16")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--dtype" in result.stderr and "float64" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_exported_script_reproduces_the_run_in_its_dtype(tmp_path, dtype):
    script = tmp_path / "run.py"
    args = ("run", "--json", "--steps", "40", "--model", "poly:2", "--standardize", "--lr", "0.05", "--dtype", dtype)
    result = run_cli(*args, "--export-script", str(script))
    text = script.read_text()
    assert f"DTYPE = torch.{dtype}" in text
    printed = run_cli_script(script)
    assert float(printed.split("loss=")[1]) == json.loads(result.stdout)["loss"]


def run_cli_script(path):
    import subprocess
    import sys

    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=True).stdout


@pytest.mark.slow
async def test_the_app_says_what_float32_changed(tmp_path):
    from tests.helpers import status_text, wait_for_state
    from tui.app import make_app

    data = tmp_path / "big.csv"
    data.write_text("x,y\n" + "".join(f"{i},{2**24 + i}\n" for i in range(10)))
    app = make_app(Settings(data=str(data), device="cpu", lr=1e-3, steps=5))
    async with app.run_test(size=(160, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.pause()
        assert "float32 changes 5 of the 20" in status_text(app)
    wide = make_app(Settings(data=str(data), device="cpu", lr=1e-3, steps=5, dtype="float64"))
    async with wide.run_test(size=(160, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.pause()
        assert "float32" not in status_text(wide)


async def test_the_panel_offers_dtype_as_a_select():
    from textual.widgets import Select

    from tests.helpers import wait_for_state
    from tui.app import make_app

    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_state(pilot, "ready")
        control = app.screen.query_one("#setting-dtype")
        assert isinstance(control, Select) and control.value == "float32"


def test_the_memory_guard_counts_float64_twice():
    from engine.data.memory_guard import run_bytes

    host32, device32 = run_bytes(Settings(points=10**6))
    host64, device64 = run_bytes(Settings(points=10**6, dtype="float64"))
    assert device64 == 2 * device32 and host64 == host32
