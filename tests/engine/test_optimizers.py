"""Every --optimizer lowers the loss on the tutorial's data at its own sensible lr; the torch.optim ones get their options."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.data.synthetic import synthesize
from engine.descent.optimizers import make_optimizer
from engine.settings.run_settings import OPTIMIZERS, Settings
from tests.helpers import line_fit, run

# The tutorial's data has condition number ~13,000: plain rules need a tiny lr, adaptive ones take large steps.
SENSIBLE = {
    "manual": (1e-4, 100),
    "sgd": (1e-4, 100),
    "momentum": (1e-4, 100),
    "nesterov": (1e-4, 100),
    "adam": (0.1, 100),
    "adamw": (0.1, 100),
    "rmsprop": (0.01, 100),
    "adagrad": (0.5, 100),
    "lbfgs": (1.0, 5),
}


def test_every_optimizer_has_a_sensible_lr_here():
    assert set(SENSIBLE) == set(OPTIMIZERS)


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_each_optimizer_descends_to_the_least_squares_loss(name):
    lr, steps = SENSIBLE[name]
    settings = Settings(optimizer=name, lr=lr, steps=steps)
    _, first, last = run(settings)
    data = synthesize(settings)
    k, b = line_fit(data.x, data.y)
    best = float(np.mean((k * data.x + b - data.y) ** 2))
    assert last.status == "done"
    assert last.step == steps
    assert first.loss > 5 * best  # the start is far off, so reaching `best` means real descent
    assert last.loss < best * 1.001


def test_lbfgs_reaches_numpys_line_in_a_handful_of_steps():
    settings = Settings(optimizer="lbfgs", lr=1.0, steps=5)
    _, _, last = run(settings)
    data = synthesize(settings)
    k, b = line_fit(data.x, data.y)
    assert last.params["k"] == pytest.approx(k, rel=1e-4)
    assert last.params["b"] == pytest.approx(b, abs=1e-3)


def test_optimizers_are_torch_optims_with_their_options():
    tensors = [torch.zeros(2, requires_grad=True)]

    def make(name, **kw):
        return make_optimizer(Settings(optimizer=name, lr=0.01, **kw), tensors)

    assert isinstance(make("adam"), torch.optim.Adam)
    assert isinstance(make("adamw"), torch.optim.AdamW)
    assert isinstance(make("rmsprop"), torch.optim.RMSprop)
    assert isinstance(make("adagrad"), torch.optim.Adagrad)
    lbfgs = make("lbfgs")
    assert isinstance(lbfgs, torch.optim.LBFGS) and lbfgs.defaults["line_search_fn"] == "strong_wolfe"
    momentum = make("momentum", momentum=0.7).defaults
    assert momentum["momentum"] == 0.7 and not momentum["nesterov"]
    nesterov = make("nesterov", momentum=0.8).defaults
    assert nesterov["momentum"] == 0.8 and nesterov["nesterov"]
    assert make("sgd").defaults["momentum"] == 0


def heavy_ball(x, y, theta, lr, mu, steps, nesterov=False):
    """PyTorch's SGD with momentum, written out in numpy: v ← μv + g; θ ← θ − lr·(g + μv if nesterov else v)."""
    phi = np.stack([x, np.ones_like(x)], axis=1)
    velocity = np.zeros_like(theta)
    for _ in range(steps):
        grad = 2 * phi.T @ (phi @ theta - y) / len(x)
        velocity = mu * velocity + grad
        theta = theta - lr * (grad + mu * velocity if nesterov else velocity)
    return theta


@pytest.mark.parametrize("name", ["momentum", "nesterov"])
def test_momentum_follows_the_heavy_ball_recurrence(name):
    settings = Settings(optimizer=name, lr=1e-4, momentum=0.5, steps=30)
    problem, first, last = run(settings)
    data = synthesize(settings)
    expected = heavy_ball(data.x, data.y, first.vector, 1e-4, 0.5, 30, nesterov=name == "nesterov")
    np.testing.assert_allclose(last.vector, expected, rtol=1e-4)


def test_sgd_is_the_manual_rule():
    _, _, manual = run(Settings(optimizer="manual", steps=50))
    _, _, sgd = run(Settings(optimizer="sgd", steps=50))
    np.testing.assert_allclose(manual.vector, sgd.vector, rtol=1e-6)
