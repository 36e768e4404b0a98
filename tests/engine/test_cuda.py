"""The CUDA path: the same descent as on the CPU, and snapshots that stay on the GPU until read."""

import numpy as np
import pytest
import torch

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.settings.run_settings import Settings

pytestmark = [
    pytest.mark.cuda,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU that torch can use (none here)"),
]


def final(settings: Settings):
    problem = make_problem(settings)
    snapshots = list(descend(problem))
    return problem, snapshots


@pytest.mark.parametrize("changes", [{}, {"optimizer": "adam", "lr": 0.05, "standardize": True}, {"points": 100_000, "steps": 50}])
def test_cuda_run_matches_the_cpu_run(changes):
    settings = Settings(steps=200, **changes)
    _, on_cpu = final(settings.with_changes(device="cpu"))
    problem, on_gpu = final(settings.with_changes(device="cuda"))
    assert problem.device.type == "cuda" and problem.x_train.is_cuda and problem.model.tensors[0].is_cuda
    assert len(on_gpu) == len(on_cpu) and on_gpu[-1].status == on_cpu[-1].status
    np.testing.assert_allclose(on_gpu[-1].vector, on_cpu[-1].vector, rtol=1e-4, atol=1e-5)
    assert on_gpu[-1].loss == pytest.approx(on_cpu[-1].loss, rel=1e-4)


def test_snapshots_stay_on_the_device_until_read():
    problem, snapshots = final(Settings(device="cuda", steps=20))
    middle = snapshots[10]
    assert middle.values.is_cuda
    assert "host" not in middle.__dict__  # nothing copied yet
    loss = middle.loss
    assert "host" in middle.__dict__ and isinstance(loss, float)
    assert middle.values.is_cuda  # reading copies, it does not move the snapshot


def test_auto_picks_the_gpu():
    problem = make_problem(Settings(device="auto"))
    assert problem.device.type == "cuda"


def test_the_app_runner_reads_a_gpu_loss_once_per_frame():
    """The runner keeps a frame's losses on the device and reads them in one transfer: the same numbers."""
    from engine.descent.descend import descend
    from tui.workers.pace import read_losses

    problem = make_problem(Settings(points=1000, steps=20, device="cuda"))
    snapshots = list(descend(problem))
    assert read_losses([[s.values[0] for s in snapshots]]) == [[s.loss for s in snapshots]]


def test_the_race_reads_every_racers_gpu_losses_once_per_frame(monkeypatch):
    """The race steps through the single run's loop: one read per frame for all racers, the same numbers."""
    import tui.workers.pace as pace_module
    from engine.descent.race import race_problems
    from tui.workers.pace import Pace
    from tui.workers.race_runner import RacerRun, RaceRunner

    reads = []
    read = pace_module.read_losses
    monkeypatch.setattr(pace_module, "read_losses", lambda groups: reads.append(groups) or read(groups))
    racers, expected = [], {}
    for name, problem in race_problems(Settings(steps=300, device="cuda"), ("manual", "adam")):
        expected[name] = [s.loss for s in descend(problem)][1:]
        generator = descend(problem)
        racers.append(RacerRun(name, problem, generator, next(generator)))
    runner = RaceRunner(racers, run_id=1)
    frames = []
    pace = Pace(fps=20)
    pace.turbo = True
    runner.pull(pace, lambda frame: (frames.append(frame), runner.frame_drawn()), cancelled=lambda: False)
    assert len(reads) == len(frames) and frames[-1].final
    for name, losses in expected.items():
        assert [loss for f in frames for loss in f.losses[name]] == losses
