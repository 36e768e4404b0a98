"""`--export-script FILE.py`: a standalone, tutorial-like script that reproduces a run with torch and numpy.

The script rebuilds the data from the seed as engine/data.py does, starts from the same draws as
engine/model.py, builds the same float32 tensors and features, and takes the same updates, so the
loss it prints at the end equals the run's final loss. Every setting enters the script once, as a
constant written with `repr`; the code around the constants is fixed text, so no setting can inject
code. A CSV run's points are embedded the same way (with `repr`, up to MAX_EMBEDDED_POINTS): the
script then doesn't depend on the file, nor re-implement the CSV reader.
"""

from __future__ import annotations

import numpy as np

from engine.data import Dataset, load_dataset
from engine.problem import split_holdout
from engine.settings import Settings, parse_model, validate

MAX_EMBEDDED_POINTS = 20_000
SMALL_N = 4096  # engine.model.SMALL_N, not imported: that module loads torch


class ScriptUnsupported(ValueError):
    """The run uses something the exported script can't reproduce yet."""


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
    """The script's source; ScriptUnsupported for an MLP or mini-batches, DataError for a bad CSV."""
    s = validate(settings)
    kind, degree = parse_model(s.model)
    if kind == "mlp":
        raise ScriptUnsupported(f"can't reproduce mlp models yet (--model {s.model}); use linear or poly:D")
    if s.data is not None and dataset is None:
        dataset = load_dataset(s)
    count = len(dataset) if s.data is not None else s.points
    train, _ = split_holdout(count, s.holdout, s.seed)
    if s.batch_size is not None and s.batch_size < len(train):
        raise ScriptUnsupported(f"can't reproduce mini-batches yet (--batch-size {s.batch_size}); leave it out for the full batch")
    if s.data is not None and count > MAX_EMBEDDED_POINTS:
        raise ScriptUnsupported(f"embeds a CSV's points, at most {MAX_EMBEDDED_POINTS:,} (this one has {count:,})")

    parts = [HEADER, _settings_block(s), _data_block(s, dataset), _holdout_block(s), _model_block(s, kind, degree, len(train))]
    parts += [_descent_block(s), _report_block(s)]
    return "\n\n\n".join(part.strip("\n") for part in parts if part) + "\n"


HEADER = '''
#!/usr/bin/env python3
"""Gradient descent fitting noisy points, exported from `descent`: run it to reproduce the run.

It needs only torch and numpy. It rebuilds the same data from the seed, starts from the same
parameters, takes the same updates in float32 and prints the final loss as `loss=...`.
"""

import math

import numpy as np
import torch
import torch.nn.functional as F
'''


def _settings_block(s: Settings) -> str:
    names = ["seed", "start", "lr", "steps", "optimizer", "loss", "model", "standardize", "holdout", "device"]
    if s.data is None:
        names[2:2] = ["points", "x_min", "x_max", "slope", "intercept", "noise", "dataset"]
    if s.optimizer in ("momentum", "nesterov"):
        names.append("momentum")
    if s.loss == "huber":
        names.append("huber_delta")
    lines = ["# The run's settings (`descent run --print-config` shows them all)."]
    lines += [_constant(name.upper(), getattr(s, name)) for name in names]
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
# One and a half periods of a sine over the range, with the slope as its amplitude scale.
phase = 3 * np.pi * (x - X_MIN) / (X_MAX - X_MIN)
amplitude = SLOPE * (X_MAX - X_MIN) / 4
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


