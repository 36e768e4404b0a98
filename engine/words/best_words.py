"""What `--lr best` chose and why, beside lr_best's asymptotic story: one sentence computed from the choice."""

from __future__ import annotations

from engine.maths.best_lr import BestChoice, classical_momentum
from engine.maths.valley import heavy_ball_rate, plain_rate


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
            f"the steep error flips sign every step and keeps {both ** choice.steps:.0%} of itself."
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
