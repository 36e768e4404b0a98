"""Predict and rewind through the real `descent` in a pseudo-terminal at 80×24, read back with pyte (issue 22)."""

from __future__ import annotations

import os
import sys
import time

import pytest

from tests.helpers import ROOT

ptyprocess = pytest.importorskip("ptyprocess")
pyte = pytest.importorskip("pyte")


class Terminal:
    """The app in a pty, its screen kept by pyte."""

    def __init__(self, *args: str) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT), TERM="xterm-256color", COLUMNS="80", LINES="24")
        self.process = ptyprocess.PtyProcess.spawn([sys.executable, "-m", "tui.cli", *args], cwd=str(ROOT), env=env, dimensions=(24, 80))
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, words: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.isalive() and self.process.fd is not None:
                try:
                    import select

                    ready, _, _ = select.select([self.process.fd], [], [], 0.1)
                    if ready:
                        self.stream.feed(self.process.read(65536))
                except EOFError:
                    break
            flat = self.text().replace("\n", " ")
            if words in flat or words in " ".join(" ".join(flat.split()).split()):
                return self.text()
        raise AssertionError(f"{words!r} never showed; the screen:\n{self.text()}")

    def press(self, keys: str) -> None:
        self.process.write(keys.encode())

    def close(self) -> None:
        if self.process.isalive():
            self.process.write(b"q")
            deadline = time.monotonic() + 10
            while self.process.isalive() and time.monotonic() < deadline:
                time.sleep(0.1)
            if self.process.isalive():
                self.process.terminate(force=True)


@pytest.mark.slow
def test_a_person_predicts_then_rewinds_in_a_real_terminal():
    terminal = Terminal("--steps", "200", "--lr", "2.9e-4", "--device", "cpu")
    try:
        terminal.wait_for("ready", 90)
        terminal.wait_for("P Guess")  # the footer names the key
        terminal.press("P")
        terminal.wait_for("3 diverges?")
        terminal.press("2")  # zig-zags: right for lr = 1.94/λmax
        terminal.wait_for("how much of the error")
        terminal.press("\x1b")  # Escape skips the second question
        terminal.wait_for("right, it zig-zagged", 90)
        terminal.press("[")
        shown = terminal.wait_for("rewound")
        assert "step 199 / 200 · rewound" in shown
    finally:
        terminal.close()
    assert not terminal.process.isalive()
