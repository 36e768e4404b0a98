"""`--export-history FILE.csv`: one row per step, streamed while the run goes, renamed into place at its end.

Columns: step, loss, each named parameter (in the data's units), its gradient (`grad_NAME`, for θ as
fitted), and test_loss with a holdout. Numbers are written with `repr`, so they read back exactly.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from engine.descent.snapshot import Snapshot
from tui.exports.atomic import atomic_writer


def history_columns(names: tuple[str, ...], has_test_loss: bool) -> list[str]:
    return ["step", "loss", *names, *(f"grad_{name}" for name in names), *(["test_loss"] if has_test_loss else [])]


def history_row(snapshot: Snapshot) -> list:
    row = [snapshot.step, repr(snapshot.loss)]
    row += [repr(value) for value in snapshot.params.values()]
    row += [repr(value) for value in snapshot.grads.values()]
    if snapshot.test_loss is not None:
        row.append(repr(snapshot.test_loss))
    return row


@contextmanager
def history_recorder(path: str | os.PathLike | None, problem) -> Iterator[Callable[[Snapshot], None]]:
    """A function to call with each snapshot; the file appears, whole, when the block ends without an error.

    With no path it records nothing. The target is checked on entry, so a bad path fails before the run.
    """
    if path is None:
        yield lambda snapshot: None
        return
    with atomic_writer(path) as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(history_columns(tuple(problem.model.names), len(problem.test) > 0))
        yield lambda snapshot: writer.writerow(history_row(snapshot))
