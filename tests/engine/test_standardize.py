"""--standardize: on the tutorial's data, the difference between b never moving and convergence in a few hundred steps."""

from __future__ import annotations

import numpy as np
import pytest

from engine.data.synthetic import synthesize
from engine.settings.run_settings import Settings
from tests.helpers import line_fit, run

TUTORIAL = Settings()


def test_without_it_b_stays_far_from_the_optimum_after_1000_steps():
    _, first, last = run(TUTORIAL)
    data = synthesize(TUTORIAL)
    k, b = line_fit(data.x, data.y)
    assert last.step == 1000 and last.status == "done"
    # k is found (its direction is the stiff one), b has covered less than half of its way.
    assert last.params["k"] == pytest.approx(k, rel=0.01)
    assert abs(last.params["b"] - b) > 0.5 * abs(first.params["b"] - b)


def test_with_it_k_and_b_reach_the_optimum_in_a_few_hundred_steps_in_data_units():
    _, first, last = run(TUTORIAL.with_changes(standardize=True, lr=0.1, steps=300))
    data = synthesize(TUTORIAL)
    k, b = line_fit(data.x, data.y)
    assert last.status == "done"
    assert last.params["k"] == pytest.approx(k, rel=0.01)
    assert last.params["b"] == pytest.approx(b, rel=0.01)
    # Data units: the loss is the MSE of those very numbers on the raw x, computed again here.
    assert last.loss == pytest.approx(np.mean((last.params["k"] * data.x + last.params["b"] - data.y) ** 2), rel=1e-5)
    # The start is the same U(0,1) draw as without it, read in standardized units; reported back in data units.
    x_mean, x_std = data.x.mean(), data.x.std()
    k_fit, b_fit = first.vector
    assert first.params["k"] == pytest.approx(k_fit / x_std, rel=1e-6)
    assert first.params["b"] == pytest.approx(b_fit - k_fit * x_mean / x_std, rel=1e-6)


def test_standardize_is_fit_on_the_training_points_only():
    problem, _, _ = run(TUTORIAL.with_changes(standardize=True, holdout=0.3, steps=0))
    x_train = problem.dataset.x[problem.train]
    assert problem.scaling.shift == pytest.approx(x_train.mean())
    assert problem.scaling.scale == pytest.approx(x_train.std())
    np.testing.assert_allclose(problem.x_train.numpy(), (x_train - x_train.mean()) / x_train.std(), rtol=1e-5, atol=1e-6)
