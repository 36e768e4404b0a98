"""The loss landscape against direct sums and closed forms; the path through the snapshots."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.maths.landscape import landscape_window, loss_grid, path_cells, thin_path
from engine.maths.optimum import least_squares
from engine.settings.run_settings import Settings


def direct_losses(problem, ks: np.ndarray, bs: np.ndarray) -> np.ndarray:
    """The training loss at each (k, b), one cell at a time, with torch's own loss in float64."""
    x = torch.from_numpy(problem.scaling.apply(problem.dataset.x[problem.train]))
    y = torch.from_numpy(problem.dataset.y[problem.train])
    settings = problem.settings
    losses = []
    for k, b in zip(ks, bs, strict=True):
        prediction = k * x + b
        if settings.loss == "mse":
            losses.append(float(F.mse_loss(prediction, y)))
        elif settings.loss == "mae":
            losses.append(float(F.l1_loss(prediction, y)))
        else:
            losses.append(float(F.huber_loss(prediction, y, delta=settings.huber_delta)))
    return np.array(losses)


@pytest.mark.parametrize("loss", ["mse", "mae", "huber"])
@pytest.mark.parametrize("standardize", [False, True])
def test_the_grid_holds_log10_of_the_loss_at_each_cell(loss, standardize):
    problem = make_problem(Settings(device="cpu", loss=loss, standardize=standardize, huber_delta=5.0))
    landscape = loss_grid(problem, (-1.0, 3.0), (-20.0, 40.0), (9, 7))
    assert landscape.log_loss.shape == (7, 9)
    rows, columns = np.meshgrid(np.arange(7), np.arange(9), indexing="ij")
    ks, bs = landscape.k_values[columns.ravel()], landscape.b_values[rows.ravel()]
    expected = np.log10(direct_losses(problem, ks, bs)).reshape(7, 9)
    np.testing.assert_allclose(landscape.log_loss, expected, rtol=1e-9, atol=1e-12)


def test_the_path_passes_through_the_snapshots_parameters():
    problem = make_problem(Settings(device="cpu", steps=300))
    snapshots = list(descend(problem))
    path = np.array([s.vector for s in snapshots])
    optimum = least_squares(problem).vector
    k_range, b_range = landscape_window(path[0], optimum, path)
    landscape = loss_grid(problem, k_range, b_range, (50, 30))
    assert landscape.contains(path) and landscape.contains(optimum)
    rows, columns = path_cells(landscape, path)
    # Each snapshot's (k, b) lies in the cell the path marks, within half a cell of its centre.
    assert np.all(np.abs(landscape.k_values[columns] - path[:, 0]) <= landscape.k_step / 2 + 1e-12)
    assert np.all(np.abs(landscape.b_values[rows] - path[:, 1]) <= landscape.b_step / 2 + 1e-12)
    thinned = thin_path(path, 40)
    assert len(thinned) <= 40
    np.testing.assert_array_equal(thinned[0], path[0])
    np.testing.assert_array_equal(thinned[-1], path[-1])
    assert all(any(np.array_equal(point, s) for s in path) for point in thinned)


def test_the_tutorials_valley_is_long_in_b_and_narrow_in_k_as_the_closed_form_says():
    problem = make_problem(Settings(device="cpu"))
    optimum = least_squares(problem)
    x = problem.dataset.x
    m1, m2 = x.mean(), (x**2).mean()
    gram = np.array([[m2, m1], [m1, 1.0]])  # L(θ) − L* = (θ−θ*)ᵀ·G·(θ−θ*)
    delta = 1.0
    # The level set L* + δ is an ellipse whose bounding box has half-widths √(δ·(G⁻¹)ᵢᵢ).
    half_k, half_b = np.sqrt(delta * np.diag(np.linalg.inv(gram)))
    assert half_b / half_k == pytest.approx(np.sqrt(m2), rel=1e-9)  # ≈ 58: the valley is elongated
    k_star, b_star = optimum.vector
    size = 201
    landscape = loss_grid(problem, (k_star - 1.5 * half_k, k_star + 1.5 * half_k), (b_star - 1.5 * half_b, b_star + 1.5 * half_b), size)
    inside = landscape.log_loss <= np.log10(optimum.loss + delta)
    rows, columns = np.nonzero(inside)
    measured_k = (columns.max() - columns.min()) * landscape.k_step / 2
    measured_b = (rows.max() - rows.min()) * landscape.b_step / 2
    assert measured_k == pytest.approx(half_k, abs=landscape.k_step)
    assert measured_b == pytest.approx(half_b, abs=landscape.b_step)
    # The valley's floor: for each b, the best k is k* − (m1/m2)·(b − b*).
    floor = landscape.k_values[np.argmin(landscape.log_loss, axis=1)]
    expected = k_star - (m1 / m2) * (landscape.b_values - b_star)
    assert np.max(np.abs(floor - expected)) <= landscape.k_step / 2 + 1e-12


def test_the_window_holds_start_optimum_and_path_with_room_and_width():
    start, optimum = np.array([0.6, 0.3]), np.array([1.0, 0.1])
    path = np.array([[0.6, 0.3], [1.2, 0.29], [0.9, 0.28]])
    (k_low, k_high), (b_low, b_high) = landscape_window(start, optimum, path)
    assert k_low < 0.6 and k_high > 1.2 and b_low < 0.1 and b_high > 0.3
    (k_low, k_high), (b_low, b_high) = landscape_window(start, None, [[np.nan, np.inf]])
    assert k_low < 0.6 < k_high and b_low < 0.3 < b_high


def test_models_with_more_than_two_parameters_have_no_landscape():
    with pytest.raises(ValueError, match="two parameters"):
        loss_grid(make_problem(Settings(device="cpu", model="poly:2")), (0, 1), (0, 1), 5)


def test_other_losses_on_many_points_use_evenly_spaced_ones_and_say_how_many(monkeypatch):
    import engine.maths.landscape as landscape_module

    monkeypatch.setattr(landscape_module, "LANDSCAPE_SAMPLE_POINTS", 25)
    problem = make_problem(Settings(device="cpu", loss="mae"))
    landscape = loss_grid(problem, (0.5, 1.5), (-2.0, 2.0), 3)
    assert landscape.points_used == 25
    keep = np.linspace(0, 99, 25).round().astype(int)
    x, y = problem.dataset.x[keep], problem.dataset.y[keep]
    expected = [np.mean(np.abs(k * x + b - y)) for b in landscape.b_values for k in landscape.k_values]
    np.testing.assert_allclose(landscape.log_loss.ravel(), np.log10(expected), rtol=1e-12)
    full = loss_grid(make_problem(Settings(device="cpu", loss="mse")), (0.5, 1.5), (-2.0, 2.0), 3)
    assert full.points_used == 100
