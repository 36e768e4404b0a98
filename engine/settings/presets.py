"""Named starting points, each showing one lesson: `--preset NAME` and the app's command palette.

A preset is a set of changes over the defaults; a config file and command-line flags then override it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.settings.errors import SettingError
from engine.settings.run_settings import SETTING_NAMES, Settings


@dataclass(frozen=True)
class Preset:
    """A named lesson: what it shows, and the settings that show it."""

    description: str
    """One line on what the preset shows."""
    changes: dict = field(default_factory=dict)
    """Settings changed from the defaults, by field name."""
    race: tuple[str, ...] = ()
    """Racers on the same data, as `--race` takes them (`adam@0.05`: adam at its own lr); empty for a single run."""


def tutorial_lr_limit() -> float:
    """2/λmax of the tutorial's MSE: plain gradient descent diverges above this learning rate.

    The MSE of a linear model is quadratic with Hessian H = (2/N)·ΦᵀΦ, Φ = [x, 1]; a step of lr
    multiplies the error along H's top eigenvector by (1 − lr·λmax), which grows past lr = 2/λmax.
    """
    s = Settings()
    x = np.linspace(s.x_min, s.x_max, s.points)  # the tutorial's x, as engine.data.synthetic makes it
    phi = np.stack([x, np.ones_like(x)], axis=1)
    hessian = 2.0 / s.points * phi.T @ phi
    return float(2.0 / np.linalg.eigvalsh(hessian).max())


LADDER = (0.5, 1, 1.5, 1.9, 2.1)
"""The ladder preset's rungs, as multiples of 1/λmax."""

PRESETS: dict[str, Preset] = {
    "seed": Preset("the tutorial exactly: 100 noisy points, plain GD at lr 1e-4; k fits fast, b barely moves"),
    "diverge": Preset(
        "lr 5% above 2/λmax of the tutorial's loss: the loss blows up within a hundred steps",
        {"lr": 1.05 * tutorial_lr_limit()},
    ),
    "standardized": Preset(
        "the tutorial's data with x standardized: condition number 1, so lr 0.1 reaches the optimum in 100 steps",
        {"standardize": True, "lr": 0.1, "steps": 100},
    ),
    "outliers": Preset(
        "one point in ten thrown far off the line: huber (δ = the noise σ) ignores them; try --loss mse against it",
        {"dataset": "outliers", "loss": "huber", "huber_delta": 10.0, "standardize": True, "lr": 0.1},
    ),
    "sine": Preset(
        "a small MLP (16 tanh units, mlp:16) bending to fit a sine, with adam on standardized x",
        {"dataset": "sine", "model": "mlp:16", "standardize": True, "optimizer": "adam", "lr": 0.01, "steps": 3000},
    ),
    # One lr does not suit all three: plain descent's step is lr·gradient and diverges past 2/λmax ≈ 3e-4, so
    # manual and momentum race at the tutorial's 1e-4 (the same lr: momentum alone makes the difference);
    # adam's step is about lr per parameter whatever the gradient, so at 1e-4 it would crawl (loss 354 after
    # 1000 steps) and at 0.05 it shows what it does: it reaches the optimum, valley or not.
    "race": Preset(
        "manual, momentum at lr 1e-4 (plain steps diverge past 3e-4); adam at 0.05: its steps are ~lr per parameter",
        race=("manual@1e-4", "momentum@1e-4", "adam@0.05"),
    ),
    # The lr regimes of plain descent on a quadratic, rung by rung: lr·λmax < 1 smooth, = 1 one step, 1–2 zig-zag,
    # > 2 diverges. The lrs are multiples of 1/λmax of the data raced (engine/maths/ladder.py), so other data, other lrs.
    "ladder": Preset(
        "plain descent at 0.5, 1, 1.5, 1.9 and 2.1 × 1/λmax of the data: smooth, one step, zig-zag, zig-zag, diverges",
        race=tuple(f"manual@{multiple}/λmax" for multiple in LADDER),
    ),
}


def preset_changes(name: str) -> dict:
    """The settings changes of a preset, including its race when Settings has a `race` field."""
    preset = PRESETS.get(name)
    if preset is None:
        raise SettingError("preset", f"must be one of {', '.join(PRESETS)} (got {name!r})")
    changes = dict(preset.changes)
    if preset.race and "race" in SETTING_NAMES:
        changes["race"] = preset.race
    return changes


def apply_preset(name: str, base: Settings | None = None) -> Settings:
    """`base` (the defaults when None) with a preset's changes, checked."""
    return (base or Settings()).with_changes(**preset_changes(name))
