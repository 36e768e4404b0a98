"""The blocked least-squares solve (for many points) agrees with lstsq on Φ whole and with numpy."""

import numpy as np
import pytest

from engine.descent.problem import make_problem
from engine.maths.optimum import least_squares
from engine.settings.run_settings import Settings


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"model": "poly:3", "dataset": "sine", "standardize": True},
        {"holdout": 0.25, "dataset": "outliers"},
    ],
)
def test_blocks_match_the_whole_solve(changes):
    problem = make_problem(Settings(points=5_000, device="cpu", **changes))
    whole = least_squares(problem)
    blocked = least_squares(problem, whole_max=100, block=700)  # 8 blocks, the last one short
    np.testing.assert_allclose(blocked.vector, whole.vector, rtol=1e-9, atol=1e-9)
    assert blocked.loss == pytest.approx(whole.loss, rel=1e-10)
    assert blocked.params.keys() == whole.params.keys()


def test_blocked_solve_matches_numpy_on_the_line():
    problem = make_problem(Settings(points=30_000, device="cpu", seed=4))
    x, y = problem.dataset.x, problem.dataset.y
    slope, intercept = np.polyfit(x, y, 1)
    blocked = least_squares(problem, whole_max=1_000, block=4_096)
    assert blocked.params["k"] == pytest.approx(slope, rel=1e-10)
    assert blocked.params["b"] == pytest.approx(intercept, rel=1e-8)
    assert blocked.loss == pytest.approx(np.mean((slope * x + intercept - y) ** 2), rel=1e-10)
