"""One rule per update rule: on a quadratic loss, what each optimizer does to the error along one eigenvector.

Along an eigenvector of H with eigenvalue λ, with a = lr·λ, the error e of each rule follows (torch's SGD,
dampening 0, velocity starting at 0):

- plain (`manual`, `sgd`): e_{t+1} = (1 − a)·e_t. Stable while a < 2: lr_max = 2/λmax.
- heavy ball (`momentum`, β): e_{t+1} = (1 + β − a)·e_t − β·e_{t−1}, e_1 = (1 − a)·e_0. Stable while
  a < 2(1 + β): lr_max = 2(1 + β)/λmax.
- Nesterov (`nesterov`, β): e_{t+1} = (1 + β)(1 − a)·e_t − β(1 − a)·e_{t−1}, e_1 = (1 − a(1 + β))·e_0.
  Stable while a < 2(1 + β)/(1 + 2β): lr_max = 2(1 + β)/((1 + 2β)·λmax).
- adaptive (`adam`, `adamw`, `rmsprop`, `adagrad`): each coordinate's step is divided by a running size of its
  own gradient, so its length is bounded by about lr and shrinks as the gradient's sign settles; no lr_max
  follows from λ, and no per-direction factor: these functions return None for them.

The per-direction factors are checked against float64 runs of torch's own optimizers in
tests/engine/test_optimizer_rules.py. The module is pure arithmetic (no torch, no numpy), so any room may use it.
"""

from __future__ import annotations

import cmath
import math
from dataclasses import dataclass

from engine.settings.run_settings import PLAIN_DESCENT

PLAIN = PLAIN_DESCENT
"""θ ← θ − lr·∇L."""
HEAVY_BALL = ("momentum",)
"""torch's SGD with momentum β (dampening 0)."""
NESTEROV = ("nesterov",)
"""torch's SGD with momentum β and nesterov=True."""
ADAPTIVE = ("adam", "adamw", "rmsprop", "adagrad")
"""Per-coordinate steps scaled by the gradient's own running size: no lr_max from the curvature."""
SWINGS = 0.9
"""Where the factor |1 − lr·λ| of plain descent is at least this and 1 − lr·λ < 0, the direction swings from side
to side and settles slowly (a sign flip every step)."""


def has_limit(optimizer: str) -> bool:
    """Whether the curvature gives this rule an lr_max (plain, heavy ball, Nesterov) or not (adaptive, lbfgs)."""
    return optimizer in PLAIN + HEAVY_BALL + NESTEROV


def limit_factor(optimizer: str, beta: float = 0.9) -> float | None:
    """The largest stable a = lr·λ of the rule: 2, 2(1+β), 2(1+β)/(1+2β); None where there is none."""
    if optimizer in PLAIN:
        return 2.0
    if optimizer in HEAVY_BALL:
        return 2.0 * (1.0 + beta)
    if optimizer in NESTEROV:
        return 2.0 * (1.0 + beta) / (1.0 + 2.0 * beta)
    return None


def limit_formula(optimizer: str) -> str | None:
    """The stability limit as the words write it: "2/λmax", "2(1+β)/λmax", "2(1+β)/((1+2β)·λmax)"."""
    return {"plain": "2/λmax", "heavy": "2(1+β)/λmax", "nesterov": "2(1+β)/((1+2β)·λmax)"}.get(_family(optimizer))


def rule_name(optimizer: str) -> str:
    """The rule in words: "plain gradient descent", "heavy-ball momentum", "Nesterov momentum", "adam"."""
    return {"plain": "plain gradient descent", "heavy": "heavy-ball momentum", "nesterov": "Nesterov momentum"}.get(
        _family(optimizer), optimizer
    )


def lr_limit(lambda_max: float | None, optimizer: str, beta: float = 0.9) -> float | None:
    """The largest lr at which the rule converges on a quadratic whose top eigenvalue is λmax.

    None for rules the curvature does not bound (adaptive ones) and when λmax is unknown; inf when λmax ≤ 0.
    """
    factor = limit_factor(optimizer, beta)
    if factor is None or lambda_max is None or not math.isfinite(lambda_max):
        return None
    return factor / lambda_max if lambda_max > 0 else math.inf


