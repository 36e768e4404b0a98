"""`descent serve --present`: one app for the room. The first browser presents (its keys, clicks and size drive the
app); every other browser watches the same screen, read-only, at the presenter's size.

One app process; its output is fanned out to every browser, each through an Outbox of its own, so a slow laptop
falls behind alone (and is dropped past MAX_BEHIND_BYTES) instead of slowing the room. Only the presenter's
messages reach the app; a watcher's keys, clicks and sizes are dropped (pings are still answered). A watcher
who joins is told the presenter's size (serve_page/present.js resizes its terminal and letterboxes it) and the
app is asked to draw its whole screen again (tui.served_driver). When the presenter leaves, the browser that
joined next presents; when the last browser leaves, the app quits. Each browser takes one of --max-sessions'
places, and the Origin and data-folder fences are the server's, as for separate sessions.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass, field

from aiohttp import web

from tui.cli.serve_wire import quietly_send

log = logging.getLogger("textual-serve")

MAX_BEHIND_BYTES = 8 << 20
"""Output queued for one browser past which it is dropped: a few seconds of a busy screen at 320×120."""
MAX_NAME = 40
"""The longest presenter's name shown (`?name=Ada` on the page's address)."""
PRELUDE = b"\x1b[?1049h\x1b[?25l"
"""What the app wrote at start that a late watcher's terminal needs: the alternate screen, no cursor."""


class Outbox:
    """What one browser is sent, in order, by a task of its own."""

    def __init__(self, websocket: web.WebSocketResponse, label: str) -> None:
        self.websocket = websocket
        self.label = label
        self.queue: asyncio.Queue[bytes | str] = asyncio.Queue()
        self.queued = 0
        self.task = asyncio.create_task(self._send())

    def put(self, data: bytes | str) -> None:
        if self.task.done():
            return
        self.queued += len(data)
        if self.queued > MAX_BEHIND_BYTES:
            log.warning("%s: dropped: its browser fell %d MB behind the screen", self.label, MAX_BEHIND_BYTES >> 20)
            self.task.cancel()
            asyncio.ensure_future(self.websocket.close())
            return
        self.queue.put_nowait(data)

    async def _send(self) -> None:
        while True:
            data = await self.queue.get()
            self.queued -= len(data)
            await quietly_send(self.websocket, data)

    def close(self) -> None:
        self.task.cancel()


@dataclass(eq=False)
class Viewer:
    websocket: web.WebSocketResponse
    peer: str
    name: str
    size: tuple[int, int]
    outbox: Outbox = field(init=False)

    def __post_init__(self) -> None:
        self.outbox = Outbox(self.websocket, self.peer)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.peer})" if self.name else f"the browser at {self.peer}"


def clean_name(text: str | None) -> str:
    """A presenter's name as shown: printable characters only, at most MAX_NAME of them."""
    return "".join(char for char in (text or "") if char.isprintable()).strip()[:MAX_NAME]


class Presentation:
    """The room's one app and the browsers that see it; viewers[0] presents."""

    def __init__(self, server) -> None:
        self.server = server
        self.viewers: list[Viewer] = []
        self.app = None
        self.size = (80, 24)
        self.lock = asyncio.Lock()

    @property
    def presenter(self) -> Viewer | None:
        return self.viewers[0] if self.viewers else None

    async def join(self, websocket: web.WebSocketResponse, peer: str, name: str | None, size: tuple[int, int]) -> None:
        """One browser, from its arrival to its leaving: presenting or watching."""
        viewer = Viewer(websocket, peer, clean_name(name), size)
        self.viewers.append(viewer)
        try:
            async with self.lock:
                if self.app is None:
                    self.size = size
                    self.app = self.server.new_app(
                        peer, *size, on_output=self._fan_out, on_text=self._to_presenter, on_closed=self._app_closed
                    )
                    await self.app.start()
                    log.info("%s: presents (%d of %d)", viewer.label, self.server.sessions, self.server.max_sessions)
                else:
                    viewer.outbox.put(PRELUDE)
                    await self.app.send_meta({"type": "repaint"})  # after the size: the page resizes, then draws
                    log.info("%s: watches (%d of %d)", peer, self.server.sessions, self.server.max_sessions)
                self._tell_roles()
            await self.server.relay(websocket, peer, lambda kind, data: self._from(viewer, kind, data))
        finally:
            was_presenting = viewer is self.presenter
            self.viewers.remove(viewer)
            viewer.outbox.close()
            async with self.lock:
                await self._left(viewer, was_presenting)

    async def _from(self, viewer: Viewer, kind: str, data: object) -> bool:
        """A browser's message: the presenter's reach the app; a watcher's are dropped."""
        app = self.app
        if viewer is not self.presenter or app is None:
            return True
        if kind == "stdin":
            return await app.send_bytes(data.encode("utf-8", "replace"))
        if kind == "resize":
            viewer.size = self.size = data
            self._tell_roles()  # the watchers' terminals take the new size before the app draws at it
            return await app.set_terminal_size(*data)
        return await app.send_meta({"type": kind})  # focus, blur

    def _tell_roles(self) -> None:
        presenter = self.presenter
        if presenter is None:
            return
        watchers = len(self.viewers) - 1
        presenter.outbox.put(json.dumps(["present", {"role": "presenter", "watchers": watchers}]))
        width, height = self.size
        told = json.dumps(["present", {"role": "watcher", "width": width, "height": height, "presenter": presenter.label}])
        for viewer in self.viewers[1:]:
            viewer.outbox.put(told)

    async def _left(self, viewer: Viewer, was_presenting: bool) -> None:
        if not self.viewers:
            app, self.app = self.app, None
            if app is not None:
                await app.stop()
                self.server.apps.discard(app)
            log.info("%s: left; the last browser: the app has quit", viewer.peer)
            return
        if was_presenting:
            log.info("%s: left; %s presents now", viewer.label, self.presenter.label)
        self._tell_roles()  # the new presenter's page fits its window and sends its size, which the app takes

    async def _fan_out(self, data: bytes) -> None:
        for viewer in self.viewers:
            viewer.outbox.put(data)

    async def _to_presenter(self, text: str) -> None:
        """Downloads and links the app hands out go to the presenter, who asked for them."""
        if self.presenter is not None:
            self.presenter.outbox.put(text)

    async def _app_closed(self) -> None:
        """The app ended (q, a crash, its memory cap): every browser's session ends with it; one who comes next
        starts a new one. Its process is reaped by a task of its own: this runs inside the app's reader."""
        app, self.app = self.app, None
        if app is not None:
            asyncio.ensure_future(self._retire(app))
        for viewer in list(self.viewers):
            asyncio.ensure_future(viewer.websocket.close())

    async def _retire(self, app) -> None:
        with contextlib.suppress(Exception):
            await app.stop()
        self.server.apps.discard(app)
