"""The hidden files an export is written through, `.NAME.PID.XXXXXXXX.partial`, and sweeping those a killed run left.

A run ended by SIGKILL (or a power cut) can't remove its partial file, and `--export-history` grows
one by ~10 MB/s. The writer's pid is in the name, so the next export to the same target removes the
partials whose writer is gone. Only names of exactly this pattern, for exactly that target name,
written by a process that no longer exists on this machine, are removed: never another file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

SUFFIX = ".partial"
_RANDOM = r"[a-z0-9_]{8}"  # tempfile.mkstemp's random part


def partial_prefix(name: str) -> str:
    """mkstemp's prefix for a partial of the file `name`, written by this process."""
    return f".{name}.{os.getpid()}."


def _pattern(name: str) -> re.Pattern:
    return re.compile(rf"\.{re.escape(name)}\.([0-9]{{1,10}})\.{_RANDOM}{re.escape(SUFFIX)}")


def writer_alive(pid: int) -> bool:
    """Whether a process `pid` exists here (one of another user counts: it can't be signalled, but it is there)."""
    if pid <= 0:
        return True  # 0 and negatives name process groups, never a writer: keep the file
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def sweep_stale(target: Path) -> list[Path]:
    """Remove the partials of `target` left by writers that are gone; the paths removed."""
    pattern = _pattern(target.name)
    removed = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed  # an unreadable folder: the write itself will say what is wrong
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None or int(match.group(1)) == os.getpid() or writer_alive(int(match.group(1))):
            continue
        try:
            if entry.is_file(follow_symlinks=False):  # a link or a folder of that name is not ours
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # gone already, or not ours to remove: leave it
    return removed
