"""A smoke test of the installed package (run from outside the source tree): the app headless, then `descent run`.

.ci/run runs it in a fresh env holding the oldest releases of .ci/floors.txt, so pyproject's lower bounds are tested.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import time
from pathlib import Path

import textual

from engine.settings.run_settings import Settings
from tui.app import make_app

STEPS = 50


async def wait_until(pilot, condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout  # a hung app fails the check instead of hanging CI
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"smoke: timed out waiting for {what}")
        await pilot.pause(0.05)


async def app_runs() -> None:
    app = make_app(Settings(steps=STEPS))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.state == "ready", "the app to be ready")
        first = screen.snapshot.loss
        await pilot.press("t", "space")
        await wait_until(pilot, lambda: screen.state == "done", f"{STEPS} steps")
        assert screen.snapshot.step == STEPS, screen.snapshot.step
        assert screen.snapshot.loss < first, (first, screen.snapshot.loss)
        await pilot.press("q")


def command_runs() -> None:
    # The env's own script, whether or not the env is activated.
    command = shutil.which("descent", path=str(Path(sys.executable).parent))
    assert command, "the `descent` command is not installed"
    for args in (["--version"], ["run", "--steps", "10"]):
        done = subprocess.run([command, *args], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (args, done.returncode, done.stderr)
        print(f"$ descent {' '.join(args)}\n{done.stdout.rstrip()}")
    assert "10 steps" in done.stdout, done.stdout


def serve_answers() -> None:
    """`descent serve` on loopback answers its page (textual-serve's floor included), then stops."""
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = shutil.which("descent", path=str(Path(sys.executable).parent))
    words = [command, "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(words, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                    assert page.status == 200 and b"ws" in page.read(), "the served page has no websocket"
                    break
            except OSError as error:
                if time.monotonic() > deadline or server.poll() is not None:
                    said = server.stderr.read().decode() if server.poll() is not None else ""
                    raise SystemExit(f"smoke: descent serve did not answer: {said}") from error
                time.sleep(0.2)
        print(f"smoke: descent serve answered on 127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    asyncio.run(app_runs())
    print(f"smoke: the app ran {STEPS} steps headless (textual {textual.__version__})")
    command_runs()
    serve_answers()
    print("smoke: ok")
    sys.exit(0)
