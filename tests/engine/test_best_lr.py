"""--lr best (issue 23): the closed form against float64 recurrences, and the chosen lr against a fine grid of real runs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from engine.descent.problem import make_problem
from engine.maths.best_lr import best_choice, classical_momentum, excess_after, resolve_best
from engine.maths.optimum import least_squares
from engine.maths.valley import eigen_errors, eigenbasis
from engine.settings.errors import SettingError
from engine.settings.run_settings import Settings
from tests.helpers import last_snapshot


def _quadratic(settings: Settings):
    """(H, θ*, θ₀) of the problem in float64, from Φ directly (no eigen-decomposition)."""
    problem = make_problem(settings)
    x = problem.x_train.double().numpy()
    phi = np.stack([x, np.ones_like(x)], axis=1)
    hessian = 2.0 / len(x) * phi.T @ phi
    return problem, hessian, least_squares(problem).vector, problem.model.tensors[0].detach().double().numpy()


def _excess_by_recurrence(hessian, optimum, start, lr, beta, steps) -> float:
    """L(t) − L* = ½·eᵀHe after `steps` of torch's SGD (momentum β, buffer starting at the first gradient), in θ."""
    e, buffer = start - optimum, None
    for _ in range(steps):
        g = hessian @ e
        buffer = g if buffer is None else beta * buffer + g
        e = e - lr * buffer
    return float(0.5 * e @ hessian @ e)


@pytest.mark.parametrize("lr, beta, steps", [(1e-4, 0.0, 1000), (2.9e-4, 0.0, 300), (1e-4, 0.9, 500), (5e-4, 0.96, 1000)])
def test_the_closed_form_is_the_recurrence(lr, beta, steps):
    problem, hessian, optimum, start = _quadratic(Settings(dtype="float64"))
    basis = eigenbasis(problem)
    errors = eigen_errors(basis, optimum, start[None, :])[0]
    got = float(excess_after(lr, beta, steps, basis.values, errors))
    expected = _excess_by_recurrence(hessian, optimum, start, lr, beta, steps)
    assert got == pytest.approx(expected, rel=1e-6, abs=1e-12)


def _final_excess(settings: Settings, lr: float, momentum: float | None = None) -> float:
    changes = {"lr": lr} if momentum is None else {"lr": lr, "momentum": momentum}
    problem = make_problem(settings.with_changes(**changes))
    return last_snapshot(problem).loss - least_squares(problem).loss


def test_best_lr_beats_a_fine_grid_of_real_runs():
    settings = Settings(dtype="float64")
    problem, choice = resolve_best(make_problem(settings), lr=True, momentum=False)
    chosen = _final_excess(settings, problem.settings.lr)
    assert chosen == pytest.approx(choice.excess, rel=1e-5)  # the closed form is what a real float64 run ends at
    for factor in np.linspace(0.99, 1.004, 15):  # past 1.005× the steep direction diverges (lr_max = 1.005× lr here)
        if factor != 1.0:
            assert chosen <= _final_excess(settings, problem.settings.lr * factor) * (1 + 1e-9), factor
    assert chosen < _final_excess(settings, 1e-4) < _final_excess(settings, 2 / (6701.83 + 0.5074))


def test_the_tutorial_facts():
    problem, choice = resolve_best(make_problem(Settings()), lr=True, momentum=False)
    basis = eigenbasis(problem)
    assert basis.values[-1] == pytest.approx(6701.8, rel=1e-4) and basis.values[0] == pytest.approx(0.5074, rel=1e-3)
    lr_best = 2 / (basis.values[-1] + basis.values[0])
    assert choice.lr < lr_best and choice.excess < choice.lr_best_excess / 1000
    assert 92.389 + choice.lr_best_excess > 420  # lr_best leaves a loss near 424.6 after 1000 steps


def test_momentum_best_is_no_worse_than_the_classical_pair():
    settings = Settings(dtype="float64", optimizer="momentum")
    problem, choice = resolve_best(make_problem(settings), lr=True, momentum=True)
    basis = eigenbasis(problem)
    star_lr, star_beta = classical_momentum(basis.values[-1], basis.values[0])
    assert star_beta == pytest.approx(0.966, abs=5e-4) and star_lr == pytest.approx(5.87e-4, rel=2e-3)
    assert choice.excess <= choice.lr_best_excess
    real = _final_excess(settings, problem.settings.lr, problem.settings.momentum)
    assert real <= _final_excess(settings, star_lr, star_beta) + 1e-9


def test_best_choice_for_fewer_steps_from_elsewhere():
    problem = make_problem(Settings(dtype="float64"))
    start = least_squares(problem).vector + np.array([0.0, 5.0])
    choice = best_choice(problem, start, None, None, heavy_ball=False, steps=10)
    assert choice.steps == 10 and choice.excess < float(excess_after(1e-4, 0.0, 10, *_basis_errors(problem, start)))


def _basis_errors(problem, start):
    basis = eigenbasis(problem)
    return basis.values, eigen_errors(basis, least_squares(problem).vector, start[None, :])[0]


@pytest.mark.parametrize(
    "changes, setting, words",
    [
        ({"model": "mlp:4"}, "lr", "linear in θ"),
        ({"loss": "mae"}, "lr", "closed form"),
        ({"optimizer": "adam"}, "lr", "adam"),
        ({"batch_size": 10}, "lr", "mini-batches"),
        ({"steps": 0}, "lr", "steps 0"),
    ],
)
def test_best_is_refused_where_it_has_no_closed_form(changes, setting, words):
    with pytest.raises(SettingError) as caught:
        resolve_best(make_problem(Settings(**changes)), lr=True, momentum=False)
    assert caught.value.setting == setting and words in caught.value.message


def test_momentum_best_needs_momentum():
    with pytest.raises(SettingError) as caught:
        resolve_best(make_problem(Settings()), lr=False, momentum=True)
    assert caught.value.setting == "momentum"


def test_the_problem_keeps_its_data_and_start():
    problem = make_problem(Settings())
    resolved, _ = resolve_best(problem, lr=True, momentum=False)
    assert resolved.model is problem.model and dataclasses.replace(resolved.settings, lr=1e-4) == problem.settings
