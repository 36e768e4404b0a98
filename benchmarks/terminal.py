"""A detached tmux session to run the app in: start, type, read the screen, stop."""

from __future__ import annotations

import os
import shlex
import subprocess
import time
import uuid


class TmuxSession:
    """One command in its own tmux session of a fixed size, ended on exit."""

    def __init__(self, command: list[str], columns: int, rows: int) -> None:
        self.name = f"descent-bench-{uuid.uuid4().hex[:8]}"
        self.command = command
        self.size = columns, rows

    def __enter__(self) -> TmuxSession:
        columns, rows = self.size
        # The tmux server may have been started elsewhere: carry this directory and PYTHONPATH over.
        path = os.environ.get("PYTHONPATH")
        command = (["env", f"PYTHONPATH={path}"] if path else []) + self.command
        self._tmux("new-session", "-d", "-s", self.name, "-x", str(columns), "-y", str(rows), "-c", os.getcwd(), shlex.join(command))
        return self

    def __exit__(self, *exc) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)

    def screen(self) -> str:
        """The visible screen as text."""
        return self._tmux("capture-pane", "-p", "-t", self.name).stdout

    def wait_for(self, shown, timeout: float, poll: float = 0.01) -> float | None:
        """Seconds until `shown(screen)` is true, polling; None on timeout."""
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if shown(self.screen()):
                return time.perf_counter() - start
            time.sleep(poll)
        return None

    def press(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def pipe_to(self, path: str) -> None:
        """Append everything the program writes to the terminal to a file (tmux pipe-pane)."""
        self._tmux("pipe-pane", "-o", "-t", self.name, f"cat >> {shlex.quote(path)}")

    def stop_piping(self) -> None:
        self._tmux("pipe-pane", "-t", self.name)

    def _tmux(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True)
