"""The stability analysis against numpy's eigenvalues, the real divergence threshold, and the words."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from engine.data.synthetic import Dataset
from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.maths.curvature import LiveAnalysis, analyse, estimate_lambda_max, predicted_steps
from engine.maths.optimum import least_squares
from engine.settings.run_settings import Settings
from engine.words.explain import explain_divergence, explain_stall, warn_lr


def made_up_data(count: int = 60, seed: int = 7) -> Dataset:
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3.0, 12.0, count))
    return Dataset(x=x, y=2.5 * x - 4.0 + rng.normal(0.0, 1.5, count), source="test")


def numpy_hessian(x: np.ndarray, model: str) -> np.ndarray:
    phi = np.stack([x, np.ones_like(x)], axis=1) if model == "linear" else np.vander(x, int(model[5:]) + 1, increasing=True)
    return 2.0 / len(x) * phi.T @ phi


def last_snapshot(problem):
    *_, last = descend(problem)
    return last


@pytest.mark.parametrize("model", ["linear", "poly:2"])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("holdout", [0.0, 0.25])
def test_exact_analysis_matches_numpy_eigenvalues(model, standardize, holdout):
    data = made_up_data()
    settings = Settings(points=len(data), model=model, standardize=standardize, holdout=holdout, device="cpu")
    problem = make_problem(settings, data)
    x = data.x[problem.train]
    if standardize:
        x = (x - x.mean()) / x.std()
    expected = np.linalg.eigvalsh(numpy_hessian(x, model))
    analysis = analyse(problem)
    assert analysis.exact
    assert analysis.lambda_max == pytest.approx(expected[-1], rel=1e-10)
    assert analysis.lambda_min == pytest.approx(expected[0], rel=1e-8)
    assert analysis.condition_number == pytest.approx(expected[-1] / expected[0], rel=1e-8)
    assert analysis.lr_max == pytest.approx(2.0 / expected[-1], rel=1e-10)
    assert analysis.lr_best == pytest.approx(2.0 / (expected[0] + expected[-1]), rel=1e-10)
    assert analysis.as_dict() == pytest.approx(
        {"lambda_max": expected[-1], "lambda_min": expected[0], "condition_number": expected[-1] / expected[0],
         "lr_max": 2.0 / expected[-1], "lr_best": 2.0 / (expected[0] + expected[-1])}, rel=1e-8
    )


def test_the_tutorial_is_ill_conditioned_and_standardizing_rounds_it():
    tutorial = analyse(make_problem(Settings(device="cpu")))
    assert 12_000 < tutorial.condition_number < 14_000
    assert 2.9e-4 < tutorial.lr_max < 3.1e-4
    rounded = analyse(make_problem(Settings(device="cpu", standardize=True)))
    # Standardized x has mean 0 and variance 1, so H = 2·I exactly.
    assert rounded.lambda_max == pytest.approx(2.0) and rounded.lambda_min == pytest.approx(2.0)
    assert rounded.lr_max == pytest.approx(1.0)


@pytest.mark.parametrize(
    "settings",
    [Settings(device="cpu", steps=1500), Settings(device="cpu", steps=300, standardize=True),
     Settings(device="cpu", steps=1500, points=60, x_min=-3, x_max=12, slope=2.5, seed=3)],
    ids=["tutorial", "standardized", "other-data"],
)
def test_plain_descent_diverges_just_above_lr_max_and_converges_just_below(settings):
    lr_max = analyse(make_problem(settings)).lr_max
    above = last_snapshot(make_problem(settings.with_changes(lr=1.05 * lr_max)))
    assert above.status == "diverged" and above.diverged_at is not None
    below_problem = make_problem(settings.with_changes(lr=0.95 * lr_max))
    below = last_snapshot(below_problem)
    assert below.status == "done"
    optimum = least_squares(below_problem)
    # The steep direction has settled (|1 − 0.95·2| = 0.9 a step): what is left is the slow direction's share.
    assert below.loss < 1.01 * optimum.loss + 1.0
    assert below.loss < last_snapshot(make_problem(settings.with_changes(lr=0.5 * lr_max))).loss * 1.01 + 1.0


@pytest.mark.parametrize(
    "settings", [Settings(device="cpu"), Settings(device="cpu", model="poly:2", standardize=True)], ids=["tutorial", "poly2"]
)
def test_power_iteration_estimate_is_within_one_percent_of_the_exact_lambda_max(settings):
    problem = make_problem(settings)
    exact = analyse(problem).lambda_max
    assert estimate_lambda_max(problem) == pytest.approx(exact, rel=0.01)
    # Anywhere: the Hessian of a quadratic is the same at every θ.
    assert estimate_lambda_max(problem, vector=np.array([5.0, -40.0, 1.0][: len(problem.names)])) == pytest.approx(exact, rel=0.01)


def test_huber_estimate_matches_its_hessian_where_the_run_is_and_leaves_the_parameters_alone():
    data = made_up_data()
    problem = make_problem(Settings(points=len(data), loss="huber", huber_delta=2.0, device="cpu"), data)
    before = problem.model.theta.detach().clone()
    vector = np.array([2.4, -3.5])
    # torch's huber is ½r² within delta: its Hessian there is (1/N)·Σ φφᵀ over the points inside.
    x, y = data.x, data.y
    phi = np.stack([x, np.ones_like(x)], axis=1)
    inside = np.abs(phi @ vector - y) < 2.0
    expected = np.linalg.eigvalsh(phi[inside].T @ phi[inside] / len(x))[-1]
    analysis = analyse(problem, vector)
    assert not analysis.exact and analysis.as_dict()["estimate"] is True
    assert analysis.lambda_max == pytest.approx(expected, rel=0.01)
    assert analysis.lr_max == pytest.approx(2.0 / expected, rel=0.01)
    assert analysis.as_dict()["lambda_min"] is None and analysis.as_dict()["lr_best"] is None
    assert torch.equal(problem.model.theta.detach(), before)


def test_mae_has_no_curvature_and_reports_nulls_not_nan():
    analysis = analyse(make_problem(Settings(loss="mae", device="cpu")))
    assert analysis.lambda_max == 0.0
    assert analysis.as_dict() == {"lambda_max": 0.0, "lambda_min": None, "condition_number": None, "lr_max": None,
                                  "lr_best": None, "estimate": True}


def test_a_singular_hessian_has_an_infinite_condition_number_reported_as_null():
    report = analyse(make_problem(Settings(model="poly:10", device="cpu"))).as_dict()
    assert report["condition_number"] is None or report["condition_number"] > 1e20
    assert all(value is None or math.isfinite(value) for value in report.values())


def test_predicted_steps_is_when_the_slowest_direction_has_shrunk_a_thousandfold():
    problem = make_problem(Settings(device="cpu", points=40, x_max=3.0))
    analysis = analyse(problem)
    hessian = 2.0 / 40 * problem.model.features_np(problem.dataset.x).T @ problem.model.features_np(problem.dataset.x)
    for lr in (0.3 * analysis.lr_max, analysis.lr_best, 0.99 * analysis.lr_max):
        # Plain GD on the quadratic, in float64: error ← (I − lr·H)·error, from the slowest direction.
        error = analysis.slow_direction if lr * analysis.lambda_min <= 2 - lr * analysis.lambda_max else analysis.fast_direction
        error, steps = error.copy(), 0
        while np.linalg.norm(error) > 1e-3:
            error = error - lr * hessian @ error
            steps += 1
        assert predicted_steps(analysis, lr) == steps
    assert predicted_steps(analysis, 1.01 * analysis.lr_max) == math.inf


def test_divergence_is_explained_with_the_step_both_rates_and_a_fix():
    problem = make_problem(Settings(device="cpu", lr=5e-4))
    analysis, last = analyse(problem), last_snapshot(problem)
    twin = analyse(make_problem(Settings(device="cpu", lr=5e-4, standardize=True)))
    text = explain_divergence(last.diverged_at, 5e-4, analysis, standardized_analysis=twin)
    assert f"step {last.diverged_at}" in text
    assert "0.0005" in text and f"{analysis.lr_max:.3g}" in text and "converges fastest" not in text
    assert "--standardize" in text and "--lr" in text
    assert "--standardize" not in explain_divergence(4, 1.5, analyse(make_problem(Settings(device="cpu", standardize=True))),
                                                     standardized=True)


def test_the_tutorial_stall_along_b_is_told_in_words_and_a_converged_run_is_not():
    problem = make_problem(Settings(device="cpu"))
    analysis, optimum = analyse(problem), least_squares(problem)
    snapshots = list(descend(problem))
    text = explain_stall(snapshots[-1], optimum, analysis, lr=1e-4)
    assert text is not None
    assert "b = 0.2659" in text and "13,208" in text and "k = 1.012" in text
    # At the start the error is mostly across the valley (k is far off): that is no stall.
    assert explain_stall(snapshots[0], optimum, analysis, lr=1e-4) is None
    round_problem = make_problem(Settings(device="cpu", standardize=True, lr=0.5, steps=50))
    assert explain_stall(last_snapshot(round_problem), least_squares(round_problem), analyse(round_problem), lr=0.5) is None


def test_a_warning_before_the_run_only_when_lr_is_above_lr_max():
    analysis = analyse(make_problem(Settings(device="cpu")))
    assert warn_lr(analysis, 0.9 * analysis.lr_max) is None
    text = warn_lr(analysis, 5e-4)
    assert "0.0005" in text and f"{analysis.lr_max:.3g}" in text and "diverge" in text


def test_live_analysis_computes_the_exact_one_once_and_estimates_every_few_calls():
    exact = LiveAnalysis(make_problem(Settings(device="cpu")), every=3)
    first = exact.at()
    assert all(exact.at() is first for _ in range(5))
    problem = make_problem(Settings(device="cpu", loss="huber", steps=5))
    live = LiveAnalysis(problem, every=3)
    snapshots = list(descend(problem))
    seen = [live.at(snapshot) for snapshot in snapshots]
    assert seen[0] is seen[1] is seen[2] and seen[3] is not seen[2]
    assert seen[3].lambda_max == pytest.approx(estimate_lambda_max(problem, snapshots[3].vector))
