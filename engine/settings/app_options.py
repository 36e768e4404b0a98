"""The app's own options, which no run depends on: how the plots are drawn and where a session is recorded.

They are not `Settings` (a run's settings): `descent run` has no plots to draw and no screen to record, and a
run exported or raced is the same whatever they are. They live here, torch-free, because a config file may set
them too (`glyphs = "ascii"`, `record = "demo.cast"`: engine/settings/config_file.py) and the CLI checks them.
"""

from __future__ import annotations

GLYPHS = ("braille", "blocks", "ascii")
"""How plots are drawn: braille dots (2×4 a cell, the sharpest), half-blocks and quadrants (2×2 a cell, in fonts
without braille), or plain ASCII (any terminal, any font)."""
DEFAULT_GLYPHS = "braille"
GLYPHS_ENV = "DESCENT_GLYPHS"
"""The environment's choice, for a terminal whose font lacks braille: between a config file's and --glyphs."""
GLYPHS_HELP = (
    "how plots are drawn: braille (sharpest), blocks (half-blocks and quadrants, for fonts without braille, as over some SSH "
    f"terminals) or ascii (any font); also ${GLYPHS_ENV}"
)
RECORD_HELP = "record the session's terminal output as an asciicast v2 file (asciinema's format), written as it goes"

MAX_AUTOPLAY_S = 3600.0
"""A stop that waits an hour is a mistake, not a booth."""


class AppOptionError(ValueError):
    """An app option's value is not allowed: `str(error)` says what is."""


def checked_glyphs(value: object) -> str:
    """`value` if it names a glyph set; AppOptionError saying which ones do."""
    if not isinstance(value, str) or value not in GLYPHS:
        shown = repr(value) if len(repr(value)) <= 30 else repr(value)[:27] + "…"
        raise AppOptionError(f"must be one of {', '.join(GLYPHS)} (got {shown})")
    return value


def checked_autoplay(seconds: float) -> float:
    """Seconds a tour stop stays before the next one; AppOptionError when not in (0, MAX_AUTOPLAY_S]."""
    if not 0 < seconds <= MAX_AUTOPLAY_S:  # nan fails too
        raise AppOptionError(f"must be more than 0 and at most {MAX_AUTOPLAY_S:g} seconds (got {seconds:g})")
    return seconds
