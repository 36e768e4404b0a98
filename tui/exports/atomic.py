"""Writes that are all or nothing: a temporary file beside the target, fsynced, then renamed over it.

A failed write (a full disk, an interrupted run) removes its temporary file and leaves whatever
was at the target before, so an export is never half a file and never destroys an older one.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from tui.exports.partials import SUFFIX, partial_prefix, sweep_stale
from tui.exports.targets import refusal

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


def refuse_special(path: str | os.PathLike) -> None:
    """ExportError when `path` is a device, a FIFO, a socket or a descriptor (tui.exports.targets): never renamed over."""
    why = refusal(path)
    if why is not None:
        raise ExportError(f"can't write {os.fspath(path)!r}: {why}", errno.EINVAL)


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


def _followed(path: Path) -> Path:
    """A symlink's target, so that the file it points to is replaced and the link stays a link."""
    try:
        return Path(os.path.realpath(path)) if path.is_symlink() else path
    except OSError:
        return path  # a loop of links: the checks below say so


def _keep_mode(temporary: str, target: Path) -> None:
    """The new file gets the old one's mode (and owner when allowed); else the mode any new file gets."""
    try:
        old = os.stat(target)
    except OSError:
        # mkstemp makes the file private (0600); give it the mode any new file would get.
        os.chmod(temporary, 0o666 & ~_UMASK)
        return
    os.chmod(temporary, stat.S_IMODE(old.st_mode))
    if (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
        try:
            os.chown(temporary, old.st_uid, old.st_gid)
        except OSError:
            pass  # only root gives a file away; a group we are not in is refused too: the mode still holds


def _link_new(temporary: str, target: Path) -> None:
    """Put `temporary` at `target` only if nothing is there: a hard link is atomic and never replaces a file."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise ExportError(f"can't write {str(target)!r}: it exists", errno.EEXIST) from None
    except OSError:
        # no hard links here (some FUSE or FAT mounts): look, then rename; a tiny window, not a silent overwrite of an old file
        if os.path.lexists(target):
            raise ExportError(f"can't write {str(target)!r}: it exists", errno.EEXIST) from None
        os.replace(temporary, target)
        return
    os.unlink(temporary)


@contextmanager
def atomic_writer(path: str | os.PathLike, binary: bool = False, keep_existing: bool = False) -> Iterator[IO]:
    """A file to write `path` through; it replaces `path` only when the block ends without an error.

    An existing file keeps its mode; a symlink is followed (its target is replaced); partials a killed
    writer left for the same name are swept. `keep_existing`: never replace a file, FileExistsError
    (an ExportError with errno EEXIST) if one appeared, so a caller can pick another name.
    """
    refuse_special(path)
    target = _followed(Path(path))
    _check_target(target)
    sweep_stale(target)
    try:
        handle, temporary = tempfile.mkstemp(prefix=partial_prefix(target.name), suffix=SUFFIX, dir=target.parent)
    except OSError as error:
        raise ExportError(describe(target, error), error.errno) from None
    try:
        _keep_mode(temporary, target)
        mode = "wb" if binary else "w"
        # backslashreplace: a screenshot showing a file name that is not UTF-8 (a surrogate) is still written, the byte
        # as `\udcff`; TOML, which must round-trip, refuses such a name before it gets here (engine/settings/config_file.py).
        text_mode = {"encoding": "utf-8", "errors": "backslashreplace", "newline": ""}
        with os.fdopen(handle, mode, **({} if binary else text_mode)) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if keep_existing:
            _link_new(temporary, target)
        else:
            refuse_special(target)  # again: a FIFO or a socket may have been made there while the export was written
            os.replace(temporary, target)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError) and not isinstance(error, ExportError):
            raise ExportError(describe(target, error), error.errno) from None
        raise


def write_atomic(path: str | os.PathLike, content: str | bytes, keep_existing: bool = False) -> None:
    """Write all of `content` to `path`, or leave `path` as it was."""
    with atomic_writer(path, binary=isinstance(content, bytes), keep_existing=keep_existing) as stream:
        stream.write(content)


def unused_name(path: str) -> str:
    """`path`, or `path-2`, `path-3`… : the first that names nothing yet."""
    candidate, n = path, 1
    while os.path.lexists(candidate):
        n += 1
        candidate = f"{path}-{n}"
    return candidate


def write_new(folder: Path, stem: str, suffix: str, content: str | bytes) -> Path:
    """Write `content` to `folder/stem.suffix`, or `stem-2.suffix`, … : a name taken is never written over."""
    for n in range(1, 10_000):
        path = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
        if path.exists() or path.is_symlink():
            continue
        try:
            write_atomic(path, content, keep_existing=True)
        except ExportError as error:
            if error.errno == errno.EEXIST:
                continue  # taken between the look and the write: the next name
            raise
        return path
    raise ExportError(f"can't write in {str(folder)!r}: every name {stem}-N{suffix} is taken", errno.EEXIST)
