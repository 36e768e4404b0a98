"""What forgetting `theta.grad = None` does (key b), in words computed from the run's lr and curvature.

With the reset gone, theta.grad after step t is G(t) = G(t−1) + ∇L(θ(t)), and θ(t+1) = θ(t) − lr·G(t). On MSE
linear in θ, along an eigenvector of curvature λ that is e(t+1) = (2 − lr·λ)·e(t) − e(t−1): the roots of
z² − (2 − lr·λ)z + 1 have product 1, so for 0 < lr·λ < 4 both have size 1 (a swing that never shrinks, with
period 2π/arccos(1 − lr·λ/2) steps) and for lr·λ > 4 one is larger than 1 (it diverges). A ball without friction.
"""

from __future__ import annotations

import math

from engine.settings.run_settings import PLAIN_DESCENT


def swing_period(lr: float, curvature: float) -> float | None:
    """Steps per full swing of the error along a direction of curvature λ; None when it does not swing (lr·λ ≥ 4 or ≤ 0)."""
    product = lr * curvature
    if not 0 < product < 4:
        return None
    return 2 * math.pi / math.acos(1 - product / 2)


def forgotten_words(optimizer: str, lr: float, analysis=None) -> str:
    """The screen's explanation of the broken loop: what happens (first sentence, the headline), and why."""
    how = (
        "loss.backward() adds each step's gradient to what .grad holds, so theta.grad is the sum of every gradient "
        "so far and each step is lr × that sum"
    )
    exact = analysis is not None and getattr(analysis, "exact", False) and analysis.lambda_min is not None
    if optimizer not in PLAIN_DESCENT or not exact:
        return (
            f"theta.grad = None forgotten: the steps don't shrink near the optimum. {how}: they grow while the gradients "
            "agree, so the run can't settle there."
        )
    steep = swing_period(lr, analysis.lambda_max)
    if steep is None:
        return (
            f"theta.grad = None forgotten: the steps grow and the run diverges. {how}. Here lr·λmax = {lr * analysis.lambda_max:.3g} ≥ 4: "
            "along the steep direction z² − (2 − lr·λ)z + 1 = 0 has a root larger than 1, so the error grows every step."
        )
    flat = swing_period(lr, analysis.lambda_min)
    along = f" and every ~{flat:,.0f} along it" if flat is not None else ""
    return (
        f"theta.grad = None forgotten: θ swings past the optimum and back, never settling. {how}: a ball without friction. "
        "Along each direction z² − (2 − lr·λ)z + 1 = 0 has roots of size 1 (lr·λ < 4), so the error keeps its size, "
        f"swinging every ~{steep:,.1f} steps across the valley{along}; the loss keeps going back up."
    )


def forgotten_short(optimizer: str, lr: float, analysis=None) -> str:
    """One line for the code pane, short enough for it at 80×24 beside the parameter panel."""
    exact = analysis is not None and getattr(analysis, "exact", False) and analysis.lambda_min is not None
    if optimizer in PLAIN_DESCENT and exact and swing_period(lr, analysis.lambda_max) is None:
        return "b: .grad keeps summing: the steps grow, it diverges"
    if optimizer in PLAIN_DESCENT and exact:
        return "b: .grad keeps summing: θ swings, never settles"
    return "b: .grad keeps summing: steps don't shrink"
