"""Key b (issue 23): the loop without theta.grad = None really accumulates gradients, as a float64 recurrence says."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.maths.curvature import analyse
from engine.maths.optimum import least_squares
from engine.maths.valley import eigen_errors, eigenbasis
from engine.settings.run_settings import Settings
from engine.words.forgotten_words import forgotten_words, swing_period


def _broken_run(settings: Settings):
    problem = dataclasses.replace(make_problem(settings), forgets_grad_reset=True)
    return problem, np.array([s.vector for s in descend(problem)])


def _recurrence(problem, lr: float, steps: int) -> np.ndarray:
    """θ(t+1) = θ(t) − lr·Σ_{s≤t} ∇L(θ(s)), ∇L = (2/N)·Φᵀ(Φθ − y), in float64."""
    x, y = problem.x_train.double().numpy(), problem.y_train.double().numpy()
    phi = np.stack([x, np.ones_like(x)], axis=1)
    theta = problem.model.tensors[0].detach().double().numpy().copy()
    total, out = np.zeros(2), [theta.copy()]
    for _ in range(steps):
        total += 2.0 / len(x) * phi.T @ (phi @ theta - y)
        theta = theta - lr * total
        out.append(theta.copy())
    return np.array(out)


@pytest.mark.parametrize("optimizer", ["manual", "sgd"])
def test_the_broken_run_is_the_accumulating_recurrence(optimizer):
    settings = Settings(dtype="float64", steps=300, optimizer=optimizer)
    problem, vectors = _broken_run(settings)
    expected = _recurrence(make_problem(settings), 1e-4, 300)
    assert vectors == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_it_swings_as_the_words_say():
    settings = Settings(dtype="float64", steps=400)
    problem, vectors = _broken_run(settings)
    basis = eigenbasis(problem)
    steep = eigen_errors(basis, least_squares(problem).vector, vectors)[:, 1]
    period = swing_period(1e-4, basis.values[1])
    flips = np.count_nonzero(np.diff(np.sign(steep)) != 0)
    assert flips == pytest.approx(2 * 400 / period, abs=2)  # two sign changes per swing
    assert np.max(np.abs(steep[-50:])) > 0.5 * abs(steep[0])  # it never shrinks
    words = forgotten_words("manual", 1e-4, analyse(problem))
    assert f"~{period:,.1f} steps across the valley" in words
    assert words.startswith("theta.grad = None forgotten: θ swings past the optimum and back, never settling.")


def test_a_mended_run_starts_from_no_gradient():
    """sgd fills .grad: a mended run that found the broken run's sum there would step by it."""
    settings = Settings(dtype="float64", steps=5, optimizer="sgd")
    problem, _ = _broken_run(settings)
    assert problem.model.tensors[0].grad is not None  # the broken run left its sum there
    mended = dataclasses.replace(problem, forgets_grad_reset=False)
    first, second = list(descend(mended))[:2]
    assert first.gradient == pytest.approx(_gradient(problem, first.vector), rel=1e-12)
    assert second.vector == pytest.approx(first.vector - 1e-4 * _gradient(problem, first.vector), rel=1e-12)


def _gradient(problem, theta):
    """∇L = (2/N)·Φᵀ(Φθ − y), in float64."""
    x, y = problem.x_train.double().numpy(), problem.y_train.double().numpy()
    phi = np.stack([x, np.ones_like(x)], axis=1)
    return 2.0 / len(x) * phi.T @ (phi @ theta - y)
