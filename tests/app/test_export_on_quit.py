"""q while `e` writes a long history: the first q says so and quits nothing; a second quits, and the command says what was lost."""

from __future__ import annotations

import pytest

from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state, wait_until
from tui.app import make_app
from tui.screens.export_on_quit import EXIT_EXPORT_STOPPED, report_on_exit
from tui.screens.path_screen import PathScreen

LONG = 5_000_000
"""Steps whose history takes minutes to make again: the export is still running when q comes."""


async def _start_export(pilot, tmp_path):
    app = pilot.app
    screen = app.screen
    screen.exporter.export(Settings(device="cpu", steps=LONG), LONG)
    await wait_until(pilot, lambda: isinstance(app.screen, PathScreen) and app.screen.query("Input"), what="the folder dialog")
    app.screen.query_one("Input").value = str(tmp_path / "out")
    await pilot.press("enter")
    await wait_until(pilot, lambda: screen.exporter.running is not None, what="the export to start")
    return screen.exporter


@pytest.mark.slow
async def test_q_twice_stops_the_export_and_the_command_says_so(tmp_path, capsys):
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        exporter = await _start_export(pilot, tmp_path)
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and app.return_code is None  # the first q only warns
        await pilot.press("q")
    code = report_on_exit(app, app.return_code or 0)
    err = capsys.readouterr().err
    assert code == EXIT_EXPORT_STOPPED
    assert err.startswith(f"descent: quit during the export to {tmp_path / 'out'}/: ") and "history was not written" in err
    assert exporter.finished.is_set() and not (tmp_path / "out" / "history.csv").exists()


@pytest.mark.slow
async def test_a_quit_after_the_export_finished_says_nothing_more(tmp_path, capsys):
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        app.screen.exporter.export(Settings(device="cpu", steps=50), 50)
        await wait_until(pilot, lambda: isinstance(app.screen, PathScreen) and app.screen.query("Input"), what="the folder dialog")
        app.screen.query_one("Input").value = str(tmp_path / "out")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.exporter.finished.is_set(), what="the export to finish")
        await pilot.press("q")
    assert report_on_exit(app, app.return_code or 0) == 0
    assert capsys.readouterr().err == ""
    assert (tmp_path / "out" / "history.csv").read_text().count("\n") == 52  # a header and steps 0…50
