"""Explanations that are always true: κ past double precision, singular problems, and the cases where words must not appear."""

import json
from types import SimpleNamespace

import numpy as np
import pytest

from engine.data.synthetic import Dataset
from engine.descent.problem import make_problem
from engine.maths.curvature import Analysis, analyse
from engine.settings.run_settings import Settings
from engine.words.explain import condition_words, explain_excess, explain_stall, kappa_short
from tests.helpers import run_cli


def _analysis(kappa: float, singular: bool = False) -> Analysis:
    return Analysis(
        lambda_max=kappa, lambda_min=0.0 if singular else 1.0, condition_number=float("inf") if singular else kappa, lr_max=2 / kappa,
        lr_best=2 / (kappa + 1), exact=True, slow_direction=np.array([0.0, 1.0]), fast_direction=np.array([1.0, 0.0]), singular=singular,
    )


def _snapshot(k: float, b: float):
    return SimpleNamespace(vector=np.array([k, b]), step=100, params={"k": k, "b": b}, layout=SimpleNamespace(names=("k", "b")))


OPTIMUM = SimpleNamespace(vector=np.array([1.0, 1.0]), params={"k": 1.0, "b": 1.0})


@pytest.mark.slow
def test_kappa_past_double_precision_is_a_bound_not_infinity():
    hard = make_problem(Settings(model="poly:10", device="cpu", x_min=-9, x_max=-3, points=82))
    analysis = analyse(hard)
    assert analysis.condition_number > 1e15 and not analysis.singular and analysis.lambda_min > 0
    assert kappa_short(analysis) == "> 1e15" and "beyond double precision" in condition_words(analysis)
    summary = run_cli("run", "--model", "poly:10", "--x-min", "-9", "--x-max", "-3", "--points", "82", "--steps", "2", "--lr", "1e-20")
    assert "κ > 1e15" in summary.stdout and "κ = inf" not in summary.stdout and "singular" not in summary.stdout


@pytest.mark.slow
def test_all_x_equal_is_singular(tmp_path):
    x, y = np.full(20, 3.0), np.arange(20.0)
    analysis = analyse(make_problem(Settings(device="cpu"), Dataset(x, y, "t")))
    assert analysis.singular and analysis.lambda_min == 0.0 and analysis.as_dict()["singular"] is True
    assert kappa_short(analysis) == "∞ (singular)" and "singular" in condition_words(analysis)
    data = tmp_path / "flat.csv"
    data.write_text("".join(f"3,{i}\n" for i in range(20)))
    report = json.loads(run_cli("run", "--data", str(data), "--steps", "3", "--json").stdout)
    assert report["analysis"]["singular"] is True and report["analysis"]["condition_number"] is None
    assert "κ = ∞ (singular)" in run_cli("run", "--data", str(data), "--steps", "3").stdout


def test_an_ordinary_kappa_is_said_as_a_number():
    analysis = analyse(make_problem(Settings(device="cpu")))
    assert kappa_short(analysis) == "13,208" and condition_words(analysis) == "about 13,208"


def test_no_standardize_advice_when_already_standardized():
    stalled = _snapshot(1.0001, 50.0)
    assert "--standardize" in explain_stall(stalled, OPTIMUM, _analysis(1e4), lr=None, standardized_analysis=_analysis(1.0))
    text = explain_stall(stalled, OPTIMUM, _analysis(1e4), lr=None, standardized=True, standardized_analysis=_analysis(1.0))
    assert text is not None and "--standardize" not in text and "Standardizing" not in text


def test_close_to_only_when_close():
    assert "k = 1 is close to its optimum 1" in explain_stall(_snapshot(1.0001, 50.0), OPTIMUM, _analysis(1e4))
    far = explain_stall(_snapshot(4.0, 500.0), OPTIMUM, _analysis(1e4))  # along ≫ across, yet k is 300% off
    assert far is not None and "close" not in far and "b = 500 is still far from 1" in far


def test_the_real_tutorial_stall_keeps_its_words():
    from engine.maths.optimum import least_squares
    from tests.helpers import last_snapshot

    problem = make_problem(Settings(device="cpu"))
    text = explain_stall(last_snapshot(problem), least_squares(problem), analyse(problem), lr=1e-4)
    assert "k = 1.012 is close to its optimum 1.015" in text and "about 13,208" in text


def test_below_the_optimum_is_never_said_without_a_word():
    assert explain_excess(0.5, 0.4, 1e-3, "float32") is None  # above the optimum: nothing to explain
    assert explain_excess(None, 0.4, None, "float32") is None
    text = explain_excess(0.739355, 0.739372, 2.5e-6, "float32")
    assert "below the least-squares optimum" in text and "float32" in text and "2.5e-06 above it" in text


def test_the_analysis_panel_says_the_bound_too():
    from tui.widgets.analysis_text import analysis_text

    hard = analyse(make_problem(Settings(model="poly:10", device="cpu", x_min=-9, x_max=-3, points=82)))
    for compact in (False, True):
        text = analysis_text(hard, 1e-20, compact=compact).plain
        assert "κ > 1e15" in text and "∞" not in text
    assert "κ 13,208" in analysis_text(analyse(make_problem(Settings(device="cpu"))), 1e-4).plain
