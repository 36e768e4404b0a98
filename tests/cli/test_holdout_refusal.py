"""A holdout that would leave no test point (or nothing to fit) is refused with a message naming --holdout, never run silently."""

from __future__ import annotations

import json

import pytest

from engine.data.synthetic import Dataset
from engine.descent.problem import make_problem
from engine.settings.errors import SettingError
from engine.settings.run_settings import Settings
from tui.cli.main import main
from tui.widgets.parameter_panel import FIELDS
from tui.widgets.setting_input import check


def _cli(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = stop.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fraction", [0.01, 0.5, 0.99])
def test_two_csv_points_with_a_holdout_are_refused_naming_holdout(tmp_path, capsys, fraction):
    path = tmp_path / "two.csv"
    path.write_text("x,y\n1,2\n2,4\n", encoding="utf-8")
    code, out, err = _cli(capsys, "run", "--data", str(path), "--holdout", str(fraction), "--steps", "3", "--device", "cpu")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("descent: error: --holdout: ") and "no test point" in err, err


def test_two_built_in_points_with_a_holdout_are_refused_before_anything_runs(capsys):
    code, _, err = _cli(capsys, "run", "--points", "2", "--holdout", "0.3", "--steps", "3", "--device", "cpu")
    assert code == 2 and err.startswith("descent: error: --holdout: ") and err.count("\n") == 1


def test_the_app_field_says_it_beside_holdout():
    value, problem = check(FIELDS["holdout"], "0.3", Settings(points=2))
    assert value is None and "no test point" in problem


def test_the_engine_refuses_a_dataset_too_small_to_split():
    import numpy as np

    with pytest.raises(SettingError) as caught:
        make_problem(Settings(holdout=0.5, device="cpu"), Dataset(np.array([1.0, 2.0]), np.array([3.0, 4.0]), "two"))
    assert caught.value.setting == "holdout"


def test_the_smallest_split_that_works_keeps_one_point_out_and_two_in(tmp_path, capsys):
    path = tmp_path / "three.csv"
    path.write_text("x,y\n1,2\n2,4\n3,7\n", encoding="utf-8")
    code, out, _ = _cli(capsys, "run", "--json", "--data", str(path), "--holdout", "0.01", "--steps", "3", "--device", "cpu")
    report = json.loads(out)
    assert code == 0 and report["test_points"] == 1 and report["points"] == 2


def test_no_holdout_on_two_points_still_runs(capsys):
    code, out, _ = _cli(capsys, "run", "--json", "--points", "2", "--steps", "3", "--device", "cpu")
    assert code == 0 and "test_points" not in json.loads(out)