def _model_block(s: Settings, kind: str, degree: int, train_count: int) -> str:
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
    if kind == "linear":
        features = """
# The model: predictions = Φ·θ with Φ = [x, 1] and θ = (k, b), the line's slope and intercept,
# started from uniform draws in [0, 1) seeded with (SEED, START), as in the tutorial.


def features(x):
    return torch.stack([x, torch.ones_like(x)], dim=1)


theta = torch.tensor(np.random.default_rng([SEED, START]).uniform(0.0, 1.0, 2), dtype=torch.float32, device=device, requires_grad=True)
"""
    else:
        features = f"""
# The model: a polynomial of degree {degree}, predictions = Φ·θ with Φ = [1, x, x², …] and θ its
# coefficients, started from uniform draws in [0, 1) seeded with (SEED, START).
DEGREE = {int(degree)!r}


def features(x):
    return torch.stack([x**j for j in range(DEGREE + 1)], dim=1)


theta = torch.tensor(
    np.random.default_rng([SEED, START]).uniform(0.0, 1.0, DEGREE + 1), dtype=torch.float32, device=device, requires_grad=True
)
"""
    tensors = """
# The fitted points as float32 tensors, and Φ computed once: it never changes.
x_train = torch.as_tensor(x_fit[train], dtype=torch.float32).to(device)
y_train = torch.as_tensor(y[train], dtype=torch.float32).to(device)
phi = features(x_train)
"""
    if s.holdout > 0:
        tensors += """x_test = torch.as_tensor(x_fit[test], dtype=torch.float32).to(device)
y_test = torch.as_tensor(y[test], dtype=torch.float32).to(device)
"""
    if train_count <= SMALL_N:
        predict = "\n\ndef predict():\n    return phi @ theta\n"
    else:
        predict = """

# With many points θ·Φᵀ, over Φᵀ stored row by row, is faster than Φ·θ (and the sum runs in the same order as in descent).
phi_t = phi.T.contiguous()


def predict():
    return theta @ phi_t
"""
    return "\n\n".join(part.strip("\n") for part in (device, scale, features, tensors)) + "\n" + predict


_LOSSES = {
    "mse": "# The loss: mean squared error.\ndef loss_fn(predictions, targets):\n    return F.mse_loss(predictions, targets)\n",
    "mae": "# The loss: mean absolute error.\ndef loss_fn(predictions, targets):\n    return F.l1_loss(predictions, targets)\n",
    "huber": "# The loss: huber, quadratic within HUBER_DELTA of the target and linear beyond, so far-off points pull less.\n"
    "def loss_fn(predictions, targets):\n    return F.huber_loss(predictions, targets, delta=HUBER_DELTA)\n",
}

_OPTIMIZERS = {
    "sgd": "torch.optim.SGD([theta], lr=LR)",
    "momentum": "torch.optim.SGD([theta], lr=LR, momentum=MOMENTUM)",
    "nesterov": "torch.optim.SGD([theta], lr=LR, momentum=MOMENTUM, nesterov=True)",
    "adam": "torch.optim.Adam([theta], lr=LR)",
    "adamw": "torch.optim.AdamW([theta], lr=LR)",
    "rmsprop": "torch.optim.RMSprop([theta], lr=LR)",
    "adagrad": "torch.optim.Adagrad([theta], lr=LR)",
    "lbfgs": 'torch.optim.LBFGS([theta], lr=LR, line_search_fn="strong_wolfe")',
}


def _descent_block(s: Settings) -> str:
    closure = """

def closure():
    # forward
    loss = loss_fn(predict(), y_train)
    # backward: fills theta.grad with ∂loss/∂θ
    loss.backward()
    return loss
"""
    if s.optimizer == "manual":
        update = """    # update: θ ← θ − lr·∂loss/∂θ, outside autograd's graph, then clear the gradient
    with torch.no_grad():
        theta.sub_(theta.grad, alpha=LR)
    theta.grad = None"""
        optimizer = ""
    else:
        optimizer = f"\n\n# The update rule, torch's own.\noptimizer = {_OPTIMIZERS[s.optimizer]}\n"
        if s.optimizer == "lbfgs":
            update = """    # update: L-BFGS evaluates the loss again in its line search, each time from clear gradients
    def fresh_closure():
        optimizer.zero_grad(set_to_none=True)
        return closure()

    optimizer.step(fresh_closure)
    optimizer.zero_grad(set_to_none=True)"""
        else:
            update = """    # update
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)"""
    loop = f"""

# The descent: STEPS updates. Like descent, stop early when the loss blows up (not finite, or past
# a million times the first loss): the learning rate is then too large for this loss's curvature.
loss = closure()
limit = 1e6 * max(abs(loss.item()), 1e-30) if math.isfinite(loss.item()) else -math.inf
diverged_at = None if math.isfinite(loss.item()) else 0
step = 0
while diverged_at is None and step < STEPS:
{update}
    step += 1
    loss = closure()
    if not (math.isfinite(loss.item()) and loss.item() <= limit):
        diverged_at = step
"""
    return _LOSSES[s.loss] + closure + optimizer + loop


def _report_block(s: Settings) -> str:
    test = ""
    if s.holdout > 0:
        test = """with torch.no_grad():
    test_loss = loss_fn(features(x_test) @ theta, y_test)
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
