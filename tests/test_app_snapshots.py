"""Snapshots of the main screen before a run (nothing timing-dependent on screen), the help, and a too-small terminal."""

from __future__ import annotations

from engine.settings import Settings
from tests.helpers import wait_for_state
from tui.app import make_app

# On the CPU whatever the machine, so "device cpu" in the status line is the same everywhere.
SNAPSHOT_SETTINGS = Settings(device="cpu")


async def ready(pilot) -> None:
    await wait_for_state(pilot, "ready")
    await pilot.pause()


def test_main_screen_100x30(snap_compare):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=(100, 30), run_before=ready)


def test_main_screen_80x24(snap_compare):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=(80, 24), run_before=ready)


def test_main_screen_without_the_panel(snap_compare):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=(80, 24), run_before=ready, press=["p"])


def test_an_invalid_value_beside_its_field(snap_compare):
    async def type_bad_lr(pilot) -> None:
        await ready(pilot)
        field = pilot.app.screen.query_one("#setting-lr")
        field.cursor_blink = False  # a steady cursor: a blinking one is on or off by when a loaded machine gets there
        field.focus()
        await pilot.press("ctrl+a", "ctrl+k", "-", "1")  # clear, then type -1
        await pilot.pause()

    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=(100, 30), run_before=type_bad_lr)


def test_help_screen(snap_compare):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=(100, 30), run_before=ready, press=["question_mark"])


def test_too_small_terminal_says_what_it_needs(snap_compare):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=(50, 14), run_before=ready)


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
