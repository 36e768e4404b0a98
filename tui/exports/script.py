"""`--export-script FILE.py`: a standalone, tutorial-like script that reproduces a run with torch and numpy.

The script rebuilds the data from the seed as engine/data/synthetic.py does, starts from the same draws as
engine/models/linear_models.py (engine/models/mlp.py for `mlp:H`), builds the same tensors (in the run's --dtype) and features, and takes
the same updates, on the same mini-batches when there are some (tui/script_descent.py writes the
loop), so the loss it prints at the end equals the run's final loss. Every setting enters the script once, as a
constant written with `repr`; the code around the constants is fixed text, so no setting can inject
code. A CSV run's points are embedded the same way (with `repr`, up to MAX_EMBEDDED_POINTS): the
script then doesn't depend on the file, nor re-implement the CSV reader.
"""

from __future__ import annotations

import numpy as np

from engine.data.synthetic import Dataset, load_dataset
from engine.settings.run_settings import Settings, parse_model, validate, weight_decay_of
from tui.exports.script_loop import descent_block

MAX_EMBEDDED_POINTS = 20_000
SMALL_N = 4096  # engine.models.linear_models.SMALL_N, not imported: that module loads torch


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
    parts += [_model_block(s, kind, size, len(train), needs_model), descent_block(s, batched), _report_block(s)]
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


def _model_block(s: Settings, kind: str, size: int, train_count: int, needs_model: bool) -> str:
    device = """
# The device: CUDA if there is one, then Apple's MPS, else the CPU (descent's `auto`).
if torch.cuda.is_available():
    device = torch.device("cuda")
elif getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
    device = torch.device("mps")
else:
    device = torch.device("cpu")
"""
    if s.device != "auto":
        device = "\n# The device the run used.\ndevice = torch.device(DEVICE)\n"
    scale = """
# Standardize x (mean 0, σ 1 over the fitted points): every direction of the loss then has the same
# curvature, so one learning rate suits them all. Parameters are fitted in these units.
shift = float(np.mean(x[train]))
scale = float(np.std(x[train])) or 1.0
x_fit = (x - shift) / scale
""" if s.standardize else """
# x is fitted as it is (no standardization).
x_fit = x
"""
    if s.standardize and kind == "slope":
        scale = """
# Scale x by its root mean square over the fitted points, without shifting it: y = k·x has no intercept
# to absorb a shift. k is fitted in these units.
x_fit = x / (float(np.sqrt(np.mean(x[train] ** 2))) or 1.0)
"""
    if kind == "mlp":
        model = _mlp_block(s, size)
    else:
        model = _linear_block(kind, size, needs_model)
    tensors = """
# The fitted points as tensors of DTYPE.
x_train = torch.as_tensor(x_fit[train], dtype=DTYPE).to(device)
y_train = torch.as_tensor(y[train], dtype=DTYPE).to(device)
"""
    if s.holdout > 0:
        tensors += """x_test = torch.as_tensor(x_fit[test], dtype=DTYPE).to(device)
y_test = torch.as_tensor(y[test], dtype=DTYPE).to(device)
"""
    if kind == "mlp":
        predict = "\n\n# The predictions at every fitted point.\ndef predict():\n    return model(x_train)\n"
    elif train_count <= SMALL_N:
        predict = """
# Φ at the fitted points, computed once: it never changes.
phi = features(x_train)


def predict():
    return phi @ theta
"""
    else:
        predict = """
# Φ at the fitted points, computed once: it never changes. With many points θ·Φᵀ, over Φᵀ stored
# row by row, is faster than Φ·θ (and the sum runs in the same order as in descent).
phi_t = features(x_train).T.contiguous()


def predict():
    return theta @ phi_t
"""
    return "\n\n\n".join(part.strip("\n") for part in (device, scale, model, tensors)) + "\n" + predict


def _linear_block(kind: str, degree: int, needs_model: bool) -> str:
    if kind == "slope":
        text = """
# The model: a line through the origin, predictions = Φ·θ with Φ = [x] and θ = (k), its slope,
# started from a uniform draw in [0, 1) seeded with (SEED, START).


def features(x):
    return x.unsqueeze(1)


theta = torch.tensor(np.random.default_rng([SEED, START]).uniform(0.0, 1.0, 1), dtype=DTYPE, device=device, requires_grad=True)
"""
    elif kind == "linear":
        text = """
# The model: predictions = Φ·θ with Φ = [x, 1] and θ = (k, b), the line's slope and intercept,
# started from uniform draws in [0, 1) seeded with (SEED, START), as in the tutorial.


def features(x):
    return torch.stack([x, torch.ones_like(x)], dim=1)


theta = torch.tensor(np.random.default_rng([SEED, START]).uniform(0.0, 1.0, 2), dtype=DTYPE, device=device, requires_grad=True)
"""
    else:
        text = f"""
# The model: a polynomial of degree {int(degree)!r}, predictions = Φ·θ with Φ = [1, x, x², …] and θ its
# coefficients, started from uniform draws in [0, 1) seeded with (SEED, START).
DEGREE = {int(degree)!r}


def features(x):
    return torch.stack([x**j for j in range(DEGREE + 1)], dim=1)


theta = torch.tensor(
    np.random.default_rng([SEED, START]).uniform(0.0, 1.0, DEGREE + 1), dtype=DTYPE, device=device, requires_grad=True
)
"""
    if needs_model:
        text += """

def model(x):
    return features(x) @ theta
"""
    return text


def _mlp_block(s: Settings, hidden: int) -> str:
    target = ""
    output = "net"
    if s.standardize:
        target = """
# Standardize y too, for the network alone: it fits y of mean 0 and σ 1, and a fixed affine map takes
# its output back to y's units. Only the parametrization changes: the loss is still in y's units.
y_shift = float(np.mean(y[train]))
y_scale = float(np.std(y[train])) or 1.0
"""
        output = "net * y_scale + y_shift"
    return target + f"""
# The model: a network with one hidden layer of HIDDEN tanh units, y = w₂·tanh(w₁·x + b₁) + b₂.
# θ is one flat vector [w₁ (HIDDEN), b₁ (HIDDEN), w₂ (HIDDEN), b₂ (1)], started as torch.nn.Linear
# starts its layers, from draws seeded with (SEED, START): w₁, b₁ ~ U(−1, 1) (one input), then
# w₂, b₂ ~ U(±1/√HIDDEN), which keeps the starting curve small.
HIDDEN = {int(hidden)!r}
start_rng = np.random.default_rng([SEED, START])
bound = 1.0 / np.sqrt(HIDDEN)
start = np.concatenate([start_rng.uniform(-1.0, 1.0, 2 * HIDDEN), start_rng.uniform(-bound, bound, HIDDEN + 1)])
theta = torch.tensor(start, dtype=DTYPE, device=device, requires_grad=True)


def model(x):
    w1, b1 = theta[:HIDDEN], theta[HIDDEN : 2 * HIDDEN]
    w2, b2 = theta[2 * HIDDEN : 3 * HIDDEN], theta[3 * HIDDEN]
    hidden = torch.tanh(torch.addr(b1, x, w1))  # b₁ + x ⊗ w₁: a row of HIDDEN units per point
    net = torch.addmv(b2, hidden, w2)  # b₂ + hidden · w₂
    return {output}
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
