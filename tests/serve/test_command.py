"""`descent serve` answers a browser with the app's page, on loopback only in tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tui.cli.command import build_parser
from tui.cli.serve import SAFE_START, app_command

ROOT = Path(__file__).resolve().parents[2]


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
                if time.monotonic() > deadline:  # a bound on a hang, not a speed claim
                    pytest.fail("descent serve did not answer within 60 s")
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
    words = app_command(args)
    assert words[:3] == [sys.executable, "-c", SAFE_START]
    assert words[3:] == [
        "--x-column", "a b", "--lr", "0.001", "--standardize", "--preset", "race", "--config", str(config.resolve()), "--theme", "nord"
    ]  # fmt: skip
    assert build_parser().parse_args(words[3:]).lr == 0.001


def start_serve(*options: str) -> tuple[subprocess.Popen, int]:
    """`descent serve` on 127.0.0.1 and a free port, listening; the caller stops it."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tui.cli", "serve", "--host", "127.0.0.1", "--port", str(port), *options]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            assert server.poll() is None, server.stderr.read().decode()
            if time.monotonic() > deadline:  # a bound on a hang, not a speed claim
                pytest.fail("descent serve did not listen within 60 s")
            time.sleep(0.1)


def stop(server: subprocess.Popen) -> tuple[str, str]:
    server.terminate()
    out, err = server.communicate(timeout=30)
    return out.decode(), err.decode()


def test_the_page_points_its_websocket_at_the_public_url():
    server, port = start_serve("--public-url", "https://workshop.example/descent/")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            page = response.read().decode()
    finally:
        out, err = stop(server)
    assert 'data-session-websocket-url="wss://workshop.example/descent/ws"' in page
    assert "https://workshop.example/descent/static/" in page
    assert "descent: serving on https://workshop.example/descent (at most " in out
    assert err == ""  # loopback: no word about who can reach it


@pytest.mark.slow
def test_bad_clients_cost_one_log_line_each_and_the_server_serves_on():
    import asyncio

    import aiohttp

    server, port = start_serve("--max-sessions", "1")
    url = f"http://127.0.0.1:{port}"
    try:
        for raw in (b"\x16\x03\x01\x02\x00\xff\xfe garbage\r\n\r\n", b"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n"):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
                client.sendall(raw)
                assert client.recv(64).startswith(b"HTTP/1.")  # answered 400, not dropped

        async def clients() -> list[str]:
            seen = []
            async with aiohttp.ClientSession() as session:
                async with session.ws_connect(f"ws://127.0.0.1:{port}/ws", headers={"Origin": "http://evil.example"}) as ws:
                    seen.append((await ws.receive(timeout=30)).data.decode().strip())
                async with session.ws_connect(f"ws://127.0.0.1:{port}/ws", headers={"Origin": url}) as ws:
                    await ws.send_str('["resize", {"width": "wide"}]')
                    seen.append((await ws.receive(timeout=60)).type.name)
            return seen

        refused, closed = asyncio.run(clients())
        assert refused == f"descent: this app is served at {url}; open it there."
        assert closed == "CLOSE"  # the server closed that session
        deadline = time.monotonic() + 60
        while True:  # still serving: 503 while the closed session's app quits, then the page again
            try:
                with urllib.request.urlopen(url + "/", timeout=10) as response:
                    assert response.status == 200
                    break
            except urllib.error.HTTPError as error:
                assert error.code == 503
                if time.monotonic() > deadline:  # a bound on a hang, not a speed claim
                    pytest.fail("the page never came back after the session closed")
                time.sleep(0.2)
    finally:
        _out, err = stop(server)
    assert "Traceback" not in err and "Error handling request" not in err
    lines = err.splitlines()
    assert sum("refused a websocket from Origin 'http://evil.example'" in line for line in lines) == 1
    assert sum("closed its session: it sent a terminal size that is not two whole numbers" in line for line in lines) == 1