def keep_per_step(lr: float, lam: float, optimizer: str, beta: float = 0.9) -> float | None:
    """The asymptotic factor the error along a direction of curvature λ is multiplied by each step (in size).

    |1 − a| for plain descent; for momentum the spectral radius of its two-step recurrence (the larger root in
    size of z² − c₁z + c₀); None for adaptive rules.
    """
    a = lr * lam
    family = _family(optimizer)
    if family == "plain":
        return abs(1.0 - a)
    if family is None:
        return None
    c1, c0 = _recurrence(a, beta, family)
    root = cmath.sqrt(c1 * c1 - 4.0 * c0)
    return max(abs((c1 + root) / 2.0), abs((c1 - root) / 2.0))


def shrink_per_step(lr: float, lam: float, optimizer: str, beta: float = 0.9) -> float | None:
    """−ln of `keep_per_step`, accurate where the factor is within a rounding of 1 (plain: −log1p(−lr·λ)); None for adaptive rules.

    0 where the direction does not shrink (or grows): no count of steps shrinks it.
    """
    keep = keep_per_step(lr, lam, optimizer, beta)
    if keep is None:
        return None
    a = lr * lam
    if _family(optimizer) == "plain" and 0.0 <= a < 0.5:
        return -math.log1p(-a)
    if keep == 0.0:
        return math.inf
    return max(-math.log(keep), 0.0)


def steps_at(lr: float, lambdas, optimizer: str, beta: float = 0.9, factor: float = 1000.0) -> float | None:
    """Steps for the slowest of the directions `lambdas` to shrink `factor`× at this lr (inf: never); None for adaptive rules."""
    shrinks = [shrink_per_step(lr, lam, optimizer, beta) for lam in lambdas]
    if any(shrink is None for shrink in shrinks):
        return None
    return steps_for_shrink(min(shrinks), factor)


def fraction_left(lr: float, lam: float, optimizer: str, steps: int, beta: float = 0.9) -> float | None:
    """|e_t / e_0| after `steps` steps along a direction of curvature λ, from the exact recurrence (velocity 0 at start).

    For plain descent this is |1 − lr·λ|^t; for momentum the recurrence is iterated by squaring its 2×2 matrix,
    so any t costs ~log t products. inf once it overflows; None for adaptive rules.
    """
    a = lr * lam
    family = _family(optimizer)
    if family is None:
        return None
    if steps <= 0:
        return 1.0
    if family == "plain":
        return _power(abs(1.0 - a), steps)
    c1, c0 = _recurrence(a, beta, family)
    first = 1.0 - a if family == "heavy" else 1.0 - a * (1.0 + beta)
    if steps == 1:
        return abs(first)
    # (e_t, e_{t−1}) = M^{t−1}·(e_1, e_0), M = [[c1, −c0], [1, 0]]
    m = _matrix_power(((c1, -c0), (1.0, 0.0)), steps - 1)
    value = m[0][0] * first + m[0][1]
    return abs(value) if math.isfinite(value) else math.inf


def swings(lr: float, lam: float, optimizer: str) -> bool:
    """Plain descent along λ overshoots every step (1 − lr·λ < 0) and keeps ≥ SWINGS of its error: a slow side-to-side swing."""
    return _family(optimizer) == "plain" and 1.0 - lr * lam < 0 and abs(1.0 - lr * lam) >= SWINGS


COUNTABLE = 1e15
"""More steps than this are beyond any run (and beyond float64's whole numbers): the words say so instead of a count."""


@dataclass(frozen=True)
class Best:
    """The tuning with the best asymptotic rate on a quadratic with eigenvalues in [λmin, λmax]."""

    lr: float
    beta: float
    """0 for plain descent."""
    rate: float
    """The factor the slowest direction keeps per step at this tuning: (κ−1)/(κ+1), or (√κ−1)/(√κ+1) with momentum."""
    shrink: float
    """−ln(rate), computed without forming the rate (which rounds to 1 once κ passes ~1e16): 0 when λmin is 0."""

    def steps(self, factor: float = 1000.0) -> float:
        """Steps to shrink the slowest error `factor`×: inf when it never shrinks (λmin = 0)."""
        return steps_for_shrink(self.shrink, factor)


