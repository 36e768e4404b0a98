"""A CSV file as text: its encoding from the byte-order mark, its lines, its cells (its bytes: engine.data.stream_read).

Shared by the careful reader (engine.data.csv_reader) and numpy's fast path (engine.data.csv_fast), so both read a
file the same way.
"""

from __future__ import annotations

import codecs
import re

from engine.settings.errors import DataError

# A bound on every read, so a huge or endless file (a FIFO, /dev/zero) can't hang the app.
MAX_BYTES = 2 * 1024**3
MAX_LINE = 1024 * 1024
SEPARATORS = (",", ";", "\t")
SAMPLE_LINES = 20
"""Non-blank lines read to find the separator and the header (both readers, and the axes' names)."""


BOMS = (  # UTF-32's marks first: UTF-32-LE's begins with UTF-16-LE's
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
STDIN = "-"
"""`--data -` reads the points from standard input."""
LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""A CSV's lines end at \\n, \\r\\n or \\r only (str.splitlines also breaks at U+2028, U+0085, VT, FF…)."""


def shown(path: str) -> str:
    """The file as a message names it: standard input in words."""
    return "standard input" if path == STDIN else path


def encoding_of(raw: bytes) -> tuple[str, str]:
    """(codec, name) from the byte-order mark; UTF-8 without one."""
    for mark, codec, name in BOMS:
        if raw.startswith(mark):
            return codec, name
    return "utf-8-sig", "UTF-8"


def decode(path: str, raw: bytes) -> str:
    """The text of a CSV's bytes; DataError for NUL bytes or bytes its encoding can't have."""
    codec, name = encoding_of(raw)
    if codec.startswith("utf-8") and b"\x00" in raw:
        raise DataError(f"{shown(path)}: not a text file (it holds NUL bytes)")
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as error:
        raise DataError(f"{shown(path)}: not {name} text (bad byte at offset {error.start})") from None
    if "\x00" in text:
        raise DataError(f"{shown(path)}: not a text file (it holds NUL characters)")
    return text


def split_lines(text: str):
    """The lines of a text, lazily (no list of a million strings), ending only at \\n, \\r\\n or \\r."""
    start = 0
    for match in LINE_BREAK.finditer(text):
        yield text[start : match.start()]
        start = match.end()
    if start < len(text):
        yield text[start:]


def separator_of(lines: list[str]) -> str:
    """The separator most used in the first non-blank lines: comma, semicolon or tab."""
    sample = [line for line in lines if line.strip()][:SAMPLE_LINES]
    counts = {sep: sum(line.count(sep) for line in sample) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def number_of(text: str) -> float | None:
    """A cell's number, or None when it is not one. Only ASCII digits count: '١٢' is not a number here."""
    cell = text.strip().strip('"').strip("'").strip()
    if not cell or not cell.isascii():
        return None
    try:
        return float(cell)
    except ValueError:
        return None
