"""Issue 21, item 5: κ beyond double precision (poly:5 on raw x; Unix timestamps as x) is said in words, never a
ZeroDivisionError, wherever the words divide by log((κ−1)/(κ+1)) or the like."""

from __future__ import annotations

import numpy as np

from engine.descent.problem import make_problem
from engine.maths.curvature import analyse
from engine.settings.run_settings import Settings
from tests.helpers import cli


def _timestamps(tmp_path) -> str:
    """60 daily rows of Unix timestamps around 1.7e9 s: x² alone is 3e18, κ far past 1e16."""
    t = 1.7e9 + 86_400.0 * np.arange(60)
    y = 3 + 0.5 * np.arange(60) + np.random.default_rng(1).normal(0, 1, 60)
    path = tmp_path / "stamps.csv"
    path.write_text("t,y\n" + "".join(f"{a:.0f},{float(b)!r}\n" for a, b in zip(t, y, strict=True)))
    return str(path)


def _lr_best(settings: Settings) -> str:
    return repr(analyse(make_problem(settings)).lr_best)


def test_poly5_on_raw_x_at_lr_best_says_more_steps_than_can_be_counted(capsys):
    code, out, err = cli(capsys, "run", "--model", "poly:5", "--steps", "20", "--lr", _lr_best(Settings(device="cpu", model="poly:5")))
    assert code == 0 and "Traceback" not in err and "ZeroDivisionError" not in err
    assert "κ > 1e15" in out and "more steps than can be counted" in out


def test_unix_timestamps_as_x_run_and_explain_without_a_crash(tmp_path, capsys):
    data = _timestamps(tmp_path)
    settings = Settings(device="cpu", data=data, x_column="t", y_column="y")
    for extra in (["--lr", _lr_best(settings)], ["--lr", "1e-4"], ["--model", "poly:2"]):
        code, out, err = cli(capsys, "run", "--data", data, "--x-column", "t", "--y-column", "y", "--steps", "20", *extra)
        assert code in (0, 1) and "Traceback" not in err, err
        assert "κ > 1e15" in out
        if code == 1:  # diverged: the advice names a bound below this rule's limit, and standardizing's computed κ
            assert "below" in out and "κ from > 1e15 to" in out