def plain_best(lambda_max: float, lambda_min: float) -> Best:
    """lr_best = 2/(λmax+λmin): the steepest and the flattest directions both keep (κ−1)/(κ+1) a step.

    The best *asymptotic* rate, not the best finite run: the steep direction then swings nearly as slowly as
    the flat one creeps, where a smaller lr would have settled it in a few steps.
    """
    low = max(lambda_min, 0.0)
    lr = 2.0 / (lambda_max + low)
    # −ln((λmax−λmin)/(λmax+λmin)) = ln(1 + 2λmin/(λmax−λmin)), accurate for any tiny λmin
    shrink = math.log1p(2.0 * low / (lambda_max - low)) if lambda_max > low else math.inf
    return Best(lr=lr, beta=0.0, rate=(lambda_max - low) / (lambda_max + low), shrink=shrink)


def momentum_best(lambda_max: float, lambda_min: float) -> Best:
    """Heavy ball's classical optimum: β* = ((√κ−1)/(√κ+1))², lr* = 4/(√λmax+√λmin)², rate √β* = (√κ−1)/(√κ+1).

    Written with square roots of the eigenvalues, not of κ, so it stays finite for κ beyond double precision.
    """
    high, low = math.sqrt(lambda_max), math.sqrt(max(lambda_min, 0.0))
    rate = (high - low) / (high + low)
    shrink = math.log1p(2.0 * low / (high - low)) if high > low else math.inf
    return Best(lr=4.0 / (high + low) ** 2, beta=rate * rate, rate=rate, shrink=shrink)


def steps_to_shrink(rate: float, factor: float = 1000.0) -> float:
    """Steps for a per-step factor `rate` to shrink an error `factor`×: inf when rate ≥ 1, 1 when it is 0."""
    if rate >= 1.0:
        return math.inf
    if rate <= 0.0:
        return 1.0
    return steps_for_shrink(-math.log(rate), factor)


def steps_for_shrink(shrink: float, factor: float = 1000.0) -> float:
    """Steps for an error that loses `shrink` = −ln(factor kept) a step to shrink `factor`×; inf when shrink is 0."""
    if shrink <= 0.0:
        return math.inf
    if math.isinf(shrink):
        return 1.0
    return float(math.ceil(math.log(factor) / shrink))


def steps_words(steps: float) -> str:
    """A step count as the words say it: "about 20,412 steps", "never", or more than can be counted."""
    if math.isinf(steps):
        return "never"
    if steps > COUNTABLE:
        return f"more steps than can be counted (~{steps:.1e})"
    return f"about {steps:,.0f} steps"


def _family(optimizer: str) -> str | None:
    if optimizer in PLAIN:
        return "plain"
    if optimizer in HEAVY_BALL:
        return "heavy"
    if optimizer in NESTEROV:
        return "nesterov"
    return None


def _recurrence(a: float, beta: float, family: str) -> tuple[float, float]:
    """(c₁, c₀) of e_{t+1} = c₁·e_t − c₀·e_{t−1}."""
    if family == "heavy":
        return 1.0 + beta - a, beta
    return (1.0 + beta) * (1.0 - a), beta * (1.0 - a)


def _power(base: float, steps: int) -> float:
    try:
        return base**steps
    except OverflowError:
        return math.inf


def _matrix_power(m, n: int):
    result = ((1.0, 0.0), (0.0, 1.0))
    while n:
        if n & 1:
            result = _product(result, m)
        n >>= 1
        if n:
            m = _product(m, m)
    return result


def _product(p, q):
    try:
        return tuple(tuple(p[i][0] * q[0][j] + p[i][1] * q[1][j] for j in range(2)) for i in range(2))
    except OverflowError:  # pragma: no cover - float multiplication gives inf, not an error; kept for safety
        return ((math.inf, math.inf), (math.inf, math.inf))
