"""The heap a run starts with, put out of the cycle collector's reach once: turbo's steps then pay less for it.

By the first run's start Textual, torch and the screen have made ~240,000 objects (241k frozen at the default run,
100×30) that live as long as the app. Python's collector still walked them in its older generations while a run
makes and drops a few tensors a step: in turbo that was ~5% of the steps/s (an in-process A/B of turbo runs, one
run each way: 0.755 → 0.836 of `descent run`'s). `gc.freeze` moves every object alive now to a generation the
collector never scans: memory is freed as before (by reference counts); only a cycle among these objects, if one
ever became garbage, would stay. The youngest generation is then collected every 10,000 new objects instead of
700: a step's tensors die before a collection sees them (at 5 turbo frames a second: 0.90–0.91 against 0.87–0.90,
two runs each).
"""

from __future__ import annotations

import gc

_frozen = False


def freeze_once() -> None:
    """Freeze the objects alive now, the first time a run is ready (later runs add little to the heap)."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
        # and the youngest generation collected every 10,000 new objects, not 700: a step's few tensors die young
        gc.set_threshold(10_000, 50, 100)
