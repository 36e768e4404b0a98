"""`--export-script FILE.py`: a standalone, tutorial-like script that reproduces a run with torch and numpy.

The script rebuilds the data from the seed as engine/data/synthetic.py does, starts from the same draws as
engine/models/linear_models.py (engine/models/mlp.py for `mlp:H`), builds the same tensors (in the run's
--dtype) and features, and takes the same updates, on the same mini-batches when there are some
(tui/exports/script_model.py writes the model, tui/exports/script_loop.py the loop), so the loss it prints at
the end equals the run's final loss. Every setting enters the script once, as a constant written with `repr`;
the code around the constants is fixed text, so no setting can inject code. A CSV run's points are embedded the
same way (with `repr`, up to MAX_EMBEDDED_POINTS): the script then doesn't depend on the file, nor
re-implement the CSV reader.
"""

from __future__ import annotations

import numpy as np

from engine.data.synthetic import Dataset, load_dataset
from engine.settings.run_settings import Settings, parse_model, validate, weight_decay_of
from tui.exports.script_loop import descent_block
from tui.exports.script_model import model_block

MAX_EMBEDDED_POINTS = 20_000


class ScriptUnsupported(ValueError):
    """The exported script can't reproduce this run (today: a CSV too large to embed)."""


def _constant(name: str, value) -> str:
    if isinstance(value, (bool, str)) or value is None:
        return f"{name} = {value!r}"
    if isinstance(value, (int, np.integer)):
        return f"{name} = {int(value)!r}"
    return f"{name} = {float(value)!r}"


def _array(name: str, values: np.ndarray) -> str:
    rows = [", ".join(repr(float(v)) for v in values[i : i + 4]) for i in range(0, len(values), 4)]
    return f"{name} = np.array([\n" + "".join(f"    {row},\n" for row in rows) + "])"


def script_text(settings: Settings, dataset: Dataset | None = None) -> str:
    """The script's source; ScriptUnsupported for a CSV too large to embed, DataError for a bad CSV."""
    from engine.descent.problem import split_holdout  # engine.descent.problem imports torch: the app's first paint must not wait for it

    s = validate(settings)
    kind, size = parse_model(s.model)
    if s.data is not None and dataset is None:
        dataset = load_dataset(s)
    count = len(dataset) if s.data is not None else s.points
    if s.data is not None and count > MAX_EMBEDDED_POINTS:
        raise ScriptUnsupported(f"embeds a CSV's points, at most {MAX_EMBEDDED_POINTS:,} (this one has {count:,})")
    train, _ = split_holdout(count, s.holdout, s.seed)
    # As engine.descent.minibatch.uses_batches: a batch as large as the training set is the full batch.
    batched = s.batch_size is not None and s.batch_size < len(train)
    # A linear model's forward on given points (not the precomputed Φ) serves only the held-out points and batches.
    needs_model = s.holdout > 0 or batched

    parts = [HEADER, _settings_block(s, batched), _data_block(s, dataset), _holdout_block(s)]
    parts += [model_block(s, kind, size, len(train), needs_model), descent_block(s, batched), _report_block(s)]
    return "\n\n\n".join(part.strip("\n") for part in parts if part) + "\n"


HEADER = '''
#!/usr/bin/env python3
"""Gradient descent fitting noisy points, exported from `descent`: run it to reproduce the run.

It needs only torch and numpy. It rebuilds the same data from the seed, starts from the same
parameters, takes the same updates in the same precision and prints the final loss as `loss=...`.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F
'''


