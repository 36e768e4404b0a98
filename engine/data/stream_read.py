"""Where a CSV's bytes come from: a regular file, sized first, or a stream: standard input (`-`), a pipe
(`<(cat f.csv)`, /dev/stdin), a FIFO, a terminal.

A stream has no size to check first, so it is read as it comes and checked while it is read: the bytes against
MAX_BYTES, the rows against free memory (`guard`, engine.data.memory_guard.stream_guard), a line against
MAX_LINE, NUL bytes at once (/dev/zero is refused after its first piece, not after 2 GB).

A FIFO is opened without blocking (a blocking open waits, silently, for a writer that may never come);
until its first byte arrives the reader waits, and after NOTICE_S it says so once through `waiting`
("waiting for a writer on FIFO NAME…"). It waits as long as it takes, since the writer may be a person
starting a command in another terminal, but never without a word, and it stops within POLL_S of
`cancelled()` turning true (the app quitting, another file typed).
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from engine.data.csv_text import MAX_BYTES, MAX_LINE, encoding_of, shown
from engine.settings.errors import DataError

CHUNK = 1 << 20
"""Bytes read at a time; the guards look after each piece."""
POLL_S = 0.1
"""The longest a read waits before looking at `cancelled` again."""
NOTICE_S = 0.5
"""How long a stream may stay silent before `waiting` is told."""
LINE_BYTES = 4
"""Bytes a character may take (UTF-32): a line longer than MAX_LINE characters is past MAX_LINE · LINE_BYTES bytes."""


@dataclass(frozen=True)
class ReadWatch:
    """What a stream's reader reports to and asks, all optional."""

    guard: Callable[[int, int], None] | None = None
    """Called with (bytes, rows) read so far; raises to refuse (the memory guard)."""
    cancelled: Callable[[], bool] | None = None
    """True once the caller no longer wants the data: the read stops with a DataError."""
    waiting: Callable[[str], None] | None = None
    """Told, once, that the stream has been silent for NOTICE_S, and what it waits for."""


def read_bytes(path: str, watch=None) -> bytes:
    """The file's bytes, at most MAX_BYTES; DataError naming it otherwise.

    Standard input (`-`), a pipe, a FIFO or a terminal is read as a stream (read_stream), checked
    while it is read and told through `watch` (a ReadWatch); a regular file is sized first, then read.
    """
    kind = stream_kind(path)  # looks without opening: opening a FIFO would wait for a writer
    if kind is not None:
        return read_stream(path, kind, watch)
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        raise DataError(f"{shown(path)}: {size:,} bytes is more than the {MAX_BYTES:,} a CSV may have")
    try:
        with open(path, "rb") as handle:
            return handle.read(size + 1)  # its size, known: read(MAX_BYTES + 1) would set aside 2 GB first
    except OSError as error:
        raise DataError(f"{shown(path)}: can't be read ({error.strerror or error})") from None


def descriptor_of(path: str) -> int | None:
    """The descriptor a name stands for in this process (`-`, /dev/stdin, /dev/fd/N, /proc/self/fd/N), or None."""
    if path in ("-", "/dev/stdin"):
        return 0
    for folder in ("/dev/fd/", "/proc/self/fd/"):
        if path.startswith(folder) and path[len(folder):].isdigit():
            return int(path[len(folder):])
    return None


def stream_kind(path: str) -> str | None:
    """How a stream is read ("descriptor", "fifo", "device"), or None for a regular file; DataError for what can't be read."""
    if path == "-":
        return "descriptor"
    try:
        mode = os.stat(path).st_mode  # never opens it: opening a FIFO would wait for a writer
    except FileNotFoundError:
        raise DataError(f"{shown(path)}: no such file (`-` reads the points from standard input)") from None
    except OSError as error:
        raise DataError(f"{shown(path)}: can't be read ({error.strerror or error})") from None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        raise DataError(f"{shown(path)}: is a folder, not a CSV file")
    if stat.S_ISSOCK(mode):
        raise DataError(f"{shown(path)}: is a socket, not a CSV file")
    if stat.S_ISBLK(mode):
        raise DataError(f"{shown(path)}: is a block device, not a CSV file")
    if descriptor_of(path) is not None:
        return "descriptor"  # the pipe this process was handed: its own end, so the writer's end-of-file is seen
    return "fifo" if stat.S_ISFIFO(mode) else "device"


