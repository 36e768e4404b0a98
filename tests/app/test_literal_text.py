"""User text full of markup and control characters is shown literally: the app stays alive, the terminal obeys nothing.

Strings are generated from markup tags (`[bold]`, `[/]`, `[link=…]`, `[@click=app.quit]`) and control characters
(ESC sequences, BEL, C1, U+2028, bidi overrides, a non-UTF-8 byte) and fed to every settings field, to CSV headers,
file names, TOML strings and the toasts; the CLI's stderr must hold no raw ESC/BEL/C1, the app must show them as text.
"""

from __future__ import annotations

import asyncio
import io
import re
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import fields

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from textual.widgets import Input

from engine.settings.config_file import toml_value
from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state, wait_until
from tui.cli.main import main
from tui.widgets.literal import is_visible, visible
from tui.widgets.parameter_panel import control_id
from tui.widgets.setting_input import check

PIECES = ["[bold]", "[/]", "[/bold]", "[link=https://example.com]", "[@click=app.quit]", "[red on blue]", "[", "]", "\\",
          "\x1b[31m", "\x1b]0;pwned\x07", "\x1b[2J", "\x07", "\x08", "\r", "\n", "\t", "\x00", "\x7f", "\x9b", "\x85",
          "\u2028", "\u202e", "\udcff", "é", "🙂", "x", "1"]
NASTY = st.lists(st.one_of(st.sampled_from(PIECES), st.characters(codec="utf-8")), min_size=1, max_size=6).map("".join)
RAW = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\ud800-\udfff]")
"""What a terminal line must never carry raw (a newline only ends it)."""
TYPED = [f for f in fields(Settings) if "choices" not in f.metadata and str(f.type) != "bool"]


@given(st.text())
def test_visible_escapes_everything_a_terminal_obeys_and_nothing_else(text):
    shown = visible(text)
    assert RAW.search(shown) is None and "\n" not in shown
    assert is_visible(shown)
    if is_visible(text):
        assert shown == text  # plain text, brackets and all, is left alone


def test_visible_writes_escapes_a_person_can_read():
    assert visible("a\x1b]0;t\x07b") == "a\\x1b]0;t\\x07b"
    assert visible("\u202eevil\u2028") == "\\u202eevil\\u2028"
    assert visible("data\udcff.csv") == "data\\xff.csv"  # the byte the name really has
    assert visible("[bold]x[/]") == "[bold]x[/]"


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as stop:
            code = stop.code
    return code, out.getvalue(), err.getvalue()


def _one_clean_line(err: str) -> None:
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert RAW.search(err[:-1]) is None, repr(err)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=NASTY)
def test_a_csv_header_never_reaches_the_terminal_raw(tmp_path, header):
    path = tmp_path / "data.csv"
    path.write_text(f"{header.replace(',', ';')},y\n1,2\n2,3\n3,5\n", encoding="utf-8", errors="surrogateescape")
    code, _, err = _cli("run", "--data", str(path), "--x-column", "absent", "--steps", "2", "--device", "cpu")
    assert code == 2
    _one_clean_line(err)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cell=NASTY, app=st.booleans())
def test_a_csv_cell_never_reaches_the_terminal_raw(tmp_path, cell, app):
    path = tmp_path / "data.csv"
    path.write_text(f"x,y\n1,2\n{cell.replace(',', ';')},3\n3,5\n", encoding="utf-8", errors="surrogateescape")
    if app:  # the app's command refuses a bad file before the screen opens (and opens it otherwise: not here)
        from tui.cli.command import _dataset_or_fail

        err = io.StringIO()
        with redirect_stderr(err):
            try:
                _dataset_or_fail(Settings(data=str(path)))
                code = 0
            except SystemExit as stop:
                code = stop.code
        err = err.getvalue()
    else:
        code, _, err = _cli("run", "--data", str(path), "--steps", "2", "--device", "cpu")
    if code == 2:
        _one_clean_line(err)
    else:
        assert code in (0, 1)  # a cell that is a number after all (" 1 ", "1\t"), or a blank line


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NASTY)
def test_a_file_name_or_option_value_never_reaches_the_terminal_raw(tmp_path, name):
    name = name.replace("/", "_").replace("\x00", "_")
    for argv in (["--data", str(tmp_path / f"{name}.csv")], ["--config", str(tmp_path / f"{name}.toml")],
                 ["--model", name], ["--device", name], ["--x-column", ""]):
        code, _, err = _cli("run", *argv, "--steps", "2")
        assert code == 2
        _one_clean_line(err)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=NASTY)
