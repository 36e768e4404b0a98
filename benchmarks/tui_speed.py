"""Steps per second inside the app (turbo, headless Pilot) against `descent run` on the same settings,
and how fast a key is answered during a 1,000,000-point run.

Targets: the app reaches ≥ 90% of `descent run`'s steps/s; a key is answered within 100 ms.
Each figure comes from a fresh process, as a person gets it (`descent` runs one app per process): `descent run`
as the CLI, the app's turbo run through `--app-round` here. Several apps in one process measured the later ones
with the earlier ones' heap still there (the first app's is frozen: tui/workers/heap.py).
Usage: python benchmarks/tui_speed.py [--steps 100000] [--device cpu]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time

from engine.settings.run_settings import Settings
from tui.app import make_app

TARGET_RATIO = 0.90
TARGET_KEY_MS = 100.0


def headless_rate(steps: int, device: str) -> float:
    """`descent run --json` in a fresh process: the engine's own figure, measured as the CLI measures it."""
    command = [sys.executable, "-m", "tui.cli", "run", "--json", "--steps", str(steps), "--device", device]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
    return json.loads(done.stdout)["steps_per_second"]


async def _wait(pilot, condition, timeout: float = 600.0, poll: float = 0.02) -> None:
    # polling costs the UI thread (and so the run) time: coarse for the long wait, fine for key latency
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(poll)


def app_rate_in_process(steps: int, device: str) -> tuple[float, float]:
    """`app_rate` in a fresh Python, as `headless_rate` runs `descent run`."""
    command = [sys.executable, "-m", "benchmarks.tui_speed", "--app-round", "--steps", str(steps), "--device", device]
    done = subprocess.run(command, capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
    rate, figure = json.loads(done.stdout)
    return rate, figure


async def app_rate(steps: int, device: str) -> tuple[float, float]:
    """(steps/s from the key press to the end, the worker's own last figure) for a turbo run in the app."""
    app = make_app(Settings(steps=steps, device=device))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await _wait(pilot, lambda: screen.state == "ready")
        # the end is timed where the screen takes it, so the wait for it can poll coarsely: each poll wakes the UI
        # thread, which then takes the GIL from the stepping thread (at 0.02 s, 50 times a second)
        ended, finish = [], screen.life.finish
        screen.life.finish = lambda: (ended.append(time.perf_counter()), finish())
        await pilot.press("t")
        started = time.perf_counter()
        await pilot.press("space")
        await _wait(pilot, lambda: screen.state == "done", poll=0.25)
        elapsed = ended[0] - started
        return screen.snapshot.step / elapsed, screen.rate


async def key_latencies(points: int, device: str, presses: int = 10) -> list[float]:
    """Milliseconds from a key's arrival to its effect, while a turbo run of `points` points is going."""
    app = make_app(Settings(points=points, steps=10**9, device=device))
    latencies = []
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await _wait(pilot, lambda: screen.state == "ready")
        await pilot.press("t", "space")
        await _wait(pilot, lambda: screen.snapshot.step >= 3)
        for press in range(presses):
            rate = screen.pace.rate
            started = time.perf_counter()
            app.simulate_key("minus" if press % 2 else "plus")
            await _wait(pilot, lambda rate=rate: screen.pace.rate != rate, timeout=10, poll=0.001)
            latencies.append(1000 * (time.perf_counter() - started))
            app.simulate_key("t")  # back to turbo: plus and minus leave it
            await asyncio.sleep(0.15)
        await pilot.press("space")
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--points-for-keys", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3, help="alternate headless and app runs; medians are compared")
    parser.add_argument("--app-round", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.app_round:  # one app's turbo run in this fresh process: (steps/s, its status line's figure) as JSON
        print(json.dumps(asyncio.run(app_rate(args.steps, args.device))))
        return

    headless_rates, app_rates, worker_figures = [], [], []
    for _ in range(args.rounds):
        headless_rates.append(headless_rate(args.steps, args.device))
        in_app, worker_figure = app_rate_in_process(args.steps, args.device)
        app_rates.append(in_app)
        worker_figures.append(worker_figure)
    headless, in_app, worker_figure = map(statistics.median, (headless_rates, app_rates, worker_figures))
    ratio = in_app / headless
    print(f"{args.steps:,} steps, {args.device}, 100 points, turbo; medians of {args.rounds} alternating rounds, each in a fresh process")
    print("  rounds, headless: " + ", ".join(f"{r:,.0f}" for r in headless_rates) + "   app: " + ", ".join(f"{r:,.0f}" for r in app_rates))
    print(f"  descent run (headless): {headless:12,.0f} steps/s")
    print(f"  app (Pilot, turbo):     {in_app:12,.0f} steps/s   (its status line, median: {worker_figure:,.0f})")
    print(f"  ratio app/headless:     {ratio:12.2f}   target ≥ {TARGET_RATIO:.2f}  {'ok' if ratio >= TARGET_RATIO else 'MISSED'}")

    latencies = asyncio.run(key_latencies(args.points_for_keys, args.device))
    worst = max(latencies)
    print(f"key answered during a {args.points_for_keys:,}-point turbo run ({len(latencies)} presses):")
    print(f"  median {statistics.median(latencies):.1f} ms, worst {worst:.1f} ms   target ≤ {TARGET_KEY_MS:.0f} ms  "
          f"{'ok' if worst <= TARGET_KEY_MS else 'MISSED'}")


if __name__ == "__main__":
    main()
