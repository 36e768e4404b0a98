"""Degenerate data either fits or gets a clear message: all x equal, all y equal, two points, duplicates."""

import numpy as np
import pytest

from engine.data.synthetic import Dataset
from engine.descent.problem import make_problem
from engine.maths.optimum import least_squares
from engine.settings.run_settings import Settings
from tests.helpers import last_snapshot

CASES = {
    "all x equal": ([3.0] * 6, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
    "all y equal": ([1.0, 2.0, 3.0, 4.0], [5.0] * 4),
    "two points": ([0.0, 1.0], [1.0, 3.0]),
    "duplicate points": ([1.0, 1.0, 2.0, 2.0, 3.0, 3.0], [2.0, 2.0, 4.0, 4.0, 6.0, 6.0]),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("standardize", [False, True])
def test_degenerate_data_fits(name, standardize):
    x, y = map(np.array, CASES[name])
    settings = Settings(lr=0.01, steps=3000, standardize=standardize)
    problem = make_problem(settings, Dataset(x=x, y=y, source=name))
    optimum = least_squares(problem)
    # The smallest MSE any line reaches, from numpy: the optimum must reach it even when it is not unique.
    design = np.stack([x, np.ones_like(x)], axis=1)
    best = np.linalg.lstsq(design, y, rcond=None)[0]
    smallest = np.mean((design @ best - y) ** 2)
    assert optimum.loss == pytest.approx(smallest, abs=1e-9)
    final = last_snapshot(problem)
    assert final.status == "done"
    assert final.loss == pytest.approx(smallest, abs=1e-3)
    assert np.all(np.isfinite(list(final.params.values())))
