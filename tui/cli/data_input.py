"""`--data` on the command line: a stream (`-`, `<(cat f.csv)`, /dev/stdin, a FIFO) is read here, saying so on stderr
while it is silent; a bad file is one line naming `--data`, exit 2.

A stream can be read only once, so the CLI reads it before anything else needs it and hands the points on;
a regular file is left to the run, which checks its size against free memory before reading it.
"""

from __future__ import annotations

import sys

from tui.cli.options import fail


def is_stream(path: str | None) -> bool:
    """Whether `--data` names a stream rather than a regular file (a name that can't be looked at is left to the reader)."""
    if path is None:
        return False
    from engine.data.stream_read import stream_kind
    from engine.settings.errors import DataError

    try:
        return stream_kind(path) is not None
    except DataError:
        return False


def _say(words: str) -> None:
    hint = " (ctrl+c stops)" if words.startswith("waiting") else ""
    sys.stderr.write(f"descent: {words}{hint}\n")
    sys.stderr.flush()


def data_or_fail(settings, streams_only: bool = False):
    """The points `--data` names (None without it; with `streams_only`, None for a regular file too); exit 2 naming it on a problem."""
    if settings.data is None or (streams_only and not is_stream(settings.data)):
        return None
    from engine.data.synthetic import load_dataset
    from engine.settings.errors import DataError, SettingError
    from engine.settings.run_settings import option_name

    try:
        return load_dataset(settings, waiting=_say)
    except SettingError as error:
        fail(f"{option_name(error.setting)}: {error.message}")
    except DataError as error:
        fail(str(error))
