"""The race's verdict in words: the ranking's order, and each reason checked against its closed form."""

from __future__ import annotations

from fractions import Fraction

import pytest

from engine.words.race_verdict import RaceContext, RaceResult, heavy_ball_rate, ranking, verdict


def result(label, loss, optimizer=None, lr=1e-4, steps=1000, diverged_at=None, start=None, params=None):
    return RaceResult(label, optimizer or label, lr, loss, steps, diverged_at, start, params)


def test_finishers_rank_by_loss_then_non_finite_then_the_diverged_latest_first():
    results = [
        result("a", None, diverged_at=9),
        result("b", 5.0),
        result("c", None),
        result("d", 2.0),
        result("e", None, diverged_at=40),
        result("f", 2.0),
    ]
    assert [r.label for r in ranking(results)] == ["d", "f", "b", "c", "e", "a"]  # a tie keeps the race's order


def test_plain_descent_trails_by_the_closed_form_of_its_flat_direction():
    lambda_min, lr, steps = 0.5, 1e-4, 1000
    context = RaceContext(optimum_loss=90.0, lambda_min=lambda_min, condition_number=13_000.0)
    words = verdict([result("manual", 92.0), result("adam@0.05", 90.0, "adam", 0.05)], context)
    assert words[0] == "adam@0.05 wins with loss 90 — at the least-squares minimum after 1,000 steps."
    keep = 1 - Fraction(lr) * Fraction(lambda_min)  # plain steps multiply the flat error by (1 − lr·λmin)
    left = float(keep**steps)
    assert f"keep {float(keep):.5f} of the error a step" in words[1] and f"so {left:.0%} of it is left" in words[1]
    assert words[1].startswith("manual trails by 2: in the valley's flat direction (κ = 13,000) plain steps at lr 0.0001")


def test_heavy_ball_keeps_the_larger_root_of_its_recurrence():
    # e_{t+1} = (1 + β − a)e_t − β e_{t−1}: iterate it and compare the growth with the root
    a, beta = 5e-5, 0.9
    errors = [1.0, 1.0]
    for _ in range(20_000):
        errors.append((1 + beta - a) * errors[-1] - beta * errors[-2])
    observed = (errors[-1] / errors[-1001]) ** (1 / 1000)
    assert heavy_ball_rate(a, beta) == pytest.approx(observed, rel=1e-9)
    assert heavy_ball_rate(a, 0.0) == pytest.approx(1 - a)  # no momentum: plain descent
    assert heavy_ball_rate(1.0, 0.81) == pytest.approx(0.9)  # complex roots: |z| = √β


def test_adam_at_a_tiny_lr_trails_because_its_steps_are_lr_in_size():
    context = RaceContext(optimum_loss=92.0, optimum_params={"k": 1.0, "b": 0.08})
    start = {"k": 0.6, "b": 0.5}
    words = verdict([result("momentum", 92.5), result("adam", 354.0, start=start, params={"k": 0.7, "b": 0.4})], context)
    assert words[1] == (
        "adam trails by 261.5: its step in each parameter is bounded by about lr (and shrinks as the gradient's sign "
        "settles), so 1,000 steps of 0.0001 move a parameter at most ~0.1, and b had 0.42 to go."
    )


def test_the_diverged_are_told_their_step_and_the_limit_they_passed():
    context = RaceContext(lr_max=0.000298)
    words = verdict([result("sgd", None, lr=5e-4, steps=9, diverged_at=9), result("adam", 502.0, lr=5e-4, steps=50)], context)
    assert words == [
        "adam wins with loss 502 after 50 steps.",
        "sgd diverged at step 9: lr 0.0005 is above 2/λmax = 0.000298, where plain steps overshoot and grow.",
    ]
    everyone = verdict([result("a", None, diverged_at=12), result("b", None, diverged_at=9)], context)
    assert everyone == ["No winner: every racer diverged, the first at step 9."]


def test_without_a_closed_form_the_words_fall_back_to_the_farthest_parameter():
    context = RaceContext(optimum_loss=1.0, optimum_params={"c0": 0.0, "c1": 2.0})
    words = verdict([result("nesterov", 1.5, params={"c0": 0.1, "c1": 1.0}), result("lbfgs", 1.0)], context)
    assert words[1] == "nesterov trails by 0.5: its c1 ends 1 from the optimum's 2."


def test_momentum_diverges_past_its_own_limit_2_1_plus_beta_over_lambda_max():
    lambda_max, beta = 6702.0, 0.9
    context = RaceContext(lr_max=2 / lambda_max, momentum=beta)
    words = verdict([result("adam", 500.0, lr=1e-3), result("momentum", None, lr=6e-4, diverged_at=15)], context)
    assert words[1] == (
        f"momentum diverged at step 15: lr 0.0006 is above 2(1+β)/λmax = {2 * (1 + beta) / lambda_max:.3g}, "
        "where even momentum 0.9 swings wider each step."
    )
    # the limit is where the heavy-ball recurrence's larger root reaches 1 in size
    a = 2 * (1 + beta)
    assert heavy_ball_rate(a * 0.999, beta) < 1 < heavy_ball_rate(a * 1.001, beta)


def test_the_racer_at_lr_best_is_blamed_on_its_steep_direction_not_the_flat_one():
    """Issue 21: at lr_best the loser "trails … in the valley's flat direction … 86% of it is left" while the winner
    leaves 95% of its flat error; the excess lies along the steep direction, which swings from side to side."""
    from engine.descent.problem import make_problem
    from engine.maths.curvature import analyse
    from engine.maths.optimum import least_squares
    from engine.settings.run_settings import Settings
    from engine.words.race_verdict import race_context, race_result
    from tests.helpers import last_snapshot

    results = []
    for lr in (1e-4, 2.984e-4):
        problem = make_problem(Settings(device="cpu", lr=lr, dtype="float64"))
        first = make_problem(Settings(device="cpu", lr=lr, dtype="float64"))
        from engine.descent.descend import descend

        start = next(iter(descend(first)))
        results.append(race_result(f"manual@{lr:g}", problem.settings, start, last_snapshot(problem)))
    context = race_context(problem.settings, least_squares(problem), analyse(problem))
    words = verdict(results, context)
    assert words[1].startswith("manual@0.0002984 trails by")
    assert "lies along the steep direction" in words[1] and "swinging from side to side" in words[1]
    steep = abs(1 - 2.984e-4 * context.lambda_max) ** 1000  # the closed form of the fraction left
    assert f"{steep:.0%} of it is left" in words[1]
    # the excess the words put on the steep direction is ½·λmax·(e·v)² of the run's own final error
    error = results[1].end_vector - context.optimum_vector
    assert f"{0.5 * context.lambda_max * float(error @ context.steep) ** 2:.4g} lies along" in words[1]
