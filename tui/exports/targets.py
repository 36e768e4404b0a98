"""Which names an export may write: a regular file or a new name, never a device, a FIFO, a socket, or an open descriptor.

An export is renamed over its target (tui.exports.atomic). Renamed over /dev/null, a FIFO or a socket, it
replaces the node itself (as root, /dev/null became a regular file for the whole machine). A name like
/dev/stdout or /dev/fd/3 is a descriptor of this process: renaming over where it points would unlink the file
the shell opened, so the output goes nowhere anyone reads. Those are refused with one line that says what the
name is; an export writes files, and `--export-history` to a pipe is not what this tool offers.
"""

from __future__ import annotations

import os
import stat

_DESCRIPTOR_FOLDERS = ("/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/")
_STANDARD = ("/dev/stdin", "/dev/stdout", "/dev/stderr")
_KINDS = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def _names_a_descriptor(path: str) -> bool:
    """/dev/stdout, /dev/fd/N, /proc/self/fd/N, /proc/PID/fd/N: an open file of a process, not a name in a folder."""
    path = os.path.normpath(os.path.abspath(path))
    if path in _STANDARD or any(path.startswith(folder) for folder in _DESCRIPTOR_FOLDERS):
        return True
    parts = path.split("/")
    return len(parts) >= 5 and parts[1] == "proc" and parts[3] == "fd"


def _link_chain(path: str, limit: int = 40):
    """`path` and each name its symlinks lead to, one link at a time (a loop ends after `limit`)."""
    yield path
    for _ in range(limit):
        try:
            target = os.readlink(path)
        except OSError:
            return  # not a link (or gone): the chain ends here
        path = os.path.join(os.path.dirname(path), target)
        yield path


def refusal(path: str | os.PathLike) -> str | None:
    """Why an export must not be written at `path` ("it is a socket, …"), or None when it may be (a regular file, or nothing yet)."""
    path = os.fspath(path)
    for name in _link_chain(path):
        if _names_a_descriptor(name):
            return f"it names an open descriptor ({name}), not a file: give a file's name"
    try:
        mode = os.stat(path).st_mode  # follows links: what would be replaced
    except OSError:
        return None  # nothing there yet (or a loop of links): the write itself says what is wrong
    for kind, words in _KINDS:
        if kind(mode):
            return f"it is {words}, not a regular file (an export replaces only regular files): give a file's name"
    return None
