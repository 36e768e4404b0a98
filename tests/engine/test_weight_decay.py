"""--weight-decay: torch's own defaults (adamw 0.01, the rest 0) unless set, in the engine and the exported script."""

import pytest
import torch

from engine.descent.optimizers import make_optimizer
from engine.settings.errors import SettingError
from engine.settings.run_settings import Settings, weight_decay_of
from tests.helpers import run_cli


@pytest.mark.parametrize(("optimizer", "default"), [("adamw", 0.01), ("adam", 0.0), ("sgd", 0.0), ("rmsprop", 0.0), ("adagrad", 0.0)])
def test_defaults_are_torchs(optimizer, default):
    settings = Settings(optimizer=optimizer)
    assert weight_decay_of(settings) == default
    rule = make_optimizer(settings, [torch.zeros(2, requires_grad=True)])
    assert rule.param_groups[0]["weight_decay"] == default


def test_a_set_weight_decay_reaches_the_rule():
    rule = make_optimizer(Settings(optimizer="adamw", weight_decay=0.0), [torch.zeros(2, requires_grad=True)])
    assert rule.param_groups[0]["weight_decay"] == 0.0
    rule = make_optimizer(Settings(optimizer="momentum", weight_decay=0.5), [torch.zeros(2, requires_grad=True)])
    assert rule.param_groups[0]["weight_decay"] == 0.5


def test_sgd_weight_decay_is_an_l2_pull():
    # one SGD step with decay w: θ ← θ − lr·(g + w·θ); with g = 0, θ shrinks by (1 − lr·w)
    theta = torch.tensor([2.0], requires_grad=True)
    rule = make_optimizer(Settings(optimizer="sgd", lr=0.1, weight_decay=0.5), [theta])
    theta.grad = torch.zeros(1)
    rule.step()
    assert float(theta.detach()) == pytest.approx(2.0 * (1 - 0.1 * 0.5))


@pytest.mark.parametrize("changes", [{"weight_decay": -1.0}, {"weight_decay": float("nan")}, {"optimizer": "manual", "weight_decay": 0.1}])
def test_bad_weight_decay_is_refused(changes):
    with pytest.raises(SettingError) as caught:
        Settings().with_changes(**changes)
    assert caught.value.setting == "weight_decay"


@pytest.mark.slow
def test_help_states_adamws_default_and_summary_says_it():
    assert "0.01 for adamw" in run_cli("run", "--help").stdout.replace("\n", " ").replace("  ", " ")
    summary = run_cli("run", "--optimizer", "adamw", "--lr", "0.1", "--steps", "5").stdout
    assert "weight decay 0.01" in summary
    assert "weight decay" not in run_cli("run", "--optimizer", "adam", "--lr", "0.1", "--steps", "5").stdout


def test_script_carries_the_weight_decay(tmp_path):
    from tui.exports.script import script_text

    text = script_text(Settings(optimizer="adamw"))
    assert "WEIGHT_DECAY = 0.01" in text and "weight_decay=WEIGHT_DECAY" in text
    assert "WEIGHT_DECAY = 0.25" in script_text(Settings(optimizer="adam", weight_decay=0.25))
    assert "WEIGHT_DECAY" not in script_text(Settings(optimizer="manual"))
