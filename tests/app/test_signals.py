"""SIGTERM, SIGHUP and ctrl+c end the app in a real terminal (tmux) and give the terminal back: main screen, echo on."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid

import pytest

from engine.settings.run_settings import Settings
from tests.helpers import ROOT, wait_until
from tui.app import make_app

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux for a real terminal")


class Terminal:
    """The app in a tmux pane; after it exits the pane's shell prints its status and the terminal's modes."""

    def __init__(self) -> None:
        self.name = f"descent-signals-{uuid.uuid4().hex[:8]}"

    def __enter__(self) -> Terminal:
        app = shlex.join([sys.executable, "-m", "tui.cli", "--steps", "100000000"])
        script = f'{app}; echo "exit=$?"; stty -a | tr " " "\\n" | grep -x -e echo -e -echo -e icanon -e -icanon; sleep 60'
        command = shlex.join(["env", f"PYTHONPATH={ROOT}", "bash", "-c", script])
        self._tmux("new-session", "-d", "-s", self.name, "-x", "100", "-y", "30", "-c", str(ROOT), command)
        return self

    def __exit__(self, *exc) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.name).stdout

    def alternate_screen_on(self) -> bool:
        return self._tmux("display-message", "-p", "-t", self.name, "#{alternate_on}").stdout.strip() == "1"

    def app_pid(self) -> int:
        shell = self._tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").stdout.strip()
        children = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()
        return int(children[0])

    def wait_for(self, text: str, timeout: float = 30, then=lambda rest: True, poll: float = 0.1) -> str:
        """The screen once `text` shows and what follows it satisfies `then` (a line may be printed after its neighbour)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen and then(screen.split(text, 1)[1]):
                return screen
            time.sleep(poll)
        raise AssertionError(f"{text!r} never showed; the screen:\n{self.screen()}")

    def _tmux(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True)


def _assert_terminal_restored(term: Terminal, code: int) -> None:
    # `exit=` and stty's two mode lines are printed one after the other: wait for all three, not the first.
    screen = term.wait_for("exit=", then=lambda rest: {"echo", "-echo"} & set(rest.split()) and {"icanon", "-icanon"} & set(rest.split()))
    assert f"exit={code}" in screen, screen
    assert not term.alternate_screen_on(), "the app left the terminal on the alternate screen"
    modes = screen.split(f"exit={code}")[1].split()
    assert "echo" in modes and "icanon" in modes, f"the terminal was left raw: {modes}"
    assert "Traceback" not in screen


@pytest.mark.slow
@needs_tmux
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])  # SIGINT from outside: `kill -INT`, exit 130
def test_a_signal_quits_and_restores_the_terminal(signum):
    with Terminal() as term:
        term.wait_for("ready")
        assert term.alternate_screen_on()
        term._tmux("send-keys", "-t", term.name, "space")  # mid-run, the worker thread busy
        term.wait_for("running")
        os.kill(term.app_pid(), signum)
        _assert_terminal_restored(term, 128 + signum)


@pytest.mark.slow
@needs_tmux
def test_ctrl_c_quits_and_restores_the_terminal():
    with Terminal() as term:
        term.wait_for("ready")
        term._tmux("send-keys", "-t", term.name, "space")
        term.wait_for("running")
        term._tmux("send-keys", "-t", term.name, "C-c")
        _assert_terminal_restored(term, 130)


@pytest.mark.slow
async def test_ctrl_c_quits_even_from_a_field():
    app = make_app(Settings())
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.screen.panel.filled, what="the panel's rows (they follow the first paint)")
        app.screen.query_one("#setting-lr").focus()
        await pilot.press("ctrl+c")
        await pilot.pause(0.1)
    assert app.return_code == 130


@pytest.mark.slow
@needs_tmux
def test_closing_the_window_as_the_first_screen_shows_ends_the_app():
    """The window closed the moment the points show: the kernel sends SIGHUP, then SIGCONT.

    Textual restarts its terminal on any SIGCONT (back from ctrl+z); on a terminal already gone that left a
    process that never exited, 8 times in 8 here once the points came before the panel (benchmarks/startup.py).
    """
    for _ in range(3):
        with Terminal() as term:  # leaving the block closes the window (tmux kill-session)
            term.wait_for("⠶⠶ points", poll=0.01)
            pid = term.app_pid()
        deadline = time.monotonic() + 30  # a bound for a loaded machine, not a measurement
        while _alive(pid):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                pytest.fail("descent was still running 30 s after its window closed")
            time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended; its parent (init) reaps it
    except FileNotFoundError:
        return False
