"""Shared by the app's Pilot tests: wait for the screen to reach a state, without fixed sleeps."""

from __future__ import annotations

import time

WAIT_S = 20.0  # torch's first import alone takes seconds on a loaded 2-core machine


async def wait_until(pilot, condition, timeout: float = WAIT_S, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")
        await pilot.pause(0.02)


async def wait_for_state(pilot, *states: str, timeout: float = WAIT_S) -> None:
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.state in states, timeout, f"state in {states} (now {screen.state})")


def status_text(app) -> str:
    from tui.widgets.status_line import StatusLine

    return app.screen.query_one(StatusLine).plain  # every part, as if the line were wide enough
