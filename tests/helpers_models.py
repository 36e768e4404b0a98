"""Small helpers the model tests share: run a descent to the end, and numpy references."""

from __future__ import annotations

import numpy as np

from engine.data import Dataset
from engine.descend import descend
from engine.problem import make_problem
from engine.settings import Settings


def run(settings: Settings, dataset: Dataset | None = None):
    """(problem, first snapshot, last snapshot) of a CPU run."""
    problem = make_problem(settings.with_changes(device="cpu"), dataset)
    snapshots = list(descend(problem))
    return problem, snapshots[0], snapshots[-1]


def line_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(k, b) of the least-squares line, by numpy."""
    k, b = np.polyfit(x, y, 1)
    return float(k), float(b)
