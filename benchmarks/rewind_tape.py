"""What keeping a run for rewinding costs: the tape's time a step and what it holds after 10⁶ steps (issue 22).

Target: well under the engine's own step (about 100 µs at 100 points on a CPU), and a few thousand
snapshots kept however long the run. Prints the figures; asserts nothing (no wall-clock asserts in tests).
"""

from __future__ import annotations

import time
from types import SimpleNamespace

from engine.descent.history import CAPACITY, HEAD, Tape

STEPS = 1_000_000


def main() -> None:
    snapshots = [SimpleNamespace(step=step) for step in range(STEPS)]
    tape = Tape()
    start = time.perf_counter()
    for _ in tape.recorded(iter(snapshots)):
        pass
    taped = time.perf_counter() - start
    start = time.perf_counter()
    for _ in iter(snapshots):
        pass
    bare = time.perf_counter() - start
    print(f"tape: {(taped - bare) / STEPS * 1e6:.2f} µs a step over a bare loop (target: < 5 µs, 5% of a 100 µs step)")
    print(f"kept {len(tape.steps()):,} of {STEPS:,} steps (target: ≤ {HEAD + CAPACITY + 1:,}), 1 step in {tape.stride} kept")


if __name__ == "__main__":
    main()
