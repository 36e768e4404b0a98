"""`descent serve` answers a browser with the app's page, on loopback only in tests."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tui.cli.main import build_parser
from tui.cli.serve import app_command

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_answers_http_with_the_page():
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tui.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    status, page = response.status, response.read().decode()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "descent serve did not answer within 60 s"
                time.sleep(0.2)
        assert status == 200
        assert "<html" in page.lower() and "descent" in page
        assert f"ws://127.0.0.1:{port}/ws" in page  # the websocket each browser's app streams through
    finally:
        server.kill()
        server.wait(timeout=10)


def test_the_served_app_gets_the_settings_serve_was_given(tmp_path):
    config = tmp_path / "workshop.toml"
    args = build_parser().parse_args(
        ["serve", "--lr", "0.001", "--standardize", "--preset", "race", "--config", str(config), "--theme", "nord", "--x-column", "a b"]
    )
    words = shlex.split(app_command(args))
    assert words[:3] == [sys.executable, "-m", "tui.cli"]
    assert words[3:] == [
        "--x-column", "a b", "--lr", "0.001", "--standardize", "--preset", "race", "--config", str(config.resolve()), "--theme", "nord"
    ]  # fmt: skip
    assert build_parser().parse_args(words[3:]).lr == 0.001
