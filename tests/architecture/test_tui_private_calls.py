"""The front's two former private calls: argparse's `_get_values` is gone (a public pre-check instead), plotext's
`_set_size` is used only when an import-time probe finds it works, and the fallback still sizes a figure."""

from __future__ import annotations

import pytest
from textual_plotext import Plot

from tui.cli.command import build_parser
from tui.cli.options import OneLineParser
from tui.widgets.plotting import layered_plot


def test_the_cli_parser_overrides_no_private_argparse_method():
    methods = [name for name, value in vars(OneLineParser).items() if callable(value)]
    assert [name for name in methods if name.startswith("_") and not name.startswith("__")] == []


@pytest.mark.parametrize("args", [["run", "--lr=--"], ["--points=--"], ["run", "--data=--", "--steps", "3"]])
def test_a_lone_double_dash_value_is_refused_before_argparse(capsys, args):
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(args)
    assert stop.value.code == 2
    option = next(arg for arg in args if arg.endswith("=--")).partition("=")[0]
    assert capsys.readouterr().err == f"descent: error: argument {option}: expected one argument\n"


def test_values_that_merely_contain_double_dashes_still_parse():
    parsed = build_parser().parse_args(["run", "--data=--x.csv", "--model", "linear"])
    assert parsed.data == "--x.csv" and parsed.model == "linear"


def test_the_plot_sizer_takes_the_private_call_when_it_works():
    assert layered_plot.set_plot_size.__name__ == "with_private"
    figure = Plot()
    layered_plot.set_plot_size(figure, 200, 60)  # larger than the terminal plotext assumes without one (80×24)
    assert len(figure.build().splitlines()) == 60


def test_the_plot_sizer_falls_back_to_plotsize_when_the_private_call_fails(monkeypatch):
    def broken(self, width=None, height=None):
        raise AttributeError("gone in a new plotext")

    monkeypatch.setattr(Plot, "_set_size", broken)
    sizer = layered_plot._plot_sizer()
    assert sizer.__name__ == "public"
    monkeypatch.undo()  # plotext's own calls to it, as the fallback makes them, work again
    figure = Plot()
    sizer(figure, 30, 10)  # within any terminal: plotsize alone gives this size
    assert len(figure.build().splitlines()) == 10


def test_the_plot_sizer_falls_back_when_the_size_does_not_stick(monkeypatch):
    monkeypatch.setattr(Plot, "_set_size", lambda self, width=None, height=None: None)
    assert layered_plot._plot_sizer().__name__ == "public"
