"""The heap a run starts with, put out of the cycle collector's reach once: turbo's steps then pay less for it.

By the first run's start Textual, torch and the screen have made ~300,000 objects that live as long as the app.
Python's collector still walks them in its older generations while a run makes and drops a few tensors a step:
in turbo that was ~5% of the steps/s (benchmarks/tui_speed.py: 0.755 → 0.836 of `descent run`'s, one run
each way here). `gc.freeze` moves every object alive now to a generation the collector never scans: memory is
freed as before (by reference counts); only a cycle among these objects, if one ever became garbage, would stay.
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
