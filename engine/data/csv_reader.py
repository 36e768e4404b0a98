"""A user's CSV of x,y: header optional; comma, semicolon or tab; columns by name or 1-based position.

Read top to bottom: `read_csv` is the entry; it reads the bytes (engine/data/csv_text.py), tries numpy's fast
path (engine/data/csv_fast.py), else the careful reader below, then names the axes from the header.
"""

from __future__ import annotations

import csv
import math
from array import array
from itertools import chain

import numpy as np

from engine.data.csv_text import MAX_LINE, SAMPLE_LINES, decode, encoding_of, number_of, separator_of, shown, split_lines
from engine.data.dataset import Dataset
from engine.data.stream_read import read_bytes
from engine.settings.errors import DataError
from engine.settings.run_settings import FLOAT32_TINY


def read_csv(path: str, x_column: str = "1", y_column: str = "2", watch=None) -> Dataset:
    """Read x and y from a CSV file (`-`: standard input); raise DataError naming the file (and line) on any problem.

    A well-formed file takes numpy's C reader (engine.data.csv_fast); anything else, or anything it refuses, the
    careful reader below, whose messages name the line and the cell. `watch`: what a stream's reader reports
    to and asks (engine.data.stream_read.ReadWatch).
    """
    from engine.data.csv_fast import fast_columns

    raw = read_bytes(path, watch)
    columns = fast_columns(raw, x_column, y_column)
    if columns is None:
        columns = _careful_columns(path, decode(path, raw), x_column, y_column)
    head = raw[:65536].decode(encoding_of(raw)[0], errors="replace")  # the header's part, for the axes' names
    del raw
    x_values, y_values = columns
    # float32 (the descent's dtype) overflows past ~3e38; squares of residuals far earlier.
    if max(np.abs(x_values).max(), np.abs(y_values).max()) > 1e15:
        raise DataError(f"{shown(path)}: values beyond ±1e15 can't be fitted in float32")
    span = float(x_values.max() - x_values.min())
    if 0 < span < FLOAT32_TINY:  # 0: one x for all, the singular case the analysis names; between, the slope overflows
        raise DataError(f"{shown(path)}: its x values span {span:g}, less than float32's smallest normal number {FLOAT32_TINY:.3g}")
    x_name, y_name = _axis_names(head, x_column, y_column)
    return Dataset(x=x_values, y=y_values, source=path, x_name=x_name, y_name=y_name)


def _careful_columns(path: str, text: str, x_column: str, y_column: str) -> tuple[np.ndarray, np.ndarray]:
    """x and y, line by line: slow, but every problem is told with its line and cell."""
    name = shown(path)
    sample = []
    for number, line in enumerate(split_lines(text), start=1):
        if len(line) > MAX_LINE:
            raise DataError(f"{name}: line {number} is longer than {MAX_LINE:,} characters")
        if line.strip():
            sample.append(line)
        if len(sample) >= SAMPLE_LINES:
            break
    separator = separator_of(sample)
    numbered = ((number, row) for number, row in enumerate(csv.reader(_checked_lines(name, text), delimiter=separator), start=1))
    rows = ((number, row) for number, row in numbered if any(c.strip() for c in row))
    try:
        first_number, first = next(rows)
    except StopIteration:
        raise DataError(f"{name}: is empty (it needs at least 2 rows of x,y)") from None
    except csv.Error as error:
        raise DataError(f"{name}: not a CSV of numbers ({error})") from None
    header = first if all(number_of(cell) is None for cell in first) else None
    pending = [] if header is not None else [(first_number, first)]
    xi = yi = None
    xs, ys = array("d"), array("d")  # 8 bytes a value, not a Python float's 24 and a list's 8
    try:
        for number, row in chain(pending, rows):
            if xi is None:
                width = max(len(row), len(first))
                xi = _column_index(name, x_column, header, width, "x")
                yi = _column_index(name, y_column, header, width, "y")
            if max(xi, yi) >= len(row):
                raise DataError(f"{name}: line {number} has {len(row)} column(s), too few for x and y")
            x, y = number_of(row[xi]), number_of(row[yi])
            for value, cell, column in ((x, row[xi], xi + 1), (y, row[yi], yi + 1)):
                if value is None:
                    raise DataError(f"{name}: line {number}: {cell.strip()[:40]!r} is not a number (column {column})")
                if not math.isfinite(value):
                    raise DataError(f"{name}: line {number}: {cell.strip()[:40]!r} is not finite (column {column})")
            xs.append(x)
            ys.append(y)
    except csv.Error as error:
        # a cell past the csv module's field limit (128 KiB): no number is that long
        raise DataError(f"{name}: not a CSV of numbers ({error})") from None
    if xi is None:
        _column_index(name, x_column, header, len(first), "x")
        _column_index(name, y_column, header, len(first), "y")
    if len(xs) < 2:
        raise DataError(f"{name}: has {len(xs)} usable row(s); at least 2 are needed")
    return np.frombuffer(xs, dtype=np.float64).copy(), np.frombuffer(ys, dtype=np.float64).copy()


def _checked_lines(name: str, text: str):
    for number, line in enumerate(split_lines(text), start=1):
        if len(line) > MAX_LINE:
            raise DataError(f"{name}: line {number} is longer than {MAX_LINE:,} characters")
        yield line


def _axis_names(head: str, x_column: str, y_column: str) -> tuple[str, str]:
    """The header's names of the x and y columns (the axes carry the file's own names), or "x" and "y"."""
    lines = [line for line in split_lines(head) if line.strip()][:SAMPLE_LINES]
    if not lines:
        return "x", "y"
    first = next(csv.reader([lines[0]], delimiter=separator_of(lines)), [])
    if not first or any(number_of(cell) is not None for cell in first):
        return "x", "y"  # no header: the columns have no names
    names = [cell.strip().strip('"').strip() for cell in first]
    picked = []
    for spec, role in ((x_column, "x"), (y_column, "y")):
        try:
            index = _column_index("", spec, first, len(first), role)
        except DataError:
            index = len(names)
        picked.append(names[index] if index < len(names) and names[index] else role)
    return picked[0], picked[1]


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
