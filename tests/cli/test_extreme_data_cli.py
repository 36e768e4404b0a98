"""Near-singular and near-underflow data on the command line: one line naming the option or file, never a traceback."""

from __future__ import annotations

import pytest

from tests.helpers import cli


def _timestamps(tmp_path):
    path = tmp_path / "stamps.csv"
    path.write_text("t,v\n" + "".join(f"{1_700_000_000 + 60 * i},{i % 7}\n" for i in range(60)))
    return str(path)


@pytest.mark.parametrize(("args", "option"), [
    (["--x-max", "1e-310"], "--x-max"),
    (["--x-min=-1e-320", "--x-max", "1e-320"], "--x-max"),
    (["--noise", "1e16"], "--noise"),
    (["--slope=-2e15"], "--slope"),
    (["--intercept", "5e15"], "--intercept"),
    (["--x-min=-3e15"], "--x-min"),
])
def test_a_setting_at_the_edge_of_float_is_one_line_naming_it(capsys, args, option):
    code, out, err = cli(capsys, "run", "--steps", "5", *args)
    assert code == 2 and out == "" and err.count("\n") == 1, err
    assert err.startswith(f"descent: error: {option}: ")


def test_a_csv_whose_x_span_underflows_is_refused_naming_it(capsys, tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text("x,y\n0,1\n1e-310,2\n2e-310,3\n")
    code, _, err = cli(capsys, "run", "--steps", "5", "--data", str(path))
    assert code == 2 and err.count("\n") == 1
    assert f"{path}: its x values span 2e-310, less than float32's smallest normal number" in err


def test_unix_timestamps_run_to_an_answer(capsys, tmp_path):
    # κ far beyond 1/ε: the summary says the valley is hopeless, in words; exit 1 (plain descent at lr 1e-4 diverges)
    code, out, err = cli(capsys, "run", "--steps", "5", "--device", "cpu", "--data", _timestamps(tmp_path))
    assert code in (0, 1) and "Traceback" not in err
    assert "κ > 1e15" in out
