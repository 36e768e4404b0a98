"""The app's pace in wall-clock seconds, the figures the tests check only on a fake clock or in steps.

- the default pace: seconds the tutorial's 1000 steps take on screen (target 4.5–10 s: watchable, not dull);
- a pause during turbo on 2,000,000 points: seconds from space to the worker stopped (target ≤ 0.5 s).
Usage: python benchmarks/pace.py [--points 2000000]
"""

from __future__ import annotations

import argparse
import asyncio
import time

from engine.settings.run_settings import Settings
from tui.app import make_app

PACE_TARGET_S = (4.5, 10.0)
PAUSE_TARGET_S = 0.5


async def _wait(pilot, condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        await pilot.pause(0.02)


async def seconds_per_1000_steps(measured_steps: int = 300) -> float:
    app = make_app(Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await _wait(pilot, lambda: screen.state == "ready")
        started = time.monotonic()
        await pilot.press("space")
        await _wait(pilot, lambda: screen.snapshot.step >= measured_steps)
        return (time.monotonic() - started) / screen.snapshot.step * 1000


async def pause_seconds(points: int) -> float:
    app = make_app(Settings(points=points, steps=1_000_000))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await _wait(pilot, lambda: screen.state == "ready")
        await pilot.press("t", "space")
        await _wait(pilot, lambda: screen.snapshot is not None and screen.snapshot.step >= 3)
        started = time.monotonic()
        await pilot.press("space")
        await _wait(pilot, lambda: screen.state == "paused")
        await app.workers.wait_for_complete()
        return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=2_000_000)
    args = parser.parse_args()
    pace = asyncio.run(seconds_per_1000_steps())
    low, high = PACE_TARGET_S
    print(f"default pace: 1000 steps in {pace:.2f} s   target {low:g}–{high:g} s   {'ok' if low <= pace <= high else 'MISSED'}")
    pause = asyncio.run(pause_seconds(args.points))
    verdict = "ok" if pause <= PAUSE_TARGET_S else "MISSED"
    ratio = pause / PAUSE_TARGET_S
    print(f"pause in turbo at {args.points:,} points: {pause:.3f} s   target ≤ {PAUSE_TARGET_S} s   ratio {ratio:.2f}   {verdict}")


if __name__ == "__main__":
    main()
