"""Snapshots at 80×24 of three stops of the tour and of the code pane mid-step (nothing timing-dependent on screen)."""

from __future__ import annotations

import pytest

from engine.settings.run_settings import Settings
from engine.words.tour import WAITING
from tests.helpers import wait_for_state, wait_until
from tui.app import make_app

pytestmark = pytest.mark.slow  # each test here runs the app or a subprocess for over a second

# On the CPU whatever the machine, so "device cpu" in the status line is the same everywhere.
SNAPSHOT_SETTINGS = Settings(device="cpu")


def at_stop(index: int, presses: tuple[str, ...] = ()):
    async def run_before(pilot) -> None:
        def tour():
            teaching = getattr(pilot.app.screen, "teaching", None)  # the screen mounts it
            return teaching and teaching.tour

        await wait_until(pilot, lambda: tour() is not None, what="the tour")
        tour = tour()
        if index:
            tour.go(index)
        await wait_for_state(pilot, "ready")
        await wait_until(pilot, lambda: tour.panel.shown is not None and tour.panel.shown[1] != WAITING, what="the stop's text")
        for key in presses:
            await pilot.press(key)
        await pilot.pause()

    return run_before


def test_tour_stop_1_the_data(snap_compare):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS, tour=True), terminal_size=(80, 24), run_before=at_stop(0))


def test_tour_stop_2_autograd(snap_compare):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS, tour=True), terminal_size=(80, 24), run_before=at_stop(1))


def test_tour_stop_9_your_data(snap_compare):
    assert snap_compare(make_app(SNAPSHOT_SETTINGS.with_changes(points=40), tour=True), terminal_size=(80, 24), run_before=at_stop(8))


def test_tour_stop_3_the_code_pane_mid_step(snap_compare):
    # forward, loss, backward: the residuals on the fit, ∂L/∂θ beside loss.backward(), its line marked ▶
    app = make_app(SNAPSHOT_SETTINGS, tour=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=at_stop(2, ("n", "n", "n")))


def test_the_code_pane_mid_step_without_the_tour(snap_compare):
    async def two_phases(pilot) -> None:
        await wait_for_state(pilot, "ready")
        await pilot.press("p", "c", "n", "n")
        await pilot.pause()

    assert snap_compare(make_app(SNAPSHOT_SETTINGS), terminal_size=(80, 24), run_before=two_phases)
