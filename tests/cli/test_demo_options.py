"""The options of issue 24 on the command line: --glyphs and its layers (TOML, $DESCENT_GLYPHS), --autoplay and --loop,
their help, and their bad values (one line, exit 2, naming the option)."""

from __future__ import annotations

import pytest

from tests.helpers import cli
from tui.cli.command import build_parser
from tui.cli.demo_options import effective_glyphs
from tui.cli.serve import app_command


@pytest.fixture
def help_of(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")

    def run(*command: str) -> str:
        code, out, _ = cli(capsys, *command, "--help")
        assert code == 0
        return " ".join(out.split())

    return run


@pytest.mark.parametrize("command", [(), ("tour",), ("serve",)])
def test_help_names_every_glyph_set(command, help_of):
    assert "--glyphs GLYPHS how plots are drawn" in help_of(*command)
    assert "one of: braille, blocks, ascii (default: braille)" in help_of(*command)


def test_the_tour_help_names_autoplay_loop_and_record(help_of):
    text = help_of("tour")
    for option in ("--autoplay SECONDS", "--loop", "--record FILE.cast", "--overwrite"):
        assert option in text


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--glyphs", "dots"], None, "argument --glyphs: invalid choice: 'dots' (choose from"),
        ([], "dots", "DESCENT_GLYPHS (in the environment): must be one of braille, blocks, ascii (got 'dots')"),
        (["tour", "--autoplay", "0"], None, "argument --autoplay: must be more than 0 and at most 3600 seconds (got 0)"),
        (["tour", "--autoplay", "nan"], None, "argument --autoplay: must be more than 0 and at most 3600 seconds (got nan)"),
        (["tour", "--autoplay", "soon"], None, "argument --autoplay: 'soon' is not a number of seconds"),
        (["--autoplay", "5"], None, "--autoplay and --loop: only with descent tour (descent tour --autoplay SECONDS)"),
        (["--loop"], None, "--autoplay and --loop: only with descent tour (descent tour --autoplay SECONDS)"),
        (["run", "--record", "x.cast"], None, "unrecognized arguments: --record x.cast"),
        (["serve", "--record", "x.cast"], None, "unrecognized arguments: --record x.cast"),
    ],
)
def test_a_bad_value_is_one_line_and_exit_2(capsys, monkeypatch, args, env, message):
    if env is not None:
        monkeypatch.setenv("DESCENT_GLYPHS", env)
    code, out, err = cli(capsys, *args)
    assert (code, out) == (2, "")
    assert err.startswith(f"descent: error: {message}") and err.count("\n") == 1


def test_a_bad_glyphs_key_names_the_file(capsys, tmp_path):
    config = tmp_path / "lesson.toml"
    config.write_text('glyphs = "dots"\n')
    code, _, err = cli(capsys, "--config", str(config))
    assert code == 2 and err == f"descent: error: {config}: glyphs must be one of braille, blocks, ascii (got 'dots')\n"


@pytest.mark.parametrize(
    ("flag", "env", "key", "expected"),
    [
        (None, None, None, "braille"),
        (None, None, "blocks", "blocks"),
        (None, "ascii", "blocks", "ascii"),  # the terminal's font (the environment) beats the lesson's file
        ("braille", "ascii", "blocks", "braille"),  # the flag beats both
        (None, "", "blocks", "blocks"),  # an empty variable is unset
    ],
)
def test_glyphs_layers_flag_environment_file_default(monkeypatch, tmp_path, flag, env, key, expected):
    argv = []
    if key is not None:
        config = tmp_path / "lesson.toml"
        config.write_text(f'glyphs = "{key}"\nlr = 0.0002\n')
        argv += ["--config", str(config)]
    if flag is not None:
        argv += ["--glyphs", flag]
    monkeypatch.delenv("DESCENT_GLYPHS", raising=False)
    if env is not None:
        monkeypatch.setenv("DESCENT_GLYPHS", env)
    assert effective_glyphs(build_parser().parse_args(argv)) == expected


def test_the_served_apps_draw_with_the_glyphs_serve_was_given():
    args = build_parser().parse_args(["serve", "--glyphs", "ascii"])
    assert app_command(args)[3:] == ["--glyphs", "ascii"]


def test_a_served_app_records_nothing_whatever_its_config_file_says(monkeypatch, tmp_path):
    from tui.cli.demo_options import effective_record

    config = tmp_path / "workshop.toml"
    config.write_text('record = "lesson.cast"\n')
    args = build_parser().parse_args(["--config", str(config)])
    assert effective_record(args) == "lesson.cast"
    monkeypatch.setenv("DESCENT_SERVED", "1")  # as tui.cli.serve_guard marks every app it starts
    assert effective_record(args) is None


def test_the_command_hands_the_app_its_glyphs_autoplay_and_recording(monkeypatch, tmp_path):
    from tui.app import DescentApp
    from tui.cli.main import main

    opened = []
    monkeypatch.setattr(DescentApp, "run", lambda self: opened.append(self))
    monkeypatch.delenv("DESCENT_GLYPHS", raising=False)
    cast = tmp_path / "lesson.cast"
    assert main(["tour", "--autoplay", "3", "--loop", "--glyphs", "ascii", "--record", str(cast)]) == 0
    (app,) = opened
    assert (app.tour, app.glyphs, app.autoplay, app.loop) == (True, "ascii", 3.0, True)
    assert app.driver_class.__name__.startswith("Recording")  # Textual builds this driver: it writes the cast too
    header = cast.read_text().splitlines()[0]
    assert '"version": 2' in header and f'"title": "descent tour --autoplay 3 --loop --glyphs ascii --record {cast}"' in header
