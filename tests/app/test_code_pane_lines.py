"""The code pane's lines are the exported script's, and each phase finds its line, for every rule and model."""

from __future__ import annotations

import pytest

from engine.settings.run_settings import OPTIMIZERS, Settings
from tui.exports.script import script_text
from tui.widgets.code_pane import PHASE_LINES, loop_lines, phase_line


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_every_rule_has_a_line_per_phase(optimizer):
    settings = Settings(optimizer=optimizer)
    lines = loop_lines(settings)
    script = script_text(settings).splitlines()
    assert all(line in script for line in lines)  # the exporter's own lines, none made up
    found = {name: phase_line(lines, name) for name in PHASE_LINES}
    assert None not in found.values(), found
    assert found["forward"] < found["loss"] < found["backward"]  # predict(), then the closure, in the script's order
    assert "update" in lines[found["update"] - 1] or "update" in lines[found["update"] - 2] or optimizer == "lbfgs"


@pytest.mark.parametrize(
    "settings",
    [Settings(model="mlp:4"), Settings(batch_size=10), Settings(points=5000), Settings(holdout=0.2, standardize=True)],
    ids=["mlp", "batches", "many-points", "holdout"],
)
def test_other_runs_show_their_loop_too(settings):
    lines = loop_lines(settings)
    assert lines[0].startswith("#") and any(line.startswith("while diverged_at is None") for line in lines)
    assert phase_line(lines, "forward") is not None and phase_line(lines, "backward") is not None
    assert not any(a.strip() == b.strip() == "" for a, b in zip(lines, lines[1:], strict=False))  # one blank line at most
