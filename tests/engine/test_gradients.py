"""Autograd's gradients against the analytic ones, for the tutorial's model and its warm-up."""

import numpy as np
import pytest
import torch

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.settings.run_settings import Settings


def test_snapshot_gradient_equals_the_analytic_one():
    settings = Settings(points=50, seed=3, steps=5)
    problem = make_problem(settings)
    x = problem.dataset.x.astype(np.float32).astype(np.float64)
    y = problem.dataset.y.astype(np.float32).astype(np.float64)
    for snapshot in descend(problem):
        k, b = snapshot.vector
        residual = k * x + b - y
        expected = {"k": 2 * np.mean(residual * x), "b": 2 * np.mean(residual)}
        for name in ("k", "b"):
            assert abs(snapshot.grads[name] - expected[name]) <= 1e-5 * abs(expected[name])


def test_snapshot_loss_is_the_mse_at_its_parameters():
    problem = make_problem(Settings(points=30, seed=1, steps=3))
    x, y = problem.dataset.x, problem.dataset.y
    for snapshot in descend(problem):
        k, b = snapshot.vector
        assert abs(snapshot.loss - np.mean((k * x + b - y) ** 2)) <= 1e-5 * snapshot.loss


def test_tutorial_warmup_gradient():
    """The tutorial's first autograd example: z = mean((x + 2)²) has dz/dx = 2(x + 2)/100."""
    x = torch.linspace(0, 10, 100, requires_grad=True)
    z = torch.mean((x + 2) ** 2)
    z.backward()
    expected = 2 * (np.linspace(0, 10, 100) + 2) / 100
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-5)


def test_both_forms_of_the_loss_match_numpy():
    """Small N runs mv + mse_loss, large N addmv + dot products by blocks: all give the float64 loss and gradient."""
    from engine.models.linear_models import BLOCK, SMALL_N

    for points, model in [(SMALL_N, "linear"), (SMALL_N + 1, "linear"), (20_000, "poly:2"), (2 * BLOCK + 7, "linear")]:
        problem = make_problem(Settings(points=points, model=model, seed=4, steps=3, lr=1e-6, x_min=-1, x_max=1))
        x = problem.x_train.numpy().astype(np.float64)
        y = problem.y_train.numpy().astype(np.float64)
        features = problem.model.features_np(x)
        for snapshot in descend(problem):
            residual = features @ snapshot.vector - y
            assert snapshot.loss == pytest.approx(np.mean(residual**2), rel=1e-5)
            np.testing.assert_allclose(snapshot.gradient, 2 * features.T @ residual / points, rtol=1e-4, atol=1e-6)
