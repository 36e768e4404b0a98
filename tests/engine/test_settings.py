"""Every setting is checked up front, with a message naming it and what is allowed."""

import pytest

from engine.settings.errors import SettingError
from engine.settings.run_settings import Settings, validate


@pytest.mark.parametrize(
    "changes, setting, words",
    [
        ({"points": 1}, "points", "between 2"),
        ({"points": -5}, "points", "between 2"),
        ({"x_min": 5, "x_max": 5}, "x_max", "greater than x_min"),
        ({"x_max": float("inf")}, "x_max", "finite"),
        ({"lr": 0}, "lr", "greater than 0"),
        ({"lr": -1e-3}, "lr", "greater than 0"),
        ({"lr": float("nan")}, "lr", "finite"),
        ({"steps": -1}, "steps", "between 0"),
        ({"noise": -1}, "noise", "≥ 0"),
        ({"noise": float("nan")}, "noise", "finite"),
        ({"seed": -1}, "seed", "between 0"),
        ({"optimizer": "sgdd"}, "optimizer", "one of manual, sgd"),
        ({"loss": "l3"}, "loss", "one of mse, mae, huber"),
        ({"model": "poly:0"}, "model", "poly:D with 1 ≤ D ≤ 10"),
        ({"model": "poly:99"}, "model", "poly:D"),
        ({"model": "mlp:0"}, "model", "mlp:H with 1 ≤ H ≤ 256"),
        ({"batch_size": 0}, "batch_size", "at least 1"),
        ({"holdout": 1.5}, "holdout", "less than 1"),
        ({"huber_delta": 0}, "huber_delta", "greater than 0"),
        ({"momentum": 1}, "momentum", "less than 1"),
        ({"device": "gpu"}, "device", "auto, cpu, cuda, cuda:N or mps"),
        ({"dataset": "spiral"}, "dataset", "one of linear"),
        ({"x_max": 1e300}, "x_max", "within ±1e15"),
    ],
)
def test_bad_settings_are_named(changes, setting, words):
    with pytest.raises(SettingError) as error:
        validate(Settings(**changes))
    assert error.value.setting == setting
    assert words in error.value.message


def test_defaults_are_valid_and_with_changes_checks():
    assert validate(Settings()) == Settings()
    assert Settings().with_changes(lr=0.5).lr == 0.5
    with pytest.raises(SettingError):
        Settings().with_changes(points=0)
