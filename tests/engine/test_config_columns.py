"""`x_column = 2` in a config file is a position, as `--x-column 2` is on the command line."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from engine.settings.config_file import ConfigError, parse_config
from tests.helpers import cli


def test_an_int_column_is_a_position():
    config = parse_config("x_column = 2\ny_column = 1\n", "c.toml")
    assert config.changes["x_column"] == "2" and config.changes["y_column"] == "1"


@pytest.mark.parametrize("value", ["2.5", "true", "[1]"])
def test_other_types_are_refused_saying_what_a_column_may_be(value):
    with pytest.raises(ConfigError, match=r"x_column must be a column's name \(a str\) or its 1-based position \(an int\)"):
        parse_config(f"x_column = {value}\n", "c.toml")


def test_the_run_reads_the_columns_the_file_names(capsys, tmp_path):
    data = tmp_path / "ab.csv"
    data.write_text("a,b\n1,2\n2,4\n3,7\n")
    config = tmp_path / "c.toml"
    config.write_text("x_column = 2\ny_column = 1\n")  # x is b, y is a
    code, out, err = cli(capsys, "run", "--steps", "1", "--json", "--config", str(config), "--data", str(data))
    assert code in (0, 1), err
    # least squares of a on b: k = Σ(b−b̄)(a−ā)/Σ(b−b̄)², with b̄ = 13/3 and ā = 2
    b, a = [Fraction(2), Fraction(4), Fraction(7)], [Fraction(1), Fraction(2), Fraction(3)]
    b_mean, a_mean = sum(b) / 3, sum(a) / 3
    k = sum((u - b_mean) * (v - a_mean) for u, v in zip(b, a, strict=True)) / sum((u - b_mean) ** 2 for u in b)
    assert k == Fraction(15, 38)
    assert json.loads(out)["optimum"]["params"]["k"] == pytest.approx(float(k), rel=1e-12)
