"""Predictions (issue 22): each question's answer is computed for the settings asked about, never written in.

The same question under other settings has another answer; the closed forms are checked against exact
arithmetic (fractions) and a float64 recurrence step by step; the rewind tape stays bounded.
"""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import numpy as np
import pytest

from engine.descent.history import Tape
from engine.descent.problem import make_problem
from engine.maths.curvature import analyse
from engine.maths.optimizer_rules import fraction_left, lr_limit
from engine.settings.run_settings import Settings
from engine.words.predictions import ask, prompt, rule_of

TUTORIAL = Settings(device="cpu")


def question(kind, raw_kappa=None, **changes):
    settings = TUTORIAL.with_changes(**changes)
    problem = make_problem(settings)
    analysis = analyse(problem)
    if kind == "kappa":
        raw_kappa = analyse(make_problem(settings.with_changes(standardize=False))).condition_number
    return ask(kind, settings, analysis, 0, raw_kappa, problem.names)


def test_the_tutorials_numbers_are_the_ones_the_questions_use():
    analysis = analyse(make_problem(TUTORIAL))
    assert analysis.lambda_max == pytest.approx(6701.8, abs=0.1)
    assert analysis.lambda_min == pytest.approx(0.5074, abs=1e-4)
    assert lr_limit(analysis.lambda_max, "manual") == pytest.approx(2.984e-4, rel=1e-3)
    assert 1 - 1e-4 * analysis.lambda_max == pytest.approx(0.3298, abs=1e-4)
    left = question("left")
    assert left.facts["left"] == pytest.approx(0.95, abs=0.005)  # ~95% of b's (flat) error left after 1000 steps


@pytest.mark.parametrize(
    ("changes", "answer"),
    [
        ({"lr": 1e-4}, "converges smoothly"),  # lr·λmax = 0.67
        ({"lr": 2.9e-4}, "zig-zags and converges"),  # 1.94
        ({"lr": 1e-3}, "diverges"),  # 6.7
        ({"lr": 5e-4, "optimizer": "momentum"}, "converges"),  # under 2(1+β)/λmax = 5.67e-4
        ({"lr": 6e-4, "optimizer": "momentum"}, "diverges"),
        ({"lr": 2.5e-4, "optimizer": "nesterov"}, "diverges"),  # over 2(1+β)/((1+2β)λmax) = 2.03e-4
        ({"lr": 1e-4, "optimizer": "nesterov"}, "converges"),
        ({"lr": 0.3, "standardize": True}, "converges smoothly"),  # κ = 1, λ = 2: lr·λ = 0.6
        ({"lr": 0.9, "standardize": True}, "zig-zags and converges"),
    ],
)
def test_the_lr_question_has_the_answer_of_its_settings(changes, answer):
    asked = question("regime", **changes)
    assert asked.options[asked.answer] == answer, prompt(asked)


@pytest.mark.parametrize(
    ("changes", "answer"),
    [
        ({}, "over 90%"),
        ({"lr": 2.9e-4, "steps": 20000}, "under 10%"),
        ({"optimizer": "momentum"}, "10% to 90%"),
        ({"lr": 0.1, "standardize": True, "steps": 100}, "under 10%"),
    ],
)
def test_the_error_left_question_has_the_answer_of_its_settings(changes, answer):
    asked = question("left", **changes)
    assert asked.options[asked.answer] == answer, prompt(asked)


def test_the_error_left_question_names_b_only_where_the_valleys_floor_is_b():
    assert "(λmin, mostly b)" in question("left").text  # x up to 100: the flat direction is (−0.015, 1)
    assert "(λmin, mostly k)" in question("left", x_min=-1, x_max=1.2, lr=0.1).text  # x² small: the flat direction is k's
    assert "mostly" not in question("left", x_min=0, x_max=1, lr=0.1).text  # (0.88, −0.47): k and b mix


def test_the_standardizing_question_has_the_answer_of_its_model():
    line = question("kappa", standardize=True, lr=0.1)
    cubic = question("kappa", standardize=True, lr=0.01, model="poly:3")
    assert line.options[line.answer] == "about 1"
    assert cubic.options[cubic.answer] == "about 100"  # x² and x³ stay correlated with 1 and x: κ ≈ 36


def test_questions_that_do_not_fit_say_why_instead_of_guessing():
    assert "adam" in question("regime", optimizer="adam")
    assert "diverges" in question("left", lr=1e-3)
    assert "mini-batches" in question("regime", batch_size=10)
    assert rule_of(TUTORIAL.with_changes(optimizer="sgd", weight_decay=0.1)) is None


def test_plain_error_left_is_the_exact_power():
    lr, lam = Fraction(1, 10_000), Fraction(5074, 10_000)
    exact = (1 - lr * lam) ** 1000
    assert fraction_left(float(lr), float(lam), "manual", 1000) == pytest.approx(float(exact), rel=1e-12)


@pytest.mark.parametrize("rule", ["momentum", "nesterov"])
def test_momentum_error_left_follows_torchs_update_step_by_step(rule):
    """v ← β·v + λe; momentum: e ← e − lr·v; nesterov: e ← e − lr·(λe + β·v), from v = 0, in float64."""
    lr, lam, beta = 1e-4, 0.5074, 0.9
    e, v = 1.0, 0.0
    for _ in range(1000):
        g = lam * e
        v = beta * v + g
        e -= lr * (v if rule == "momentum" else g + beta * v)
    assert fraction_left(lr, lam, rule, 1000, beta) == pytest.approx(abs(e), rel=1e-9)


def snap(step):
    return SimpleNamespace(step=step)


def test_the_tape_keeps_every_step_of_a_short_run():
    tape = Tape(capacity=100, head=8)
    for step in range(50):
        tape.add(snap(step))
    assert tape.steps() == list(range(50)) and not tape.decimated
    assert tape.move(20, -1).step == 19 and tape.move(20, 1).step == 21
    assert tape.move(0, -1).step == 0 and tape.move(49, 1).step == 49  # clamped at both ends


def test_the_tape_stays_bounded_and_evenly_spread_over_a_long_run():
    tape = Tape(capacity=64, head=8)
    for step in range(100_000):
        tape.add(snap(step))
    steps = tape.steps()
    assert len(steps) <= 64 + 8 + 1
    assert steps[:8] == list(range(8)) and steps[-1] == 99_999  # the head and the newest always
    gaps = np.diff(steps[8:-1])
    assert tape.decimated and set(gaps) == {tape.stride}  # evenly spread: every stride-th step
    assert tape.at(50_000).step <= 50_000 < tape.at(50_000).step + tape.stride


def test_a_branch_drops_later_steps_and_refuses_the_old_branchs_appends():
    tape = Tape(capacity=100, head=8)
    old = tape.generation
    for step in range(30):
        tape.add(snap(step), old)
    tape.truncate(12)
    assert tape.steps()[-1] == 12
    tape.add(snap(30), old)  # the cancelled worker takes one more step: not this branch's
    assert tape.steps()[-1] == 12
    new = tape.generation
    for step in range(13, 20):
        tape.add(snap(step), new)
    assert tape.steps() == list(range(20))


def test_keep_from_keeps_each_step_after_a_point_however_thinned():
    tape = Tape(capacity=16, head=4)
    for step in range(1000):
        if step == 600:
            tape.keep_from(600)
        tape.add(snap(step))
    steps = tape.steps()
    assert set(range(600, 605)) <= set(steps) and tape.decimated  # 600 and the head's 4 after it
    assert steps == sorted(steps) and len(steps) <= 16 + 4 + 4 + 1 + 1
