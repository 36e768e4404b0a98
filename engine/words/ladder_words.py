"""The lr ladder's verdict: each plain racer's regime along the steepest direction, with the numbers that make it so."""

from __future__ import annotations

from collections.abc import Sequence

from engine.maths.ladder import regime
from engine.settings.run_settings import PLAIN_DESCENT
from engine.words.race_verdict import RaceContext, RaceResult


def regime_line(result: RaceResult, lambda_max: float) -> str:
    """`1.5/λmax (lr 0.000224, lr·λmax = 1.5): zig-zag — …`: the regime and what the steep error does each step."""
    product = result.lr * lambda_max
    name = regime(result.lr, lambda_max)
    keep = abs(1.0 - product)
    if name == "smooth":
        what = f"the steep error keeps {keep:.3g} of itself each step and never changes sign"
    elif name == "one step":
        what = "1 − lr·λmax = 0: the steep error is gone after the first step"
    elif name == "zig-zag":
        what = f"the steep error flips sign each step and keeps {keep:.3g} of its size"
    elif name == "diverges":
        what = f"the steep error flips sign and grows {keep:.3g}× each step"
        what += f"; the loss blew up at step {result.diverged_at:,}" if result.diverged_at is not None else (
            f"; after {result.steps:,} steps it has not yet blown up"
        )
    else:
        what = "the steep error flips sign each step and keeps its size"
    return f"{result.label} (lr {result.lr:.3g}, lr·λmax = {product:.3g}): {name} — {what}."


def ladder_lines(results: Sequence[RaceResult], context: RaceContext) -> list[str]:
    """One regime line per plain racer, in the race's order; none without an exact λmax."""
    if context.lr_max is None or context.lambda_min is None or not context.lr_max > 0:
        return []
    lambda_max = 2.0 / context.lr_max
    return [regime_line(result, lambda_max) for result in results if result.optimizer in PLAIN_DESCENT]


def ladder_regimes(results: Sequence[RaceResult], context: RaceContext) -> tuple[dict[str, str], list[str]]:
    """({label: regime name} of the plain racers, their regime lines); empty without an exact λmax."""
    lines = ladder_lines(results, context)
    if not lines:
        return {}, []
    lambda_max = 2.0 / context.lr_max
    return {r.label: regime(r.lr, lambda_max) for r in results if r.optimizer in PLAIN_DESCENT}, lines
