"""How x (and, for the MLP, y) is standardized before fitting: numpy only, shared by the models and the problem."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Scaling:
    """How x is shifted and scaled before fitting: x_fit = (x − shift) / scale."""

    shift: float = 0.0
    scale: float = 1.0

    def apply(self, x):
        return (x - self.shift) / self.scale

    @classmethod
    def standardizing(cls, x: np.ndarray) -> Scaling:
        spread = float(np.std(x))
        return cls(float(np.mean(x)), spread if spread > 0 else 1.0)
