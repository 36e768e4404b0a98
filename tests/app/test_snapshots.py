"""Snapshots of the main screen before a run (nothing timing-dependent on screen), the help, and a too-small terminal."""

from __future__ import annotations

import pytest

from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state
from tui.app import make_app

# On the CPU whatever the machine, so "device cpu" in the status line is the same everywhere.
SNAPSHOT_SETTINGS = Settings(device="cpu")


async def ready(pilot) -> None:
    await wait_for_state(pilot, "ready")
    await pilot.pause()


@pytest.mark.slow
def test_main_screen_100x30(snap_compare):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=(100, 30), run_before=ready)


def test_main_screen_80x24(snap_compare):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=(80, 24), run_before=ready)


@pytest.mark.slow
def test_main_screen_without_the_panel(snap_compare):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=(80, 24), run_before=ready, press=["p"])


@pytest.mark.slow
def test_an_invalid_value_beside_its_field(snap_compare):
    async def type_bad_lr(pilot) -> None:
        await ready(pilot)
        field = pilot.app.screen.query_one("#setting-lr")
        field.cursor_blink = False  # a steady cursor: a blinking one is on or off by when a loaded machine gets there
        field.focus()
        await pilot.press("ctrl+a", "ctrl+k", "-", "1")  # clear, then type -1
        await pilot.pause()

    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=(100, 30), run_before=type_bad_lr)


@pytest.mark.slow
def test_help_screen(snap_compare):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=(100, 30), run_before=ready, press=["question_mark"])


@pytest.mark.slow
def test_too_small_terminal_says_what_it_needs(snap_compare):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=(50, 14), run_before=ready)


# Issue 12: designed at 80×24 first. Each size before a run, after it, with the analysis open, after a divergence.
SIZES = [(80, 24), (100, 30), (120, 40)]


def _still(pilot) -> None:
    """Nothing timing-dependent on screen: the measured steps/s is blanked (the pace is a setting, it stays)."""
    screen = pilot.app.screen
    screen.rate = None
    screen.show_status()


async def _finished(pilot, state: str) -> None:
    await ready(pilot)
    await pilot.press("t", "space")
    await wait_for_state(pilot, state)
    await pilot.pause(0.5)  # the last frame drawn; a toast (≤ 3 s) is cleared below
    pilot.app.clear_notifications()
    _still(pilot)
    await pilot.pause()


async def _done(pilot) -> None:
    await _finished(pilot, "done")


async def _diverged(pilot) -> None:
    await _finished(pilot, "diverged")


async def _analysis_open(pilot) -> None:
    await _done(pilot)
    screen = pilot.app.screen
    if not screen.analysis_panel.display:
        await pilot.press("y")  # hidden at first on a narrow screen
    await pilot.pause()


async def _whole_explanation(pilot) -> None:
    await _done(pilot)
    await pilot.press("x")
    await pilot.pause(0.5)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lesson_before_a_run(snap_compare, size):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lesson_after_a_run(snap_compare, size):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=size, run_before=_done)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lesson_with_the_analysis_open(snap_compare, size):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=size, run_before=_analysis_open)


@pytest.mark.slow
def test_lesson_the_whole_explanation_at_80x24(snap_compare):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=(80, 24), run_before=_whole_explanation)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lesson_after_a_divergence(snap_compare, size):
    assert snap_compare(make_app(Settings(device="cpu", lr=1e-3)), terminal_size=size, run_before=_diverged)

RACE = ("manual@1e-4", "momentum@1e-4", "adam@0.05")
RACE_SETTINGS = Settings(device="cpu", steps=200)


async def race_done(pilot) -> None:
    """The race run to its end in turbo, the toast dismissed: the ranked status is what is left to compare."""
    await wait_for_state(pilot, "ready")
    await pilot.press("t", "space")
    await wait_for_state(pilot, "done")
    pilot.app.clear_notifications()
    await pilot.pause()


def test_race_80x24_ready(snap_compare):
    assert snap_compare(make_app(RACE_SETTINGS, race=RACE), terminal_size=(80, 24), run_before=ready)


def test_race_80x24_done(snap_compare):
    assert snap_compare(make_app(RACE_SETTINGS, race=RACE), terminal_size=(80, 24), run_before=race_done)


def test_race_80x24_landscape(snap_compare):
    assert snap_compare(make_app(RACE_SETTINGS, race=RACE), terminal_size=(80, 24), run_before=race_done, press=["l"])
