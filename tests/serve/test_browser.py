"""`descent serve` in a real browser: Debian's Chromium, driven by Playwright, on loopback only.

The page draws the terminal on a canvas, so the test reads it as a screen reader would: an init script
turns on xterm.js's screen-reader mode, whose accessibility tree holds the rows as text in the DOM.
Skips, saying why, where Playwright or Chromium is missing (.ci/run installs both).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# textual-serve's page keeps its xterm.js Terminal in a closure; its constructor assigns `this.terminal = …`,
# which a setter on Object.prototype sees first: it turns the screen-reader rows on and keeps a handle.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    Object.defineProperty(this, 'terminal', {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && value.options) { value.options.screenReaderMode = true; window.descentTerminal = value; }
  },
});
"""
SECRET = "hunter2-secret"
WAIT_S = 90.0  # a loaded 2-core machine: the app's process imports torch before it is ready

pytestmark = pytest.mark.slow


@pytest.fixture
def chromium() -> str:
    """Chromium's path (DESCENT_CHROMIUM, else `chromium` on PATH); skips, saying why, without it or Playwright."""
    path = os.environ.get("DESCENT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("no Chromium here: .ci/run installs Debian's (apt-get install chromium), which needs apt-get and root")
    pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install '.[test]')")
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def screen_text(page) -> str:
    return page.evaluate("() => { const tree = document.querySelector('.xterm-accessibility-tree'); return tree ? tree.innerText : ''; }")


def wait_for(page, condition, what: str, limit_s: float = WAIT_S) -> str:
    """The screen's text once `condition(text)` holds; fails after `limit_s` (a bounded loop)."""
    ends = time.monotonic() + limit_s
    while True:
        text = screen_text(page)
        if condition(text):
            return text
        if time.monotonic() > ends:  # a bound on a hang, not a speed claim
            pytest.fail(f"no {what} within {limit_s:g} s; the screen:\n{text}")
        time.sleep(0.2)


def step_of(text: str) -> int | None:
    match = re.search(r"step ([\d,]+) /", text)
    return int(match.group(1).replace(",", "")) if match else None


def status_of(text: str) -> str:
    """The status line: the row that tells the state and the step."""
    return next((line for line in text.split("\n") if re.match(r"\w+ step [\d,]+ /", line)), "")


@pytest.fixture
def served(tmp_path):
    """`descent serve` on 127.0.0.1 with a data folder; yields its URL; stopped after the test."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "points.csv").write_text("x,y\n0,1\n1,3\n2,5\n")
    (tmp_path / "outside.csv").write_text(f"{SECRET},y\n1,2\n3,4\n")
    port = free_port()
    command = [sys.executable, "-m", "tui.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(folder)]
    command += ["--steps", "100000", "--max-sessions", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        ends = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                if time.monotonic() > ends:  # a bound on a hang, not a speed claim
                    pytest.fail("descent serve did not listen within 60 s")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    log = server.stderr.read().decode()
    assert "Traceback" not in log, log


def test_a_browser_runs_the_app_downloads_its_settings_and_cant_read_outside_the_data_folder(chromium, served):
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, timeout=60_000)
        except sync_api.Error as error:
            pytest.skip(f"Chromium at {chromium} would not start: {str(error).splitlines()[0]}")
        try:
            context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 800})
            downloads = []  # the page opens each download in a new tab (both may report it)
            context.on("page", lambda tab: tab.on("download", lambda download: downloads.append(download)))
            page = context.new_page()
            page.on("download", lambda download: downloads.append(download))
            page.add_init_script(CATCH_TERMINAL)
            page.goto(served + "/")
            ready = wait_for(page, lambda text: "ready" in text and step_of(text) == 0, "ready app")
            assert "step 0 / 100,000" in ready

            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.press("Space")
            running = wait_for(page, lambda text: (step_of(text) or 0) > 0, "step past 0")
            page.keyboard.press("Space")  # pause: the steps stop growing
            paused = wait_for(page, lambda text: "paused" in text, "pause")
            assert step_of(paused) >= step_of(running) > 0

            # ctrl+s hands the settings to the browser, as a download: nothing is written on the server.
            page.keyboard.press("Control+s")
            ends = time.monotonic() + 30
            while not downloads and time.monotonic() < ends:
                page.wait_for_timeout(200)
            assert {(download.url, download.suggested_filename) for download in downloads} == {(downloads[0].url, "descent.toml")}
            assert "steps = 100000" in Path(downloads[0].path()).read_text()

            # Click into the data field, in column 20 of the row that starts with "data" (the accessibility tree's
            # rows lie over the terminal's), then type a path out of the data folder.
            box = page.locator(".xterm-screen").bounding_box()
            row = page.locator(".xterm-accessibility-tree > div", has_text=re.compile(r"^data\b")).first.bounding_box()
            columns = page.evaluate("() => window.descentTerminal.cols")
            page.mouse.click(box["x"] + box["width"] / columns * 20.5, row["y"] + row["height"] / 2)
            page.keyboard.type("../outside.csv")
            # the refusal shows from the first "../" on: wait for the last key typed too (the keys reach the app
            # over the socket after `type` returns), then check the two stand together
            refused = wait_for(page, lambda text: "this served app reads only" in text and "../outside.csv" in text,
                               "refusal beside the typed path", 30)
            assert "data ../outside.csv" in refused
            assert "files inside the host's data" in refused
            page.keyboard.press("Enter")  # refused values are not applied: the run keeps its data, and no file is read
            page.wait_for_timeout(1000)
            after = wait_for(page, lambda text: "this served app reads only" in text, "refusal after Enter", 30)
            assert SECRET not in after
            assert status_of(after).startswith("paused step")  # not loading the file, nor stopped by an error
        finally:
            browser.close()
