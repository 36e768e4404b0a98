"""`descent serve --present` (tui.cli.serve_present) in this process, on 127.0.0.1, with a stand-in app that writes
back what reaches it: only the presenter's keys and sizes, a repaint when a watcher joins, one app for the room.
tests/serve/test_browser_present.py drives the real app in Chromium."""

from __future__ import annotations

import asyncio
import json
import sys

import aiohttp

from tui.cli.serve_server import FencedServer

ECHO = r"""
import json, os, sys
out, inp = sys.stdout.buffer, sys.stdin.buffer
def say(text):
    data = text.encode()
    out.write(b"D" + len(data).to_bytes(4, "big") + data); out.flush()
out.write(b"__GANGLION__\n"); out.flush()
say("app %d %sx%s;" % (os.getpid(), os.environ["COLUMNS"], os.environ["ROWS"]))
while True:
    kind = inp.read(1)
    if not kind:
        break
    payload = inp.read(int.from_bytes(inp.read(4), "big"))
    if kind == b"M":
        meta = json.loads(payload)
        if meta["type"] == "quit":
            break
        say("%s %s;" % (meta["type"], "%sx%s" % (meta["width"], meta["height"]) if meta["type"] == "resize" else ""))
    else:
        say("stdin %s;" % payload.decode())
"""


class Room:
    """A --present server with the stand-in app; `join` opens a browser's websocket."""

    def __init__(self, max_sessions: int = 4) -> None:
        self.server = FencedServer(
            [sys.executable, "-c", ECHO], host="127.0.0.1", port=0, public_url=None, max_sessions=max_sessions, data_dir=None, present=True
        )
        self.stop = asyncio.Event()

    async def __aenter__(self) -> Room:
        self.task = asyncio.create_task(self.server.run(self.stop))
        for _ in range(200):  # bounded: until it listens
            if self.server.port:
                break
            await asyncio.sleep(0.05)
        self.client = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.close()
        self.stop.set()
        await asyncio.wait_for(self.task, 60)

    def join(self, size: str = "width=100&height=30", name: str = ""):
        url = f"ws://127.0.0.1:{self.server.port}/ws?{size}{name}"
        return self.client.ws_connect(url, headers={"Origin": self.server.public_url})


class Page:
    """What one browser has received: the terminal's text and the present messages."""

    def __init__(self, ws) -> None:
        self.ws, self.text, self.told = ws, "", []

    async def until(self, marker: str, limit_s: float = 30.0) -> str:
        """The text received until `marker` (terminal output, or a present message's role) appears."""
        loop = asyncio.get_running_loop()
        ends = loop.time() + limit_s
        while marker not in self.text and not any(marker == told.get("role") for told in self.told) and loop.time() < ends:
            message = await self.ws.receive(timeout=max(0.1, ends - loop.time()))
            if message.type == aiohttp.WSMsgType.BINARY:
                self.text += message.data.decode()
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.told.append(json.loads(message.data)[1])
            else:
                break
        return self.text


async def test_one_app_the_first_browser_presents_and_the_others_watch():
    async with Room() as room, room.join() as first, room.join(size="width=60&height=20") as second:
        presenter, watcher = Page(first), Page(second)
        await presenter.until("app ")
        await watcher.until("repaint")
        assert presenter.text.startswith("app ") and presenter.text.count("app ") == 1
        pid = presenter.text.split()[1]
        assert f"{pid} 100x30;" in presenter.text  # the app is at the presenter's size
        assert watcher.text.startswith("\x1b[?1049h\x1b[?25l")  # the screen mode it missed, then a repaint of it all
        assert {"role": "watcher", "width": 100, "height": 30, "presenter": "the browser at 127.0.0.1"} in watcher.told
        assert presenter.told[-1] == {"role": "presenter", "watchers": 1}
        assert len(room.server.apps) == 1 and room.server.sessions == 2

        await second.send_json(["stdin", "w"])
        await second.send_json(["resize", {"width": 50, "height": 10}])
        await first.send_json(["stdin", "p"])
        await presenter.until("stdin p;")
        await watcher.until("stdin p;")
        assert "stdin w;" not in presenter.text and "50x10" not in presenter.text  # a watcher's keys and size are dropped

        await first.send_json(["resize", {"width": 120, "height": 40}])
        await watcher.until("resize 120x40;")
        assert watcher.told[-1]["width"] == 120 and watcher.told[-1]["height"] == 40  # told before the app drew at it


async def test_the_presenter_leaving_hands_over_to_the_next_and_the_last_leaving_ends_the_app():
    async with Room() as room, room.join(name="&name=Ada%1b[31m") as first:
        presenter = Page(first)
        await presenter.until("app ")
        async with room.join() as second, room.join() as third:
            watcher, last = Page(second), Page(third)
            await watcher.until("repaint")
            await last.until("repaint")
            assert watcher.told[-1]["presenter"] == "Ada[31m (127.0.0.1)"  # printable characters only
            await first.close()
            await watcher.until("presenter")
            assert watcher.told[-1] == {"role": "presenter", "watchers": 1}
            await second.send_json(["stdin", "n"])
            await last.until("stdin n;")  # the new presenter's keys reach the app, which the watcher sees
            assert "stdin n;" in last.text and room.server.sessions == 2
        for _ in range(200):  # bounded: the last browser gone, the app quits
            if not room.server.apps and room.server.sessions == 0:
                break
            await asyncio.sleep(0.05)
        assert not room.server.apps and room.server.sessions == 0
        async with room.join() as again:
            assert (await Page(again).until("app ")).startswith("app ")  # a new app for whoever comes next


async def test_watchers_take_places_and_the_app_quitting_ends_every_browser():
    async with Room(max_sessions=2) as room, room.join() as first, room.join() as second:
        await Page(first).until("app ")
        await Page(second).until("repaint")
        async with room.join() as third:
            refused = await third.receive(timeout=30)
            assert b"all 2 sessions are taken" in refused.data
        await first.send_json(["stdin", "x"])
        app = next(iter(room.server.apps))
        app.process.kill()  # the app ends (a crash, its memory cap, q): every browser's socket closes
        for ws in (first, second):
            for _ in range(100):
                if (await ws.receive(timeout=30)).type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    break
        for _ in range(200):
            if room.server.sessions == 0 and not room.server.apps:
                break
            await asyncio.sleep(0.05)
        assert room.server.sessions == 0 and not room.server.apps


async def test_a_page_from_another_origin_neither_watches_nor_presents():
    async with Room() as room:
        url = f"ws://127.0.0.1:{room.server.port}/ws?width=80&height=24"
        async with room.client.ws_connect(url, headers={"Origin": "http://evil.example"}) as ws:
            refused = await ws.receive(timeout=30)
            assert b"open it there" in refused.data
            assert room.server.sessions == 0 and not room.server.apps and not room.server.presentation.viewers
