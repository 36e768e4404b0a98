"""The lr ladder (`--preset ladder`): racers whose lr is a multiple of 1/λmax, worked out from the data raced.

Plain descent multiplies the error along H's steepest eigenvector by (1 − lr·λmax) each step, so lr·λmax alone
names the regime there: below 1 the error shrinks without changing sign (smooth), at 1 it is gone in one step,
between 1 and 2 it flips sign each step while shrinking (zig-zag), above 2 it grows (diverges).
"""

from __future__ import annotations

import dataclasses

from engine.descent.problem import make_problem
from engine.maths.curvature import analyse
from engine.settings.errors import SettingError
from engine.settings.racers import Racer, parse_racer

ONE_STEP_TOLERANCE = 1e-9
"""lr·λmax this close to 1 is the one-step rung (1/λmax rounds to a float)."""


def resolved(settings, racers, dataset=None) -> tuple[Racer, ...]:
    """The racers with each rung's lr = multiple/λmax of these data; racers without a multiple as they are."""
    racers = tuple(parse_racer(racer) if isinstance(racer, str) else racer for racer in racers)
    if all(racer.multiple is None for racer in racers):
        return racers
    problem = make_problem(settings.with_changes(optimizer="manual"), dataset)
    analysis = analyse(problem)
    if not analysis.exact or not analysis.lambda_max > 0:
        raise SettingError(
            "race",
            f"an lr given as a multiple of 1/λmax needs the exact λmax of MSE on a model linear in θ "
            f"(here {settings.loss} on {settings.model})",
        )
    return tuple(
        racer if racer.multiple is None else dataclasses.replace(racer, lr=racer.multiple / analysis.lambda_max) for racer in racers
    )


def regime(lr: float, lambda_max: float) -> str:
    """Plain descent's regime along the steepest direction: smooth, one step, zig-zag or diverges."""
    product = lr * lambda_max
    if abs(product - 1.0) <= ONE_STEP_TOLERANCE:
        return "one step"
    if product < 1.0:
        return "smooth"
    if product < 2.0:
        return "zig-zag"
    return "diverges" if product > 2.0 else "oscillates forever"
