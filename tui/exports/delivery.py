"""A served app's ctrl+s, `e` and `s`: the files go to the participant's browser as downloads, never onto the server.

Under `descent serve` (tui.served) the keys ask for no path: Textual's `deliver_text` / `deliver_binary`
stream the file through textual-serve to the browser, which saves it wherever its user says. `e`'s three
files travel as one zip, because browsers hold back a page that starts several downloads at once.
The `screen` arguments are the main screen (its `app`, `notify` and `run_worker`); no Textual at import.
"""

from __future__ import annotations

import io
import tempfile
import time
import zipfile
from pathlib import Path

from engine.settings.config_file import config_text
from engine.settings.run_settings import Settings
from tui.exports.atomic import ExportError
from tui.exports.folder import export_folder
from tui.served import served

__all__ = ["deliver_export", "deliver_screenshot", "deliver_settings", "export_zip", "served"]

SETTINGS_NAME = "descent.toml"


def deliver_settings(screen, settings: Settings) -> None:
    """ctrl+s: the settings as TOML, a download named descent.toml."""
    screen.app.deliver_text(io.StringIO(config_text(settings)), save_filename=SETTINGS_NAME, mime_type="application/toml")
    screen.notify(f"{SETTINGS_NAME} is on its way to your browser's downloads", title="Saved")


def deliver_screenshot(screen) -> None:
    """`s`: the screen as SVG, a download."""
    name = time.strftime("descent-%Y%m%d-%H%M%S.svg")
    screen.app.deliver_text(io.StringIO(screen.app.export_screenshot()), save_filename=name, mime_type="image/svg+xml")
    screen.notify(f"{name} is on its way to your browser's downloads", title="Screenshot")


def export_zip(settings: Settings, cancelled=lambda: False, history_steps: int | None = None) -> tuple[str, io.BufferedRandom]:
    """(the zip's name, an unnamed temporary file holding it) with `e`'s settings, script and history.

    The files are made in a private temporary folder (removed on return) by the same code as a local `e`;
    the zip is an unnamed temporary file, gone once the delivery closes it.
    """
    stem = time.strftime("descent-export-%Y%m%d-%H%M%S")
    archive = tempfile.TemporaryFile()
    try:
        with tempfile.TemporaryDirectory(prefix="descent-export-") as folder:
            paths = export_folder(folder, settings, cancelled, history_steps=history_steps)
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
                for path in paths:
                    bundle.write(path, f"{stem}/{Path(path).name}")
    except BaseException:
        archive.close()
        raise
    archive.seek(0)
    return f"{stem}.zip", archive


def deliver_export(screen, settings: Settings, steps_done: int) -> None:
    """`e`: the export folder as a zip download; made in a thread, as a long run's history takes a while."""

    def work() -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        app = screen.app
        try:
            name, archive = export_zip(settings, lambda: worker.is_cancelled, steps_done)
        except Exception as error:  # noqa: BLE001 (any failure is told in words, never as a traceback)
            message = str(error) if isinstance(error, (ExportError, ValueError)) else f"{type(error).__name__}: {error}"
            app.call_from_thread(screen.notify, message, title="Export failed", severity="error")
            return
        app.call_from_thread(app.deliver_binary, archive, save_filename=name, mime_type="application/zip")
        app.call_from_thread(screen.notify, f"{name} is on its way to your browser's downloads", title="Exported")

    screen.notify(f"exporting (the history's {steps_done:,} steps are made again)", title="Export")
    screen.run_worker(work, thread=True, group="export", exit_on_error=False)
