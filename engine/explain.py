"""Why a run went wrong, in words: divergence against lr_max, and a stall along the valley's floor."""

from __future__ import annotations

import math

import numpy as np

from engine.analysis import Analysis, contraction, predicted_steps

STALL_CONDITION = 100.0
"""Below this condition number every direction converges at comparable rates: no valley to blame."""
STALL_DOMINANCE = 10.0
"""A stall: the error along the valley is at least this many times the error across it."""
STALL_DISTANCE = 0.01
"""…and at least this fraction of the optimum's size (below it the run is simply close)."""
PLAIN_GD = ("manual", "sgd")
"""The update rules whose speed the eigenvalues predict exactly."""


def _g(value: float) -> str:
    return f"{value:.3g}"


def explain_divergence(
    step: int | None, lr: float, analysis: Analysis | None, optimizer: str = "manual", standardized: bool = False
) -> str:
    """At which step the run diverged, its lr against lr_max = 2/λmax (both numbers), and what to do."""
    where = f"Diverged at step {step}" if step is not None else "Diverged"
    fix_scale = "" if standardized else "; or fit on standardized x (--standardize), which makes the valley round"
    if analysis is None or analysis.lr_max is None or not math.isfinite(analysis.lr_max):
        return f"{where}: the loss blew up at lr {_g(lr)}. Try a smaller --lr (e.g. {_g(lr / 10)}){fix_scale}."
    lr_max = analysis.lr_max
    rule = f"lr_max = 2/λmax = 2/{analysis.lambda_max:.4g} = {_g(lr_max)}"
    kind = "" if analysis.exact else " (λmax estimated where the run started)"
    suggestion = f"set --lr below {_g(lr_max)}"
    if analysis.lr_best is not None:
        suggestion += f" (lr_best = 2/(λmax+λmin) = {_g(analysis.lr_best)} converges fastest)"
    if lr > lr_max:
        return (
            f"{where}: lr {_g(lr)} is {lr / lr_max:.3g}× {rule}{kind}, the largest lr at which plain gradient descent "
            "converges: along the steepest direction each step overshoots the minimum by more than it started from. "
            f"To fix it, {suggestion}{fix_scale}."
        )
    if optimizer not in PLAIN_GD:
        return (
            f"{where}: lr {_g(lr)} is below {rule}{kind}, but {optimizer} takes longer steps than plain gradient descent "
            f"(momentum adds up past steps; adaptive rules rescale them). Try a smaller --lr (e.g. {_g(lr / 10)}){fix_scale}."
        )
    return (
        f"{where}: lr {_g(lr)} is below {rule}{kind}, yet the loss blew up: the curvature grew along the way "
        f"(or mini-batches curve more than the whole data). Try a smaller --lr (e.g. {_g(lr / 10)}){fix_scale}."
    )


def explain_stall(
    snapshot, optimum, analysis: Analysis | None, lr: float | None = None, optimizer: str = "manual", standardized: bool = False
) -> str | None:
    """Words for a run that ended close to the optimum across the valley but far from it along it; None otherwise.

    Needs the exact analysis (the valley's direction) and the least-squares optimum; the valley
    must be elongated (κ ≥ 100), the error along it ≥ 10× the error across it, and ≥ 1% of |θ*|.
    """
    if optimum is None or analysis is None or not analysis.exact or analysis.slow_direction is None:
        return None
    kappa = analysis.condition_number
    if kappa is None or kappa < STALL_CONDITION:
        return None
    error = np.asarray(snapshot.vector, dtype=np.float64) - optimum.vector
    if not np.all(np.isfinite(error)):
        return None
    along = abs(float(error @ analysis.slow_direction))
    across = abs(float(error @ analysis.fast_direction))
    if along < STALL_DOMINANCE * across or along < STALL_DISTANCE * max(float(np.linalg.norm(optimum.vector)), 1e-12):
        return None
    names = snapshot.layout.names
    if len(names) == 0:
        return None
    slow = names[int(np.argmax(np.abs(analysis.slow_direction)))]
    fast = names[int(np.argmax(np.abs(analysis.fast_direction)))]
    params, best = snapshot.params, optimum.params
    kappa_text = condition_words(analysis)
    text = (
        f"After {snapshot.step} steps {_fast_clause(fast, params[fast], best[fast])}"
        f"{slow} = {params[slow]:.4g} is still far from {best[slow]:.4g}: the loss is a long, narrow valley "
        f"(condition number κ = λmax/λmin {kappa_text}), steep across and almost flat along its floor, where {slow} mostly lies."
    )
    rate = contraction(analysis, lr) if lr is not None else None
    if optimizer in PLAIN_GD and rate is not None and rate < 1 and analysis.lambda_min:
        per_step = lr * analysis.lambda_min
        steps = predicted_steps(analysis, lr)
        text += (
            f" An lr small enough for the steep side ({_g(lr)} < lr_max {_g(analysis.lr_max)}) removes only "
            f"lr·λmin = {100 * per_step:.2g}% of the error along the floor per step: shrinking it 1000× takes about {steps:,.0f} steps."
        )
    return text + _standardize_advice(standardized)


