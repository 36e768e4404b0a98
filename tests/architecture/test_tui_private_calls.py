"""The front's former private calls: argparse's `_get_values` is gone (a public pre-check instead), plotext's
`_set_size` is used only when an import-time probe finds it works, and the fallback still sizes a figure;
Textual's `App._notifications`/`_on_notify` are gone (public `clear_notifications`), and `Key._stop_propagation`
is gone (the key's public `stop` is watched, behind a probe with a tested fallback: tui/key_order.py).

PRIVATE_USES lists the third-party private names the front still touches, and where; serve's modules, the app and
its key order are checked by _private_reads (below) to read no private part of textual-serve or Textual.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from textual_plotext import Plot

from tests.helpers import ROOT
from tui.cli.command import build_parser
from tui.cli.options import OneLineParser
from tui.widgets.plotting import layered_plot

PRIVATE_USES = {"_set_size": "tui/widgets/plotting/layered_plot.py"}
"""A library's private names the front still uses, and the one file each may appear in (plotext's, behind a probe)."""
GONE = ("_notifications", "_on_notify", "_stop_propagation", "_get_values")
"""Private names of Textual and argparse the front used to touch."""


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


SERVE_MODULES = ["tui/cli/serve.py", "tui/cli/serve_server.py", "tui/cli/serve_process.py", "tui/cli/serve_present.py"]
SERVE_MODULES += ["tui/cli/serve_packets.py", "tui/cli/serve_wire.py", "tui/served_driver.py"]


def _private_reads(path: str, root: Path = ROOT) -> list[str]:
    """`x._name` where x isn't `self`, and `self._name` neither assigned nor defined in the module (a parent's)."""
    tree = ast.parse((root / path).read_text())
    own = {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    own |= {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and isinstance(node.value, ast.Name)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            is_self = isinstance(node.value, ast.Name) and node.value.id == "self"
            if not is_self or node.attr not in own:
                found.append(f"{path}:{node.lineno} {ast.unparse(node)}")
        parts = (node.module or "").split(".") if isinstance(node, ast.ImportFrom) else []
        if any(part.startswith("_") and not part.startswith("__") for part in parts):
            found.append(f"{path}:{node.lineno} from {node.module}")
    return found


@pytest.mark.parametrize("path", SERVE_MODULES)
def test_serve_uses_no_private_part_of_textual_serve_or_textual(path):
    # textual-serve's AppService._build_environment, ._process and ._task (and Server._make_app, the driver's ._app,
    # the private _binary_encode module) are gone: the app processes and the page's routes are descent's own.
    assert _private_reads(path) == []


def test_the_private_reads_check_finds_a_parents_private(tmp_path):
    # As the old tui/cli/serve_server.py read AppService's: its own attributes pass, a parent's or another's don't.
    old = "from textual_serve._binary_encode import load\nclass A(B):\n    def f(self):\n        self._own = 1\n"
    (tmp_path / "old.py").write_text(old + "        return self._own, self._process, x._task\n")
    found = [line.split(" ", 1)[1] for line in _private_reads("old.py", tmp_path)]
    assert sorted(found) == ["from textual_serve._binary_encode", "self._process", "x._task"]


@pytest.mark.parametrize("name", GONE)
def test_no_front_file_touches_a_private_name_it_gave_up(name):
    used = re.compile(rf"(\.|def ){name}\b")  # `clear_notifications` is public: a name only after a dot or def
    touching = [str(path.relative_to(ROOT)) for path in (ROOT / "tui").rglob("*.py") if used.search(path.read_text(encoding="utf-8"))]
    assert touching == [], f"{name} is private to its library: use a public API or a probe with a fallback"


@pytest.mark.parametrize("name", PRIVATE_USES)
def test_a_private_name_still_used_stays_in_its_one_probed_file(name):
    touching = [str(path.relative_to(ROOT)) for path in (ROOT / "tui").rglob("*.py") if f".{name}" in path.read_text(encoding="utf-8")]
    assert touching == [PRIVATE_USES[name]]


@pytest.mark.parametrize("path", ["tui/app.py", "tui/key_order.py"])
def test_the_app_and_its_key_order_use_no_private_part_of_textual(path):
    # App._notifications/_on_notify and Key._stop_propagation are gone: clear_notifications, and the key's public stop()
    assert _private_reads(path) == []
