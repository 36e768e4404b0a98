"""The points a run fits, wherever they came from: the type both the built-in data and the CSV reader make."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Dataset:
    """Points to fit, in float64, in the data's own units."""

    x: np.ndarray
    """x of every point, shape (N,)."""
    y: np.ndarray
    """y of every point, shape (N,)."""
    source: str
    """Where the points came from: a built-in dataset's name or a file's path."""
    x_name: str = "x"
    """What x is called: a CSV's header names its columns; built-in data is plain x and y."""
    y_name: str = "y"

    def __len__(self) -> int:
        return len(self.x)
