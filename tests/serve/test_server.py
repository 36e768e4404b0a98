"""The fenced server (tui.cli.serve_server) on loopback, in this process, serving a stand-in app that starts at once.

The stand-in speaks textual-serve's protocol (the prelude line, then length-prefixed packets) and writes back
what it was told: its environment and each resize. So each rule is checked on what reaches the app, without
the seconds a real `descent` takes to start (tests/serve/test_browser.py drives the real one).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import sys

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from tui.cli.serve_guard import MAX_COLUMNS, MAX_ROWS
from tui.cli.serve_server import FencedServer, OneLineRecords

STAND_IN = r"""
import json, os, sys
out, inp = sys.stdout.buffer, sys.stdin.buffer
def say(text):
    data = text.encode()
    out.write(b"D" + len(data).to_bytes(4, "big") + data); out.flush()
out.write(b"__GANGLION__\n"); out.flush()
say("env %s %s %s %sx%s;" % (os.environ.get("DESCENT_SERVED"), os.environ.get("DESCENT_DATA_DIR") or "-", os.getcwd(),
                            os.environ["COLUMNS"], os.environ["ROWS"]))
while True:
    kind = inp.read(1)
    if not kind:
        break
    payload = inp.read(int.from_bytes(inp.read(4), "big"))
    if kind == b"M":
        meta = json.loads(payload)
        if meta["type"] == "quit":
            break
        if meta["type"] == "resize":
            say("resize %sx%s;" % (meta["width"], meta["height"]))
    else:
        say("stdin %s;" % payload.decode())
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    def __init__(self, max_sessions: int = 4, data_dir: str | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = FencedServer(
            [sys.executable, "-c", STAND_IN],
            host="127.0.0.1",
            port=self.port,
            public_url=self.url,
            max_sessions=max_sessions,
            data_dir=data_dir,
        )

    async def __aenter__(self):
        self.test_server = TestServer(self.server.build_app(), host="127.0.0.1", port=self.port)
        await self.test_server.start_server()
        self.client = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc):
        await self.client.close()
        for _ in range(400):  # bounded: each session's app quits once its socket is closed
            if self.server.sessions == 0:
                break
            await asyncio.sleep(0.05)
        await self.test_server.close()

    def connect(self, origin: str | None = "same", query: str = "width=100&height=30"):
        headers = {} if origin is None else {"Origin": self.url if origin == "same" else origin}
        return self.client.ws_connect(f"ws://127.0.0.1:{self.port}/ws?{query}", headers=headers)


async def read_until(ws, marker: str, limit_s: float = 30.0) -> str:
    """The text the app wrote until `marker` appears, or until the socket closes."""
    text = ""
    loop = asyncio.get_running_loop()
    ends = loop.time() + limit_s
    while marker not in text and loop.time() < ends:
        message = await ws.receive(timeout=max(0.1, ends - loop.time()))
        if message.type == aiohttp.WSMsgType.BINARY:
            text += message.data.decode()
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
            break
    return text


async def test_the_app_hears_it_is_served_and_keys_reach_it(tmp_path):
    async with Served(data_dir=str(tmp_path)) as served, served.connect() as ws:
        hello = await read_until(ws, ";")
        assert hello == f"env 1 {tmp_path} {tmp_path} 100x30;"  # the app runs in the data folder
        await ws.send_json(["stdin", "q"])
        assert await read_until(ws, "stdin q;") == "stdin q;"
        await ws.send_json(["ping", "123"])
        pong = await ws.receive(timeout=10)
        assert pong.json() == ["pong", "123"]


async def test_terminal_size_is_capped_at_the_handshake_and_on_resize():
    async with Served() as served, served.connect(query="width=100000&height=-5") as ws:
        assert (await read_until(ws, ";")).endswith(f"{MAX_COLUMNS}x2;")
        await ws.send_json(["resize", {"width": 10**9, "height": 10**9}])
        assert await read_until(ws, ";") == f"resize {MAX_COLUMNS}x{MAX_ROWS};"
        await ws.send_json(["resize", {"width": 120, "height": 40}])
        assert await read_until(ws, ";") == "resize 120x40;"


@pytest.mark.parametrize("origin", [None, "http://evil.example", "http://127.0.0.1:1", "https://127.0.0.1"])
async def test_a_foreign_origin_gets_one_line_and_no_app(origin, caplog):
    async with Served() as served, served.connect(origin=origin) as ws:
        line = await read_until(ws, "\n")
        assert line.strip() == f"descent: this app is served at {served.url}; open it there."
        assert served.server.sessions == 0
    refusals = [record for record in caplog.records if "refused a websocket" in record.getMessage()]
    assert len(refusals) == 1 and refusals[0].exc_info is None


