"""The teaching is true (issue 12, item 4): lr_best's limits, "close" only when close, saturated tanh units, presets."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.maths.curvature import analyse
from engine.maths.optimum import least_squares
from engine.maths.standardized import twin_analysis
from engine.settings.presets import PRESETS, apply_preset
from engine.settings.run_settings import Settings
from engine.words.explain import APP_FIXES, explain_end, explain_lr_best, explain_saturation, explain_stall, lr_limit, warn_lr
from tests.helpers import last_snapshot


def _csv(tmp_path, x, y, name="data.csv"):
    path = tmp_path / name
    path.write_text("height,weight\n" + "".join(f"{float(a)!r},{float(b)!r}\n" for a, b in zip(x, y, strict=True)))
    return str(path)


def test_lr_best_says_no_lr_is_fast_how_fast_the_best_is_and_what_fixes_it():
    problem = make_problem(Settings(device="cpu"))
    analysis = analyse(problem)
    text = explain_lr_best(analysis, standardized_analysis=twin_analysis(problem))
    kappa = Fraction(analysis.condition_number)
    rate = (kappa - 1) / (kappa + 1)
    assert "no lr makes plain gradient descent fast" in text
    assert f"{float(rate):.5f}" in text and "(κ−1)/(κ+1)" in text
    # the steps it takes: the smallest n with rateⁿ ≤ 1/1000
    steps = math.ceil(math.log(1000) / -math.log(float(rate)))
    assert float(rate) ** steps <= 1e-3 < float(rate) ** (steps - 1)
    assert f"{steps:,} steps" in text
    assert "--standardize" in text and "--optimizer momentum" in text
    root = math.sqrt(analysis.condition_number)
    assert f"{(root - 1) / (root + 1):.3f}" in text
    # in the app each remedy is a key, and standardizing is not offered when it is already on
    app = explain_lr_best(analysis, fixes=APP_FIXES, standardized_analysis=twin_analysis(problem))
    assert "key z" in app and "key m" in app
    assert "standardiz" not in explain_lr_best(analysis, standardized=True)


def test_lr_best_says_nothing_where_the_valley_is_round():
    round_analysis = analyse(make_problem(Settings(device="cpu", standardize=True)))
    assert round_analysis.condition_number < 2
    assert explain_lr_best(round_analysis) is None


def test_close_to_its_optimum_only_when_it_is(tmp_path):
    # 10 rows far from the origin: after 1000 steps k = 7.05 against its optimum 4.30, which is not close
    rng = np.random.default_rng(1)
    x = np.arange(1, 11) * 10.0
    path = _csv(tmp_path, x, 4.3 * x + 200 + rng.normal(0, 5, 10))
    problem = make_problem(Settings(device="cpu", data=path))
    analysis, optimum, last = analyse(problem), least_squares(problem), last_snapshot(problem)
    assert abs(last.params["k"] - optimum.params["k"]) > 0.5 * abs(optimum.params["k"])  # the premise: far off
    text = explain_stall(last, optimum, analysis, lr=1e-4)
    assert text is not None and "close to its optimum" not in text
    assert f"k = {last.params['k']:.4g} (optimum {optimum.params['k']:.4g})" in text
    # the tutorial: k within 0.3% of its optimum is close, b is not
    tutorial = make_problem(Settings(device="cpu"))
    best = least_squares(tutorial)
    end = last_snapshot(tutorial)
    assert abs(end.params["k"] - best.params["k"]) < 0.05 * abs(best.params["k"])
    assert "k = 1.012 is close to its optimum 1.015" in explain_stall(end, best, analyse(tutorial), lr=1e-4)


def test_a_csv_where_k_sits_near_zero_is_judged_against_its_own_size(tmp_path):
    # y nearly flat: k* ≈ 0.01, b* ≈ 50; k = 0.3 is 30× its optimum and must not read as close
    x = np.linspace(0, 100, 10)
    path = _csv(tmp_path, x, 50 + 0.01 * x + np.array([1, -1] * 5, dtype=float), "flat.csv")
    problem = make_problem(Settings(device="cpu", data=path, steps=200))
    analysis, optimum, last = analyse(problem), least_squares(problem), last_snapshot(problem)
    text = explain_stall(last, optimum, analysis, lr=1e-4)
    assert text is not None
    if abs(last.params["k"] - optimum.params["k"]) > 0.05 * abs(optimum.params["k"]):
        assert "close to its optimum" not in text


def test_no_standardize_advice_when_standardize_is_on():
    problem = make_problem(Settings(device="cpu"))
    analysis, optimum, last = analyse(problem), least_squares(problem), last_snapshot(problem)
    assert "--standardize" in explain_stall(last, optimum, analysis, lr=1e-4, standardized_analysis=twin_analysis(problem))
    on = explain_stall(last, optimum, analysis, lr=1e-4, standardized=True, standardized_analysis=twin_analysis(problem))
    assert "standardiz" not in on.lower() and "--optimizer momentum" in on


def test_an_mlp_on_unscaled_x_is_told_its_tanh_units_saturate():
    settings = Settings(device="cpu", dataset="sine", model="mlp:16", optimizer="adam", lr=0.01, steps=50)
    problem = make_problem(settings)
    last = last_snapshot(problem)
    text = explain_saturation(problem, last)
    assert text is not None and "saturated" in text and "--standardize" in text
    # the share quoted is the share of |w₁x + b₁| > 3 over every (point, unit) pair
    hidden = 16
    w1, b1 = last.vector[:hidden], last.vector[hidden : 2 * hidden]
    share = np.mean(np.abs(np.outer(problem.dataset.x, w1) + b1) > 3)
    assert f"{100 * share:.0f}%" in text
    assert explain_end(problem, last, None, analyse(problem)) == text
    # on standardized x the same network is not saturated, and a linear model never is
    standardized = make_problem(settings.with_changes(standardize=True))
    assert explain_saturation(standardized, last_snapshot(standardized)) is None
    linear = make_problem(Settings(device="cpu", steps=3))
    assert explain_saturation(linear, last_snapshot(linear)) is None


@pytest.mark.parametrize("name", list(PRESETS))
def test_a_preset_never_warns_about_its_own_settings(name):
    settings = apply_preset(name).with_changes(device="cpu")
    analysis = analyse(make_problem(settings))
    warning = warn_lr(analysis, settings.lr, settings.optimizer, settings.momentum)
    if name == "diverge":  # its lesson is the divergence: the warning predicts it, and it happens
        assert warning is not None and "will diverge" in warning
        assert last_snapshot(make_problem(settings)).status == "diverged"
    else:
        assert warning is None, warning


def test_adaptive_rules_are_not_held_to_plain_descents_limit():
    analysis = analyse(make_problem(Settings(device="cpu")))
    assert lr_limit(analysis, "adam") is None and warn_lr(analysis, 1.0, "adam") is None
    assert warn_lr(analysis, 1.01 * analysis.lr_max, "manual") is not None


@pytest.mark.parametrize("optimizer", ["momentum", "nesterov"])
def test_the_heavy_ball_limit_is_where_momentum_starts_to_diverge(optimizer):
    base = Settings(device="cpu", optimizer=optimizer, steps=3000)
    analysis = analyse(make_problem(base))
    limit = lr_limit(analysis, optimizer, base.momentum)
    beta = 0.9  # lr·λmax < 2(1+β) for heavy ball, 2(1+β)/(1+2β) for Nesterov: 3.8 and 1.357…
    bound = 2 * (1 + beta) if optimizer == "momentum" else 2 * (1 + beta) / (1 + 2 * beta)
    assert limit * analysis.lambda_max == pytest.approx(bound, rel=1e-12)
    below = last_snapshot(make_problem(base.with_changes(lr=0.97 * limit)))
    above = last_snapshot(make_problem(base.with_changes(lr=1.03 * limit)))
    assert below.status == "done" and above.status == "diverged"
    assert warn_lr(analysis, 0.97 * limit, optimizer) is None
    assert f"{optimizer} will diverge" in warn_lr(analysis, 1.03 * limit, optimizer)


def test_descent_run_prints_the_same_words(capsys):
    from tui.cli.run import run_headless

    assert run_headless(Settings(device="cpu", dataset="sine", model="mlp:16", optimizer="adam", lr=0.01, steps=30)) == 0
    assert "tanh units are saturated" in capsys.readouterr().out
    analysis = analyse(make_problem(Settings(device="cpu")))
    assert run_headless(Settings(device="cpu", lr=float(f"{analysis.lr_best:g}"))) == 0
    out = capsys.readouterr().out
    assert "no lr makes plain gradient descent fast" in out and "--optimizer momentum" in out


def test_the_start_of_a_run_is_never_a_stall():
    problem = make_problem(Settings(device="cpu"))
    first = next(iter(descend(problem)))
    assert explain_end(problem, first, least_squares(problem), analyse(problem)) is None
