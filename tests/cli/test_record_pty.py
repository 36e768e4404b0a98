"""`--record` on the real command in a pseudo-terminal: the file played back into a VT emulator (pyte) ends on the
screen the terminal itself ended on, for the app, the tour and a race, through a resize, and after a SIGKILL."""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import time

import pytest

from tests.helpers import ROOT, WAIT_S

pyte = pytest.importorskip("pyte", reason="pyte plays the recording back: pip install '.[test]'")
ptyprocess = pytest.importorskip("ptyprocess", reason="ptyprocess runs descent in a terminal: pip install '.[test]'")
pytestmark = pytest.mark.slow


class Terminal:
    """descent in a pty, its output fed to a pyte screen as it comes: what a person's terminal would show."""

    def __init__(self, args: list[str], cwd, size=(80, 24)) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color"}
        env.pop("CUDA_VISIBLE_DEVICES", None)
        self.process = ptyprocess.PtyProcess.spawn([sys.executable, "-m", "tui.cli", *args], dimensions=size[::-1], env=env, cwd=str(cwd))
        self.screen = pyte.Screen(*size)
        self.stream = pyte.ByteStream(self.screen)

    def pump(self, seconds: float = 0.1) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.process.fd], [], [], 0.05)
            if ready:
                try:
                    self.stream.feed(self.process.read(1 << 16))
                except EOFError:
                    return

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, words: str) -> None:
        deadline = time.monotonic() + 3 * WAIT_S  # torch's first import in a fresh interpreter on a loaded machine
        while words not in self.text():
            if time.monotonic() > deadline or not self.process.isalive():
                raise AssertionError(f"{words!r} never showed; the screen:\n{self.text()}")
            self.pump()

    def resize(self, columns: int, rows: int) -> None:
        self.pump(0.3)
        self.process.setwinsize(rows, columns)
        self.screen.resize(rows, columns)

    def finish(self) -> int:
        deadline = time.monotonic() + WAIT_S
        while self.process.isalive() and time.monotonic() < deadline:
            self.pump()
        self.pump(0.2)
        self.process.wait()
        return self.process.exitstatus


def played(path) -> tuple[dict, list, pyte.Screen]:
    """The recording's header, its events, and the screen it leaves when played into a terminal of the header's size."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header, events = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    screen = pyte.Screen(header["width"], header["height"])
    stream = pyte.Stream(screen)
    for _, kind, data in events:
        if kind == "o":
            stream.feed(data)
        elif kind == "r":
            columns, rows = map(int, data.split("x"))
            screen.resize(rows, columns)
    return header, events, screen


@pytest.mark.parametrize(
    ("args", "shown", "keys"),
    [
        (["--steps", "40"], "step 40 / 40", " "),
        (["tour"], "stop 1/9", "\x1b[6~"),  # Page Down: stop 2
        (["--race", "manual@1e-4,adam@0.05", "--steps", "30"], "wins", " "),
    ],
    ids=["app", "tour", "race"],
)
def test_the_recording_plays_back_to_the_screen_the_terminal_showed(tmp_path, args, shown, keys):
    started = int(time.time())  # the header's timestamp is the session's start: no later than it ended, no earlier than this
    terminal = Terminal([*args, "--record", "demo.cast"], tmp_path)
    terminal.wait_for("stop 1/9" if args[0] == "tour" else "Quit")
    terminal.process.write(keys.encode())
    if args[0] != "tour":
        terminal.wait_for(shown)
    else:
        terminal.wait_for("stop 2/9")
    terminal.resize(100, 30)
    terminal.pump(1.5)
    before_quit = terminal.text()
    terminal.process.write(b"q")
    assert terminal.finish() == 0
    header, events, screen = played(tmp_path / "demo.cast")
    assert header["version"] == 2 and (header["width"], header["height"]) == (80, 24)
    assert header["title"] == "descent " + " ".join([*args, "--record", "demo.cast"])
    assert started <= header["timestamp"] <= time.time()
    assert ["r", "100x30"] in [event[1:] for event in events]
    times = [event[0] for event in events]
    assert times == sorted(times) and all(event[1] in "or" for event in events)
    assert (screen.columns, screen.lines) == (100, 30)
    assert screen.display == terminal.screen.display
    # the app's last frame (leaving, Textual only switches modes: pyte shows the `u` of an unknown `ESC [ < u`)
    assert screen.display[1:] == before_quit.split("\n")[1:]
    assert (shown if args[0] != "tour" else "stop 2/9") in "\n".join(screen.display)


@pytest.mark.parametrize("stop", ["ctrl+c", "SIGKILL"])
def test_an_interrupted_or_killed_session_leaves_a_file_that_plays(tmp_path, stop):
    terminal = Terminal(["--record", "demo.cast"], tmp_path)
    terminal.wait_for("Quit")
    terminal.pump(0.5)
    if stop == "ctrl+c":
        terminal.process.write(b"\x03")
        assert terminal.finish() == 130
    else:
        terminal.process.kill(signal.SIGKILL)
        terminal.finish()
    header, events, screen = played(tmp_path / "demo.cast")  # every line parses
    assert header["version"] == 2 and events
    assert "Quit" in "\n".join(screen.display)
    assert screen.display[1:] == terminal.screen.display[1:]  # (row 0: pyte's `u` of Textual's exit sequence)