def warn_lr(analysis: Analysis | None, lr: float, optimizer: str = "manual") -> str | None:
    """A warning to show before a run starts when lr is above lr_max = 2/λmax; None when it is not."""
    if analysis is None or analysis.lr_max is None or not math.isfinite(analysis.lr_max) or lr <= analysis.lr_max:
        return None
    estimate = "" if analysis.exact else " (λmax estimated here)"
    best = "" if analysis.lr_best is None else f"; lr_best = {_g(analysis.lr_best)}"
    rule = "plain gradient descent will diverge" if optimizer in PLAIN_GD else f"plain gradient descent would diverge ({optimizer} may too)"
    return f"lr {_g(lr)} is above lr_max = 2/λmax = {_g(analysis.lr_max)}{estimate}: {rule}{best}."


CLOSE = 0.01
"""A parameter within this fraction of its optimum's size (or of 1, for an optimum near 0) is "close to" it."""
BEYOND_DOUBLE = 1e15
"""Past this κ, λmin is below float64's rounding of λmax: a solve in these units (or in float64 sums of ΦᵀΦ)
can't see the flat direction, though the problem is not singular."""


def condition_words(analysis: Analysis) -> str:
    """κ as the explanations say it: "about 13,208", "> 1e15" (beyond double precision), or "infinite: singular"."""
    kappa = analysis.condition_number
    if analysis.singular or kappa is None or math.isinf(kappa):
        return "infinite: the problem is singular (fewer distinct x than parameters)"
    if kappa > BEYOND_DOUBLE:
        return "> 1e15, beyond double precision"
    return f"about {kappa:,.0f}"


def kappa_short(analysis: Analysis) -> str:
    """κ in a figure's few characters: "13,208", "> 1e15", "∞ (singular)"."""
    kappa = analysis.condition_number
    if kappa is None:
        return "–"
    if analysis.singular or math.isinf(kappa):
        return "∞ (singular)"
    return "> 1e15" if kappa > BEYOND_DOUBLE else f"{kappa:,.0f}"


def _fast_clause(name: str, value: float, best: float) -> str:
    """"k = 1.01 is close to its optimum 1.01, but " only when it is (within CLOSE); otherwise nothing is said of it."""
    if abs(value - best) <= CLOSE * max(abs(best), 1.0):
        return f"{name} = {value:.4g} is close to its optimum {best:.4g}, but "
    return ""


def _standardize_advice(standardized: bool) -> str:
    """The remedy for a long valley; never advised when it is already applied."""
    if standardized:
        return (
            " x is already standardized, so the valley's length comes from the model's own features: "
            "more steps, or lbfgs (which follows the curvature), get along its floor."
        )
    return " Standardizing x (--standardize) makes the valley round, and every direction converges alike."


def explain_excess(loss: float | None, optimum_loss: float, excess: float | None, dtype: str) -> str | None:
    """Words for a final loss that reads below the least-squares optimum (float32 rounding); None when it doesn't."""
    if loss is None or excess is None or not loss < optimum_loss:
        return None
    return (
        f"The loss reads {optimum_loss - loss:.3g} below the least-squares optimum: that is {dtype} rounding in the descent. "
        f"In float64, at these parameters, the loss is {excess:.3g} above it."
    )
