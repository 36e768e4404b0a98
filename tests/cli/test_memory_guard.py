"""The memory guard refuses sizes that can't fit, with a message, before any data is made."""

import subprocess
import sys

import pytest
import torch

from engine.data import memory_guard as memory
from engine.data import synthetic as data
from engine.descent.problem import make_problem
from engine.settings.errors import SettingError
from engine.settings.run_settings import Settings


def test_a_size_past_free_memory_is_refused_before_the_data_is_made(monkeypatch):
    monkeypatch.setattr(memory, "available_host_bytes", lambda: 2 * 10**9)

    def no_data(settings):
        raise AssertionError("the data was made before the guard refused")

    monkeypatch.setattr(data, "synthesize", no_data)
    monkeypatch.setattr("engine.descent.problem.load_dataset", no_data)
    with pytest.raises(SettingError) as refused:
        make_problem(Settings(points=500_000_000, device="cpu"))
    assert refused.value.setting == "points"
    message = refused.value.message
    assert "500,000,000 points need about" in message and "only 2.0 GB is free" in message
    most = int(message.rsplit("at most about ", 1)[1].split()[0].replace(",", ""))
    host, device = memory.run_bytes(Settings(points=most, device="cpu"))
    assert host + device <= 2 * 10**9 < sum(memory.run_bytes(Settings(points=most + 1, device="cpu")))


def test_the_default_run_passes_and_its_estimate_counts_its_arrays():
    settings = Settings(device="cpu")
    memory.check_fits(settings)
    host, device = memory.run_bytes(settings.with_changes(points=1_000_000))
    # At least x, y in float64 and x, y in float32: 24 bytes a point.
    assert host + device >= 24 * 1_000_000
    assert memory.available_host_bytes() is None or memory.available_host_bytes() > 0


def test_bigger_models_need_more():
    def need(model):
        return sum(memory.run_bytes(Settings(points=10**6, model=model)))

    assert need("linear") < need("poly:5") < need("poly:10")
    assert need("mlp:64") > need("mlp:8")


def test_without_a_device_the_app_can_check_before_torch_loads():
    code = (
        "import sys; from engine.data.memory_guard import check_fits; from engine.settings.run_settings import Settings; "
        "check_fits(Settings()); print('torch' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_cli_refuses_with_one_line_and_exit_2(monkeypatch, capsys):
    monkeypatch.setattr(memory, "available_host_bytes", lambda: 10**8)
    from tui.cli.run import run_headless

    with pytest.raises(SystemExit) as exited:
        run_headless(Settings(points=50_000_000, device="cpu"))
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("descent: error: --points: 50,000,000 points need about") and "\n" not in err


def test_unreadable_free_memory_refuses_nothing(monkeypatch):
    monkeypatch.setattr(memory, "_meminfo_available", lambda: None)
    monkeypatch.setattr(memory, "_cgroup_room", lambda: None)
    memory.check_fits(Settings(points=10**9, device="cpu"))
    assert torch.device("cpu").type == "cpu"
