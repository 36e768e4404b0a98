"""The exported script reproduces MLP and mini-batch runs: same data, start, batches and updates, same final loss.

Every script is written first and all of them run in one fresh interpreter (each with its own globals,
as `python FILE.py` would run it), so torch is imported once for the lot rather than once per case.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import deque

import pytest

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.settings.run_settings import Settings
from tui.exports.folder import export_script

CASES = {  # 100 points (the default): a batch of 16 leaves a smaller last batch in every epoch
    "mlp8-adam-sine": {"model": "mlp:8", "standardize": True, "optimizer": "adam", "dataset": "sine", "lr": 0.01, "steps": 300},
    "mlp4-manual": {"model": "mlp:4", "optimizer": "manual", "lr": 1e-5, "steps": 200},
    "batch-manual": {"batch_size": 16, "optimizer": "manual", "lr": 1e-4, "steps": 200},
    "batch-momentum": {"batch_size": 16, "optimizer": "momentum", "lr": 1e-5, "steps": 200},
    "batch-holdout-poly": {"batch_size": 16, "holdout": 0.2, "model": "poly:2", "standardize": True, "lr": 0.05, "steps": 200},
    "batch-holdout-mlp-lbfgs": {"batch_size": 16, "holdout": 0.2, "model": "mlp:6", "standardize": True, "optimizer": "lbfgs", "steps": 60},
    "batch-diverging": {"batch_size": 16, "lr": 1e-3, "steps": 200},
}

# Runs each script as `python FILE.py` would (runpy, __main__, fresh globals) and collects what it prints.
RUNNER = """
import contextlib, io, json, runpy, sys
printed = {}
for path in sys.argv[1:]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        runpy.run_path(path, run_name="__main__")
    printed[path] = out.getvalue()
print(json.dumps(printed))
"""


def settings_of(name: str) -> Settings:
    return Settings().with_changes(device="cpu", **CASES[name])


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, str]:
    """Each case's script output, keyed by case name."""
    folder = tmp_path_factory.mktemp("scripts")
    paths = {name: folder / f"{name}.py" for name in CASES}
    for name, path in paths.items():
        export_script(path, settings_of(name))
    command = [sys.executable, "-c", RUNNER, *map(str, paths.values())]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=folder)
    assert done.returncode == 0, done.stderr
    outputs = json.loads(done.stdout)
    return {name: outputs[str(path)] for name, path in paths.items()}


def values(output: str) -> dict[str, float]:
    return {key: float(value) for key, _, value in (line.partition("=") for line in output.splitlines()) if key.endswith("loss")}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_the_script_prints_the_runs_final_loss(printed, name):
    settings = settings_of(name)
    last = deque(descend(make_problem(settings)), maxlen=1)[0]
    output = printed[name]
    assert values(output)["loss"] == pytest.approx(last.loss, rel=1e-6)
    if settings.holdout:
        assert values(output)["test_loss"] == pytest.approx(last.test_loss, rel=1e-6)
    if last.status == "diverged":
        assert f"diverged at step {last.diverged_at}:" in output
    else:
        assert last.step == settings.steps and "diverged" not in output


@pytest.mark.slow
def test_the_diverging_case_does_diverge_and_the_others_move():
    # Guards the cases above against testing nothing: a run that never moves would match any script.
    for name in CASES:
        snapshots = list(descend(make_problem(settings_of(name))))
        assert (snapshots[-1].status == "diverged") == (name == "batch-diverging")
        assert snapshots[-1].loss != snapshots[0].loss


def test_a_script_holds_only_the_code_its_run_needs(tmp_path):
    def text(**changes) -> str:
        path = tmp_path / "reproduce.py"
        export_script(path, Settings().with_changes(device="cpu", **changes))
        return path.read_text()

    tutorial = text()
    assert "batch" not in tutorial.lower() and "HIDDEN" not in tutorial and "def model" not in tutorial
    raw_mlp = text(model="mlp:4")
    assert "HIDDEN = 4" in raw_mlp and "y_scale" not in raw_mlp and "features" not in raw_mlp and "x_fit = x\n" in raw_mlp
    standardized_mlp = text(model="mlp:4", standardize=True)
    assert "return net * y_scale + y_shift" in standardized_mlp
    batched = text(batch_size=16)
    assert "BATCH_SIZE = 16" in batched and "np.random.default_rng([SEED, 3, START])" in batched
    assert "BATCH_SIZE" not in text(batch_size=100)  # a batch of every point is the full batch
