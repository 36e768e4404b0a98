"""--theme takes Textual's built-in themes and names them when given another."""

from __future__ import annotations

from textual.theme import BUILTIN_THEMES

from tui.cli.command import build_parser
from tui.cli.main import main
from tui.cli.theme import checked_theme


def test_every_builtin_theme_is_accepted():
    assert all(checked_theme(name) == name for name in BUILTIN_THEMES)
    assert build_parser().parse_args(["--theme", "nord"]).theme == "nord"


def test_an_unknown_theme_exits_2_naming_the_allowed_ones(capsys):
    try:
        main(["--theme", "neon"])
    except SystemExit as exit:
        code = exit.code
    err = capsys.readouterr().err
    assert code == 2 and "--theme: must be one of" in err and "'neon'" in err
    assert all(name in err for name in ("textual-dark", "nord", "gruvbox"))
