"""Bytes per second the app writes to its terminal while the tutorial's run animates, at 120×40.

Starts the app in a detached tmux session, waits for its first screen, presses space (run), and counts
what tmux's pipe-pane receives for --seconds. Target: ≤ 60 KB/s (a naive PlotextPlot redrawn at 20 fps
writes ~176 KB/s). Extra app options (--lite, --fps 10) go in --command.
Usage: python benchmarks/bandwidth.py [--command descent] [--seconds 5] [--shown " ready "] [--keys space]
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
import time

from benchmarks.terminal import TmuxSession

TARGET_KB_S = 60.0
COLUMNS, ROWS = 120, 40


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", default=shlex.join([sys.executable, "-m", "tui.cli"]), help="the app's command line")
    parser.add_argument("--shown", default=" ready ", help="text on the screen once the run can start (the status line)")
    parser.add_argument("--keys", nargs="*", default=["Space"], help="tmux keys that start the run")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "terminal.bytes")
        with TmuxSession(shlex.split(args.command), COLUMNS, ROWS) as session:
            if session.wait_for(lambda screen: args.shown in screen, args.timeout) is None:
                sys.exit(f"bandwidth: {args.shown!r} never appeared within {args.timeout:g} s; screen:\n{session.screen()}")
            time.sleep(0.5)  # let start-up drawing settle before counting
            session.pipe_to(path)
            session.press(*args.keys)
            time.sleep(args.seconds)
            session.stop_piping()
        written = os.path.getsize(path) if os.path.exists(path) else 0
    rate = written / args.seconds / 1000
    verdict = "ok" if rate <= TARGET_KB_S else "MISSED"
    print(f"terminal {COLUMNS}×{ROWS}: {written:,} bytes in {args.seconds:g} s = {rate:.1f} KB/s (target ≤ {TARGET_KB_S:g}: {verdict})")


if __name__ == "__main__":
    main()
