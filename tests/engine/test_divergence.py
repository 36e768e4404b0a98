"""The one divergence rule: a loss not finite, or above DIVERGENCE_FACTOR × the first; read each step on a CPU, in groups on a GPU."""

from __future__ import annotations

import math

import pytest
import torch

from engine.descent.divergence import ACCELERATOR_CHECK_EVERY, DIVERGENCE_FACTOR, DivergenceWatch, divergence_limit

CPU, GPU = torch.device("cpu"), torch.device("cuda")  # a device object only: no GPU is touched


def watch_run(device: torch.device, losses: list[float]) -> list[tuple[str, int | None]]:
    """What the watch says after each step, until it says something other than running."""
    check = DivergenceWatch(device).check
    said = []
    for step, value in enumerate(losses):
        said.append(check(step, torch.tensor(value), step == len(losses) - 1))
        if said[-1][0] != "running":
            break
    return said


def test_the_limit_is_the_factor_times_the_first_loss():
    assert DIVERGENCE_FACTOR == 1e6
    assert divergence_limit(2.5) == 2.5e6 and divergence_limit(-3.0) == 3e6
    assert divergence_limit(0.0) == pytest.approx(1e-24)  # a perfect start still allows rounding noise
    assert divergence_limit(math.nan) == -math.inf and divergence_limit(math.inf) == -math.inf
    assert math.isfinite(divergence_limit(1e303))  # capped, so inf is always above it


@pytest.mark.parametrize(
    "losses, end",
    [
        ([1.0, 0.5, 0.25], ("done", None)),
        ([1.0, 0.5, 1e6, 0.1], ("done", None)),  # exactly the limit is not above it
        ([1.0, 0.5, 1.0000001e6, 0.1], ("diverged", 2)),
        ([1.0, math.nan, 0.5], ("diverged", 1)),
        ([1.0, 2.0, math.inf], ("diverged", 2)),
        ([math.nan, 1.0], ("diverged", 0)),
    ],
)
def test_on_a_cpu_each_loss_is_read_as_it_comes(losses, end):
    said = watch_run(CPU, losses)
    assert said[-1] == end
    assert all(status == "running" for status, _ in said[:-1])


@pytest.mark.parametrize("where", [1, 5, ACCELERATOR_CHECK_EVERY - 1, ACCELERATOR_CHECK_EVERY, ACCELERATOR_CHECK_EVERY + 3])
def test_on_a_gpu_losses_are_read_in_groups_and_the_step_reported_is_the_one_that_diverged(where):
    losses = [1.0] * (3 * ACCELERATOR_CHECK_EVERY)
    losses[where] = math.nan
    said = watch_run(GPU, losses)
    assert said[-1] == ("diverged", where)
    # Known only at the end of the group it fell in: ACCELERATOR_CHECK_EVERY steps read in one sync.
    assert len(said) == (where // ACCELERATOR_CHECK_EVERY + 1) * ACCELERATOR_CHECK_EVERY


def test_on_a_gpu_the_last_step_is_read_at_once():
    said = watch_run(GPU, [1.0, 0.5, 0.25])
    assert said == [("running", None), ("running", None), ("done", None)]
    assert watch_run(GPU, [1.0, 0.5, 3e6])[-1] == ("diverged", 2)


def test_a_cpu_run_hands_each_loss_over_as_the_check_read_it():
    """Snapshot.loss_read is the loss the CPU's check read, exactly `values[0]`: the app keeps it instead of a tensor."""
    from engine.descent.descend import descend
    from engine.descent.problem import make_problem
    from engine.settings.run_settings import Settings

    for settings in (Settings(steps=40), Settings(steps=40, dtype="float64", optimizer="adam", lr=0.05), Settings(steps=40, lr=1.0)):
        snapshots = list(descend(make_problem(settings)))
        assert all(s.loss_read == s.values[0].item() or math.isnan(s.loss_read) for s in snapshots)
        assert all(isinstance(s.loss_read, float) for s in snapshots)
    assert snapshots[-1].status == "diverged"  # lr 1.0: the diverged step carries its loss too


def test_an_accelerator_watch_reads_no_single_loss():
    watch = DivergenceWatch(GPU)
    watch.check(0, torch.tensor(1.0), False)
    assert watch.read is None  # read in groups: a step has no number of its own (FrameLosses reads its tensor)