def test_a_toml_string_never_reaches_the_terminal_raw(tmp_path, value):
    path = tmp_path / "bad.toml"
    text = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")  # a TOML file is UTF-8 text
    path.write_text(f"model = {toml_value(text)}\n", encoding="utf-8")
    code, _, err = _cli("run", "--config", str(path), "--steps", "2")
    assert code in (0, 2)  # a model name made of these is refused; an empty one too
    if code == 2:
        _one_clean_line(err)


# ── the app ────────────────────────────────────────────────────────────────────


def _error_text(app, name: str) -> str:
    row = app.screen.query_one(f"#{control_id(name)}").parent
    return str(row.query_one(".setting-error").render())


async def _type_everywhere(typed: list[tuple[str, str]]) -> None:
    from tui.app import make_app

    app = make_app(Settings(steps=30))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_for_state(pilot, "ready")
        every = [(f.name, "[@click=app.quit]\x1b]0;t\x07[/]") for f in TYPED]  # each field once, then the drawn ones
        for name, text in [*every, *typed]:
            field = app.screen.query_one(f"#{control_id(name)}", Input)
            field.focus()
            field.value = ""
            printable = text.isascii() and text.isprintable() and len(text) < 12  # what Pilot can press key by key
            if printable:
                await pilot.press(*text)  # key by key, as a person types `[/]`
            else:
                field.value = text  # control characters can't be pressed; pasted, they arrive like this
            await pilot.pause(0.02)
            assert field.value == text
            _, problem = check(next(f for f in TYPED if f.name == name), text, app.screen.panel.applied)
            if problem is not None:
                assert _error_text(app, name) == visible(problem), (name, text)  # literal: brackets kept, controls escaped
            assert app.is_running
        # a path typed in `data` reaches the run's own message path (the toast and the status line)
        field = app.screen.query_one(f"#{control_id('data')}", Input)
        weird = typed[0][1].replace("/", "_").replace("\x00", "_")
        field.value = f"/nonexistent/{weird}.csv"
        field.focus()
        await pilot.press("enter")
        await wait_for_state(pilot, "error")
        assert "/nonexistent/" in _error_text(app, "data")
        assert is_visible(_error_text(app, "data"))
        assert any(visible(weird) in str(toast.render()) for toast in app.screen.query("Toast"))  # the run's "Can't run" toast
        app.notify(f"[bold]{weird}[/] [@click=app.quit]x[/]", title=f"[red]{weird}")
        literal = f"[red]{visible(weird)}\n[bold]{visible(weird)}[/] [@click=app.quit]x[/]"
        await wait_until(pilot, lambda: any(str(t.render()) == literal for t in app.screen.query("Toast")), what="the toast, literal")
        assert app.is_running


@pytest.mark.slow
@settings(max_examples=3, deadline=None, phases=[Phase.explicit, Phase.generate])  # each example is an app: no shrinking
@given(typed=st.lists(st.tuples(st.sampled_from([f.name for f in TYPED]), NASTY), min_size=8, max_size=12))
def test_markup_and_controls_typed_in_every_field_show_literally(typed):
    asyncio.run(_type_everywhere(typed))


@pytest.mark.slow
@pytest.mark.parametrize("header", ["[bold]x[/]", "[@click=app.quit]x", "\x1b]0;pwned\x07x", "x[/"])
def test_a_csv_header_with_markup_shows_literally_in_the_app(tmp_path, header):
    path = tmp_path / "data.csv"
    path.write_text(f"{header},y\n1,2\n2,3\n3,5\n4,4\n", encoding="utf-8")

    async def scenario():
        from tui.app import make_app

        app = make_app(Settings(steps=30, x_column="nope", data=None))
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await wait_for_state(pilot, "ready")
            field = app.screen.query_one(f"#{control_id('data')}", Input)
            field.value = str(path)
            field.focus()
            await pilot.press("enter")
            await wait_for_state(pilot, "error")
            shown = _error_text(app, "data") or _error_text(app, "x_column")
            assert visible(header) in shown, shown
            assert app.is_running

    asyncio.run(scenario())
