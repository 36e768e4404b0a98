"""The exported script's model: the device, the features or the network, θ's start and the forward, as text.

Part of `--export-script` (tui/exports/script.py writes the rest): the same draws as engine/models/linear_models.py
and engine/models/mlp.py, so the script starts where the run started.
"""

from __future__ import annotations

from engine.settings.run_settings import Settings

SMALL_N = 4096  # engine.models.linear_models.SMALL_N, not imported: that module loads torch


def model_block(s: Settings, kind: str, size: int, train_count: int, needs_model: bool) -> str:
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
