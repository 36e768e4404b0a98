"""Steps/s of each racer in `descent run --race`, against the same run racing again once torch.optim has warmed up.

The first torch.optim racer used to pay a one-off start-up counted as descending (386 steps/s against
thousands); now the first update is outside the timed part. Prints the figures and their ratio side by side.
Run from the repository root: `python benchmarks/race_rates.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def rates(race: str, steps: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tui.cli", "run", "--device", "cpu", "--json", "--steps", str(steps), "--race", race]
    report = json.loads(subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout)
    return {run["label"]: run["steps_per_second"] for run in report["runs"]}


def main() -> None:
    for race in ("momentum,manual,adam,momentum@0.0001", "adam,momentum,manual"):
        figures = rates(race, 2000)
        print(f"--race {race}: " + ", ".join(f"{label} {rate:,.0f} steps/s" for label, rate in figures.items()))
    figures = rates("momentum,momentum@0.0001", 2000)
    first, again = figures["momentum"], figures["momentum@0.0001"]
    print(f"momentum first {first:,.0f} steps/s, the same run again {again:,.0f} steps/s: ratio {first / again:.2f} (target: within 3×)")


if __name__ == "__main__":
    main()
