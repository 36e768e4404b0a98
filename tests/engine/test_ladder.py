"""--preset ladder (issue 23): rungs at multiples of 1/λmax of the data raced, each in the regime its verdict names."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.maths.ladder import regime, resolved
from engine.maths.optimum import least_squares
from engine.maths.valley import eigen_errors, eigenbasis
from engine.settings.presets import LADDER, PRESETS
from engine.settings.racers import parse_race
from engine.settings.run_settings import Settings
from tests.helpers import cli


def _lambda_max(settings: Settings) -> float:
    problem = make_problem(settings)
    x = problem.dataset.x[problem.train]
    phi = np.stack([x, np.ones_like(x)], axis=1)
    return float(np.linalg.eigvalsh(2.0 / len(x) * phi.T @ phi).max())


@pytest.mark.parametrize("settings", [Settings(), Settings(x_max=10.0, points=40)])
def test_the_rungs_lrs_come_from_the_data(settings):
    racers = resolved(settings, parse_race(PRESETS["ladder"].race))
    top = _lambda_max(settings)
    assert [r.lr * top for r in racers] == pytest.approx(list(LADDER), rel=1e-9)
    assert [r.label for r in racers] == ["0.5/λmax", "1/λmax", "1.5/λmax", "1.9/λmax", "2.1/λmax"]


def test_each_rung_does_what_its_regime_says():
    settings = Settings(dtype="float64", steps=6)
    regimes = []
    for racer in resolved(settings, parse_race(PRESETS["ladder"].race)):
        problem = make_problem(settings.with_changes(lr=racer.lr))
        basis = eigenbasis(problem)
        vectors = np.array([s.vector for s in descend(problem)])
        steep = eigen_errors(basis, least_squares(problem).vector, vectors)[:, 1]
        name = regime(racer.lr, basis.values[1])
        regimes.append(name)
        ratio = steep[1] / steep[0]
        if name == "smooth":
            assert 0 < ratio < 1
        elif name == "one step":
            assert abs(ratio) < 1e-6
        elif name == "zig-zag":
            assert -1 < ratio < 0
        else:
            assert ratio < -1
    assert regimes == ["smooth", "one step", "zig-zag", "zig-zag", "diverges"]


def test_the_cli_ladder_json_and_verdict(capsys):
    code, out, err = cli(capsys, "run", "--preset", "ladder", "--json")
    assert code == 0, err
    runs = json.loads(out)["runs"]
    assert [run["label"] for run in runs][0] == "0.5/λmax" and runs[-1]["diverged"]
    assert runs[1]["lr"] * _lambda_max(Settings()) == pytest.approx(1.0, rel=1e-9)
    code, out, _ = cli(capsys, "run", "--preset", "ladder")
    for words in ("smooth", "one step", "zig-zag", "diverges", "the loss blew up at step"):
        assert words in out


def test_a_ladder_needs_an_exact_lambda_max(capsys):
    code, _, err = cli(capsys, "run", "--preset", "ladder", "--model", "mlp:3")
    assert code == 2 and err.startswith("descent: error: --race:") and "λmax" in err
