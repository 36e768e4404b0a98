"""Writes that are all or nothing: a temporary file beside the target, fsynced, then renamed over it.

A failed write (a full disk, an interrupted run) removes its temporary file and leaves whatever
was at the target before, so an export is never half a file and never destroys an older one.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

# Read once: os.umask can only be read by setting it, which is not thread-safe later on.
_UMASK = os.umask(0)
os.umask(_UMASK)


class ExportError(OSError):
    """A file can't be written: one line naming it and why (`str(error)`), with the errno when there is one."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.errno = code


def describe(path: Path, error: OSError) -> str:
    """One line on why `path` can't be written."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exhausted",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.EISDIR: "it is a folder",
        errno.ENOENT: f"the folder {str(path.parent)!r} does not exist",
        errno.ENOTDIR: f"{str(path.parent)!r} is not a folder",
    }
    reason = reasons.get(error.errno, error.strerror or str(error))
    return f"can't write {str(path)!r}: {reason}"


def _check_target(path: Path) -> None:
    try:
        if path.is_dir():
            raise ExportError(describe(path, IsADirectoryError(errno.EISDIR, "")), errno.EISDIR)
        if not path.parent.is_dir():
            code = errno.ENOTDIR if path.parent.exists() else errno.ENOENT
            raise ExportError(describe(path, OSError(code, "")), code)
    except ExportError:
        raise
    except OSError as error:  # is_dir() passes on a name too long, a loop of links, a permission error
        raise ExportError(describe(path, error), error.errno) from None


@contextmanager
def atomic_writer(path: str | os.PathLike, binary: bool = False) -> Iterator[IO]:
    """A file to write `path` through; it replaces `path` only when the block ends without an error."""
    target = Path(path)
    _check_target(target)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    except OSError as error:
        raise ExportError(describe(target, error), error.errno) from None
    try:
        # mkstemp makes the file private (0600); give it the mode any new file would get.
        os.chmod(temporary, 0o666 & ~_UMASK)
        mode = "wb" if binary else "w"
        with os.fdopen(handle, mode, **({} if binary else {"encoding": "utf-8", "newline": ""})) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError) and not isinstance(error, ExportError):
            raise ExportError(describe(target, error), error.errno) from None
        raise


def write_atomic(path: str | os.PathLike, content: str | bytes) -> None:
    """Write all of `content` to `path`, or leave `path` as it was."""
    with atomic_writer(path, binary=isinstance(content, bytes)) as stream:
        stream.write(content)
