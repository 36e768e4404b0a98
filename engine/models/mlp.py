"""A one-hidden-layer network of tanh units: y = w₂·tanh(w₁·x + b₁) + b₂, for curves no polynomial fits well.

θ is one flat tensor [w₁ (H), b₁ (H), w₂ (H), b₂ (1)], like the linear models' θ, so every optimizer,
the snapshot and the curve see the same kind of vector. It reports a parameter count, not named
scalars: 3H + 1 numbers mean nothing one by one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from engine.data.scaling import Scaling


class MLP:
    """predictions = target.shift + target.scale · (w₂ · tanh(w₁ x_fit + b₁) + b₂)."""

    linear_in_parameters = False
    names: tuple[str, ...] = ()

    def __init__(self, hidden: int, scaling: Scaling, rng: np.random.Generator, dtype, device, target: Scaling | None = None) -> None:
        self.hidden = hidden
        self.scaling = scaling
        # With --standardize the output is scaled back to y's units by a fixed affine map, so the net
        # itself fits y of unit spread. This changes only the parametrization, not the family of curves
        # nor the loss (still in y's units): any fit with it is an exact fit without it.
        self.target = target or Scaling()
        self.parameter_count = 3 * hidden + 1
        self.theta = torch.tensor(self.initial(hidden, rng), dtype=dtype, device=device, requires_grad=True)
        self.tensors = [self.theta]

    @staticmethod
    def initial(hidden: int, rng: np.random.Generator) -> np.ndarray:
        """torch.nn.Linear's default init (U(±1/√fan_in) for weights and biases), drawn from the seeded rng.

        fan_in is 1 for the hidden layer, so w₁ and b₁ ~ U(−1, 1): on standardized x the units' kinks
        spread over the data; the output layer's 1/√H keeps the start's curve small.
        """
        bound = 1.0 / np.sqrt(hidden)
        return np.concatenate([rng.uniform(-1.0, 1.0, 2 * hidden), rng.uniform(-bound, bound, hidden + 1)])

    def _split(self, theta):
        h = self.hidden
        return theta[:h], theta[h : 2 * h], theta[2 * h : 3 * h], theta[3 * h]

    def __call__(self, x_fit: torch.Tensor) -> torch.Tensor:
        w1, b1, w2, b2 = self._split(self.theta)
        hidden = torch.tanh(torch.addr(b1, x_fit, w1))  # b₁ + x ⊗ w₁: (N, H) in one kernel
        net = torch.addmv(b2, hidden, w2)
        if self.target == Scaling():
            return net
        return net * self.target.scale + self.target.shift

    def forward_on(self, x_fit: torch.Tensor) -> Callable[[], torch.Tensor]:
        """A function computing predictions at fixed points (nothing to precompute for a network)."""
        return lambda: self(x_fit)

    def data_units(self, vector: np.ndarray) -> np.ndarray:
        """No named parameters: an MLP reports its count instead."""
        return np.zeros(0)

    def curve(self, vector: np.ndarray, x: np.ndarray) -> np.ndarray:
        """The model's y at data-unit x, for θ as fitted, in numpy float64."""
        w1, b1, w2, b2 = self._split(np.asarray(vector, dtype=np.float64))
        x_fit = self.scaling.apply(np.asarray(x, dtype=np.float64))
        net = np.tanh(np.outer(x_fit, w1) + b1) @ w2 + b2
        return net * self.target.scale + self.target.shift
