"""A user's CSV of x,y: header optional; comma, semicolon or tab; columns by name or 1-based position."""

from __future__ import annotations

import csv
import math
import os

import numpy as np

from engine.dataset import Dataset
from engine.errors import DataError

# A bound on every read, so a huge or endless file (a FIFO, /dev/zero) can't hang the app.
MAX_BYTES = 2 * 1024**3
MAX_LINE = 1024 * 1024
SEPARATORS = (",", ";", "\t")


def _read_text(path: str) -> str:
    if not os.path.exists(path):
        raise DataError(f"{path}: no such file")
    if os.path.isdir(path):
        raise DataError(f"{path}: is a folder, not a CSV file")
    if not os.path.isfile(path):
        raise DataError(f"{path}: not a regular file")
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        raise DataError(f"{path}: {size:,} bytes is more than the {MAX_BYTES:,} a CSV may have")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise DataError(f"{path}: can't be read ({error.strerror or error})") from None
    if b"\x00" in raw:
        raise DataError(f"{path}: not a text file (it holds NUL bytes)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 text (bad byte at offset {error.start})") from None


def _separator(lines: list[str]) -> str:
    sample = [line for line in lines if line.strip()][:20]
    counts = {sep: sum(line.count(sep) for line in sample) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _number(text: str) -> float | None:
    """A cell's number, or None when it is not one. Only ASCII digits count: '١٢' is not a number here."""
    cell = text.strip().strip('"').strip("'").strip()
    if not cell or not cell.isascii():
        return None
    try:
        return float(cell)
    except ValueError:
        return None


def _column_index(path: str, spec: str, header: list[str] | None, width: int, role: str) -> int:
    spec = spec.strip()
    if spec.isascii() and spec.isdigit():  # "²".isdigit() is True, but int() refuses it
        index = int(spec) - 1
        if not 0 <= index < width:
            raise DataError(f"{path}: has {width} column(s); {role} column {spec} does not exist (positions start at 1)")
        return index
    if header is None:
        raise DataError(f"{path}: has no header row, so {role} column {spec!r} can't be found by name")
    names = [name.strip().strip('"').strip() for name in header]
    if spec not in names:
        raise DataError(f"{path}: no column named {spec!r} for {role} (columns: {', '.join(names)})")
    return names.index(spec)


def read_csv(path: str, x_column: str = "1", y_column: str = "2") -> Dataset:
    """Read x and y from a CSV file; raise DataError naming the file (and line) on any problem."""
    text = _read_text(path)
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE:
            raise DataError(f"{path}: line {number} is longer than {MAX_LINE:,} characters")
    separator = _separator(lines)
    try:
        rows = [(number, row) for number, row in enumerate(csv.reader(lines, delimiter=separator), start=1) if any(c.strip() for c in row)]
    except csv.Error as error:
        # a cell past the csv module's field limit (128 KiB): no number is that long
        raise DataError(f"{path}: not a CSV of numbers ({error})") from None
    if not rows:
        raise DataError(f"{path}: is empty (it needs at least 2 rows of x,y)")
    header = None
    first = rows[0][1]
    if all(_number(cell) is None for cell in first):
        header = first
        rows = rows[1:]
    width = max((len(row) for _, row in rows), default=len(first))
    xi = _column_index(path, x_column, header, max(width, len(first)), "x")
    yi = _column_index(path, y_column, header, max(width, len(first)), "y")
    xs, ys = [], []
    for number, row in rows:
        if max(xi, yi) >= len(row):
            raise DataError(f"{path}: line {number} has {len(row)} column(s), too few for x and y")
        x, y = _number(row[xi]), _number(row[yi])
        for value, cell, column in ((x, row[xi], xi + 1), (y, row[yi], yi + 1)):
            if value is None:
                raise DataError(f"{path}: line {number}: {cell.strip()[:40]!r} is not a number (column {column})")
            if not math.isfinite(value):
                raise DataError(f"{path}: line {number}: {cell.strip()[:40]!r} is not finite (column {column})")
        xs.append(x)
        ys.append(y)
    if len(xs) < 2:
        raise DataError(f"{path}: has {len(xs)} usable row(s); at least 2 are needed")
    x_values, y_values = np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64)
    # float32 (the descent's dtype) overflows past ~3e38; squares of residuals far earlier.
    if max(np.abs(x_values).max(), np.abs(y_values).max()) > 1e15:
        raise DataError(f"{path}: values beyond ±1e15 can't be fitted in float32")
    names = [cell.strip().strip('"').strip() for cell in header or []]  # the axes carry the file's own names
    x_name, y_name = (names[i] if i < len(names) and names[i] else role for i, role in ((xi, "x"), (yi, "y")))
    return Dataset(x=x_values, y=y_values, source=path, x_name=x_name, y_name=y_name)
