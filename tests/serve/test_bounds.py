"""`descent serve` against what an attacker (or a wedged app) does: every session ends within a bounded time, takes
its whole process group with it, can't grow past its memory cap, and the server stops quickly and quietly.

The server runs in this process (FencedServer.run, on 127.0.0.1 and a port the system picks), serving stand-in
apps that misbehave on purpose; each loop below is bounded, and each bound is a hang guard, not a speed claim.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

import tui.cli.serve_process as serve_process
import tui.cli.serve_server as serve_server
from tui.cli.command import build_parser
from tui.cli.serve import app_command
from tui.cli.serve_server import FencedServer

PRELUDE = "import os, sys, time; sys.stdout.write('__GANGLION__\\n'); sys.stdout.flush()\n"
SAY = "def say(text):\n    data = text.encode(); sys.stdout.buffer.write(b'D' + len(data).to_bytes(4, 'big') + data); sys.stdout.flush()\n"
DEAF = PRELUDE + "time.sleep(300)\n"
"""An app that reads none of its input and never quits."""
FORKS = PRELUDE + SAY + (
    "import signal, subprocess\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "deaf = 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(300)'\n"
    "child = subprocess.Popen([sys.executable, '-c', deaf])\n"
    "say('pids %d %d;' % (os.getpid(), child.pid))\n"
    "time.sleep(300)\n"
)
"""An app that ignores SIGTERM and starts a child that ignores it too."""
GROWS = PRELUDE + SAY + (
    "hoard = []\nsay('ready;')\nwhile len(hoard) < 12:\n    hoard.append(b'x' * 50_000_000)\n    time.sleep(0.05)\ntime.sleep(300)\n"
)
"""An app whose memory grows by 50 MB at a time, to 600 MB (a flood of keys did this to a real one)."""


class Running:
    """A FencedServer serving `script` on 127.0.0.1, in this process, until the block ends."""

    def __init__(self, script: str, **options) -> None:
        self.server = FencedServer(
            [sys.executable, "-c", script], host="127.0.0.1", port=0, public_url=None, max_sessions=4, data_dir=None, **options
        )
        self.stop = asyncio.Event()

    async def __aenter__(self) -> Running:
        self.task = asyncio.create_task(self.server.run(self.stop))
        for _ in range(200):
            if self.server.port:
                break
            await asyncio.sleep(0.05)
        self.url = self.server.public_url
        self.client = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.close()
        self.stop.set()
        await asyncio.wait_for(self.task, 60)

    def connect(self):
        return self.client.ws_connect(f"ws://127.0.0.1:{self.server.port}/ws?width=80&height=24", headers={"Origin": self.url})

    async def until(self, condition, limit: int = 300) -> bool:
        for _ in range(limit):  # bounded: 0.05 s a turn
            if condition():
                return True
            await asyncio.sleep(0.05)
        return condition()


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting for its reaper counts as ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


async def first_text(ws, marker: str) -> str:
    text = ""
    for _ in range(100):
        message = await ws.receive(timeout=30)
        if message.type != aiohttp.WSMsgType.BINARY:
            break
        text += message.data.decode()
        if marker in text:
            break
    return text


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(serve_process, "APP_EXIT_S", 0.5)
    monkeypatch.setattr(serve_process, "INPUT_STALL_S", 0.5)


async def test_a_flood_of_keys_into_an_app_that_reads_none_then_a_closed_socket_frees_the_place(quick):
    async with Running(DEAF) as served:
        async with served.connect() as ws:
            assert await served.until(lambda: served.server.sessions == 1)
            for _ in range(40):  # 40 × 60 KB: far more than a pipe holds, so writing to the app blocks
                await ws.send_json(["stdin", "k" * 60_000])
        assert await served.until(lambda: served.server.sessions == 0 and not served.server.apps)
        async with served.client.get(served.url + "/") as page:
            assert page.status == 200  # not "all sessions are taken"


async def test_an_input_frame_past_the_cap_closes_its_session(caplog):
    async with Running(DEAF) as served, served.connect() as ws:
        assert await served.until(lambda: served.server.sessions == 1)
        await ws.send_json(["stdin", "k" * serve_server.MAX_MESSAGE_BYTES])
        closing = await ws.receive(timeout=30)
        assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING)
        assert closing.data == aiohttp.WSCloseCode.MESSAGE_TOO_BIG
        assert await served.until(lambda: served.server.sessions == 0)


async def test_a_session_ends_with_every_process_its_app_started(quick):
    async with Running(FORKS) as served:
        async with served.connect() as ws:
            words = (await first_text(ws, ";")).rstrip(";").split()
            assert words[0] == "pids"
            app, child = int(words[1]), int(words[2])
            assert alive(app) and alive(child)
        assert await served.until(lambda: not alive(app) and not alive(child))
        assert await served.until(lambda: served.server.sessions == 0)


async def test_an_app_past_its_memory_cap_is_ended_with_one_log_line(caplog):
    caplog.set_level(logging.INFO, logger="textual-serve")
    async with Running(GROWS, session_memory=150_000_000) as served, served.connect() as ws:
        assert await first_text(ws, "ready;") == "ready;"
        closing = await ws.receive(timeout=60)  # the app is ended: its browser's socket closes
        assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    lines = [record.getMessage() for record in caplog.records if "its app was ended" in record.getMessage()]
    assert lines == ["127.0.0.1: its app was ended: its memory passed 150 MB (--session-memory)"]


async def test_a_half_open_request_is_closed_once_idle(monkeypatch):
    monkeypatch.setattr(serve_server, "IDLE_S", 0.5)
    async with Running(DEAF) as served:
        reader, writer = await asyncio.open_connection("127.0.0.1", served.server.port)
        writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line that ends the request
        await writer.drain()
        assert await asyncio.wait_for(reader.read(), 30) == b""  # closed by the server, answering nothing
        writer.close()


async def test_the_page_takes_its_font_from_this_server_and_nothing_from_elsewhere():
    async with Running(DEAF) as served:
        async with served.client.get(served.url + "/") as page:
            html = await page.text()
        assert "googleapis" not in html and "//fonts." not in html
        external = [word for word in html.split('"') if word.startswith(("http://", "https://")) and not word.startswith(served.url)]
        assert external == ["http://www.w3.org/2000/svg"]  # an XML namespace, never fetched
        font = f"{served.url}/static/fonts/RobotoMono-VariableFont_wght.ttf"
        assert font in html
        async with served.client.get(font) as response:
            assert response.status == 200 and (await response.read())[:4] == b"\x00\x01\x00\x00"  # a TrueType font


async def test_stopping_ends_every_session_and_its_app_quickly(quick):
    async with Running(FORKS) as served, served.connect() as ws:
        words = (await first_text(ws, ";")).rstrip(";").split()
        app, child = int(words[1]), int(words[2])
        served.stop.set()
        await asyncio.wait_for(served.task, 30)  # the app ignores quit and SIGTERM: killed, with its child
        assert not alive(app)
        assert await served.until(lambda: not alive(child))  # killed with it; its end is the kernel's, a moment later


def test_the_app_never_has_its_folder_on_its_import_path(tmp_path):
    (tmp_path / "argparse.py").write_text("open('imported', 'w').write('the data folder ran code')\n")
    words = app_command(build_parser().parse_args(["serve"]))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([*words, "--help"], cwd=tmp_path, env=env, capture_output=True, timeout=120)
    assert done.returncode == 0 and b"usage: descent" in done.stdout
    assert not (tmp_path / "imported").exists()


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_a_port_that_is_not_one_is_one_line_and_exit_2(port):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-m", "tui.cli", "serve", "--port", port], env=env, capture_output=True, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("descent: error: argument --port: ")


@pytest.mark.slow
def test_port_0_announces_the_port_it_got_and_stops_on_sigint_without_a_traceback():
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    command = [sys.executable, "-m", "tui.cli", "serve", "--host", "127.0.0.1", "--port", "0"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        assert line.startswith("descent: serving on http://127.0.0.1:") and ":0 " not in line
        port = int(line.split("http://127.0.0.1:")[1].split()[0])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            assert client.recv(64).startswith(b"HTTP/1.1 200")
        server.send_signal(2)
        out, err = server.communicate(timeout=60)
    finally:
        server.kill()
    assert server.returncode == 0
    assert "Traceback" not in err, err


def test_a_served_apps_memory_guard_counts_its_session_cap(monkeypatch):
    from engine.data.memory_guard import SESSION_MEMORY_ENV, available_host_bytes

    monkeypatch.setenv(SESSION_MEMORY_ENV, "1")  # already past it: nothing more may be made
    assert available_host_bytes() == 0
    monkeypatch.setenv(SESSION_MEMORY_ENV, str(50 * 10**9))
    assert 0 < available_host_bytes() < 50 * 10**9  # at most the cap less what this process holds


def test_a_served_apps_environment_names_its_cap_and_only_absolute_import_folders(monkeypatch, tmp_path):
    from engine.data.memory_guard import SESSION_MEMORY_ENV
    from tui.cli.serve_wire import app_environment

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(["", ".", "lib", str(tmp_path)]))
    env = app_environment(10**6, 30, "/srv/data", 400_000_000)
    assert (env["COLUMNS"], env["ROWS"], env["DESCENT_SERVED"], env["DESCENT_DATA_DIR"]) == ("320", "30", "1", "/srv/data")
    assert env[SESSION_MEMORY_ENV] == "400000000"
    assert env["PYTHONPATH"].split(os.pathsep) == [str(tmp_path), str(tmp_path / "lib"), str(tmp_path)]
    assert env["TEXTUAL_DRIVER"] == "tui.served_driver:ServedWebDriver"
