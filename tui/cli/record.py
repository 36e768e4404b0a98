"""`descent --record FILE.cast` (also `descent tour`, `--race`): the app run with its output recorded (tui/exports/cast.py).

The file is opened before the screen opens, so a name that can't be recorded to is one line and exit 2, like
any bad option. After the app ends, a recording that stopped early (a full disk) is said in one line.
"""

from __future__ import annotations

import os
import shlex
import sys

from tui.cli.options import fail
from tui.exports.atomic import ExportError


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def title_of(argv: list[str]) -> str:
    """The header's title: the command as typed, `descent tour --autoplay 20 --record demo.cast`."""
    return shlex.join(["descent", *argv])


def run_recorded(app, path: str, overwrite: bool, title: str, inputs: tuple[str | None, ...] = ()) -> int:
    """Run `app`, recording to `path`; the app's exit status."""
    from tui.exports.cast import CastFile, CastWriter
    from tui.exports.cast_driver import record_app, terminal_size

    for taken in inputs:  # --data, --config: --overwrite must not record over the files the run reads
        if taken and _same(path, taken):
            fail(f"--record: {path!r} is a file this run reads; recording over it would lose it: choose another name")
    try:
        cast = CastFile(path, overwrite=overwrite)
    except ExportError as error:
        fail(f"--record: {error}")
    writer = CastWriter(cast.stream, *terminal_size(), title=title)
    recording = record_app(app, writer)
    try:
        app.run()
    finally:
        try:
            cast.close()
        except ExportError as error:
            sys.stderr.write(f"descent: --record: {error}\n")
    if writer.error is not None:
        reason = writer.error.strerror or str(writer.error)
        sys.stderr.write(f"descent: --record: the recording in {path!r} stopped early: {reason}; it plays up to there\n")
    elif not recording.attached:
        sys.stderr.write(f"descent: --record: this terminal's Textual driver can't be recorded; {path!r} holds only its header\n")
    return app.return_code or 0
