"""The rules module against float64 runs of torch's own optimizers on a 2×2 quadratic, never against itself."""

from __future__ import annotations

import math

import pytest
import torch

from engine.maths import optimizer_rules as rules

STEEP, FLAT = 6701.8, 0.5074
"""The tutorial's eigenvalues (default data): the quadratic ½·θᵀ·diag(STEEP, FLAT)·θ has its error along the axes."""


def torch_run(optimizer: str, lr: float, steps: int, beta: float = 0.9, start=(1.0, 1.0)) -> torch.Tensor:
    """θ after `steps` of torch's own update rule on ½θᵀHθ in float64 (the optimum is 0, so θ is the error)."""
    theta = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    h = torch.tensor([STEEP, FLAT], dtype=torch.float64)
    if optimizer in ("sgd", "manual"):
        opt = torch.optim.SGD([theta], lr=lr)
    else:
        opt = torch.optim.SGD([theta], lr=lr, momentum=beta, nesterov=optimizer == "nesterov")
    for _ in range(steps):
        opt.zero_grad()
        (0.5 * (h * theta * theta).sum()).backward()
        opt.step()
    return theta.detach()


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov"])
def test_each_rules_limit_is_where_torchs_own_run_stops_converging(optimizer):
    limit = rules.lr_limit(STEEP, optimizer, 0.9)
    assert limit == pytest.approx({"sgd": 2 / STEEP, "momentum": 3.8 / STEEP, "nesterov": 3.8 / (2.8 * STEEP)}[optimizer])
    assert abs(torch_run(optimizer, 0.99 * limit, 3000)[0]) < 1e-3
    assert abs(torch_run(optimizer, 1.01 * limit, 3000)[0]) > 1e3


def test_nesterovs_limit_is_below_plain_descents_the_advice_it_used_to_get_diverges():
    """Issue 21: nesterov at 3e-4 was told "below 0.000298"; 2.83e-4 diverges, its own limit is 2.02e-4."""
    assert rules.lr_limit(STEEP, "nesterov") == pytest.approx(2.025e-4, rel=1e-3)
    blown = abs(torch_run("nesterov", 2.83e-4, 2000)[0])
    assert not blown < 1e3  # inf, or nan once inf − inf


@pytest.mark.parametrize(
    ("optimizer", "lr"), [("sgd", 1e-4), ("sgd", 2.984e-4), ("momentum", 1e-4), ("momentum", 5e-4), ("nesterov", 1.5e-4)]
)
@pytest.mark.parametrize("steps", [1, 2, 7, 100, 1000])
def test_fraction_left_is_what_torchs_run_leaves_along_each_direction(optimizer, lr, steps):
    theta = torch_run(optimizer, lr, steps)
    assert rules.fraction_left(lr, STEEP, optimizer, steps) == pytest.approx(abs(float(theta[0])), rel=1e-6, abs=1e-300)
    assert rules.fraction_left(lr, FLAT, optimizer, steps) == pytest.approx(abs(float(theta[1])), rel=1e-6)


def test_the_issues_figures():
    assert rules.keep_per_step(1e-4, STEEP, "sgd") == pytest.approx(0.3298, abs=1e-4)
    assert rules.keep_per_step(1e-4, FLAT, "sgd") == pytest.approx(0.99995, abs=1e-5)
    assert rules.keep_per_step(1e-4, FLAT, "momentum", 0.9) == pytest.approx(0.99949, abs=1e-5)
    best = rules.momentum_best(STEEP, FLAT)
    assert best.beta == pytest.approx(0.966, abs=1e-3) and best.lr == pytest.approx(5.87e-4, rel=1e-3)
    assert best.rate == pytest.approx(0.983, abs=1e-3)
    # at β*, lr* both extreme directions keep √β* a step (the classical optimum), checked on the recurrence
    assert rules.keep_per_step(best.lr, STEEP, "momentum", best.beta) == pytest.approx(best.rate, rel=1e-6)
    assert rules.keep_per_step(best.lr, FLAT, "momentum", best.beta) == pytest.approx(best.rate, rel=1e-6)
    plain = rules.plain_best(STEEP, FLAT)
    assert plain.lr == pytest.approx(2.984e-4, rel=1e-3)
    assert rules.keep_per_step(plain.lr, STEEP, "sgd") == pytest.approx(0.99985, abs=1e-5)
    assert rules.swings(plain.lr, STEEP, "sgd") and not rules.swings(1e-4, STEEP, "sgd")


def test_steps_to_shrink_beyond_double_precision_is_none_not_a_division_by_zero():
    kappa = 1e17
    rate = (kappa - 1) / (kappa + 1)
    assert rate == 1.0  # the old formula's trap: log(rate) = 0
    beyond = rules.plain_best(1.0, 1e-17)
    assert beyond.rate == 1.0 and beyond.steps() == pytest.approx(math.log(1000) / 2e-17, rel=1e-9)
    assert "more steps than can be counted" in rules.steps_words(beyond.steps())
    assert rules.plain_best(1.0, 1e-6).steps() == math.ceil(math.log(1000) / -math.log((1 - 1e-6) / (1 + 1e-6)))
    assert rules.plain_best(1.0, 0.0).steps() == math.inf and rules.steps_words(math.inf) == "never"
    assert rules.steps_to_shrink(1.0) == math.inf and rules.steps_to_shrink(0.0) == 1.0
    best = rules.momentum_best(1.0, 1e-30)
    assert 0 < best.lr < math.inf and best.rate < 1


def test_adaptive_rules_have_no_limit_and_no_factor():
    for name in rules.ADAPTIVE:
        assert rules.lr_limit(STEEP, name) is None
        assert rules.keep_per_step(0.05, STEEP, name) is None
        assert rules.fraction_left(0.05, STEEP, name, 10) is None
        assert not rules.has_limit(name)
