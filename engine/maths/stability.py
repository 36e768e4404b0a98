"""The largest stable lr of each update rule on a quadratic, from the plain rule's lr_max = 2/λmax.

Torch-free: the race's verdicts (engine/words/race_verdict.py) and the warnings (engine/words/explain.py) both
ask it, from a number, without a model.
"""

from __future__ import annotations

from engine.settings.run_settings import PLAIN_DESCENT


def stable_lr(lr_max: float, optimizer: str, momentum: float) -> float | None:
    """lr_max for plain descent; torch's SGD with momentum β is stable while lr·λmax < 2(1+β) (heavy ball) or
    2(1+β)/(1+2β) (Nesterov); None for the adaptive rules, whose step is about lr whatever the curvature."""
    if optimizer in PLAIN_DESCENT:
        return lr_max
    if optimizer == "momentum":
        return lr_max * (1 + momentum)
    if optimizer == "nesterov":
        return lr_max * (1 + momentum) / (1 + 2 * momentum)
    return None
