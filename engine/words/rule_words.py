"""Shared pieces of the words: how remedies are named, rounding that keeps advice true, and what standardizing does.

Each text names its remedies as `Fixes` says: command-line options for `descent run`, keys in the app.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.maths.curvature import Analysis
from engine.maths.optimizer_rules import Best, keep_per_step, lr_limit
from engine.maths.standardized import is_round
from engine.words.numbers import significant

BEYOND_DOUBLE = 1e15
"""Past this κ, λmin is below float64's rounding of λmax: a solve in these units (or in float64 sums of ΦᵀΦ)
can't see the flat direction, though the problem is not singular."""


@dataclass(frozen=True)
class Fixes:
    """How a text names each remedy: an option of `descent run`, or a key of the app."""

    standardize: str = "--standardize"
    momentum: str = "--optimizer momentum"
    lr: str = "--lr"
    cli: bool = True

    def momentum_at(self, best: Best) -> str:
        """How to reach momentum's best tuning: the options with its numbers, or the app's key (m sets β*, lr*)."""
        if self.cli:
            return f"{self.momentum} --momentum {said(best.beta)} --lr {best.lr:g}"
        return f"{self.momentum}, which sets β* and lr*"


CLI_FIXES = Fixes()
APP_FIXES = Fixes(standardize="key z", momentum="key m", lr="the lr field", cli=False)


def g(value: float) -> str:
    return significant(value)


def round_down(value: float, digits: int = 3) -> float:
    """`value` cut (not rounded) to `digits` significant digits: a bound said this way stays on its safe side."""
    if value <= 0 or not math.isfinite(value):
        return value
    scale = 10 ** (math.floor(math.log10(value)) - digits + 1)
    cut = math.floor(value / scale) * scale
    tidy = float(significant(cut, digits))  # the cut without float noise (0.000283, not 0.00028299999999999997)
    return tidy if tidy <= value else cut


def safe_momentum_best(best: Best, lambda_max: float, lambda_min: float) -> Best:
    """β*, lr* as said (3 digits): β rounded, lr cut down so that it stays below heavy ball's limit for that β.

    At the exact optimum lr*·λmax = (1+√β*)², a hair under the limit 2(1+β*): rounding lr* up would diverge.
    """
    beta = float(said(best.beta))
    lr = round_down(min(best.lr, 0.999 * lr_limit(lambda_max, "momentum", beta)))
    rate = max(keep_per_step(lr, lambda_max, "momentum", beta), keep_per_step(lr, lambda_min, "momentum", beta))
    return Best(lr=lr, beta=beta, rate=rate, shrink=-math.log(rate) if 0 < rate < 1 else 0.0)


def keep_words(rate: float, shrink: float | None = None, digits: int = 5) -> str:
    """A factor kept per step: "0.99985", or "1 − 2.1e-21" where `digits` would round it to 1 (`shrink` = −ln(rate), exact)."""
    if rate < 1 - 10**-digits / 2:
        return f"{rate:.{digits}f}"
    lost = -math.expm1(-shrink) if shrink is not None else 1.0 - rate
    return f"1 − {lost:.2g}" if lost > 0 else "1"


def said(value: float, digits: int = 3) -> str:
    """A number below 1 said with enough digits to stay below 1 (β* = 0.999999996, not 1)."""
    if 0 < value < 1:
        digits = max(digits, 2 + math.ceil(-math.log10(1.0 - value)))
    return significant(value, digits)


def kappa_text(analysis: Analysis) -> str:
    kappa = analysis.condition_number
    if analysis.singular or kappa is None or math.isinf(kappa):
        return "∞"
    if kappa > BEYOND_DOUBLE:
        return "> 1e15"
    return f"{kappa:,.1f}" if kappa < 10 else f"{kappa:,.0f}"


def standardize_effect(now: Analysis | None, after: Analysis | None) -> str | None:
    """What standardizing does here, computed: "which brings λmax from 6702 to 2 and κ from 13,208 to 1.0 (a round valley)".

    None where it is not known (no exact twin) or where it would not help (neither λmax nor κ falls).
    """
    if now is None or after is None or not now.exact or not after.exact:
        return None
    lower_top = after.lambda_max < now.lambda_max
    k_now, k_after = now.condition_number, after.condition_number
    lower_kappa = k_now is not None and k_after is not None and k_after < k_now
    if not (lower_top or lower_kappa):
        return None
    parts = []
    if lower_top:
        parts.append(f"λmax from {now.lambda_max:.4g} to {after.lambda_max:.4g}")
    parts.append(f"κ from {kappa_text(now)} to {kappa_text(after)}")
    shape = " (a round valley)" if is_round(after) else "" if not lower_kappa else " (still a valley, less narrow)"
    return "which brings " + " and ".join(parts) + shape
