"""What lr_best is and is not: the lr with the best *asymptotic* rate for plain descent, not the fastest finite run.

At lr_best = 2/(λmax+λmin) the steepest and the flattest directions both keep (κ−1)/(κ+1) of their error a step:
the steep one, which a smaller lr settles in a few steps, swings from side to side for the whole run (on the
tutorial a 1000-step run ends at loss 424.6 at lr_best against 92.4 at 1e-4). Heavy-ball momentum at its classical
optimum β*, lr* keeps (√κ−1)/(√κ+1) a step; the words name β* and lr* and how to reach them.

`best_words` says what `--lr best` chose and why, beside that asymptotic story (one module for the best-lr words).
"""

from __future__ import annotations

import math

from engine.maths.best_lr import BestChoice, classical_momentum
from engine.maths.curvature import Analysis
from engine.maths.optimizer_rules import keep_per_step, momentum_best, plain_best, steps_words
from engine.maths.valley import heavy_ball_rate, plain_rate
from engine.words.rule_words import (
    CLI_FIXES,
    Fixes,
    g,
    kappa_text,
    keep_words,
    round_down,
    safe_momentum_best,
    said,
    standardize_effect,
)

LARGE_KAPPA = 100.0
"""Below this condition number every direction converges at comparable rates: lr_best is then fast, nothing to say."""


def momentum_words(analysis: Analysis, fixes: Fixes = CLI_FIXES) -> str | None:
    """Momentum at its best, with the β* and lr* that reach it: "momentum at β* = 0.966, lr* = 0.000586 (…), which keeps …"."""
    if analysis.lambda_min is None or analysis.lambda_max <= 0:
        return None
    best = momentum_best(analysis.lambda_max, analysis.lambda_min)
    if best.rate >= 1:
        return None
    tuned = safe_momentum_best(best, analysis.lambda_max, analysis.lambda_min)
    return (
        f"momentum at its best, β* = {said(tuned.beta)} with lr* = {tuned.lr:g} ({fixes.momentum_at(tuned)}), which keeps "
        f"(√κ−1)/(√κ+1) = {keep_words(best.rate, best.shrink, 3)} of the error a step, {steps_words(best.steps())} to shrink it 1000×"
    )


def explain_lr_best(
    analysis: Analysis | None,
    standardized: bool = False,
    fixes: Fixes = CLI_FIXES,
    standardized_analysis: Analysis | None = None,
) -> str | None:
    """Where κ is large: no lr makes plain descent fast, what lr_best does and does not, and what does fix it.

    None when κ is small (lr_best is then fast) or unknown. `standardized_analysis` (engine.maths.standardized)
    is the curvature with standardized x: standardizing is offered, with what it does, where it is known to help.
    """
    if analysis is None or not analysis.exact or analysis.lr_best is None or not math.isfinite(analysis.lr_best):
        return None
    kappa = analysis.condition_number
    if kappa is None or kappa < LARGE_KAPPA:
        return None
    best = plain_best(analysis.lambda_max, analysis.lambda_min)
    rate = f"(κ−1)/(κ+1) = {keep_words(best.rate, best.shrink)}" if best.shrink > 0 else "1 (no shrinking at all along the flat direction)"
    settle = round_down(1.0 / analysis.lambda_max)
    steep_then = keep_per_step(settle, analysis.lambda_max, "manual")
    kappa_said = kappa_text(analysis)
    kappa_said = kappa_said if kappa_said.startswith(">") else "= " + kappa_said
    text = (
        f"κ {kappa_said}: no lr makes plain gradient descent fast here. lr_best = 2/(λmax+λmin) = "
        f"{g(round_down(best.lr))} is the lr with the best rate in the long run: every direction's error keeps {rate} "
        f"a step, {steps_words(best.steps())} to shrink it 1000×. For a finite run it need not be the fastest: "
        f"there the steep direction keeps |1 − lr·λmax| = {keep_words(abs(1 - best.lr * analysis.lambda_max), best.shrink)} of its error "
        f"a step and swings from side to side, where lr {g(settle)} (about 1/λmax) keeps {steep_then:.2g} of it and "
        "settles it in a few steps; so a short run at lr_best can end with a higher loss than at a smaller lr. What fixes it: "
    )
    remedies = []
    effect = None if standardized else standardize_effect(analysis, standardized_analysis)
    if effect is not None:
        remedies.append(f"standardizing x ({fixes.standardize}), {effect}")
    momentum = momentum_words(analysis, fixes)
    if momentum is not None:
        remedies.append(momentum)
    return text + "; or ".join(remedies) + "." if remedies else None


def _g(value: float) -> str:
    return f"{value:.4g}"


def best_words(choice: BestChoice, high: float, low: float) -> str:
    """The sentence the summary prints under a run whose lr (and β) was `best`."""
    steps = f"{choice.steps:,} step{'s' if choice.steps != 1 else ''}"
    if choice.momentum is None:
        steep, flat = plain_rate(choice.lr, high), plain_rate(choice.lr, low)
        reference = 2.0 / (high + low)
        both = plain_rate(reference, high)
        story = (
            f"the steep error flips sign every step and keeps {both**choice.steps:.0%} of itself."
            if both > 1e-12
            else "with κ = 1 both directions land in one step."
        )
        return (
            f"lr best = {choice.lr:.6g}: of all lrs, the least loss after {steps} from this start (L − L* = "
            f"{_g(choice.excess)} in exact arithmetic). From the closed form Σ λᵢ/2·eᵢ²·(1 − lr·λᵢ)^2t: the steep direction's error keeps "
            f"{_g(steep)} of itself a step, the flat one's {flat:.6g}. lr_best = 2/(λmax+λmin) = {reference:.3g} is "
            f"the fastest in the long run (both keep {both:.6g} a step) but after {steps} leaves L − L* = "
            f"{_g(choice.lr_best_excess)}: {story}"
        )
    star_lr, star_beta = classical_momentum(high, low)
    what = "pair" if choice.momentum_chosen else "lr"
    rho = max(heavy_ball_rate(choice.lr, choice.momentum, high), heavy_ball_rate(choice.lr, choice.momentum, low))
    return (
        f"{'lr and momentum' if choice.momentum_chosen else 'lr'} best = {choice.lr:.6g} with momentum {choice.momentum:.6g}"
        f"{'' if choice.momentum_chosen else ' (as set)'}: the {what} that leaves the least loss after {steps} "
        f"from this start (L − L* = {_g(choice.excess)} in exact arithmetic). From the heavy ball's exact 2×2 "
        f"recurrence per direction: its slowest direction keeps {rho:.6g} a step. The classical lr* = 4/(√λmax+√λmin)² = {star_lr:.3g}, "
        f"β* = ((√κ−1)/(√κ+1))² = {star_beta:.4g} is the best in the long run and leaves L − L* = {_g(choice.lr_best_excess)} "
        f"after {steps}."
    )
