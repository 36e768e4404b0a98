"""Presets: valid settings, each showing what its description says."""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import pytest

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.maths.optimum import least_squares
from engine.settings.presets import PRESETS, apply_preset, preset_changes, tutorial_lr_limit
from engine.settings.run_settings import SETTING_NAMES, Settings
from tui.cli.main import main


def final(settings: Settings):
    return deque(descend(make_problem(settings)), maxlen=1)[0]


@pytest.mark.parametrize("name", list(PRESETS))
def test_each_preset_is_valid_settings_with_a_one_line_description(name):
    settings = apply_preset(name)
    assert isinstance(settings, Settings)
    description = PRESETS[name].description
    assert description and "\n" not in description and len(description) < 120
    assert set(PRESETS[name].changes) <= set(SETTING_NAMES)


def test_the_seed_preset_is_the_tutorial_defaults():
    assert apply_preset("seed") == Settings()


def test_the_lr_limit_is_two_over_the_top_eigenvalue_of_the_tutorials_hessian():
    # H = (2/N)·[[Σx², Σx], [Σx, N]] for Φ = [x, 1]; a 2×2 symmetric matrix's top eigenvalue in closed form.
    x = np.linspace(0.0, 100.0, 100)
    a, b, c = 2 * np.mean(x**2), 2 * np.mean(x), 2.0
    top = (a + c) / 2 + math.sqrt(((a - c) / 2) ** 2 + b**2)
    assert tutorial_lr_limit() == pytest.approx(2 / top, rel=1e-12)
    assert apply_preset("diverge").lr == pytest.approx(1.05 * 2 / top, rel=1e-12)


def test_diverge_diverges_and_just_below_the_limit_does_not():
    assert final(apply_preset("diverge")).status == "diverged"
    assert final(Settings(lr=0.95 * tutorial_lr_limit())).status == "done"


def test_standardized_reaches_the_least_squares_optimum():
    settings = apply_preset("standardized")
    last = final(settings)
    optimum = least_squares(make_problem(settings))
    assert last.status == "done" and last.step == settings.steps
    assert last.loss == pytest.approx(optimum.loss, rel=1e-5)
    # The tutorial's own run, with the same data, is still far from it in b.
    assert abs(final(Settings()).params["b"] - optimum.params["b"]) > 0.1


def test_outliers_fits_the_line_better_with_huber_than_least_squares_does():
    settings = apply_preset("outliers")
    assert (settings.dataset, settings.loss) == ("outliers", "huber")
    huber = final(settings).params
    mse = least_squares(make_problem(settings.with_changes(loss="mse"))).params
    true_line = np.array([settings.slope, settings.intercept])
    assert np.linalg.norm(np.array([huber["k"], huber["b"]]) - true_line) < np.linalg.norm(np.array([mse["k"], mse["b"]]) - true_line)


def test_sine_and_race_ask_for_what_they_show():
    sine = apply_preset("sine")
    assert (sine.dataset, sine.model, sine.standardize, sine.optimizer) == ("sine", "mlp:16", True, "adam")
    assert PRESETS["race"].race == ("manual@1e-4", "momentum@1e-4", "adam@0.05")
    assert "adam at 0.05" in PRESETS["race"].description and "~lr per parameter" in PRESETS["race"].description
    # Once Settings has a race field, the preset sets it; until then the race lives on the preset alone.
    assert ("race" in preset_changes("race")) == ("race" in SETTING_NAMES)


def test_descent_presets_lists_each_name_with_its_description(capsys):
    assert main(["presets"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(PRESETS)
    for line, (name, preset) in zip(lines, PRESETS.items(), strict=True):
        assert line.split()[0] == name and line.endswith(preset.description)


def test_a_preset_on_the_command_line_sets_the_run(capsys):
    assert main(["run", "--preset", "diverge", "--json"]) == 1  # exit 1: diverged
    assert '"diverged": true' in capsys.readouterr().out


@pytest.mark.slow
def test_the_race_preset_races_on_the_command_line():
    import json

    from tests.helpers import run_cli

    result = run_cli("run", "--preset", "race", "--json", "--steps", "20")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [(run["optimizer"], run["lr"]) for run in report["runs"]] == [("manual", 1e-4), ("momentum", 1e-4), ("adam", 0.05)]
    assert sorted(report["ranking"]) == ["adam@0.05", "manual@0.0001", "momentum@0.0001"]
