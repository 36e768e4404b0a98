"""The descent: the tutorial's default run, convergence to least squares, determinism, divergence, laziness."""

import math

import numpy as np
import pytest

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.maths.optimum import least_squares
from engine.settings.errors import SettingError
from engine.settings.run_settings import Settings
from tests.helpers import last_snapshot


def test_default_run_is_the_tutorial():
    settings = Settings()
    assert (settings.points, settings.x_min, settings.x_max, settings.noise, settings.lr, settings.steps) == (100, 0, 100, 10, 1e-4, 1000)
    problem = make_problem(settings)
    np.testing.assert_array_equal(problem.dataset.x, np.linspace(0, 100, 100))
    residual = problem.dataset.y - problem.dataset.x
    assert 5 < residual.std() < 15  # y = x + 10·N(0,1)
    first = next(descend(problem))
    assert all(0 <= value < 1 for value in first.params.values())  # k, b ~ U(0,1)
    snapshots = list(descend(make_problem(settings)))
    assert [s.step for s in snapshots] == list(range(1001))
    assert snapshots[-1].status == "done" and all(s.status == "running" for s in snapshots[:-1])


def test_plain_updates_follow_the_rule():
    """Each update is θ ← θ − lr·∂L/∂θ, computed here independently in float64."""
    settings = Settings(points=20, steps=4, lr=1e-4, seed=7)
    snapshots = list(descend(make_problem(settings)))
    for before, after in zip(snapshots, snapshots[1:], strict=False):
        np.testing.assert_allclose(after.vector, before.vector - settings.lr * before.gradient, rtol=1e-6, atol=1e-7)


def test_descent_reaches_the_least_squares_optimum():
    # Well-conditioned data (x in [-1, 1]) so plain gradient descent converges in a few thousand steps.
    settings = Settings(points=200, x_min=-1, x_max=1, slope=3, intercept=-2, noise=0.5, lr=0.5, steps=2000, seed=5)
    problem = make_problem(settings)
    final = last_snapshot(problem)
    design = np.stack([problem.dataset.x, np.ones(200)], axis=1)
    (k, b), *_ = np.linalg.lstsq(design, problem.dataset.y, rcond=None)
    assert final.params["k"] == pytest.approx(k, rel=1e-4)
    assert final.params["b"] == pytest.approx(b, rel=1e-4)
    optimum = least_squares(problem)
    assert optimum.params["k"] == pytest.approx(k, rel=1e-10)
    assert optimum.loss == pytest.approx(np.mean((design @ [k, b] - problem.dataset.y) ** 2), rel=1e-10)
    assert final.loss == pytest.approx(optimum.loss, rel=1e-5)


def test_same_seed_same_run_and_other_seed_other_data():
    runs = [list(descend(make_problem(Settings(steps=20, seed=seed)))) for seed in (4, 4, 5)]
    a, b, c = ([s.host for s in run] for run in runs)
    np.testing.assert_array_equal(np.array(a), np.array(b))
    assert not np.array_equal(np.array(a)[0], np.array(c)[0])


def test_new_start_keeps_the_data():
    one, two = make_problem(Settings(start=0)), make_problem(Settings(start=1))
    np.testing.assert_array_equal(one.dataset.y, two.dataset.y)
    assert next(descend(one)).params != next(descend(two)).params


def test_divergence_is_detected_and_ends_the_run():
    # lr = 1e-3 is above 2/λmax ≈ 3e-4 for the tutorial's data.
    snapshots = list(descend(make_problem(Settings(lr=1e-3))))
    final = snapshots[-1]
    assert final.status == "diverged"
    assert final.step < 1000
    assert final.diverged_at == final.step
    assert not final.loss <= 1e6 * snapshots[0].loss
    assert all(s.loss <= 1e6 * snapshots[0].loss for s in snapshots[:-1])


def test_infinite_loss_counts_as_divergence():
    final = last_snapshot(make_problem(Settings(lr=1e5, steps=100)))
    assert final.status == "diverged"
    assert not math.isfinite(final.loss) or final.loss > 1e6


def test_the_generator_is_lazy():
    """A consumer that stops pulling stops the work: the model's θ is where the last update left it."""
    problem = make_problem(Settings(steps=1000))
    generator = descend(problem)
    pulled = [next(generator) for _ in range(3)]
    # Snapshot 2 was taken, then the generator suspended before update 3.
    np.testing.assert_allclose(problem.model.theta.detach().numpy(), pulled[2].vector - 1e-4 * pulled[2].gradient, rtol=1e-6)
    generator.close()


def test_zero_steps_yields_only_the_start():
    snapshots = list(descend(make_problem(Settings(steps=0))))
    assert len(snapshots) == 1 and snapshots[0].status == "done"


def test_absent_device_is_a_clear_error():
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(SettingError, match="no CUDA GPU"):
        make_problem(Settings(device="cuda"))
    assert str(make_problem(Settings(device="auto")).device) in ("cpu", "mps")
