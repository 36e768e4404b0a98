"""--model slope: y = k·x through the origin, its optimum Σxy/Σx², its exported script, and its loss curve L(k)."""

import json
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pytest

from engine.data.synthetic import Dataset
from engine.descent.problem import make_problem
from engine.maths.loss_over_k import LossCurve, one_parameter
from engine.maths.optimum import least_squares
from engine.settings.run_settings import Settings, parse_model
from tests.helpers import last_snapshot, run_cli, wait_for_state
from tui.app import make_app


def test_slope_parses_and_has_one_parameter():
    assert parse_model("slope") == ("slope", 1)
    problem = make_problem(Settings(model="slope", device="cpu"))
    assert problem.model.names == ("k",) and one_parameter(problem)
    assert not one_parameter(make_problem(Settings(device="cpu")))


@pytest.mark.parametrize("standardize", [False, True])
def test_descent_reaches_sum_xy_over_sum_xx(standardize):
    x = np.linspace(1.0, 9.0, 50)
    y = 3.0 * x + np.sin(7 * x)
    lr = 0.4 if standardize else 0.4 / np.mean(x**2)
    problem = make_problem(Settings(model="slope", device="cpu", standardize=standardize, lr=lr, steps=200), Dataset(x, y, "t"))
    if standardize:  # scaled by the root mean square, never shifted: a shift would add an intercept
        assert problem.scaling.shift == 0.0 and problem.scaling.scale == pytest.approx(np.sqrt(np.mean(x**2)))
    k = sum(Fraction(float(a)) * Fraction(float(b)) for a, b in zip(x, y, strict=True)) / sum(Fraction(float(a)) ** 2 for a in x)
    assert least_squares(problem).params["k"] == pytest.approx(float(k), rel=1e-15)
    assert last_snapshot(problem).params["k"] == pytest.approx(float(k), rel=1e-6)


def test_loss_curve_is_the_parabola_and_its_tangent_the_gradient():
    problem = make_problem(Settings(model="slope", device="cpu"))
    curve = LossCurve(problem)
    x, y = problem.dataset.x, problem.dataset.y
    for k in (0.3, 1.0, 1.7):
        assert curve.at(k)[0] == pytest.approx(np.mean((k * x - y) ** 2), rel=1e-12)
        assert curve.slope(k) == pytest.approx(2 * np.mean((k * x - y) * x), rel=1e-9, abs=1e-9)
    snapshot = last_snapshot(problem)  # the descent's own gradient is the tangent's slope where it ends
    assert curve.slope(snapshot.vector[0]) == pytest.approx(float(snapshot.gradient[0]), rel=1e-3, abs=1e-3)
    low, high = curve.window([0.2, 0.5], now=0.5)
    assert low < 0.2 and high > curve.best > 0.5


@pytest.mark.parametrize("loss", ["mae", "huber"])
def test_loss_curve_of_robust_losses_matches_torch(loss):
    import torch

    problem = make_problem(Settings(model="slope", device="cpu", loss=loss, dataset="outliers"))
    curve = LossCurve(problem)
    k = torch.tensor([0.8], dtype=torch.float64, requires_grad=True)
    x, y = torch.as_tensor(problem.dataset.x), torch.as_tensor(problem.dataset.y)
    value = problem.loss_fn(k * x, y)
    value.backward()
    assert curve.at(0.8)[0] == pytest.approx(float(value.detach()), rel=1e-12)
    assert curve.slope(0.8) == pytest.approx(float(k.grad), rel=1e-9)


def test_slope_refuses_in_the_landscape_module_with_two_parameters():
    with pytest.raises(ValueError, match="one parameter"):
        LossCurve(make_problem(Settings(device="cpu")))


@pytest.mark.slow
@pytest.mark.parametrize("standardize", [False, True])
def test_exported_script_reproduces_a_slope_run(tmp_path, standardize):
    script = tmp_path / "slope.py"
    flags = ["--standardize", "--lr", "0.3"] if standardize else ["--lr", "1e-4"]
    result = run_cli("run", "--json", "--model", "slope", "--steps", "30", *flags, "--export-script", str(script))
    printed = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True).stdout
    assert float(printed.split("loss=")[1]) == json.loads(result.stdout)["loss"]


@pytest.mark.slow
async def test_l_draws_the_loss_curve_for_one_parameter():
    app = make_app(Settings(model="slope", device="cpu", steps=40))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.press("l")
        await pilot.pause()
        view = screen.insight.loss_curve
        assert view.display and not screen.fit.display and not screen.insight.landscape.display
        await pilot.press("t", "space")
        await wait_for_state(pilot, "done")
        await pilot.pause()
        screen.insight.draw(screen.problem, screen.snapshot)
        await pilot.pause()
        text = view.render().plain if hasattr(view.render(), "plain") else str(view.render())
        k = float(screen.snapshot.vector[0])
        assert f"L(k) at k = {k:.4g}" in text and "tangent: dL/dk" in text and "descent" in text
        assert len(screen.insight.path) == 41  # every step's k, for the points on the curve
        await pilot.press("l")
        assert screen.fit.display and not view.display
