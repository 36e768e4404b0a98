"""The tour's valley stops (stall, standardize, diverge) in words computed from the run on screen.

Each sentence holds for the settings on screen, whatever the person changed at the stop: "b crawls" only where
b is still far off and κ is large, "round" only where κ is near 1, "the loss grows" only where lr is past the
limit of the optimizer in use (engine.maths.optimizer_rules).
"""

from __future__ import annotations

from engine.maths.optimizer_rules import keep_per_step, limit_formula, lr_limit
from engine.maths.standardized import is_round
from engine.settings.run_settings import PLAIN_DESCENT
from engine.words.numbers import significant

CRAWL_KAPPA = 100.0
"""Below this κ there is no crawl to show: every direction converges at comparable rates."""
CLOSE = 0.05
"""b is "at" b* within this fraction of |b*| (or of 1e-3 when b* is near 0)."""
_TWINS: dict[int, tuple[object, object]] = {}
"""id(problem) → (problem, its analysis without standardizing): the texts refresh a few times a second."""


def _g(value: float, digits: int = 3) -> str:
    return significant(value, digits)


def _kappa(analysis) -> str:
    kappa = analysis.condition_number
    return "∞" if kappa is None or kappa == float("inf") else f"{kappa:,.1f}" if kappa < 10 else f"{kappa:,.0f}"


def stall_words(settings, snapshot, optimum, analysis, problem=None) -> str:
    b, best = snapshot.params["b"], optimum.params["b"]
    head = f"b = {_g(b)} at step {snapshot.step:,}, where least squares has b* = {_g(best)}"
    kappa = analysis.condition_number
    if kappa is None or kappa < CRAWL_KAPPA:
        raw = _raw_analysis(problem) if settings.standardize and problem is not None else None
        then = "" if raw is None else f" With raw x (z off) κ = {_kappa(raw)}."
        return (
            f"No crawl here: {head}. The valley is κ = λmax/λmin = {_kappa(analysis)} times more curved across than "
            f"along, so every direction converges at comparable rates.{then}"
        )
    far = abs(b - best) > CLOSE * max(abs(best), 1e-3)
    news = "But b crawls" if far else "b got there"
    text = f"{news}: {head}. The valley is κ = λmax/λmin = {_kappa(analysis)} times more curved across than along"
    limit = lr_limit(analysis.lambda_max, settings.optimizer, settings.momentum)
    keep = keep_per_step(settings.lr, analysis.lambda_min, settings.optimizer, settings.momentum)
    if limit is None or keep is None:
        return text + "."
    if settings.lr >= limit:
        return text + f"; lr = {_g(settings.lr)} is above lr_max = {_g(limit)}, so the steep side diverges."
    return text + f"; lr stays under lr_max = {_g(limit)} for k, and along b each step then keeps {keep:.6f} of the error."


def _raw_analysis(problem):
    """The analysis of the same problem with raw x, computed once per problem."""
    from engine.maths.standardized import twin_analysis

    kept = _TWINS.get(id(problem))
    if kept is None or kept[0] is not problem:
        _TWINS.clear()  # one problem on screen at a time
        kept = _TWINS[id(problem)] = (problem, twin_analysis(problem, standardize=False))
    return kept[1]


def standardized_words(settings, problem, snapshot, optimum, analysis) -> str:
    tail = (
        f"At lr = {_g(settings.lr)}, after {snapshot.step:,} steps b = {_g(snapshot.params['b'], 4)} (b* = "
        f"{_g(optimum.params['b'], 4)}) and the loss is {_g(snapshot.loss, 5)}, least squares {_g(optimum.loss, 5)}."
    )
    if not settings.standardize:
        return f"x is not standardized now (z turns it on): κ = {_kappa(analysis)}, lr_max = {_g(analysis.lr_max)}. " + tail
    raw = _raw_analysis(problem)
    shape = "a round valley" if is_round(analysis) else "still a valley, less narrow"
    change = (
        f"λmax falls from {raw.lambda_max:.4g} to {analysis.lambda_max:.3g}, κ from {_kappa(raw)} to {_kappa(analysis)} ({shape})"
        if raw is not None
        else f"κ = {_kappa(analysis)} ({shape})"
    )
    return f"Standardize x (mean 0, σ 1): {change}; lr_max = {_g(analysis.lr_max)}. " + tail


def diverge_words(settings, snapshot, analysis) -> str:
    lr, optimizer = settings.lr, settings.optimizer
    ending = (
        f"the run stopped at step {snapshot.diverged_at:,}"
        if snapshot.diverged_at is not None
        else f"at step {snapshot.step:,} the loss is {_g(snapshot.loss)}"
    )
    limit = lr_limit(analysis.lambda_max, optimizer, settings.momentum)
    keep = keep_per_step(lr, analysis.lambda_max, optimizer, settings.momentum)
    if limit is None or keep is None:
        return (
            f"{optimizer} has no lr_max from the curvature: its step in each parameter is bounded by about lr = {_g(lr)}, "
            f"so too large an lr throws θ past the optimum rather than multiplying the error; {ending}."
        )
    factor = "|1 − lr·λmax|" if optimizer in PLAIN_DESCENT else "a factor"
    name = "lr_max" if optimizer in PLAIN_DESCENT else f"{optimizer}'s lr_max"
    if lr > limit:
        return (
            f"Too large an lr diverges: lr = {_g(lr)} is above {name} = {limit_formula(optimizer)} = {_g(limit)}. Each step multiplies "
            f"the error across the valley by {factor} = {keep:.3f} > 1, so the loss grows: {ending}."
        )
    return (
        f"lr = {_g(lr)} is below {name} = {limit_formula(optimizer)} = {_g(limit)}: each step multiplies the error across "
        f"the valley by {factor} = {keep:.3f} < 1, so it shrinks instead of growing; {ending}. Above {_g(limit)} it would grow."
    )
