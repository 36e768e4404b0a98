"""What the main screen writes to disk: ctrl+s the settings, `e` an export folder, `s` an SVG screenshot.

`Exporter` is a collaborator of MainScreen: the keys live on the screen, which hands it what to write;
it uses only the screen's Textual side (notify, workers, the app). Every write is atomic (tui.exports.atomic):
a failed save leaves the file that was there before.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from textual.binding import Binding
from textual.screen import Screen

# What the keys write (tui.exports: delivery, atomic, folder; the path dialog) is imported when a key is pressed:
# none of it is needed for the first screen, which waits for every import before it.

DEFAULT_SETTINGS_FILE = "./descent.toml"

WORKFLOW_BINDINGS = [
    Binding("ctrl+s", "save_settings", "Save settings", tooltip="save the settings to a TOML file (asks where)", id="save", show=False),
    Binding("e", "export", "Export folder", tooltip="export settings, script and history into a folder (asks which)", id="exp", show=False),
    Binding("s", "screenshot", "Screenshot (SVG)", tooltip="save an SVG screenshot of the screen", id="screenshot", show=False),
]


def default_export_folder() -> str:
    """A new folder's name: two exports in one second must not write into the same folder."""
    from tui.exports.atomic import unused_name

    return unused_name(time.strftime("./descent-export-%Y%m%d-%H%M%S"))


def prepare_folder(folder: Path) -> str | None:
    """Make the export folder now, so a path that can't be one is said beside the input; None when it is fine."""
    if folder.exists() and not folder.is_dir():
        return f"{str(folder)!r} is a file, not a folder"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return f"can't make the folder {str(folder)!r}: {error.strerror or error}"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"can't write in {str(folder)!r}: permission denied"
    return None


class Exporter:
    """ctrl+s, e and s of the main screen: asks where, writes, and says what it wrote."""

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        """Where the dialogs open, the toasts show and the export's worker runs."""
        self.last_saved: str | None = None
        self.last_export: Path | None = None
        self.running: Path | None = None
        """The folder an export is being written into, while it is (tui.screens.export_on_quit)."""
        self.outcome: str | None = None
        """How the last export ended: "written", or why it was not."""
        self.finished = threading.Event()

    def save_settings(self, settings) -> None:
        """Ask for a TOML file and save these settings to it (in a browser: a download, never a file on the server)."""
        from tui.exports import delivery
        from tui.exports.atomic import ExportError
        from tui.exports.folder import export_settings
        from tui.screens.path_screen import PathScreen

        if delivery.served():
            return delivery.deliver_settings(self.screen, settings)

        def save(path: Path) -> str | None:
            try:
                export_settings(path, settings)
            except ExportError as error:
                return str(error)
            return None

        def saved(path: Path | None) -> None:
            if path is not None:
                self.last_saved = str(path)
                self.screen.notify(f"settings saved to {path}", title="Saved")

        self.screen.app.push_screen(PathScreen("Save the settings to (TOML):", self.last_saved or DEFAULT_SETTINGS_FILE, save), saved)

    def export(self, settings, steps_done: int, dataset=None) -> None:
        """Ask for a folder and write settings, script and the history of `steps_done` steps into it, in a thread.

        `dataset`: the run's points, so a CSV that was a stream (a FIFO) is not waited for a second time."""
        from tui.exports import delivery
        from tui.screens.path_screen import PathScreen

        screen = self.screen
        if any(worker.group == "export" and not worker.is_finished for worker in screen.workers):
            screen.notify("an export is still being written", title="Export")
            return
        if delivery.served():
            return delivery.deliver_export(screen, settings, steps_done)

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self.last_export = self.running = folder
                self.outcome = None
                self.finished.clear()
                screen.notify(f"exporting to {folder}/ (the history's {steps_done:,} steps are made again)", title="Export")
                work = lambda: self._export(folder, settings, steps_done, dataset)  # noqa: E731
                screen.run_worker(work, thread=True, group="export", exit_on_error=False)

        ask = PathScreen("Export settings, script and history into the folder:", default_export_folder(), prepare_folder)
        screen.app.push_screen(ask, chosen)

    def _export(self, folder: Path, settings, steps_done: int, dataset=None) -> None:
        """In a thread: the descent runs again from the start, which can take a while for a long run."""
        from tui.exports.atomic import ExportError
        from tui.exports.folder import export_folder

        screen = self.screen
        from textual.worker import get_current_worker

        worker = get_current_worker()  # quitting cancels it: the export then stops within a few steps
        try:
            paths = export_folder(folder, settings, lambda: worker.is_cancelled, history_steps=steps_done, dataset=dataset)
        except Exception as error:  # noqa: BLE001 (any failure is told in words, never as a traceback)
            message = str(error) if isinstance(error, (ExportError, ValueError)) else f"{type(error).__name__}: {error}"
            self._ended(message)
            if not worker.is_cancelled:  # quitting: the command says it on stderr (the app is closing)
                screen.app.call_from_thread(screen.notify, message, title="Export failed", severity="error")
            return
        self._ended("written")
        names = ", ".join(path.name for path in paths)
        if not worker.is_cancelled:
            screen.app.call_from_thread(screen.notify, f"wrote {names} in {folder}/", title="Exported")

    def _ended(self, outcome: str) -> None:
        self.outcome, self.running = outcome, None
        self.finished.set()

    def screenshot(self) -> None:
        """An SVG of the screen, beside the last export when there is one (in a browser: a download)."""
        from tui.exports import delivery
        from tui.exports.atomic import ExportError, write_new

        if delivery.served():
            return delivery.deliver_screenshot(self.screen)
        folder = self.last_export if self.last_export is not None and self.last_export.is_dir() else Path(".")
        try:  # two shots in one second: keep both (-2, -3…), never one over the other
            path = write_new(folder, time.strftime("descent-%Y%m%d-%H%M%S"), ".svg", self.screen.app.export_screenshot())
        except ExportError as error:
            self.screen.notify(str(error), title="No screenshot", severity="error")
            return
        self.screen.notify(f"screenshot saved to {path}", title="Screenshot")