async def test_the_origin_may_be_spelled_with_its_default_port_or_in_capitals():
    async with Served() as served:
        served.server.public_url = f"http://LocalHost:{served.port}"
        async with served.connect(origin=f"http://localhost:{served.port}") as ws:
            assert (await read_until(ws, ";")).startswith("env 1")


async def test_sessions_past_the_limit_get_one_line_and_the_page_says_so_too():
    async with Served(max_sessions=2) as served, served.connect() as first, served.connect() as second:
        await read_until(first, ";")
        await read_until(second, ";")
        assert served.server.sessions == 2
        async with served.connect() as third:
            assert (await read_until(third, "\n")).strip() == "descent: all 2 sessions are taken; try again when someone leaves."
        async with served.client.get(served.url + "/") as page:
            assert page.status == 503
            assert "all 2 sessions are taken" in await page.text()
        await first.close()
        for _ in range(200):  # bounded: the first session's app stops, and its place frees
            if served.server.sessions < 2:
                break
            await asyncio.sleep(0.05)
        async with served.connect() as fourth:
            assert (await read_until(fourth, ";")).startswith("env 1")


MALFORMED = [
    "not json",
    '{"a": 1}',
    "[]",
    "[1, 2]",
    '["stdin", 5]',
    '["resize", {"width": "80", "height": 24}]',
    '["resize", [80, 24]]',
    '["ping", "' + "x" * 1000 + '"]',
    '["bogus\\u0000' + "y" * 100 + '"]',
]


@pytest.mark.parametrize("frame", MALFORMED)
async def test_a_malformed_frame_is_one_log_line_and_the_server_serves_on(frame, caplog):
    caplog.set_level(logging.INFO, logger="textual-serve")
    async with Served() as served:
        async with served.connect() as ws:
            await read_until(ws, ";")
            await ws.send_str(frame)
            assert await read_until(ws, "never") == ""  # the session closes, and the app heard nothing
        async with served.connect() as ws:
            assert (await read_until(ws, ";")).startswith("env 1")
    lines = [record.getMessage() for record in caplog.records if "closed its session" in record.getMessage()]
    assert len(lines) == 1 and "\n" not in lines[0]
    assert "y" * 30 not in lines[0] and "x" * 30 not in lines[0]  # the frame is named, not echoed
    assert all(record.exc_info is None for record in caplog.records)


async def test_a_binary_frame_is_malformed_too(caplog):
    async with Served() as served, served.connect() as ws:
        await read_until(ws, ";")
        await ws.send_bytes(b"\x00\x01")
        assert await read_until(ws, "never") == ""
    assert any("binary frame" in record.getMessage() for record in caplog.records)


def test_log_records_with_a_traceback_leave_as_one_line():
    try:
        raise KeyError("width")
    except KeyError:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "session %s failed", ("7",), sys.exc_info())
    assert OneLineRecords().filter(record)
    assert record.exc_info is None
    assert logging.Formatter().format(record) == "session 7 failed: KeyError: 'width'"


async def test_an_app_that_will_not_quit_is_killed_when_its_browser_leaves(monkeypatch):
    import tui.cli.serve_process as serve_process

    monkeypatch.setattr(serve_process, "APP_EXIT_S", 0.5)
    stubborn = "import sys, time; sys.stdout.write('__GANGLION__\\n'); sys.stdout.flush(); time.sleep(120)"
    async with Served() as served:
        served.server.argv = [sys.executable, "-c", stubborn]
        async with served.connect():
            for _ in range(200):
                if served.server.sessions == 1:
                    break
                await asyncio.sleep(0.05)
        for _ in range(200):  # bounded: 0.5 s to quit, then killed
            if served.server.sessions == 0:
                break
            await asyncio.sleep(0.05)
        assert served.server.sessions == 0


async def test_refusals_past_the_hold_limit_close_at_once(monkeypatch):
    import tui.cli.serve_server as serve_server

    monkeypatch.setattr(serve_server, "MAX_HELD_REFUSALS", 1)
    async with Served() as served, served.connect(origin="http://evil.example") as held:
        assert "open it there" in await read_until(held, "\n")
        async with served.connect(origin="http://evil.example") as second:
            assert "open it there" in await read_until(second, "\n")
            closing = await second.receive(timeout=10)  # not held: closed straight after its line
            assert closing.type == aiohttp.WSMsgType.CLOSE
        assert served.server.held_refusals == 1  # the first is still held
