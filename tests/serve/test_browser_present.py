"""`descent serve --present` in a real browser: one presenter and two watchers in Debian's Chromium, on loopback.

The screens are read as tests/serve/test_browser.py reads them (xterm.js's screen-reader rows). Skips, saying
why, where Playwright or Chromium is missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.serve.test_browser import CATCH_TERMINAL, CHROMIUM_ARGS, ROOT, chromium, free_port, status_of, step_of, wait_for  # noqa: F401

pytestmark = pytest.mark.slow


@pytest.fixture
def room():
    """`descent serve --present` on 127.0.0.1; yields its URL; stopped after the test, with no traceback."""
    port = free_port()
    command = [sys.executable, "-m", "tui.cli", "serve", "--present", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--steps", "100000", "--max-sessions", "3"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()  # printed once it listens
        assert line.startswith(f"descent: serving on http://127.0.0.1:{port} "), line + server.stderr.read()
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    log = server.stderr.read()
    assert "Traceback" not in log, log


def banner(page) -> str:
    """The line over a watcher's screen that says who presents; empty where it is hidden (the presenter's page)."""
    script = "() => { const line = document.getElementById('descent-presenting'); return line.hidden ? '' : line.textContent; }"
    return page.evaluate(script)


def grid(page) -> tuple[int, int]:
    return tuple(page.evaluate("() => [window.descentTerminal.cols, window.descentTerminal.rows]"))


def test_a_presenter_drives_one_app_and_two_watchers_see_its_screen_read_only(chromium, room):  # noqa: F811 (the fixture)
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, timeout=60_000)
        except sync_api.Error as error:
            pytest.skip(f"Chromium at {chromium} would not start: {str(error).splitlines()[0]}")
        try:
            pages = []
            for viewport in ({"width": 1100, "height": 700}, {"width": 1400, "height": 800}, {"width": 600, "height": 360}):
                page = browser.new_context(viewport=viewport).new_page()
                page.add_init_script(CATCH_TERMINAL)
                pages.append(page)
            presenter, watcher, small = pages
            presenter.goto(room + "/?name=Ada")
            wait_for(presenter, lambda text: "ready" in text and step_of(text) == 0, "the presenter's ready app")
            for page in (watcher, small):
                page.goto(room + "/")
                wait_for(page, lambda text: "ready" in text and step_of(text) == 0, "the presenter's screen on a watcher")
                assert banner(page) == "Ada (127.0.0.1) presents: you are watching (your keys and clicks are not sent)"
                assert grid(page) == grid(presenter)  # the presenter's size, whatever the window
            assert banner(presenter) == "" and presenter.title() == "descent: you present (2 watching)"
            scale = small.evaluate("() => window.descentTerminal.element.style.transform")
            assert "scale(0." in scale  # a smaller window: the screen is scaled down to fit, not cut

            watcher.locator(".xterm-helper-textarea").focus()
            watcher.keyboard.press("Space")  # a watcher's key reaches nothing
            watcher.wait_for_timeout(2000)
            assert status_of(wait_for(presenter, lambda text: "ready" in text, "the app still ready")).startswith("ready step 0")

            presenter.locator(".xterm-helper-textarea").focus()
            presenter.keyboard.press("Space")
            for page in (watcher, small):
                wait_for(page, lambda text: (step_of(text) or 0) > 0, "the presenter's run on a watcher")

            presenter.context.close()  # the presenter leaves: the browser that came next presents
            wait_for(watcher, lambda text: True, "a screen")
            ends = time.monotonic() + 30
            while banner(watcher) and time.monotonic() < ends:  # bounded: until its page hears it presents
                watcher.wait_for_timeout(200)
            assert banner(watcher) == ""
            assert banner(small) == "the browser at 127.0.0.1 presents: you are watching (your keys and clicks are not sent)"
            watcher.locator(".xterm-helper-textarea").focus()
            watcher.keyboard.press("Space")  # now it drives: the run pauses, on every screen
            paused = wait_for(watcher, lambda text: "paused" in status_of(text), "pause by the new presenter")
            mirrored = wait_for(small, lambda text: status_of(text) == status_of(paused), "the pause on the last watcher")
            assert mirrored == paused  # the same screen, row for row
        finally:
            browser.close()
