"""The lr limit each update rule is warned against (engine.words.explain.lr_limit), checked by its own recurrence.

On a quadratic with curvature λ the error along that direction follows a linear recurrence; the rule is stable
when its iteration matrix has spectral radius < 1. Here the recurrence is iterated in float64, just inside and
just outside the limit, with torch.optim's update rules written out: the limit is where it turns.
"""

import pytest

from engine.maths.curvature import Analysis
from engine.words.explain import lr_limit

LAMBDA = 6702.0  # the tutorial's λmax
STEPS = 4_000


def analysis() -> Analysis:
    return Analysis(lambda_max=LAMBDA, lambda_min=0.5, condition_number=LAMBDA / 0.5, lr_max=2 / LAMBDA, lr_best=None, exact=True)


def final_error(rule: str, lr: float, beta: float) -> float:
    """|θ| after STEPS updates of `rule` from θ = 1 on L = λθ²/2 (g = λθ), in float64."""
    theta, velocity = 1.0, 0.0
    for _ in range(STEPS):
        grad = LAMBDA * theta
        if rule == "manual":
            theta -= lr * grad
        elif rule == "momentum":  # torch: v ← βv + g; θ ← θ − lr·v
            velocity = beta * velocity + grad
            theta -= lr * velocity
        else:  # nesterov, torch: v ← βv + g; θ ← θ − lr·(g + βv)
            velocity = beta * velocity + grad
            theta -= lr * (grad + beta * velocity)
    return abs(theta) if abs(theta) < float("inf") else float("inf")  # overflow (inf, then nan): diverged


@pytest.mark.parametrize("rule", ["manual", "momentum", "nesterov"])
@pytest.mark.parametrize("beta", [0.5, 0.9])
def test_the_limit_is_where_the_recurrence_turns_from_converging_to_diverging(rule, beta):
    limit = lr_limit(analysis(), rule, beta)
    assert final_error(rule, 0.98 * limit, beta) < 1e-3
    assert final_error(rule, 1.02 * limit, beta) > 1e3


def test_adaptive_rules_have_no_limit():
    for rule in ("adam", "adamw", "rmsprop", "adagrad", "lbfgs"):
        assert lr_limit(analysis(), rule) is None
