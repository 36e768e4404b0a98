"""Quitting while `e` writes an export: it is never dropped in silence.

The history of a long run takes a while to make again (tui.exports.folder). The first q while it is being
written says so and quits nothing; a second q (or ctrl+c) quits, which stops the export, and the
command then says on stderr what became of it and exits EXIT_EXPORT_STOPPED (ctrl+c keeps its 130).
"""

from __future__ import annotations

import sys

EXIT_EXPORT_STOPPED = 1
"""The app's exit status when q stopped an export before its history was written."""
FINISH_WAIT_S = 30.0
"""How long the command waits, after the app has closed, for the stopped export to say how it ended (it stops
within a thousand steps of being cancelled)."""


def running_export(app):
    """The main screen's Exporter while an export is being written, else None (the main screen lies under any dialog)."""
    screen = app.screen_stack[0] if app.screen_stack else None
    exporter = getattr(screen, "exporter", None)
    return exporter if exporter is not None and exporter.running is not None else None


def may_quit(app) -> bool:
    """True when q may quit now; the first q during an export says what a second one would lose, and quits nothing."""
    exporter = running_export(app)
    if exporter is None or getattr(app, "quit_warned", False):
        return True
    app.quit_warned = True
    app.notify(f"still writing the export into {exporter.running}/: q again quits without its history", title="Export")
    return False


def report_on_exit(app, code: int) -> int:
    """After the app has closed: one line on stderr for an export stopped by quitting, and the exit status."""
    exporter = getattr(app, "export_at_quit", None)
    if exporter is None:
        return code
    exporter.finished.wait(FINISH_WAIT_S)
    folder, outcome = exporter.last_export, exporter.outcome
    if outcome == "written":
        sys.stderr.write(f"descent: the export to {folder}/ was finished before quitting\n")
        return code
    sys.stderr.write(f"descent: quit during the export to {folder}/: {outcome or 'it did not finish'}\n")
    return code or EXIT_EXPORT_STOPPED
