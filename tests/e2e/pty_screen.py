"""A tiny terminal for end-to-end tests: the real `descent` in a pseudo-terminal, its screen read by pyte."""

from __future__ import annotations

import os
import select
import sys
import time

import ptyprocess
import pyte

from tests.helpers import ROOT, WAIT_S


class PtyScreen:
    """`descent ARGS` at COLUMNS×LINES; `wait_for` text on screen, `press` keys, `close` for the exit status."""

    def __init__(self, *args: str, size: tuple[int, int] = (80, 24)) -> None:
        columns, lines = size
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(lines)}
        command = [sys.executable, "-m", "tui.cli", *args]
        self.process = ptyprocess.PtyProcess.spawn(command, env=env, cwd=str(ROOT), dimensions=(lines, columns))

    def _read(self) -> None:
        """Everything the app has written so far, fed to the screen."""
        while True:
            ready, _, _ = select.select([self.process.fd], [], [], 0.05)
            if not ready:
                return
            try:
                self.stream.feed(self.process.read(65536))
            except EOFError:
                return

    def text(self) -> str:
        self._read()
        return "\n".join(self.screen.display)

    def wait_for(self, words: str, timeout: float = 4 * WAIT_S) -> str:
        """The screen once `words` is on it; AssertionError (with the screen) after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.text()
            if words in text:
                return text
            time.sleep(0.05)
        raise AssertionError(f"{words!r} never showed; the screen:\n{self.text()}")

    def press(self, keys: str) -> None:
        self.process.write(keys.encode())

    def close(self, timeout: float = WAIT_S) -> int | None:
        """The exit status once it ended (killed after `timeout`)."""
        deadline = time.monotonic() + timeout
        while self.process.isalive() and time.monotonic() < deadline:
            self._read()
            time.sleep(0.05)
        if self.process.isalive():
            self.process.terminate(force=True)
        return self.process.exitstatus
