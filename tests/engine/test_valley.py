"""The valley's two directions (issue 23): the run's θ projected on H's eigenvectors against the predicted lines."""

from __future__ import annotations

import numpy as np
import pytest

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.maths.optimum import least_squares
from engine.maths.valley import eigen_errors, eigenbasis, heavy_ball_errors, heavy_ball_rate, plain_rate, rate, why_no_valley
from engine.settings.run_settings import Settings


def _run(settings: Settings, steps: int | None = None):
    problem = make_problem(settings)
    vectors = [s.vector.copy() for s in descend(problem)]
    return problem, np.array(vectors[: None if steps is None else steps + 1])


def test_the_tutorial_directions_and_rates():
    problem = make_problem(Settings())
    basis = eigenbasis(problem)
    assert basis.steep == pytest.approx([0.99989, 0.0149], abs=1e-4)
    x = problem.dataset.x[problem.train]  # float64, as the data were made
    phi = np.stack([x, np.ones_like(x)], axis=1)
    hessian = 2.0 / len(x) * phi.T @ phi  # straight from Φ: H·v = λ·v for both
    for value, vector in zip(basis.values, basis.vectors.T, strict=True):
        assert hessian @ vector == pytest.approx(value * vector, rel=1e-9, abs=1e-9 * basis.values[-1])
    assert plain_rate(1e-4, basis.values[-1]) == pytest.approx(0.3298, abs=5e-5)
    assert plain_rate(1e-4, basis.values[0]) == pytest.approx(0.99995, abs=5e-6)


def test_the_runs_eigen_errors_follow_the_predicted_lines():
    problem, vectors = _run(Settings(dtype="float64"))
    basis = eigenbasis(problem)
    errors = eigen_errors(basis, least_squares(problem).vector, vectors)
    t = np.arange(len(vectors))
    flat = errors[0, 0] * (1 - 1e-4 * basis.values[0]) ** t
    assert errors[:, 0] == pytest.approx(flat, rel=1e-7)
    steep = errors[0, 1] * (1 - 1e-4 * basis.values[1]) ** t[:20]  # then it is below float64's resolution of θ
    assert errors[:20, 1] == pytest.approx(steep, rel=1e-6, abs=1e-12)


def test_momentum_follows_the_heavy_ball_recurrence_and_its_envelope():
    settings = Settings(dtype="float64", optimizer="momentum", steps=400)
    problem, vectors = _run(settings)
    basis = eigenbasis(problem)
    errors = eigen_errors(basis, least_squares(problem).vector, vectors)
    for column in (0, 1):
        curvature = basis.values[column]
        exact = heavy_ball_errors(1e-4, 0.9, curvature, errors[0, column], 400)
        assert errors[:, column] == pytest.approx(exact, rel=1e-6, abs=1e-10)
    rho = heavy_ball_rate(1e-4, 0.9, basis.values[1])
    assert rho == pytest.approx(np.sqrt(0.9))  # complex roots along the steep direction: |z| = √β
    assert rate(settings, basis.values[1]) == rho


@pytest.mark.parametrize(
    "changes, words", [({"model": "mlp:3"}, "linear in θ"), ({"optimizer": "adam"}, "adam"), ({"batch_size": 10}, "mini-batches")]
)
def test_other_models_and_rules_say_why_not(changes, words):
    assert words in why_no_valley(make_problem(Settings(**changes)))


def test_the_tutorial_has_a_valley():
    assert why_no_valley(make_problem(Settings())) is None
