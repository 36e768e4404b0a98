"""Why a run diverged, and the warning before it does, from the rule of the optimizer in use (engine.maths.optimizer_rules).

Plain descent is measured against 2/λmax, heavy ball against 2(1+β)/λmax, Nesterov against 2(1+β)/((1+2β)·λmax);
adaptive rules against nothing from the curvature: their step in each coordinate is bounded by about lr. A bound
the advice names is said cut down to 3 digits, and the example lr is half of it, so following the advice converges.
"""

from __future__ import annotations

import math

from engine.maths.curvature import Analysis
from engine.maths.optimizer_rules import ADAPTIVE, has_limit, limit_formula, rule_name
from engine.maths.optimizer_rules import lr_limit as rule_limit
from engine.settings.run_settings import PLAIN_DESCENT
from engine.words.rule_words import CLI_FIXES, Fixes, g, round_down, standardize_effect


def lr_limit(analysis: Analysis | None, optimizer: str = "manual", momentum: float = 0.9) -> float | None:
    """The largest stable lr the curvature gives for this update rule; None where it gives none (adaptive rules)."""
    if analysis is None or analysis.lr_max is None or not math.isfinite(analysis.lr_max):
        return None
    return rule_limit(analysis.lambda_max, optimizer, momentum)


def _standardize_fix(lr, analysis, after, optimizer, momentum, fixes: Fixes) -> str:
    """ "; or fit on standardized x (…), which brings λmax from … to …" where that is known to help; else nothing."""
    effect = standardize_effect(analysis, after)
    if effect is None:
        return ""
    limit = lr_limit(after, optimizer, momentum)
    if limit is not None and lr >= limit:  # standardizing alone would not save this lr: say what lr it needs
        return f"; or fit on standardized x ({fixes.standardize}), {effect}, with an lr below {g(round_down(limit))}"
    return f"; or fit on standardized x ({fixes.standardize}), {effect}: lr {g(lr)} converges there"


def explain_divergence(
    step: int | None,
    lr: float,
    analysis: Analysis | None,
    optimizer: str = "manual",
    standardized: bool = False,
    fixes: Fixes = CLI_FIXES,
    momentum: float = 0.9,
    standardized_analysis: Analysis | None = None,
) -> str:
    """At which step the run diverged, its lr against this rule's limit (both numbers), and what to do.

    `standardized_analysis` is the curvature the same problem has with standardized x (engine.maths.standardized):
    standardizing is offered, with what it does, only where it is known to help.
    """
    where = f"Diverged at step {step}" if step is not None else "Diverged"
    after = None if standardized else standardized_analysis
    fix_scale = _standardize_fix(lr, analysis, after, optimizer, momentum, fixes)
    if optimizer in ADAPTIVE:
        return (
            f"{where}: {optimizer} moves each parameter by a step bounded by about lr (its first step is lr exactly, "
            f"then it shrinks as the gradient's sign settles), and at lr {g(lr)} such a step throws θ far past the "
            f"optimum, so the loss grew. No lr_max from the curvature applies to {optimizer}: try a smaller lr "
            f"({fixes.lr}, e.g. {g(lr / 10)}){fix_scale}."
        )
    limit = lr_limit(analysis, optimizer, momentum)
    smaller = f"Try a smaller lr ({fixes.lr}, e.g. {g(lr / 10)}){fix_scale}."
    if limit is None:
        return f"{where}: the loss blew up at lr {g(lr)}. {smaller}"
    name, formula = rule_name(optimizer), limit_formula(optimizer)
    top = f"{analysis.lambda_max:.4g}"
    if optimizer in PLAIN_DESCENT:
        rule = f"lr_max = 2/λmax = 2/{top} = {g(limit)}"
    elif optimizer == "momentum":
        rule = f"2(1+β)/λmax = 2(1+{momentum:g})/{top} = {g(limit)}"
    else:
        rule = f"{formula} = {g(limit)} (β = {momentum:g}, λmax = {top})"
    kind = "" if analysis.exact else " (λmax estimated where the run started)"
    bound = round_down(limit)
    advice = f"To fix it, set lr ({fixes.lr}) below {g(bound)}, e.g. {g(round_down(bound / 2))}{fix_scale}."
    if lr > limit:
        return (
            f"{where}: lr {g(lr)} is {lr / limit:.3g}× {rule}{kind}, the largest lr at which {name} converges: "
            "along the steepest direction each step overshoots the minimum by more than it started from. " + advice
        )
    return (
        f"{where}: lr {g(lr)} is below {name}'s limit {rule}{kind}, yet the loss blew up: the curvature grew along "
        f"the way (or mini-batches curve more than the whole data). {smaller}"
    )


def warn_lr(analysis: Analysis | None, lr: float, optimizer: str = "manual", momentum: float = 0.9) -> str | None:
    """A warning to show before a run starts when lr is above the curvature's limit for this rule; None when it is not."""
    limit = lr_limit(analysis, optimizer, momentum)
    if limit is None or lr <= limit or not has_limit(optimizer):
        return None
    estimate = "" if analysis.exact else " (λmax estimated here)"
    if optimizer in PLAIN_DESCENT:
        return f"lr {g(lr)} is above lr_max = 2/λmax = {g(limit)}{estimate}: plain gradient descent will diverge."
    return f"lr {g(lr)} is above {limit_formula(optimizer)} = {g(limit)} (β = {momentum:g}){estimate}: {optimizer} will diverge."
