"""Why a racer trails, by direction: its excess loss split between the valley's steep and flat directions.

On an MSE quadratic the excess is L − L* = ½·Σᵢ λᵢ·(e·vᵢ)² over the eigenvectors vᵢ of H, where e = θ − θ* (as
fitted). The share each direction holds is read from the racer's own final error; the fraction of its error a
direction keeps comes from the optimizer's rule (engine.maths.optimizer_rules: |1 − lr·λ|^t for plain steps, the
exact heavy-ball or Nesterov recurrence for momentum). The words blame the direction that holds the excess, never
the flat one for what the steep one left.
"""

from __future__ import annotations

import math

import numpy as np

from engine.maths.optimizer_rules import fraction_left, keep_per_step, rule_name, swings
from engine.settings.run_settings import PLAIN_DESCENT
from engine.words.numbers import significant

BETWEEN_WORTH_SAYING = 0.01
"""The other directions are named when they hold more than this share of the excess."""


def direction_parts(result, context) -> dict[str, float] | None:
    """{"steep": …, "flat": …, "between": …}: how much of the racer's excess loss each direction holds; None without them."""
    needed = (context.lambda_max, context.lambda_min, context.steep, context.flat, context.optimum_vector, result.end_vector)
    if any(part is None for part in needed):
        return None
    error = np.asarray(result.end_vector, dtype=np.float64) - np.asarray(context.optimum_vector, dtype=np.float64)
    if not np.all(np.isfinite(error)):
        return None
    steep = 0.5 * context.lambda_max * float(error @ context.steep) ** 2
    flat = 0.5 * context.lambda_min * float(error @ context.flat) ** 2
    total = result.loss - context.optimum_loss if result.loss is not None and context.optimum_loss is not None else steep + flat
    return {"steep": steep, "flat": flat, "between": max(total - steep - flat, 0.0)}


def _left(result, context, lam: float) -> tuple[float | None, float | None]:
    """(kept a step, fraction left after the run) along a direction of curvature λ, by the racer's rule; None for adaptive ones."""
    keep = keep_per_step(result.lr, lam, result.optimizer, context.momentum)
    left = fraction_left(result.lr, lam, result.optimizer, result.steps, context.momentum)
    return keep, left


def _how(result, context) -> str:
    name = rule_name(result.optimizer)
    return f"{name} at lr {result.lr:g}" + ("" if result.optimizer in PLAIN_DESCENT else f" with β = {context.momentum:g}")


def direction_reason(result, context) -> str | None:
    """ "of its 346 above the minimum, 344 lies along the steep direction (λmax = 6702), where … 86% of it is left …"."""
    parts = direction_parts(result, context)
    if parts is None:
        return None
    total = sum(parts.values())
    if total <= 0:
        return None
    blamed = max(("steep", "flat"), key=parts.get)
    other = "flat" if blamed == "steep" else "steep"
    lam = context.lambda_max if blamed == "steep" else context.lambda_min
    where = (
        f"the steep direction (λmax = {context.lambda_max:.4g})"
        if blamed == "steep"
        else f"the valley's flat direction (λmin = {context.lambda_min:.4g}{_kappa(context)})"
    )
    text = f"of its {_g(total)} above the minimum, {_g(parts[blamed])} lies along {where}"
    keep, left = _left(result, context, lam)
    if keep is not None and left is not None and math.isfinite(left):
        plain = result.optimizer in PLAIN_DESCENT
        factor = ("|1 − lr·λmax| = " if blamed == "steep" else "1 − lr·λmin = ") if plain else ""
        swing = ", swinging from side to side" if swings(result.lr, lam, result.optimizer) else ""
        text += (
            f", where {_how(result, context)} keeps {factor}{keep:.5f} of the error a step{swing}, "
            f"so {_pct(left)} of it is left after {result.steps:,} steps"
        )
    other_lam = context.lambda_min if other == "flat" else context.lambda_max
    _, other_left = _left(result, context, other_lam)
    said_left = "" if other_left is None or not math.isfinite(other_left) else f", {_pct(other_left)} of its error left"
    if parts[other] > BETWEEN_WORTH_SAYING * total:  # a share too small to matter is not said
        text += f"; the {other} direction holds {_g(parts[other])}{said_left}"
    if parts["between"] > BETWEEN_WORTH_SAYING * total:
        text += f", the directions between them {_g(parts['between'])}"
    return text


def brief_reason(result, context) -> str | None:
    """A status line's worth: ": 84% of its steep error left" (the direction holding the excess, and what is left there)."""
    parts = direction_parts(result, context)
    if parts is None or sum(parts.values()) <= 0:
        return None
    blamed = max(("steep", "flat"), key=parts.get)
    lam = context.lambda_max if blamed == "steep" else context.lambda_min
    _, left = _left(result, context, lam)
    if left is not None and math.isfinite(left):
        return f": {_pct(left)} of its {blamed} error left"
    return f": excess {parts[blamed] / sum(parts.values()):.0%} along {blamed}"


def _pct(value: float) -> str:
    return f"{value:.0%}" if value >= 0.01 or value == 0 else f"{value:.1e}"


def _kappa(context) -> str:
    kappa = context.condition_number
    return "" if kappa is None or not math.isfinite(kappa) else f", κ = {kappa:,.0f}"


def _g(value: float) -> str:
    return significant(value, 4)
