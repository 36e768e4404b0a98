"""The one pacing loop: the single run and the race both step through it, and read a device's losses once per frame."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import torch

import tui.workers.pace as pace_module
from tui.workers.pace import FrameLosses, Pace, PacedLoop, read_losses
from tui.workers.race_runner import RacerRun, RaceRunner
from tui.workers.runner import Runner


@dataclass
class FakeSnapshot:
    """What the runners read of a snapshot: the step, the loss in a tensor, whether it is the last."""

    step: int
    values: torch.Tensor
    finished: bool = False
    status: str = "running"
    loss_read: float | None = None


def fake_descent(steps: int, scale: float = 1.0):
    """Snapshots 0..steps whose loss is `scale / (step + 1)`, kept in a tensor as the engine keeps it."""
    for step in range(steps + 1):
        yield FakeSnapshot(step, torch.tensor([scale / (step + 1), 0.0], dtype=torch.float64), finished=step == steps)


@pytest.fixture
def counted(monkeypatch):
    """Counts the loop's runs and the loss reads (one per frame, on every device)."""
    calls = {"run": 0, "read": [], "item": 0}
    run, read = PacedLoop.run, pace_module.read_losses

    def counting_run(self, *args, **kwargs):
        calls["run"] += 1
        return run(self, *args, **kwargs)

    def counting_read(groups):
        calls["read"].append([len(group) for group in groups])
        return read(groups)

    monkeypatch.setattr(PacedLoop, "run", counting_run)
    monkeypatch.setattr(pace_module, "read_losses", counting_read)
    return calls


def turbo() -> Pace:
    pace = Pace(fps=20)
    pace.turbo = True
    return pace


def test_the_single_run_steps_through_the_loop_and_reads_losses_once_per_frame(counted):
    runner = Runner(fake_descent(500), run_id=1)
    frames = []

    def post(frame):
        frames.append(frame)
        runner.frame_drawn()

    runner.pull(turbo(), post, cancelled=lambda: False)
    assert counted["run"] == 1
    assert len(counted["read"]) == len(frames) and frames[-1].final
    assert [s for f in frames for s in f.steps] == list(range(501))
    assert [loss for f in frames for loss in f.losses] == [1.0 / (s + 1) for s in range(501)]
    assert all(isinstance(loss, float) for f in frames for loss in f.losses)


def test_the_race_steps_through_the_same_loop_and_reads_every_racer_in_one_call(counted):
    scales = {"manual": 1.0, "momentum": 2.0, "adam": 4.0}
    racers = []
    for name, scale in scales.items():
        generator = fake_descent(300, scale)
        racers.append(RacerRun(name, None, generator, next(generator)))
    runner = RaceRunner(racers, run_id=1)
    frames = []

    def post(frame):
        frames.append(frame)
        runner.frame_drawn()

    runner.pull(turbo(), post, cancelled=lambda: False)
    assert counted["run"] == 1
    assert len(counted["read"]) == len(frames) and frames[-1].final
    assert all(len(groups) == 3 for groups in counted["read"])  # every racer's losses in the same read
    for name, scale in scales.items():
        assert [s for f in frames for s in f.steps[name]] == list(range(1, 301))
        assert [loss for f in frames for loss in f.losses[name]] == [scale / (s + 1) for s in range(1, 301)]


@pytest.mark.slow
def test_a_paused_ui_gathers_steps_instead_of_posting_frames(counted):
    """Back-pressure, in both runners alike: no frame is posted until the UI has drawn the last one."""
    runner = Runner(fake_descent(100_000), run_id=1)  # many frames' worth of steps, even in turbo
    frames = []
    runner.pull(turbo(), frames.append, cancelled=lambda: False)  # the UI never says it drew
    assert len(frames) <= 2  # the first, and the final one that must go whatever the UI does
    assert sum(len(f.steps) for f in frames) == 100_001 and frames[-1].final
    assert len(counted["read"]) == len(frames)


def test_read_losses_keeps_floats_and_reads_tensors_in_order():
    groups = [[0.5, torch.tensor(0.25, dtype=torch.float64)], [], [torch.tensor(0.125, dtype=torch.float64)]]
    assert read_losses(groups) == [[0.5, 0.25], [], [0.125]]
    assert read_losses([[1.0], [2.0]]) == [[1.0], [2.0]]


def test_frame_losses_keep_the_tensors_until_read_and_empty_on_read():
    losses = FrameLosses(["a", "b"])
    for snapshot in fake_descent(3):
        losses.add("a", snapshot)
    losses.add("b", FakeSnapshot(0, torch.tensor([0.75, 0.0], dtype=torch.float64)))
    assert all(isinstance(loss, torch.Tensor) for loss in losses._pending["a"])  # a step reads nothing
    assert losses.read() == {"a": [1.0, 0.5, 1 / 3, 0.25], "b": [0.75]}
    assert losses.read() == {"a": [], "b": []}


def test_frame_losses_fold_a_long_wait_into_numbers(monkeypatch):
    """A UI that draws nothing for long: every FOLD_EVERY steps the tensors gathered become numbers, in order."""
    monkeypatch.setattr(pace_module, "FOLD_EVERY", 4)
    losses = FrameLosses(["a"])
    for snapshot in fake_descent(9):
        losses.add("a", snapshot)
    assert len(losses._pending["a"]) < 4 and len(losses._folded["a"]) == 8
    assert losses.read() == {"a": [1 / (s + 1) for s in range(10)]}


def test_read_losses_takes_snapshots_of_different_sizes():
    """Racers whose models differ: their snapshots' tensors differ in length; each loss is still the first number."""
    groups = [[torch.tensor([0.5, 1.0, 2.0])], [torch.tensor([0.25, 3.0]), 0.125]]
    assert read_losses(groups) == [[0.5], [0.25, 0.125]]
