"""Why a run went as it did, in words: divergence against lr_max, a stall along the valley's floor, saturated
tanh units, and what lr_best can and cannot do. The app and `descent run` both show these texts.

Each text names its remedies as `fixes` says: command-line options for `descent run`, keys in the app.
"""

from __future__ import annotations

import math

import numpy as np

from engine.maths.curvature import Analysis
from engine.maths.optimizer_rules import keep_per_step, steps_to_shrink, steps_words
from engine.models.model_kind import is_linear_in_parameters
from engine.settings.run_settings import PLAIN_DESCENT
from engine.words.best_words import explain_lr_best
from engine.words.divergence_words import explain_divergence, lr_limit, warn_lr
from engine.words.numbers import significant as _g
from engine.words.rule_words import APP_FIXES, BEYOND_DOUBLE, CLI_FIXES, Fixes, standardize_effect

__all__ = [
    "APP_FIXES", "BEYOND_DOUBLE", "CLI_FIXES", "Fixes", "explain_divergence", "explain_lr_best", "lr_limit", "warn_lr",
]  # fmt: skip

STALL_CONDITION = 100.0
"""Below this condition number every direction converges at comparable rates: no valley to blame."""
STALL_DOMINANCE = 10.0
"""A stall: the error along the valley is at least this many times the error across it."""
STALL_DISTANCE = 0.01
"""…and at least this fraction of the optimum's size (below it the run is simply close)."""
CLOSE_RELATIVE = 0.05
"""A parameter is "close to its optimum" within this fraction of that optimum's size."""
AT_LR_BEST = 0.01
"""An lr within this fraction of lr_best is lr_best (as `o` sets it, to 3 significant digits)."""
SATURATED = 3.0
"""|w₁x + b₁| beyond this: tanh' < 0.01, the unit passes almost no gradient back."""
SATURATED_SHARE = 0.5
"""A network is saturated when at least this share of its (point, unit) pairs are."""




def _close(value: float, best: float, scale: float) -> bool:
    """Within CLOSE_RELATIVE of the optimum's own size (of a thousandth of |θ*| when that optimum is near 0)."""
    return abs(value - best) <= CLOSE_RELATIVE * max(abs(best), 1e-3 * scale)


