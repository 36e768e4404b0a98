"""Models of y given x, with named scalar parameters.

Linear and polynomial models are linear in their parameters: predictions = Φ(x)·θ for a feature
matrix Φ. They keep θ in one tensor, so one matrix-vector product is the whole forward pass, and
the least-squares optimum and the Hessian come straight from Φ.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import torch

from engine import fast_paths
from engine.data.scaling import Scaling
from engine.models.mlp import MLP
from engine.settings.run_settings import parse_model

# Below this many points X @ θ is fastest; above it θ @ Xᵀ streams the features row by row
# (measured: X @ θ is 6× slower at a million points, θ @ Xᵀ 1.3× slower at a hundred).
SMALL_N = 4096
# Points per block of the large-N loss: 512 KB of float32 per array, a step's worth of which fits in
# 2 cores' L2 caches (measured at a million points: 2¹⁵ 1.7 ms a step, 2¹⁶ 1.25, 2¹⁷ 1.1, 2¹⁸ 1.2, whole 1.4).
BLOCK = 1 << 17


class LinearInParameters:
    """predictions = Φ(x_fit)·θ; `linear` is Φ = [x, 1] with θ = (k, b), `slope` Φ = [x] with θ = (k),
    `poly:D` Φ = [1, x, …, x^D]."""

    linear_in_parameters = True

    def __init__(self, kind: str, degree: int, scaling: Scaling, start: np.ndarray, dtype, device) -> None:
        self.kind = kind
        self.degree = degree
        self.scaling = scaling
        self.names = {"linear": ("k", "b"), "slope": ("k",)}.get(kind) or tuple(f"c{j}" for j in range(degree + 1))
        self.theta = torch.tensor(start, dtype=dtype, device=device, requires_grad=True)
        self.tensors = [self.theta]
        self.parameter_count = len(self.names)
        self._to_data_units = self._data_unit_map()

    def features_np(self, x_fit: np.ndarray) -> np.ndarray:
        """Φ as a float64 numpy array, shape (N, P)."""
        if self.kind == "linear":
            return np.stack([x_fit, np.ones_like(x_fit)], axis=1)
        if self.kind == "slope":
            return np.asarray(x_fit, dtype=np.float64).reshape(-1, 1)
        return np.vander(x_fit, self.degree + 1, increasing=True)

    def features(self, x_fit: torch.Tensor) -> torch.Tensor:
        if self.kind == "linear":
            return torch.stack([x_fit, torch.ones_like(x_fit)], dim=1)
        if self.kind == "slope":
            return x_fit.unsqueeze(1)
        return torch.stack([x_fit**j for j in range(self.degree + 1)], dim=1)

    def forward_on(self, x_fit: torch.Tensor) -> Callable[[], torch.Tensor]:
        """A function computing predictions at fixed points, in the fastest form for their number."""
        phi = self.features(x_fit)
        if len(x_fit) <= SMALL_N:
            return lambda: phi @ self.theta
        phi_t = phi.T.contiguous()
        return lambda: self.theta @ phi_t

    def mean_squared_error_on(self, x_fit: torch.Tensor, y: torch.Tensor) -> Callable[[], torch.Tensor]:
        """A function computing the mean squared error at fixed points, in the fastest form for their number."""
        phi = self.features(x_fit)
        if len(x_fit) <= SMALL_N:
            # Two ops, the fewest autograd nodes: at 100 points a step is per-op overhead, not arithmetic.
            mse_loss, mean = fast_paths.mse_loss, fast_paths.MEAN
            return lambda: mse_loss(phi @ self.theta, y, mean)
        # At large N a step is passes over memory. The residual r = Φθ − y in one op (addmv over a
        # column-major Φ, whose gemv streams it; y negated once here), then rᵀr/N: no mse_loss, which
        # materialises (pred − y)² and zero-fills its gradient. And in blocks of BLOCK points: each block's
        # residual and gradients then stay in the cores' L2 caches between the ops that make and use them,
        # instead of going out to L3 and back for every one of a step's passes. At a million points on
        # 2 cores a step takes 1.1 ms against 1.4 whole (and 2.0 for mm + mse_loss); 1 core, 1.8 against 2.5.
        phi = phi.T.contiguous().T
        negative_y = -y
        count = len(y)
        # A GPU has no such caches to keep blocks in, and each block would be more kernel launches.
        block = BLOCK if y.device.type == "cpu" else count
        blocks = list(zip(torch.split(negative_y, block), torch.split(phi, block), strict=True))
        theta = self.theta

        def loss() -> torch.Tensor:
            squares = []
            for minus_y, features in blocks:
                residual = torch.addmv(minus_y, features, theta)
                squares.append(torch.dot(residual, residual))
            total = squares[0] if len(squares) == 1 else torch.stack(squares).sum()
            return total / count

        return loss

    def __call__(self, x_fit: torch.Tensor) -> torch.Tensor:
        return self.features(x_fit) @ self.theta

    def _data_unit_map(self) -> np.ndarray:
        # x_fit = (x − s)/c, so Σⱼ aⱼ·x_fitʲ = Σⱼ aⱼ·c⁻ʲ·Σᵢ C(j,i)·xⁱ·(−s)^(j−i): a binomial expansion gives
        # the exact linear map θ_data = T·θ_fit (solving a Vandermonde system instead loses digits at degree 10).
        if self.scaling == Scaling():
            return np.eye(len(self.names))
        if self.kind == "slope":  # x_fit = x/c (never shifted: engine.descent.problem.x_scaling), so k = k_fit/c
            return np.array([[1.0 / self.scaling.scale]])
        s, c = self.scaling.shift, self.scaling.scale
        size = self.degree + 1 if self.kind == "poly" else 2
        power = np.zeros((size, size))  # in powers of x: column j is x_fitʲ
        for j in range(size):
            for i in range(j + 1):
                power[i, j] = math.comb(j, i) * (-s) ** (j - i) / c**j
        if self.kind == "poly":
            return power
        # linear's θ is (k, b): the powers 1 and 0, in that order.
        swap = np.array([[0.0, 1.0], [1.0, 0.0]])
        return swap @ power @ swap

    def data_units(self, vector: np.ndarray) -> np.ndarray:
        """Named parameters in the data's own units, from θ as fitted."""
        return self._to_data_units @ vector

    def curve(self, vector: np.ndarray, x: np.ndarray) -> np.ndarray:
        """The model's y at data-unit x, for θ as fitted."""
        return self.features_np(self.scaling.apply(np.asarray(x, dtype=np.float64))) @ vector


def start_rng(seed: int, start: int) -> np.random.Generator:
    """The generator of the starting parameters: the `start`-th random start of a seed's data."""
    return np.random.default_rng([seed, start])


def build_model(spec: str, scaling: Scaling, rng: np.random.Generator, dtype, device, target: Scaling | None = None):
    """The model a `--model` value names; linear models start from U(0,1) draws as in the tutorial.

    `target` is y's standardization, used by the MLP alone (a linear model's θ absorbs any scale of y).
    """
    kind, size = parse_model(spec)
    if kind == "slope":
        return LinearInParameters(kind, 1, scaling, rng.uniform(0.0, 1.0, 1), dtype, device)
    if kind in ("linear", "poly"):
        count = 2 if kind == "linear" else size + 1
        return LinearInParameters(kind, size, scaling, rng.uniform(0.0, 1.0, count), dtype, device)
    return MLP(size, scaling, rng, dtype, device, target)
