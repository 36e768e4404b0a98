"""Direct control in the engine (issue 12, item 7): a run goes on from its θ with a new lr; a marble starts it anywhere."""

from __future__ import annotations

import numpy as np
import pytest

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.descent.steer import go_on, steerable
from engine.settings.run_settings import Settings


def _plain_descent(problem, vector, lr, steps):
    """Plain gradient descent on MSE of y = k·x + b in float64, by hand: θ ← θ − lr·(2/N)·Φᵀ(Φθ − y)."""
    x, y = problem.dataset.x, problem.dataset.y
    phi = np.stack([x, np.ones_like(x)], axis=1)
    theta = np.array(vector, dtype=np.float64)
    for _ in range(steps):
        theta = theta - lr * (2.0 / len(x)) * phi.T @ (phi @ theta - y)
    return theta


def test_a_new_lr_goes_on_from_the_current_theta_and_step():
    settings = Settings(device="cpu", steps=300)
    problem = make_problem(settings)
    first = list(zip(range(101), descend(problem), strict=False))[-1][1]  # 100 updates at lr 1e-4
    assert first.step == 100
    faster = settings.with_changes(lr=2.5e-4)
    steered, snapshots = go_on(problem, faster, first.vector, first.step)
    snapshots = list(snapshots)
    assert snapshots[0].step == 100 and np.allclose(snapshots[0].vector, first.vector)
    assert [s.step for s in snapshots] == list(range(100, 301))  # it ends where the run was set to end
    assert snapshots[-1].status == "done" and steered.settings.lr == 2.5e-4
    expected = _plain_descent(problem, first.vector, 2.5e-4, 200)
    np.testing.assert_allclose(snapshots[-1].vector, expected, rtol=2e-4, atol=2e-4)


def test_a_marble_dropped_anywhere_starts_the_run_there():
    settings = Settings(device="cpu", steps=50)
    problem = make_problem(settings)
    marble = np.array([3.0, -40.0])
    _, snapshots = go_on(problem, settings, marble, 0)
    snapshots = list(snapshots)
    assert snapshots[0].step == 0 and np.allclose(snapshots[0].vector, marble)
    np.testing.assert_allclose(snapshots[-1].vector, _plain_descent(problem, marble, 1e-4, 50), rtol=1e-4, atol=1e-4)


def test_a_divergence_after_a_change_is_numbered_in_the_whole_run():
    settings = Settings(device="cpu", steps=1000)
    problem = make_problem(settings)
    start = next(iter(descend(problem)))
    _, snapshots = go_on(problem, settings.with_changes(lr=1e-3), start.vector, 40)
    last = list(snapshots)[-1]
    assert last.status == "diverged" and last.diverged_at == last.step and last.step > 40


def test_only_settings_that_keep_the_data_and_the_model_are_steerable():
    base = Settings(device="cpu")
    for change in ({"lr": 0.01}, {"steps": 5}, {"optimizer": "adam"}, {"momentum": 0.5}, {"batch_size": 10}):
        assert steerable(base, base.with_changes(**change)), change
    for change in ({"noise": 3.0}, {"model": "poly:2"}, {"standardize": True}, {"seed": 1}, {"loss": "mae"}, {"start": 1}):
        assert not steerable(base, base.with_changes(**change)), change
    problem = make_problem(base)
    with pytest.raises(ValueError, match="noise"):
        go_on(problem, base.with_changes(noise=3.0), np.zeros(2), 0)
