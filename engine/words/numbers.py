"""Numbers in sentences, written one way: a few significant digits (3 unless a sentence needs more)."""

from __future__ import annotations


def significant(value: float, digits: int = 3) -> str:
    """`value` to `digits` significant digits, as `:g` writes it (0.000123, 1.23e+04, inf)."""
    return f"{value:.{digits}g}"
