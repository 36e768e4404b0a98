"""`descent run`'s exports never land on one of its own files: the data it reads, its config, each other."""

from __future__ import annotations

import argparse
import os

from tui.cli.options import fail
from tui.exports.targets import refusal


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them doesn't exist yet: the names, resolved, decide
        return os.path.realpath(a) == os.path.realpath(b)


def refuse_clobbering(args: argparse.Namespace, data: str | None) -> None:
    """Exit 2 with one line naming the option when an export would replace a device, FIFO, socket or descriptor, the
    --data file, the --config file, or the other export."""
    wanted = (("--export-history", getattr(args, "export_history", None)), ("--export-script", getattr(args, "export_script", None)))
    outputs = [(flag, path) for flag, path in wanted if path]
    inputs = [("--data", data), ("--config", getattr(args, "config", None))]
    for flag, path in outputs:
        why = refusal(path)  # a device, FIFO, socket or descriptor: never renamed over (tui/exports/targets.py)
        if why is not None:
            fail(f"{flag}: can't write {path!r}: {why}")
    for index, (flag, path) in enumerate(outputs):
        for other, taken in [*((name, p) for name, p in inputs if p), *outputs[index + 1 :]]:
            if _same(path, taken):
                fail(f"{flag}: {path!r} is the {other} file too; writing it would lose that file: choose another name")