def _settings_block(s: Settings, batched: bool) -> str:
    names = ["seed", "start", "lr", "steps", "optimizer", "loss", "model", "standardize", "holdout", "device"]
    if s.data is None:
        names[2:2] = ["points", "x_min", "x_max", "slope", "intercept", "noise", "dataset"]
    if s.optimizer in ("momentum", "nesterov"):
        names.append("momentum")
    if s.loss == "huber":
        names.append("huber_delta")
    if batched:
        names.append("batch_size")
    lines = ["# The run's settings (`descent run --print-config` shows them all)."]
    lines += [_constant(name.upper(), getattr(s, name)) for name in names]
    if s.optimizer not in ("manual", "lbfgs"):
        lines.append(_constant("WEIGHT_DECAY", weight_decay_of(s)) + "  # torch's default unless set: 0.01 for adamw, 0 for the rest")
    # One of two fixed names (validate() allows no other), so no text of the settings reaches the code.
    precision = "float64" if s.dtype == "float64" else "float32"
    lines.append(f"DTYPE = torch.{precision}  # the tensors' precision (--dtype)")
    return "\n".join(lines)


def _data_block(s: Settings, dataset: Dataset | None) -> str:
    if s.data is not None:
        return "\n".join(
            [
                "# The points, read from the run's CSV file by descent and written here digit for digit.",
                _array("x", dataset.x),
                _array("y", dataset.y),
            ]
        )
    head = """
# The data: POINTS values of x evenly spread on [X_MIN, X_MAX] and y with Gaussian noise of σ = NOISE,
# drawn from numpy's generator seeded with SEED, so the same seed gives the same points everywhere.
rng = np.random.default_rng(SEED)
x = np.linspace(X_MIN, X_MAX, POINTS)
noise = NOISE * rng.standard_normal(POINTS)
"""
    shapes = {
        "linear": """
# A straight line: y = slope·x + intercept + noise.
y = SLOPE * x + INTERCEPT + noise
""",
        "quadratic": """
# A parabola through the line's ends, bowed by the range, so the same axes fit it.
middle = (X_MIN + X_MAX) / 2
half = (X_MAX - X_MIN) / 2
y = SLOPE * x + INTERCEPT + SLOPE * half * (((x - middle) / half) ** 2 - 1 / 3) + noise
""",
        "sine": """
# One and a half periods of a sine over the range, as tall as the line rises over half of it.
phase = 3 * np.pi * (x - X_MIN) / (X_MAX - X_MIN)
amplitude = SLOPE * (X_MAX - X_MIN) / 2
y = INTERCEPT + amplitude * np.sin(phase) + noise
""",
        "outliers": """
# A straight line, then one point in ten (at least one) thrown far off it.
y = SLOPE * x + INTERCEPT + noise
count = max(1, POINTS // 10)
picked = rng.choice(POINTS, size=count, replace=False)
spread = abs(SLOPE) * (X_MAX - X_MIN) + 10 * NOISE + 1
y[picked] += spread * rng.uniform(0.5, 1.0, size=count) * rng.choice([-1.0, 1.0], size=count)
""",
    }
    return head.strip("\n") + "\n\n" + shapes[s.dataset].strip("\n")


def _holdout_block(s: Settings) -> str:
    if s.holdout <= 0:
        return """
# Every point is fitted (no holdout).
train = np.arange(len(x))
"""
    return """
# Keep a seeded share of the points out of the fit, at least 1, leaving at least 2 to fit:
# their loss (test_loss) tells whether the fit generalises.
order = np.random.default_rng([SEED, 2]).permutation(len(x))
held = min(max(1, round(HOLDOUT * len(x))), len(x) - 2)
train, test = np.sort(order[held:]), np.sort(order[:held])
"""


def _report_block(s: Settings) -> str:
    test = ""
    if s.holdout > 0:
        test = """with torch.no_grad():
    test_loss = loss_fn(model(x_test), y_test)
print(f"test_loss={test_loss.item()!r}")
"""
    return (
        """
# The result: the loss at the final parameters, as descent reports it.
if diverged_at is not None:
    print(f"diverged at step {diverged_at}: try a smaller learning rate")
print(f"theta={theta.detach().cpu().tolist()!r}")
"""
        + test
        + 'print(f"loss={loss.item()!r}")\n'
    )
