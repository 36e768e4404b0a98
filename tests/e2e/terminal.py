"""The `descent` a person types, in a real pseudo-terminal, read back through a VT emulator.

    with Terminal("--data", str(csv)) as term:   # spawns `descent --data …` at 80×24
        term.wait_for("points")                    # until the screen shows the text (bounded: pytest.fail)
        term.press("space")                        # keys by name (KEYS) or as typed characters
        term.wait_until(lambda: "running" in term.text(), "the run to start")
        assert term.wait_exit() == 0

The command is the installed console script beside the running Python (`pip install .` puts it there; in a
development venv with PYTHONPATH set it imports the checkout), else `python -m tui.cli`. What the app writes
is fed to pyte, which keeps the screen a terminal would show: `text()` is its rows, `cell(x, y)` one cell with
its colours. Every wait is bounded by `timeout` and fails the test with the screen as it was, never hangs;
nothing asserts how long anything took.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import ptyprocess
import pyte
import pytest

COLUMNS, ROWS = 80, 24
WAIT_S = 90.0
"""The longest any wait lasts before the test fails: the first screen waits for Python and Textual, a run
for torch's import (seconds on a loaded 2-core CI machine). A bound, not a measurement."""
KEYS = {
    "space": b" ",
    "enter": b"\r",
    "tab": b"\t",
    "escape": b"\x1b",
    "backspace": b"\x7f",
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "pageup": b"\x1b[5~",
    "pagedown": b"\x1b[6~",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "ctrl+c": b"\x03",
}
"""Named keys as a terminal (xterm) sends them; anything else is sent as the characters typed."""


def descent_command() -> list[str]:
    """The `descent` console script next to this Python (what `pip install .` made), else `python -m tui.cli`."""
    script = Path(sys.executable).parent / ("descent.exe" if os.name == "nt" else "descent")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "tui.cli"]


class Terminal:
    """One `descent` process in a pseudo-terminal of `columns`×`rows`, and the screen it draws."""

    def __init__(self, *args: str, columns: int = COLUMNS, rows: int = ROWS, env: dict | None = None, cwd=None) -> None:
        environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TEXTUAL", "FORCE_COLOR")}
        environment.update({"TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8"})
        environment.update(env or {})
        self.screen = pyte.Screen(columns, rows)
        self._stream = pyte.ByteStream(self.screen)
        self._lock = threading.Lock()
        self.output = bytearray()
        """Everything the process wrote, raw (for a failure's message)."""
        self.process = ptyprocess.PtyProcess.spawn([*descent_command(), *args], dimensions=(rows, columns), env=environment, cwd=cwd)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = self.process.read(65536)
            except EOFError:
                return
            with self._lock:
                self.output += data
                self._stream.feed(data)

    # ── what is on screen ────────────────────────────────────────────────────
    def text(self) -> str:
        """The screen's rows, joined by newlines."""
        with self._lock:
            return "\n".join(self.screen.display)

    def lines(self) -> list[str]:
        with self._lock:
            return list(self.screen.display)

    def cell(self, x: int, y: int):
        """pyte's Char at column x, row y: `.data` (the glyph), `.fg`, `.bg`, `.bold`…"""
        with self._lock:
            return self.screen.buffer[y][x]

    # ── waiting ──────────────────────────────────────────────────────────────
    def wait_until(self, condition: Callable[[], object], what: str, timeout: float = WAIT_S):
        """Poll `condition()` until it is truthy (returned); after `timeout` seconds fail, showing the screen."""
        deadline = time.monotonic() + timeout
        while True:
            result = condition()
            if result:
                return result
            if time.monotonic() > deadline:
                pytest.fail(f"waited {timeout:.0f} s for {what}; the screen:\n{self.text()}", pytrace=False)
            if not self.process.isalive() and not self._reader.is_alive():
                result = condition()
                if result:
                    return result
                pytest.fail(f"descent exited ({self.process.exitstatus}) before {what}; the screen:\n{self.text()}", pytrace=False)
            time.sleep(0.05)

    def wait_for(self, text: str, timeout: float = WAIT_S) -> None:
        """Until `text` is somewhere on screen."""
        self.wait_until(lambda: text in self.text(), repr(text), timeout)

    def wait_exit(self, timeout: float = WAIT_S) -> int:
        """Until the process ends; its exit status (128 + N for a signal N)."""
        self.wait_until(lambda: not self.process.isalive(), "descent to exit", timeout)
        self._reader.join(timeout)
        process = self.process
        process.wait()
        return process.exitstatus if process.exitstatus is not None else 128 + process.signalstatus

    # ── keys and size ────────────────────────────────────────────────────────
    def press(self, *keys: str) -> None:
        """Each key by name (KEYS: "space", "right", "escape"…) or as its characters ("q", "0.001")."""
        for key in keys:
            self.process.write(KEYS.get(key, key.encode()))

    def click(self, x: int, y: int) -> None:
        """A left click at column x, row y (0-based), as an xterm reports it (SGR mouse mode, which Textual asks for)."""
        self.process.write(f"\x1b[<0;{x + 1};{y + 1}M\x1b[<0;{x + 1};{y + 1}m".encode())

    def click_text(self, text: str, after: int = 0) -> None:
        """A click `after` columns past where `text` first shows on screen (fails when it isn't there)."""
        where = self.wait_until(lambda: next(((line.find(text), y) for y, line in enumerate(self.lines()) if text in line), None), text)
        self.click(where[0] + after, where[1])

    def resize(self, columns: int, rows: int) -> None:
        """The window changes size: the screen first (so the redraw lands in it), then the pty (SIGWINCH)."""
        with self._lock:
            self.screen.resize(rows, columns)
        self.process.setwinsize(rows, columns)

    def close(self) -> None:
        """Ends the process if it still runs (SIGHUP, then SIGKILL), as closing a terminal window would."""
        if self.process.isalive():
            self.process.terminate(force=True)
        self._reader.join(5)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# ── reading plots off the screen ─────────────────────────────────────────────
