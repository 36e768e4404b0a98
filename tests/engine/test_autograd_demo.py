"""backward() computes what the formulas say: the linear model's gradients and the tutorial's warm-up."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.maths.gradient_check import analytic_gradient, gradient_check, warmup_demo
from engine.settings.run_settings import Settings


def float64_autograd(problem, vector) -> np.ndarray:
    """The gradient by torch's autograd in float64 on the numbers the run fits: an independent reference."""
    x = problem.x_train.to(torch.float64)
    y = problem.y_train.to(torch.float64)
    theta = torch.tensor(vector, dtype=torch.float64, requires_grad=True)
    phi = torch.from_numpy(problem.model.features_np(x.numpy()))
    torch.mean((phi @ theta - y) ** 2).backward()
    return theta.grad.numpy()


@pytest.mark.parametrize("settings", [Settings(device="cpu"), Settings(device="cpu", standardize=True),
                                      Settings(device="cpu", model="poly:2", standardize=True)], ids=["tutorial", "standardized", "poly2"])
def test_the_formulas_match_float64_autograd_anywhere(settings):
    problem = make_problem(settings)
    rng = np.random.default_rng(1)
    for _ in range(3):
        vector = rng.normal(0.0, 3.0, len(problem.names))
        np.testing.assert_allclose(analytic_gradient(problem, vector), float64_autograd(problem, vector), rtol=1e-12, atol=1e-12)


def test_the_linear_formulas_are_the_tutorials():
    problem = make_problem(Settings(device="cpu", points=3, x_max=2.0, noise=0.0, slope=1.0))  # x = 0, 1, 2 and y = x
    # At k = 2, b = 1 the residuals k·x + b − y are 1, 2, 3: ∂L/∂k = 2·mean(r·x) = 2·8/3, ∂L/∂b = 2·mean(r) = 4.
    np.testing.assert_allclose(analytic_gradient(problem, [2.0, 1.0]), [16.0 / 3.0, 4.0])


def test_every_step_of_the_tutorial_agrees_within_float32_rounding():
    problem = make_problem(Settings(device="cpu", steps=400))
    checks = [gradient_check(problem, snapshot) for snapshot in descend(problem)]
    assert all(check.agrees for check in checks)
    assert checks[0].names == ("k", "b") and checks[0].formulas[0].startswith("∂L/∂k")
    # Far from the optimum the gradient is large and float32 matches the formulas to ~7 digits.
    assert checks[0].largest_difference < 1e-6
    # A wrong gradient would not pass: the check is not vacuous.
    assert np.all(checks[0].tolerance < 1e-3 * np.abs(checks[0].analytic))


def test_losses_without_a_formula_get_no_check():
    problem = make_problem(Settings(device="cpu", loss="mae"))
    assert gradient_check(problem, next(descend(problem))) is None
    with pytest.raises(ValueError, match="mae"):
        analytic_gradient(problem, [1.0, 0.0])


def test_the_warm_up_is_the_tutorials_and_autograd_matches_two_x_plus_two_over_a_hundred():
    demo = warmup_demo()
    x = np.linspace(0.0, 10.0, 100)
    np.testing.assert_allclose(demo.x, x, rtol=1e-6)
    assert demo.z == pytest.approx(np.mean((x + 2.0) ** 2), rel=1e-6)
    np.testing.assert_allclose(demo.analytic, 2.0 * (x + 2.0) / 100.0, rtol=1e-6)
    np.testing.assert_allclose(demo.autograd, demo.analytic, rtol=1e-5)
