"""The fast path of the CSV reader: numpy's C reader (numpy.loadtxt) on a well-formed file.

It takes only what it can read exactly as the careful reader (engine.data.csv_reader) would: a header line
or none, one separator, plain ASCII numbers, no quotes. Anything else (a quoted cell, a bad number, a
short row, nan or inf, a column it can't place) gives None, and the careful reader reads the file again,
for the message that names the line and the cell. A million rows: ~1 s and ~60 MB here, against ~5 s
and ~560 MB line by line (benchmarks/csv_speed.py).
"""

from __future__ import annotations

import io
import warnings

import numpy as np

from engine.data.csv_text import MAX_LINE, SAMPLE_LINES, encoding_of, number_of, separator_of


def fast_columns(raw: bytes, x_column: str, y_column: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(x, y) read by numpy when the file is plain enough to read exactly as the careful reader would; else None."""
    codec, _ = encoding_of(raw)
    # Quotes need the csv module's rules; NUL bytes and non-ASCII cells, the careful reader's messages.
    if not codec.startswith("utf-8") or b'"' in raw or b"'" in raw or b"\x00" in raw:
        return None

    def stream():
        # Decoded a few KB at a time, lines ending at \n, \r\n or \r only (newline=None): no copy of the whole text.
        return io.TextIOWrapper(io.BytesIO(raw), encoding=codec, newline=None)

    try:
        lines = _head(stream())
        if not lines or any(len(line) > MAX_LINE for line in lines):
            return None
        separator = separator_of(lines)
        first = lines[0].split(separator)
        header = first if all(number_of(cell) is None for cell in first) else None
        if header is not None and not all(name.isascii() for name in header):
            return None
        xi, yi = _index(x_column, header, len(first)), _index(y_column, header, len(first))
        if xi is None or yi is None:
            return None
        skip = 0
        if header is not None:
            reader = stream()
            while True:  # the header is the first non-blank line: skip it and the blank ones before it
                skip += 1
                if reader.readline().strip():
                    break
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "input contained no data": the careful reader says it in words
            values = np.loadtxt(
                stream(), delimiter=separator, usecols=(xi, yi), skiprows=skip, comments=None, ndmin=2, dtype=np.float64, encoding=None
            )
    except (ValueError, UnicodeDecodeError, OverflowError, IndexError):
        return None  # numpy's parser takes ASCII numbers only (it refuses "٣", "１"), like the careful reader
    if len(values) < 2 or not np.isfinite(values).all():
        return None
    return np.ascontiguousarray(values[:, 0]), np.ascontiguousarray(values[:, 1])


def _head(stream) -> list[str]:
    """The first non-blank lines, without their line ends."""
    lines: list[str] = []
    while len(lines) < SAMPLE_LINES:
        line = stream.readline(MAX_LINE + 2)
        if not line:
            break
        if line.strip():
            lines.append(line.rstrip("\n"))
    return lines


def _index(spec: str, header: list[str] | None, width: int) -> int | None:
    spec = spec.strip()
    if spec.isascii() and spec.isdigit():
        index = int(spec) - 1
        return index if 0 <= index < width else None
    if header is None:
        return None
    names = [name.strip() for name in header]
    return names.index(spec) if spec in names else None
