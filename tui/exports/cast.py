"""`--record FILE.cast`: a session's terminal output as asciicast v2, asciinema's format, written as it goes.

The file is a JSON header line (`version` 2, `width`, `height`, `timestamp`, `title`), then one line per
event: `[seconds since the start, "o", text written]`, or `[seconds, "r", "WxH"]` when the terminal is resized.
Every line is flushed as it is written, so a crash, ctrl+c or a kill leaves a file that plays up to that moment.

The file rules are the exports' (tui/exports/atomic.py, partials.py), adapted to a file that grows for minutes:
- a new name is created exclusively (O_EXCL): a file, folder or link that is there is never written over;
- `overwrite` (`--overwrite`) records into a `.NAME.PID.XXXXXXXX.partial` beside it (swept like an export's
  if the writer is killed) and renames it over the old file only when the recording ends: until then the
  old recording is whole;
- never into a device, a FIFO or a socket (a terminal's /dev/pts, a pipe that nobody reads): refused up front.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import IO

from tui.exports.atomic import ExportError, _check_target, _followed, _keep_mode, describe
from tui.exports.partials import SUFFIX, partial_prefix, sweep_stale

TEXT_MODE = {"encoding": "utf-8", "errors": "backslashreplace", "newline": "\n"}


class CastWriter:
    """Writes asciicast v2 to an open text stream, one flushed line per event."""

    def __init__(self, stream: IO[str], width: int, height: int, title: str, clock=time.monotonic, timestamp: int | None = None) -> None:
        self.stream, self.clock = stream, clock
        self.size = (width, height)
        self.started = clock()
        self.error: OSError | None = None
        """The write that failed (a full disk): recording stopped there; the app goes on."""
        self.events = 0
        header = {"version": 2, "width": width, "height": height, "timestamp": int(time.time() if timestamp is None else timestamp)}
        header["title"] = title
        header["env"] = {"TERM": os.environ.get("TERM", "xterm-256color")}
        self._line(json.dumps(header, ensure_ascii=False))

    def output(self, text: str, size: tuple[int, int] | None = None) -> None:
        """An "o" event for `text`; a resize ("r") first when the terminal's `size` changed since the last event."""
        if size is not None and size != self.size:
            self.size = size
            self._event("r", f"{size[0]}x{size[1]}")
        if text:
            self._event("o", text)

    def _event(self, kind: str, data: str) -> None:
        seconds = round(max(0.0, self.clock() - self.started), 6)
        self._line(json.dumps([seconds, kind, data], ensure_ascii=False))
        self.events += 1

    def _line(self, line: str) -> None:
        if self.error is not None:
            return
        try:
            self.stream.write(line + "\n")
            self.stream.flush()
        except OSError as error:
            self.error = error


class CastFile:
    """Where a recording goes: opened (or refused with ExportError) before the app starts; `close()` puts it in place."""

    def __init__(self, path: str | os.PathLike, overwrite: bool = False) -> None:
        self.path = Path(path)
        self.overwrite = overwrite
        self._temporary: str | None = None
        self.target = _followed(self.path) if overwrite else self.path
        _refuse_special(self.target)
        _check_target(self.target)
        if not overwrite:
            if os.path.lexists(self.path):
                raise ExportError(f"can't write {str(self.path)!r}: it exists; --overwrite replaces it", errno.EEXIST)
            try:
                handle = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
            except FileExistsError:
                raise ExportError(f"can't write {str(self.path)!r}: it exists; --overwrite replaces it", errno.EEXIST) from None
            except OSError as error:
                raise ExportError(describe(self.path, error), error.errno) from None
        else:
            sweep_stale(self.target)
            try:
                handle, self._temporary = tempfile.mkstemp(prefix=partial_prefix(self.target.name), suffix=SUFFIX, dir=self.target.parent)
            except OSError as error:
                raise ExportError(describe(self.target, error), error.errno) from None
            _keep_mode(self._temporary, self.target)
        self.stream = os.fdopen(handle, "w", **TEXT_MODE)

    def close(self) -> None:
        """Flush, sync and close; with `overwrite`, the recording then replaces the old file. ExportError if that fails."""
        try:
            self.stream.flush()
            os.fsync(self.stream.fileno())
        except (OSError, ValueError):
            pass  # a full disk was said when it happened; what was written is kept
        finally:
            self.stream.close()
        if self._temporary is not None:
            try:
                os.replace(self._temporary, self.target)
            except OSError as error:
                raise ExportError(f"{describe(self.target, error)}; the recording is in {self._temporary!r}", error.errno) from None


def _refuse_special(path: Path) -> None:
    """A device, FIFO or socket at `path` (or where its link points) is refused, whatever --overwrite says."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # nothing there (or a dangling link): the exclusive create decides
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise ExportError(f"can't write {str(path)!r}: it is not a regular file (a device, a FIFO or a socket)", errno.EINVAL)
