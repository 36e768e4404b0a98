"""The fence around an app served to browsers (`descent serve`): which files it may read, and what its messages may say.

`descent serve` starts one app per browser and marks it through the environment (tui.cli.serve_guard sets
these variables): a participant then reads only files inside the host's `--data-dir` (none without one), and
no message quotes a file's content. A served app also hands its exports to the browser instead of writing
on the server (tui.exports.delivery). No Textual here: the CLI and the exports import it too.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

SERVED_ENV = "DESCENT_SERVED"
"""Set to 1 in the environment of every app `descent serve` starts."""
DATA_DIR_ENV = "DESCENT_DATA_DIR"
"""The host's --data-dir, resolved (empty: none); the served app also runs in that folder."""

_QUOTED = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\"""")
_COLUMNS = re.compile(r"\s*\(columns: .*\)")


@dataclass(frozen=True)
class Fence:
    """What a served app may read: files inside `data_dir`, or none when the host named no folder."""

    data_dir: Path | None

    def data_refusal(self, path: str | None) -> str | None:
        """Why a served app may not read `path` (as typed), or None when it may."""
        if path is None:
            return None
        if self.data_dir is None:
            return "this served app reads no files (the host gave no --data-dir): use a built-in dataset"
        try:
            # resolve() follows every symlink and `..`, so what is checked is the file that would be opened
            resolved = Path(path).resolve()
        except (OSError, ValueError, RuntimeError):
            return "not a path this served app can read"
        if resolved != self.data_dir and resolved.is_relative_to(self.data_dir):
            return None
        return "this served app reads only files inside the host's data folder (give a name relative to it)"


def fence() -> Fence | None:
    """The fence of a served app, or None for an app in the user's own terminal."""
    if os.environ.get(SERVED_ENV) != "1":
        return None
    folder = os.environ.get(DATA_DIR_ENV, "")
    return Fence(Path(folder).resolve() if folder else None)


def served() -> bool:
    return fence() is not None


def public_message(message: str, path: str | None = None, keep: tuple[str, ...] = ()) -> str:
    """`message` without any text a file holds: quoted cells become "the cell", a header's column list goes.

    `path`: the file as typed, which the message starts with and which stays as it is; `keep`: other
    strings the participant typed (the column names asked for), which may stay quoted.
    A data error reads `FILE: line N: 'CELL' is not a number (column C)`; served, the cell is not shown.
    """
    head = path if path and message.startswith(path) else ""
    rest = _COLUMNS.sub("", message[len(head):])
    kept = {repr(text) for text in keep}
    return head + _QUOTED.sub(lambda match: match.group(0) if match.group(0) in kept else "the cell", rest)


def check_readable(path: str | None) -> None:
    """Raise DataError when a served app may not read `path`; nothing for an app in the user's own terminal."""
    from engine.settings.errors import DataError

    walls = fence()
    why = walls.data_refusal(path) if walls is not None else None
    if why is not None:
        raise DataError(why)


def data_error_text(error: Exception, settings) -> str:
    """A data error as the app shows it: served, without any text the file holds."""
    if not served():
        return str(error)
    return public_message(str(error), settings.data, (settings.x_column, settings.y_column))
