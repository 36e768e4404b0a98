"""The engine on its public fallbacks: every private torch call swapped for the public API, the key tests run again.

engine/fast_paths.py calls two private torch entry points when its import-time probe finds them working,
and the public API otherwise. A torch that drops them would run the fallbacks, so they are tested here:
the probes fall back when the private call fails, and the tests of gradients, descent numbers, divergence,
batches and optimizers, imported below, run a second time with the fallbacks in place (an autouse fixture).
"""

from __future__ import annotations

import pytest
import torch
from torch.autograd.variable import Variable

from engine import fast_paths
from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.settings.run_settings import Settings
from tests.engine.test_batches import *  # noqa: F403 - collected again here, on the fallbacks
from tests.engine.test_descent import *  # noqa: F403
from tests.engine.test_gradients import *  # noqa: F403
from tests.engine.test_optimizers import *  # noqa: F403

calls = {"gradient": 0, "mse_loss": 0}


@pytest.fixture(autouse=True)
def public_paths(monkeypatch):
    """Every run in this module takes the public fallbacks, and counts its calls to them."""

    def gradient(*args):
        calls["gradient"] += 1
        return fast_paths.public_gradient(*args)

    def mse_loss(*args):
        calls["mse_loss"] += 1
        return fast_paths.public_mse_loss(*args)

    monkeypatch.setattr(fast_paths, "gradient", gradient)
    monkeypatch.setattr(fast_paths, "mse_loss", mse_loss)


def test_this_torch_takes_the_fast_paths():
    """Outside this module's fixture the probes chose the private calls (else the tests above only repeat themselves)."""
    assert fast_paths.FAST_GRADIENT and fast_paths.FAST_MSE


def test_runs_here_call_the_fallbacks():
    before = dict(calls)
    snapshots = list(descend(make_problem(Settings(steps=3, device="cpu"))))
    assert len(snapshots) == 4
    # One gradient and one loss a step, by the public API.
    assert calls["gradient"] - before["gradient"] == 4 and calls["mse_loss"] - before["mse_loss"] == 4


def test_the_fallbacks_give_the_fast_paths_numbers(monkeypatch):
    public = [s.values.clone() for s in descend(make_problem(Settings(steps=20, device="cpu", holdout=0.2)))]
    monkeypatch.undo()
    fast = [s.values.clone() for s in descend(make_problem(Settings(steps=20, device="cpu", holdout=0.2)))]
    assert all(torch.allclose(a, b, rtol=1e-6, atol=0) for a, b in zip(public, fast, strict=True))


def test_the_gradient_probe_falls_back_when_the_private_engine_fails(monkeypatch):
    class Broken:
        def run_backward(self, *args, **kwargs):
            raise RuntimeError("changed in a new torch")

    monkeypatch.setattr(Variable, "_execution_engine", Broken())
    assert fast_paths._fast_gradient_or_none() is None

    class Wrong:
        def run_backward(self, roots, seeds, *args, **kwargs):
            return (torch.zeros(2),)

    monkeypatch.setattr(Variable, "_execution_engine", Wrong())
    assert fast_paths._fast_gradient_or_none() is None
    monkeypatch.delattr(Variable, "_execution_engine")
    assert fast_paths._fast_gradient_or_none() is None


def test_the_mse_probe_falls_back_when_the_private_op_fails_or_differs(monkeypatch):
    monkeypatch.setattr(torch._C._nn, "mse_loss", lambda predictions, targets, reduction: (predictions - targets).abs().mean())
    assert fast_paths._fast_mse_loss_or_none() is None
    monkeypatch.delattr(torch._C._nn, "mse_loss")
    assert fast_paths._fast_mse_loss_or_none() is None


def test_the_probes_accept_the_working_private_calls():
    assert fast_paths._fast_gradient_or_none() is not None
    assert fast_paths._fast_mse_loss_or_none() is torch._C._nn.mse_loss


def test_the_public_mse_refuses_a_reduction_it_does_not_do():
    with pytest.raises(ValueError, match="mean"):
        fast_paths.public_mse_loss(torch.zeros(2), torch.zeros(2), 2)
