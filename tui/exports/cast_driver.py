"""How the app's terminal output reaches a recording: a subclass of the app's own driver whose `write` also records.

Public Textual API only: `App(driver_class=...)` / the `driver_class` attribute it sets (which driver a
non-headless app builds) and `Driver.write(data)`, the one method every driver writes the screen through.
Nothing private is patched, so no probe is needed; `attached` says whether Textual built the recording
driver at all (a headless or inline app builds its own), and the caller says so when it did not.
"""

from __future__ import annotations

import shutil

from tui.exports.cast import CastWriter


class Recording:
    """A CastWriter hooked to one app: `attached` once Textual built the recording driver."""

    def __init__(self, writer: CastWriter) -> None:
        self.writer = writer
        self.attached = False


def terminal_size() -> tuple[int, int]:
    """The terminal's size as Textual's Linux driver reads it (shutil: $COLUMNS/$LINES, else the terminal)."""
    width, height = shutil.get_terminal_size()
    return width or 80, height or 25


def record_app(app, writer: CastWriter, size=terminal_size) -> Recording:
    """Make `app` (not yet running) write its output to `writer` too: every write an "o" event, a new size an "r"."""
    recording = Recording(writer)
    base = app.driver_class

    class RecordingDriver(base):
        """The platform's driver, recording what it writes."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            recording.attached = True

        def write(self, data: str) -> None:
            super().write(data)
            writer.output(data, size())

    RecordingDriver.__name__ = RecordingDriver.__qualname__ = f"Recording{base.__name__}"
    app.driver_class = RecordingDriver
    return recording
