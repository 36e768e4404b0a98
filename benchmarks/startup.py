"""Seconds from typing `descent` to the first screen with the points drawn, in a real terminal (tmux).

Starts the app in a detached 100×30 tmux session and polls the screen until `--shown` text appears
(default "⠶⠶ points": the fit plot's legend, drawn in the same picture as the points). Median of
--rounds, beside `python -c "import torch"` timed the same way (a command that prints a marker when done),
the two taking turns round by round so a busy machine slows both alike; the ratio is the figure to compare.
Targets: ≤ 0.5 s median, and a ratio ≤ 0.45 (the first paint must not wait for torch; textual's import alone is ~0.2 s).
Usage: python benchmarks/startup.py [--command descent] [--shown "⠶⠶ points"] [--rounds 5]
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import time

from benchmarks.terminal import TmuxSession

TARGET_S = 0.5
TARGET_RATIO = 0.45
COLUMNS, ROWS = 100, 30


def time_to_screen(command: list[str], shown: str, timeout: float) -> float | None:
    for attempt in range(3):
        try:
            with TmuxSession(command, COLUMNS, ROWS) as session:
                return session.wait_for(lambda screen: shown in screen, timeout)
        except subprocess.CalledProcessError as error:
            # tmux refuses a new session while its server is exiting (the last session just closed): try again
            print(f"tmux: {error.stderr.strip() or error}; trying again", file=sys.stderr)
            time.sleep(0.5 * (attempt + 1))
    return None


def median(times: list[float | None]) -> float | None:
    """The median, or None when a round timed out."""
    return statistics.median(times) if None not in times else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", default=shlex.join([sys.executable, "-m", "tui.cli"]), help="the app's command line")
    parser.add_argument("--shown", default="⠶⠶ points", help="text shown with the points (the fit plot's legend)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()
    marker = "torch-imported"
    torch_command = [sys.executable, "-c", f"import torch; print({marker!r}); import time; time.sleep(30)"]
    torch_times, app_times = [], []
    for _ in range(args.rounds):  # in turns: a load that comes and goes weighs on both
        torch_times.append(time_to_screen(torch_command, marker, args.timeout))
        app_times.append(time_to_screen(shlex.split(args.command), args.shown, args.timeout))
    torch_median, app_median = median(torch_times), median(app_times)

    def show(times):
        return ", ".join("timeout" if t is None else f"{t:.2f}" for t in times)

    print(f"terminal {COLUMNS}×{ROWS}, median of {args.rounds}")
    print(f"import torch:  {'-' if torch_median is None else f'{torch_median:.2f} s':>8}   ({show(torch_times)})")
    verdict = "MISSED" if app_median is None or app_median > TARGET_S else "ok"
    app_text = "-" if app_median is None else f"{app_median:.2f} s"
    print(f"first screen:  {app_text:>8}   ({show(app_times)})   target ≤ {TARGET_S} s: {verdict}")
    if torch_median and app_median:
        ratio = app_median / torch_median
        print(f"ratio first screen / import torch: {ratio:.2f}   target ≤ {TARGET_RATIO}: {'ok' if ratio <= TARGET_RATIO else 'MISSED'}")


if __name__ == "__main__":
    main()