def read_stream(path: str, kind: str, watch: ReadWatch | None = None) -> bytes:
    """All a stream's bytes, checked as they come (see the module); DataError naming it on any problem."""
    watch = watch or ReadWatch()
    name = shown(path)
    stdin = _stdin_object() if path == "-" else None
    handle = None if stdin is not None else _open(path, kind)
    pieces = iter(lambda: stdin.read(CHUNK), b"") if stdin is not None else _pieces(handle, kind, name, path, watch)
    raw = bytearray()
    line_end = 0  # where the last line break is in raw
    rows = 0
    try:
        for piece in pieces:
            start = len(raw)
            raw += piece
            if len(raw) > MAX_BYTES:
                raise DataError(f"{name}: more than the {MAX_BYTES:,} bytes a CSV may have")
            if b"\x00" in piece and encoding_of(bytes(raw[:4]))[0].startswith("utf-8"):
                raise DataError(f"{name}: not a text file (it holds NUL bytes)")
            breaks = max(piece.rfind(b"\n"), piece.rfind(b"\r"))
            line_end = start + breaks if breaks >= 0 else line_end
            if len(raw) - line_end > MAX_LINE * LINE_BYTES + LINE_BYTES:
                line = rows + max(piece.count(b"\n"), piece.count(b"\r")) + 1
                raise DataError(f"{name}: line {line:,} is longer than {MAX_LINE:,} characters")
            rows += max(piece.count(b"\n"), piece.count(b"\r"))  # \r\n counts once: the larger of the two counts
            if watch.guard is not None:
                watch.guard(len(raw), rows)
    finally:
        if handle is not None:
            os.close(handle)
    return bytes(raw)


def _stdin_object():
    """sys.stdin's bytes when they are not descriptor 0's (replaced in-process, as tests do), else None: the descriptor is read."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return None
    try:
        return None if buffer.fileno() == 0 else buffer
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is an OSError
        return buffer


def _open(path: str, kind: str) -> int:
    try:
        if kind == "descriptor":
            return os.dup(descriptor_of(path))
        flags = os.O_RDONLY | (os.O_NONBLOCK if kind == "fifo" else 0)  # a FIFO's open must not wait for its writer
        return os.open(path, flags)
    except OSError as error:
        raise DataError(f"{shown(path)}: can't be read ({error.strerror or error})") from None


def _pieces(handle: int, kind: str, name: str, path: str, watch: ReadWatch):
    """The stream's pieces until its end; waits in steps of POLL_S, telling `waiting` once, stopping when cancelled."""
    try:
        import select

        poller = select.poll()
    except (ImportError, AttributeError):  # no poll (Windows): plain blocking reads, no notice
        while piece := os.read(handle, CHUNK):
            yield piece
        return
    poller.register(handle, select.POLLIN | select.POLLHUP)
    started, told, seen = time.monotonic(), False, False
    while True:
        events = poller.poll(POLL_S * 1000)
        hung_up = any(flags & select.POLLHUP for _, flags in events)
        piece = None
        if events or kind == "fifo":
            try:
                piece = os.read(handle, CHUNK)
            except BlockingIOError:  # a FIFO's writer is there but has written nothing yet
                piece = None
            except OSError as error:
                raise DataError(f"{name}: can't be read ({error.strerror or error})") from None
        if piece:
            seen = True
            yield piece
            continue
        # b"" is the end, except from a FIFO no writer has opened yet (it reads b"" too, but never hangs up)
        if piece == b"" and (kind != "fifo" or seen or hung_up):
            return
        if watch.cancelled is not None and watch.cancelled():
            raise DataError(f"{name}: reading stopped before the stream ended")
        if not told and not seen and watch.waiting is not None and time.monotonic() - started >= NOTICE_S:
            told = True
            watch.waiting(_waiting_words(kind, name, path))
        if events and not piece:
            time.sleep(POLL_S / 10)  # an event with nothing to read: don't spin


def _waiting_words(kind: str, name: str, path: str) -> str:
    if kind == "fifo":
        return f"waiting for a writer on FIFO {path}…"
    if path == "-" and sys.stdin is not None and sys.stdin.isatty():
        return "reading the points from the terminal: type x,y lines, then ctrl+d"
    return f"waiting for data on {name}…"
