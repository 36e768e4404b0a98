"""Linear, poly:D and mlp:H against outside truths: numpy.polyfit, numpy.polyval, torch.nn layers."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from engine.data.synthetic import Dataset, synthesize
from engine.descent.problem import make_problem
from engine.maths.optimum import least_squares
from engine.models.linear_models import Scaling, build_model, start_rng
from engine.settings.run_settings import Settings
from tests.helpers import run
from tui.cli.main import main

QUADRATIC = Settings(dataset="quadratic", points=40, device="cpu")


def polyfit_params(x, y, degree):
    """c0…cD by numpy (polyfit lists the highest power first)."""
    return np.polyfit(x, y, degree)[::-1]


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("degree", [1, 2, 3, 4, 5])
def test_poly_optimum_is_numpys_polyfit(degree, standardize):
    settings = QUADRATIC.with_changes(model=f"poly:{degree}", standardize=standardize)
    problem = make_problem(settings)
    optimum = least_squares(problem)
    data = synthesize(settings)
    expected = polyfit_params(data.x, data.y, degree)
    assert list(optimum.params) == [f"c{j}" for j in range(degree + 1)]
    got = np.array(list(optimum.params.values()))
    # Coefficients of high powers are tiny on x up to 100: compare each against its own size, and the curves.
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(np.polyval(got[::-1], data.x), np.polyval(expected[::-1], data.x), rtol=1e-9, atol=1e-9)
    assert optimum.loss == pytest.approx(np.mean((np.polyval(expected[::-1], data.x) - data.y) ** 2), rel=1e-9)


def test_linear_optimum_is_polyfit_degree_one():
    settings = Settings(device="cpu")
    optimum = least_squares(make_problem(settings))
    data = synthesize(settings)
    k, b = np.polyfit(data.x, data.y, 1)
    assert optimum.params == pytest.approx({"k": k, "b": b}, rel=1e-9)


@pytest.mark.parametrize("degree", [2, 4, 10])
def test_poly_curve_and_data_units_agree_with_polyval(degree):
    rng = np.random.default_rng(5)
    scaling = Scaling(shift=40.0, scale=17.0)
    model = build_model(f"poly:{degree}", scaling, rng, torch.float64, "cpu")
    vector = rng.normal(size=degree + 1)
    x = np.linspace(0.0, 100.0, 7)
    in_data_units = model.data_units(vector)
    # c0 is the constant: polyval wants the highest power first.
    np.testing.assert_allclose(model.curve(vector, x), np.polyval(in_data_units[::-1], x), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(model.curve(vector, x), np.polyval(vector[::-1], (x - 40.0) / 17.0), rtol=1e-12)


def test_standardized_poly_descent_reports_polyfit_in_data_units():
    settings = QUADRATIC.with_changes(model="poly:2", standardize=True, optimizer="lbfgs", lr=1.0, steps=10)
    _, _, last = run(settings)
    data = synthesize(settings)
    expected = polyfit_params(data.x, data.y, 2)
    np.testing.assert_allclose(list(last.params.values()), expected, rtol=1e-3)


# --- mlp:H


def test_mlp_matches_torch_nn_with_the_same_weights():
    hidden = 5
    model = build_model(f"mlp:{hidden}", Scaling(), start_rng(0, 0), torch.float64, "cpu")
    theta = model.theta.detach()
    net = torch.nn.Sequential(torch.nn.Linear(1, hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, 1)).double()
    with torch.no_grad():
        net[0].weight.copy_(theta[:hidden].reshape(hidden, 1))
        net[0].bias.copy_(theta[hidden : 2 * hidden])
        net[2].weight.copy_(theta[2 * hidden : 3 * hidden].reshape(1, hidden))
        net[2].bias.copy_(theta[3 * hidden :])
    x = torch.linspace(-2, 2, 9, dtype=torch.float64)
    expected = net(x.reshape(-1, 1)).reshape(-1)
    torch.testing.assert_close(model(x), expected)
    np.testing.assert_allclose(model.curve(theta.numpy(), x.numpy()), expected.detach().numpy(), rtol=1e-12)
    assert model.parameter_count == 3 * hidden + 1 == theta.numel()
    assert model.names == () and model.linear_in_parameters is False


def test_mlp_start_is_seeded_and_varies_with_start():
    def theta(seed, start):
        return build_model("mlp:8", Scaling(), start_rng(seed, start), torch.float32, "cpu").theta.detach().numpy()

    np.testing.assert_array_equal(theta(3, 0), theta(3, 0))
    assert not np.allclose(theta(3, 0), theta(3, 1))
    assert not np.allclose(theta(3, 0), theta(4, 0))
    # nn.Linear's bounds: the hidden layer (fan_in 1) in ±1, the output layer (fan_in 8) in ±1/√8.
    assert np.all(np.abs(theta(3, 0)[:16]) <= 1) and np.all(np.abs(theta(3, 0)[16:]) <= 8**-0.5)


def test_standardized_mlp_curve_is_its_predictions_in_data_units():
    problem = make_problem(Settings(dataset="sine", model="mlp:6", standardize=True, device="cpu", points=20))
    vector = problem.model.theta.detach().double().numpy()
    with torch.no_grad():
        predictions = problem.model(problem.x_train).double().numpy()
    np.testing.assert_allclose(problem.model.curve(vector, problem.dataset.x), predictions, rtol=1e-5, atol=1e-4)


def test_mlp_cuts_the_loss_on_sine_at_least_5x():
    settings = Settings(dataset="sine", model="mlp:16", standardize=True, optimizer="adam", lr=0.05, steps=400)
    problem, first, last = run(settings)
    assert last.status == "done"
    assert last.loss * 5 <= first.loss
    assert least_squares(problem) is None
    # The loss the snapshot holds is the MSE of the curve it draws, computed again in numpy.
    data = problem.dataset
    assert last.loss == pytest.approx(np.mean((problem.model.curve(last.vector, data.x) - data.y) ** 2), rel=1e-4)


def test_json_lists_named_params_for_poly_and_a_count_for_mlp(capsys):
    assert main(["run", "--json", "--device", "cpu", "--model", "poly:10", "--standardize", "--steps", "3", "--lr", "1e-3"]) == 0
    poly = json.loads(capsys.readouterr().out)
    assert list(poly["params"]) == [f"c{j}" for j in range(11)] and poly["parameter_count"] == 11
    assert list(poly["optimum"]["params"]) == list(poly["params"])
    assert main(["run", "--json", "--device", "cpu", "--model", "mlp:7", "--steps", "3", "--lr", "1e-3"]) == 0
    mlp = json.loads(capsys.readouterr().out)
    assert mlp["params"] is None and mlp["grads"] is None
    assert mlp["parameter_count"] == 22 and mlp["optimum"] is None
    assert main(["run", "--json", "--device", "cpu", "--loss", "mae", "--steps", "3"]) == 0
    assert json.loads(capsys.readouterr().out)["optimum"] is None


def test_plot_draws_the_models_curve(capsys):
    settings = Settings(dataset="quadratic", model="poly:2", standardize=True, optimizer="lbfgs", lr=1.0, steps=5, device="cpu")
    problem, _, last = run(settings)
    from tui.cli.ascii_plot import final_plot

    text = final_plot(problem, last)
    assert "fit after 5 steps" in text
    grid = np.linspace(0, 100, 200)
    curve = problem.model.curve(last.vector, grid)
    assert curve[100] < (curve[0] + curve[-1]) / 2 - 20  # a bowl, not a line: the plot's points come from this curve


def test_a_dataset_of_one_x_value_still_fits():
    data = Dataset(x=np.array([2.0, 2.0, 2.0]), y=np.array([1.0, 2.0, 3.0]), source="test")
    problem = make_problem(Settings(standardize=True, device="cpu"), data)
    assert problem.scaling.scale == 1.0
    assert least_squares(problem).loss == pytest.approx(2 / 3)
