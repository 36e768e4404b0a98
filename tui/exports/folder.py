"""What the CLI and the app's `e` key export: the settings, the reproducing script and the history.

Every file is written atomically (tui.exports.atomic): an export that fails leaves no half file behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from engine.settings.config_file import config_text
from engine.settings.errors import SettingError
from engine.settings.run_settings import Settings
from tui.exports.atomic import ExportError, write_atomic
from tui.exports.script import ScriptUnsupported, script_text

SETTINGS_FILE, SCRIPT_FILE, HISTORY_FILE = "settings.toml", "descent_run.py", "history.csv"


def export_settings(path: str | os.PathLike, settings: Settings) -> None:
    """The settings as TOML (the app's ctrl+s); ExportError when the file can't be written, or TOML can't hold a setting."""
    try:
        text = config_text(settings)
    except SettingError as error:  # a --data name that is not UTF-8: said, never a crash
        raise ExportError(f"can't save the settings: {error.setting}: {error.message}") from None
    write_atomic(path, text)


def export_script(path: str | os.PathLike, settings: Settings, dataset=None) -> None:
    """The reproducing script; ExportError naming `--export-script` when it can't be made or written."""
    try:
        text = script_text(settings, dataset)
    except ScriptUnsupported as error:
        raise ExportError(f"--export-script: {error}") from None
    write_atomic(path, text)


CANCEL_CHECK_EVERY = 1024
"""Steps between looks at `cancelled` while the history is made again: often enough to stop at once."""


def export_folder(
    folder: str | os.PathLike,
    settings: Settings,
    cancelled: Callable[[], bool] = lambda: False,
    history_steps: int | None = None,
    dataset=None,
) -> list[Path]:
    """The app's `e`: settings, script and history of a run, in `folder` (made if missing); the paths written.

    The history comes from running the descent again: it is deterministic, so the rows are the
    run's own, and the app needn't keep every snapshot of a long run in memory. A long run can be
    `cancelled` (the app quitting): then ExportError, and no half-written history is left.
    `history_steps`: the history stops there (the app passes the steps taken so far: a run is
    deterministic, so its first k steps are those of the same settings with k steps). `dataset`: the run's
    points when they are had already (a stream, a FIFO, can't be read a second time).
    """
    from engine.descent.descend import descend
    from engine.descent.problem import make_problem
    from tui.exports.history import history_recorder

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"can't make the folder {str(folder)!r}: {error.strerror or error}", error.errno) from None
    problem = make_problem(settings, dataset)
    paths = [folder / SETTINGS_FILE, folder / SCRIPT_FILE, folder / HISTORY_FILE]
    export_settings(paths[0], settings)
    export_script(paths[1], settings, problem.dataset)
    if history_steps is not None and history_steps < settings.steps:
        problem = make_problem(settings.with_changes(steps=history_steps), problem.dataset)
    with history_recorder(paths[2], problem) as record:
        for snapshot in descend(problem):
            record(snapshot)
            if snapshot.step % CANCEL_CHECK_EVERY == 0 and cancelled():
                raise ExportError(f"the export to {str(folder)!r} was cancelled at step {snapshot.step:,}; its history was not written")
    return paths
