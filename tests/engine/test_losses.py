"""mse, mae and huber: their values against numpy, and the lines they fit through an outlier against known optima."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from engine.data.synthetic import Dataset
from engine.descent.losses import make_loss
from engine.settings.run_settings import Settings
from tests.helpers import line_fit, run

DELTA = 1.0


def huber(residuals: np.ndarray, delta: float) -> np.ndarray:
    small = np.abs(residuals) <= delta
    return np.where(small, 0.5 * residuals**2, delta * (np.abs(residuals) - 0.5 * delta))


@pytest.mark.parametrize(
    "name, reference",
    [
        ("mse", lambda r: np.mean(r**2)),
        ("mae", lambda r: np.mean(np.abs(r))),
        ("huber", lambda r: np.mean(huber(r, 2.5))),
    ],
)
def test_loss_values_match_numpy(name, reference):
    rng = np.random.default_rng(0)
    predictions, targets = rng.normal(0, 3, 50), rng.normal(0, 3, 50)
    got = make_loss(name, huber_delta=2.5)(torch.tensor(predictions), torch.tensor(targets))
    assert float(got) == pytest.approx(reference(predictions - targets), rel=1e-12)


def with_one_outlier() -> Dataset:
    """A clean line, y = 2x + 1 with small noise, and one point thrown 40 above it."""
    rng = np.random.default_rng(1)
    x = np.sort(rng.uniform(0, 10, 12))
    y = 2 * x + 1 + rng.normal(0, 0.3, 12)
    y[7] += 40
    return Dataset(x=x, y=y, source="one outlier")


def l1_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """The least-absolute-deviations line by exhaustive search: some optimal line passes through two data points."""
    candidates = []
    for i, j in itertools.combinations(range(len(x)), 2):
        if x[i] != x[j]:
            k = (y[j] - y[i]) / (x[j] - x[i])
            b = y[i] - k * x[i]
            candidates.append((float(np.mean(np.abs(y - k * x - b))), k, b))
    return min(candidates)


def huber_line(x: np.ndarray, y: np.ndarray, delta: float) -> tuple[float, float]:
    """The Huber line by iteratively reweighted least squares: weight 1 inside delta, delta/|r| beyond."""
    phi = np.stack([x, np.ones_like(x)], axis=1)
    theta = np.linalg.lstsq(phi, y, rcond=None)[0]
    for _ in range(500):
        residuals = y - phi @ theta
        weights = np.where(np.abs(residuals) <= delta, 1.0, delta / np.maximum(np.abs(residuals), 1e-300))
        updated = np.linalg.solve(phi.T @ (weights[:, None] * phi), phi.T @ (weights * y))
        if np.allclose(updated, theta, rtol=0, atol=1e-13):
            break
        theta = updated
    return float(theta[0]), float(theta[1])


def test_mae_fit_is_the_exhaustive_l1_line():
    data = with_one_outlier()
    best, k, b = l1_line(data.x, data.y)
    _, _, last = run(Settings(loss="mae", standardize=True, optimizer="manual", lr=0.01, steps=2000), data)
    assert last.loss == pytest.approx(best, rel=1e-3)
    assert last.params["k"] == pytest.approx(k, rel=1e-3)
    assert last.params["b"] == pytest.approx(b, abs=0.02)
    # The outlier drags the least-squares line far off: the L1 line is a different answer, not a coincidence.
    assert abs(line_fit(data.x, data.y)[1] - b) > 1


def test_huber_fit_is_the_irls_line():
    data = with_one_outlier()
    k, b = huber_line(data.x, data.y, DELTA)
    _, _, last = run(Settings(loss="huber", huber_delta=DELTA, standardize=True, optimizer="lbfgs", lr=1.0, steps=20), data)
    assert last.params["k"] == pytest.approx(k, rel=1e-4)
    assert last.params["b"] == pytest.approx(b, abs=1e-3)
    assert last.loss == pytest.approx(np.mean(huber(data.y - k * data.x - b, DELTA)), rel=1e-5)
    assert abs(line_fit(data.x, data.y)[1] - b) > 1


def test_a_huge_delta_makes_huber_half_the_mse_fit():
    data = with_one_outlier()
    _, _, last = run(Settings(loss="huber", huber_delta=1e6, standardize=True, optimizer="lbfgs", lr=1.0, steps=10), data)
    k, b = line_fit(data.x, data.y)
    assert last.params["k"] == pytest.approx(k, rel=1e-4)
    assert last.params["b"] == pytest.approx(b, abs=1e-3)


@pytest.mark.parametrize("loss", ["mae", "huber"])
def test_robust_losses_shrug_off_the_outliers_dataset(loss):
    # Seed 2's outliers tilt the least-squares line well away from the true one (y = x): ~10 RMS off.
    settings = Settings(seed=2, dataset="outliers", loss=loss, huber_delta=10.0, standardize=True, optimizer="lbfgs", lr=1.0, steps=20)
    problem, _, last = run(settings)
    x, y = problem.dataset.x, problem.dataset.y
    k_squares, b_squares = line_fit(x, y)

    def off_the_truth(k, b):
        return np.sqrt(np.mean(((k - 1) * x + b) ** 2))

    assert off_the_truth(last.params["k"], last.params["b"]) < off_the_truth(k_squares, b_squares) / 4