class Box:
    """A plot's frame as drawn by plotext: ┌ at (left, top), ┘ at (right, bottom); the canvas is inside."""

    def __init__(self, lines: list[str], top: int, bottom: int, left: int, right: int) -> None:
        self.top, self.bottom, self.left, self.right = top, bottom, left, right
        self.canvas = [line[left + 1 : right] for line in lines[top + 1 : bottom]]
        """The rows inside the frame, top first."""
        self.title = lines[top - 1][max(0, left - 6) : right + 1].strip() if top > 0 else ""
        """The row above the frame, over it (plotext's title)."""
        self.y_labels = [line[:left].rstrip("│┤ ").strip() for line in lines[top + 1 : bottom]]
        """Each canvas row's y tick label ('' where none)."""

    @property
    def rows(self) -> int:
        return len(self.canvas)


def boxes(lines: list[str]) -> list[Box]:
    """Every plot frame on screen, top to bottom, left to right."""
    found = []
    for top, line in enumerate(lines):
        start = 0
        while (left := line.find("┌", start)) >= 0:
            right = line.find("┐", left)
            start = left + 1
            if right < 0:
                continue
            for bottom in range(top + 1, len(lines)):
                if lines[bottom][left : left + 1] == "└":
                    found.append(Box(lines, top, bottom, left, right))
                    break
    return found


def box_titled(lines: list[str], word: str) -> Box | None:
    """The plot whose title (the row above its frame) contains `word`."""
    return next((box for box in boxes(lines) if word in box.title), None)


def beside_panel(line: str) -> str:
    """The part of a row right of the parameter panel's edge (▕), or the whole row when the panel is hidden."""
    return line.rsplit("▕", 1)[-1]


def plot_text(lines: list[str], box: Box) -> str:
    """A plot as drawn: its title, frame, ticks and axis names (the panel left out)."""
    return "\n".join(beside_panel(line) for line in lines[max(box.top - 1, 0) : box.bottom + 3])
