"""Peak memory (RSS) of `descent run --points N` on the CPU, beside the memory guard's estimate.

Each N runs in its own process (os.wait4 gives that process's own peak). Target: ≤ 1.5 GB at 10 million
points. The baseline row is `import torch` alone: what every run pays before its first point.
Usage: python benchmarks/memory_peak.py [--points 1000000 10000000] [--steps 20]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from engine.data.memory_guard import run_bytes
from engine.settings.run_settings import Settings

TARGET_GB = {10_000_000: 1.5}
MB = 1e6


def peak_rss(command: list[str]) -> tuple[int, float]:
    """(exit code, peak resident bytes) of one child process."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stderr.close()
    return child.returncode, usage.ru_maxrss * 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--model", default="linear")
    args = parser.parse_args()
    _code, baseline = peak_rss([sys.executable, "-c", "import torch"])
    print(f"import torch alone: {baseline / MB:,.0f} MB peak")
    print(f"{'N':>12} {'peak MB':>9} {'above torch MB':>15} {'estimate MB':>12} {'target':>8}")
    for points in args.points:
        settings = Settings(points=points, steps=args.steps, model=args.model, device="cpu")
        command = [sys.executable, "-m", "tui.cli", "run", "--points", str(points), "--steps", str(args.steps)]
        code, peak = peak_rss(command + ["--model", args.model, "--device", "cpu", "--json"])
        host, device = run_bytes(settings)
        target = TARGET_GB.get(points)
        verdict = "-" if target is None else ("ok" if peak <= target * 1e9 else "MISSED") + f" {target} GB"
        failed = "" if code in (0, 1) else f"  (exit {code})"
        print(f"{points:>12,} {peak / MB:>9,.0f} {(peak - baseline) / MB:>15,.0f} {(host + device) / MB:>12,.0f} {verdict:>8}{failed}")


if __name__ == "__main__":
    main()
