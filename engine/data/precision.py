"""What casting the data to float32 does to it: how many values it changes, flushes to zero or overflows.

float32 keeps 24 bits (about 7 digits). The descent runs on the data as cast, so a value float32 can't
hold is silently a different value: a whole number above 2**24 loses its last digit, a value below
float32's smallest normal (1.2e-38) loses its digits or becomes 0, one past 3.4e38 becomes infinite.
Rounding within the last bit (at most 6e-8 of a value) is what float32 always does and is not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RELATIVE = 1e-7
"""A value whose float32 rounding moves it more than this fraction of itself counts as changed."""
CHUNK = 1 << 20
"""Values checked at a time: bounds the temporary arrays at a few MB whatever N is."""
_TINY = float(np.finfo(np.float32).tiny)
_WHOLE_MAX = 2.0**53  # past it every float64 is a whole number: "whole" tells nothing


@dataclass(frozen=True)
class CastCheck:
    """How the data fares when cast to float32, counted over x (as fitted) and y."""

    values: int
    """How many values were checked (2 per point)."""
    changed: int
    """Values float32 changes beyond its rounding: by more than 1e-7 of themselves, or whole numbers made another."""
    underflow: int
    """Non-zero values below float32's smallest normal number: their digits go, or they become 0."""
    overflow: int
    """Finite values past float32's largest: they become infinite."""

    def as_dict(self) -> dict:
        return {"values": self.values, "changed": self.changed, "underflow": self.underflow, "overflow": self.overflow}

    def note(self) -> str | None:
        """One sentence for the summary and the app when float32 changes the data; None when it does not."""
        if not (self.changed or self.underflow or self.overflow):
            return None
        parts = [f"float32 changes {self.changed:,} of the {self.values:,} data values beyond its rounding"]
        if self.underflow:
            parts.append(f"{self.underflow:,} are too small for it (below 1.2e-38)")
        if self.overflow:
            parts.append(f"{self.overflow:,} too large (past 3.4e38)")
        return "; ".join(parts) + ": run with --dtype float64 to fit the data as it is."


def _count(values: np.ndarray) -> tuple[int, int, int]:
    changed = underflow = overflow = 0
    for begin in range(0, len(values), CHUNK):
        v = np.asarray(values[begin : begin + CHUNK], dtype=np.float64)
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            cast = v.astype(np.float32).astype(np.float64)
            moved = np.abs(cast - v)
            far = moved > RELATIVE * np.abs(v)
            whole = (v == np.round(v)) & (np.abs(v) < _WHOLE_MAX) & (cast != v)
        changed += int(np.count_nonzero(far | whole))
        size = np.abs(v)
        underflow += int(np.count_nonzero((size > 0) & (size < _TINY)))
        overflow += int(np.count_nonzero(np.isfinite(v) & ~np.isfinite(cast)))
    return changed, underflow, overflow


def check_cast(x: np.ndarray, y: np.ndarray) -> CastCheck:
    """Count what float32 does to these float64 values (x as the model fits it, and y)."""
    counts = [_count(x), _count(y)]
    return CastCheck(len(x) + len(y), *(sum(column) for column in zip(*counts, strict=True)))
