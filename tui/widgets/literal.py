"""User-supplied text shown as it is: control characters written as escapes, never obeyed.

A file name, a CSV header or a TOML string can hold ESC, BEL or a C1 code that would set the
terminal's title, clear it or recolour it; a U+2028 or a bidi override that would break or reverse
the line; a byte that is not UTF-8 (a surrogate, from Python's surrogateescape) that can't be
written at all. Every such character is shown as a repr-style escape (`\\x1b`, `\\u202e`), and
a name's stray byte as the byte it was (`\\xff`). Markup (`[bold]`) is the app's other half of the
story: the app shows text with markup off (tui/app.py), and this leaves brackets alone.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_SPECIAL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + _BIDI + "]")


def _escape(match: re.Match) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # a byte that was not UTF-8, as surrogateescape carries it
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(text: object) -> str:
    """`text` with every control, line-breaking, bidi or undecodable character escaped: one safe line."""
    return _SPECIAL.sub(_escape, str(text))


def is_visible(text: str) -> bool:
    """True when `text` has nothing `visible` would escape (nothing a terminal would obey)."""
    return _SPECIAL.search(text) is None