def explain_stall(
    snapshot,
    optimum,
    analysis: Analysis | None,
    lr: float | None = None,
    optimizer: str = "manual",
    standardized: bool = False,
    fixes: Fixes = CLI_FIXES,
    momentum: float = 0.9,
    standardized_analysis: Analysis | None = None,
) -> str | None:
    """Words for a run whose remaining error lies mostly along the valley's floor; None otherwise.

    Needs the exact analysis (the valley's direction) and the least-squares optimum; the valley
    must be elongated (κ ≥ 100), the error along it ≥ 10× the error across it, and ≥ 1% of |θ*|.
    A parameter is called close to its optimum only when it is, within 5% (CLOSE_RELATIVE).
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
    size = max(float(np.linalg.norm(optimum.vector)), 1e-12)
    if along < STALL_DOMINANCE * across or along < STALL_DISTANCE * size:
        return None
    names = snapshot.layout.names
    if len(names) == 0:
        return None
    slow = names[int(np.argmax(np.abs(analysis.slow_direction)))]
    fast = names[int(np.argmax(np.abs(analysis.fast_direction)))]
    params, best = snapshot.params, optimum.params
    scale = max((abs(v) for v in best.values()), default=0.0) or 1e-12
    kappa_text = condition_words(analysis)
    valley = (
        f"the loss is a long, narrow valley (condition number κ = λmax/λmin {kappa_text}), steep across and almost flat "
        f"along its floor, where {slow} mostly lies."
    )
    if fast != slow and _close(params[fast], best[fast], scale):
        # the news first (a headline keeps the first clause): what has not moved
        text = (
            f"{slow} = {params[slow]:.4g} is still far from {best[slow]:.4g} after {snapshot.step} steps, "
            f"while {fast} = {params[fast]:.4g} is close to its optimum {best[fast]:.4g}: {valley}"
        )
    else:
        others = ", ".join(f"{name} = {params[name]:.4g} (optimum {best[name]:.4g})" for name in names[:4] if name != slow)
        text = (
            f"After {snapshot.step} steps {slow} = {params[slow]:.4g} is still far from {best[slow]:.4g}"
            f"{', and ' + others if others else ''}; the error left lies along the valley's floor "
            f"(≥ {STALL_DOMINANCE:g}× the error across it): {valley}"
        )
    return text + _stall_rate(analysis, lr, optimizer, momentum) + _stall_fix(analysis, standardized, fixes, standardized_analysis)


def _stall_rate(analysis: Analysis, lr: float | None, optimizer: str, momentum: float) -> str:
    """How much of the floor's error this rule removes a step, and the steps a 1000× shrink takes (its own rule's figure)."""
    keep = None if lr is None or not analysis.lambda_min else keep_per_step(lr, analysis.lambda_min, optimizer, momentum)
    limit = lr_limit(analysis, optimizer, momentum)
    if keep is None or limit is None or not keep < 1 or lr >= limit:
        return ""
    if optimizer in PLAIN_DESCENT:
        per_step = lr * analysis.lambda_min
        steps = steps_to_shrink(keep) if per_step > 1e-12 else math.ceil(math.log(1000) / per_step)
        return (
            f" An lr small enough for the steep side ({_g(lr)} < lr_max {_g(limit)}) removes only "
            f"lr·λmin = {100 * per_step:.2g}% of the error along the floor per step: shrinking it 1000× takes "
            f"{steps_words(steps)}."
        )
    return (
        f" At lr {_g(lr)} with β = {momentum:g}, {optimizer} keeps {keep:.5f} of the error along the floor a step: "
        f"shrinking it 1000× takes {steps_words(steps_to_shrink(keep))}."
    )


def _stall_fix(analysis: Analysis, standardized: bool, fixes: Fixes, standardized_analysis: Analysis | None) -> str:
    """The remedy, computed: what standardizing does to λmax and κ here, else momentum at its best."""
    from engine.words.best_words import momentum_words

    effect = None if standardized else standardize_effect(analysis, standardized_analysis)
    if effect is not None:
        return f" Standardizing x ({fixes.standardize}) helps, {effect}."
    momentum = momentum_words(analysis, fixes)
    return f" What crosses such a valley faster: {momentum}." if momentum else ""


def explain_saturation(problem, snapshot, fixes: Fixes = CLI_FIXES) -> str | None:
    """An MLP whose tanh units are saturated on most points (unscaled x): they pass back almost no gradient.

    None for other models, or when fewer than SATURATED_SHARE of the (point, unit) pairs have |w₁x + b₁| > 3.
    """
    model = problem.model
    hidden = getattr(model, "hidden", None)
    if hidden is None or is_linear_in_parameters(model):
        return None
    vector = np.asarray(snapshot.vector, dtype=np.float64)
    if not np.all(np.isfinite(vector)):
        return None
    w1, b1 = vector[:hidden], vector[hidden : 2 * hidden]
    x = problem.dataset.x[problem.train]
    if len(x) > 4096:  # a sample says as much, at any size
        x = x[np.linspace(0, len(x) - 1, 4096).astype(np.int64)]
    pre = np.outer(model.scaling.apply(np.asarray(x, dtype=np.float64)), w1) + b1
    share = float(np.mean(np.abs(pre) > SATURATED))
    if share < SATURATED_SHARE:
        return None
    standardized = problem.settings.standardize
    remedy = (
        "a smaller lr, or fewer hidden units"
        if standardized
        else f"fit on standardized x ({fixes.standardize}), so that w₁x + b₁ starts near 0 for every point"
    )
    return (
        f"The network's tanh units are saturated: for {100 * share:.0f}% of the (point, unit) pairs |w₁x + b₁| > {SATURATED:g}, "
        f"where tanh is flat (its slope below 0.01), so almost no gradient reaches w₁ and b₁ and the curve barely bends. "
        f"To fix it, {remedy}."
    )


def explain_end(
    problem, snapshot, optimum, analysis: Analysis | None, fixes: Fixes = CLI_FIXES, standardized_analysis: Analysis | None = None
) -> str | None:
    """Why a finished (not diverged) run stands where it does, when there is a nameable reason; None otherwise.

    `standardized_analysis`: the curvature with standardized x (engine.maths.standardized.twin_analysis), so that
    standardizing is offered with what it does here; computed when not given.
    """
    settings = problem.settings
    if standardized_analysis is None and not settings.standardize and analysis is not None and analysis.exact:
        from engine.maths.standardized import twin_analysis

        standardized_analysis = twin_analysis(problem)
    at_best = (
        settings.optimizer in PLAIN_DESCENT
        and analysis is not None
        and analysis.lr_best
        and abs(settings.lr / analysis.lr_best - 1) <= AT_LR_BEST
    )
    return (
        explain_saturation(problem, snapshot, fixes)
        or (explain_lr_best(analysis, settings.standardize, fixes, standardized_analysis) if at_best else None)
        or explain_stall(
            snapshot,
            optimum,
            analysis,
            settings.lr,
            settings.optimizer,
            settings.standardize,
            fixes,
            settings.momentum,
            standardized_analysis,
        )
    )


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


def explain_excess(loss: float | None, optimum_loss: float, excess: float | None, dtype: str) -> str | None:
    """Words for a final loss that reads below the least-squares optimum (float32 rounding); None when it doesn't."""
    if loss is None or excess is None or not loss < optimum_loss:
        return None
    return (
        f"The loss reads {optimum_loss - loss:.3g} below the least-squares optimum: that is {dtype} rounding in the descent. "
        f"In float64, at these parameters, the loss is {excess:.3g} above it."
    )
