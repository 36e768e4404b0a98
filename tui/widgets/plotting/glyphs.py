"""`--glyphs braille|blocks|ascii`: the plots' characters, translated cell by cell just before they are drawn.

Every plot is made at braille resolution (2×4 dots a cell, plotext's and tui.widgets.plotting.canvas's) and
the marks of a few Unicode shapes. Fonts without braille (some SSH clients' and terminals': "empty squares")
get, per cell:
- blocks: the braille cell's four quarters as a quadrant character (▘▝▖▗▀▄▌▐▚▞▛▜▙▟█), a quarter lit when any of its
  dots is, and the marks every font of the WGL4 set has (✕ becomes ×);
- ascii: a character for the cell's shape: a point `.` or `'`, the points' marker `*`, a flat line `-` or `_`,
  a steep one `/`, `\\` or `|`, a full cell `#`; plotext's quarter-block lines (the least-squares line) as
  dotted `.` `'` `:`; plot frames in `+ - |`; the racers' and landscape's marks as `O ^ # @ o x`.
One character for one, so every cell keeps its place and its style (colour, dim, bold): only the text changes.
"""

from __future__ import annotations

from functools import cache

from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip

BRAILLE = 0x2800
_DOTS = ((0x01, 0, 0), (0x02, 1, 0), (0x04, 2, 0), (0x40, 3, 0), (0x08, 0, 1), (0x10, 1, 1), (0x20, 2, 1), (0x80, 3, 1))
"""Braille dot bit → (row from the top 0..3, column 0..1)."""
QUADRANTS = " ▘▝▀▖▌▞▛▗▚▐▜▄▙▟█"
"""Indexed by upper-left 1 + upper-right 2 + lower-left 4 + lower-right 8."""
POINT_MARKER = 0x36
"""⠶, the fit plot's marker for sparse points and its legend (tui.widgets.fit_plot.POINT_GLYPH_BITS)."""

BLOCK_MARKS = {"✕": "×", chr(BRAILLE + POINT_MARKER): "▪"}
ASCII_MARKS = {
    **dict(zip("─━│┃┌┐└┘├┤┬┴┼╭╮╰╯", "--||+++++++++++++", strict=True)),
    **{"●": "O", "▲": "^", "■": "#", "◆": "@", "•": "o", "✕": "x", "×": "x", "▪": "*", "−": "-", "·": "."},
}


def quadrant_of(bits: int) -> str:
    """A braille cell's dots as the quadrant character lighting the quarters they fall in."""
    index = 0
    for bit, row, column in _DOTS:
        if bits & bit:
            index |= (1 if row < 2 else 4) << column
    return QUADRANTS[index]


def ascii_of(bits: int) -> str:
    """A braille cell's dots as the ASCII character of their shape."""
    dots = [(row, column) for bit, row, column in _DOTS if bits & bit]
    if not dots:
        return " "
    if bits == POINT_MARKER:
        return "*"
    if len(dots) >= 6:
        return "#"
    rows = [row for row, _ in dots]
    top, bottom = min(rows), max(rows)
    if bottom - top >= 2:  # taller than it is wide: a steep line, leaning the way its columns do
        left = [row for row, column in dots if column == 0]
        right = [row for row, column in dots if column == 1]
        if left and right and sum(left) / len(left) > sum(right) / len(right) + 0.5:
            return "/"
        if left and right and sum(right) / len(right) > sum(left) / len(left) + 0.5:
            return "\\"
        return "|"
    if len(dots) == 1:
        return "." if top >= 2 else "'"
    middle = sum(rows) / len(rows)
    return "_" if middle >= 2.5 else "-"


def _quadrant_ascii(index: int) -> str:
    """plotext's quarter-block lines in ASCII: dotted, so they stay apart from the braille lines' `-` `_`."""
    upper, lower = bool(index & 3), bool(index & 12)
    return ":" if upper and lower else "'" if upper else "." if lower else " "


@cache
def table(mode: str) -> dict[int, str]:
    """str.translate's table for `mode`; empty for braille (nothing changes)."""
    if mode == "blocks":
        mapping = {BRAILLE + bits: quadrant_of(bits) for bits in range(256)}
        mapping.update({ord(k): v for k, v in BLOCK_MARKS.items()})
        return mapping
    if mode == "ascii":
        mapping = {BRAILLE + bits: ascii_of(bits) for bits in range(256)}
        mapping.update({ord(char): _quadrant_ascii(index) for index, char in enumerate(QUADRANTS) if index})
        mapping.update({ord(k): v for k, v in ASCII_MARKS.items()})
        return mapping
    return {}


def glyphs_of(widget) -> str:
    """The app's glyph set (`--glyphs`): braille unless the app says otherwise."""
    return getattr(widget.app, "glyphs", "braille")


def translate_strip(strip: Strip, mode: str) -> Strip:
    """The strip with its characters in `mode`, each cell's style kept."""
    mapping = table(mode)
    if not mapping:
        return strip
    return Strip([Segment(text.translate(mapping), style, control) for text, style, control in strip], strip.cell_length)


def translate_text(text: Text, mode: str) -> Text:
    """A rich Text with its characters in `mode`; one character for one, so its spans still fit."""
    mapping = table(mode)
    if not mapping:
        return text
    copy = text.copy()
    copy.plain = text.plain.translate(mapping)
    return copy
