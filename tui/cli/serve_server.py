"""textual-serve's Server, fenced for a room of browsers: one Origin, a bounded number of sessions, capped
terminals, and a browser's bad message costing one log line and its own session, never the server.

Imported only by `descent serve` (tui.cli.serve), so no other command pays for aiohttp.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from tui.cli.serve_guard import MalformedInput, clamp_size, origin_allowed, read_envelope, size_from_query
from tui.served import DATA_DIR_ENV, SERVED_ENV

log = logging.getLogger("textual-serve")

MAX_MESSAGE_BYTES = 1 << 20
"""A websocket frame from a browser is keystrokes or a resize: a megabyte is a very long paste."""
APP_EXIT_S = 10.0
"""How long a session's app may take to quit once its browser has gone."""
REFUSED_HOLD_S = 20.0
"""How long a refused browser keeps its one line on screen before the page says the session ended."""
MAX_HELD_REFUSALS = 64
"""Refused sockets held open at once: past this a refusal closes at once, so a flood of them holds nothing."""


class OneLineRecords(logging.Filter):
    """Every record leaves as one line: an exception is named with its message, its traceback dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            error = record.exc_info[1]
            if error is not None:
                record.msg = f"{record.getMessage()}: {type(error).__name__}: {error}"
                record.args = ()
            record.exc_info = None
            record.exc_text = None
        record.stack_info = None
        return True


class FencedAppService(AppService):
    """One browser's app: told it is served (tui.served) and never given a terminal past the cap."""

    def __init__(self, command: str, data_dir: str | None, **kwargs) -> None:
        super().__init__(command, **kwargs)
        self.data_dir = data_dir

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        width, height = clamp_size(width, height)
        environment = super()._build_environment(width, height)
        environment[SERVED_ENV] = "1"
        environment[DATA_DIR_ENV] = self.data_dir or ""
        return environment

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*clamp_size(width, height))

    async def stop(self) -> None:
        """Ask the app to quit and wait for its process: one that hasn't quit within APP_EXIT_S is killed."""
        process = self._process
        try:
            await asyncio.wait_for(super().stop(), APP_EXIT_S)
        except asyncio.TimeoutError:
            self._task = None
        if process is None:
            return
        if process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), APP_EXIT_S)
            except asyncio.TimeoutError:
                process.kill()
                await process.wait()
        if process.stdin is not None:
            process.stdin.close()  # the last open pipe: closing it lets asyncio release the process's transport now


class FencedServer(Server):
    """A Server that checks each browser before its app starts, and each message before the app hears it."""

    def __init__(self, command: str, *, host: str, port: int, public_url: str, max_sessions: int, data_dir: str | None) -> None:
        super().__init__(command, host=host, port=port, title="descent", public_url=public_url)
        self.max_sessions = max_sessions
        self.data_dir = data_dir
        self.sessions = 0
        self.held_refusals = 0

    def initialize_logging(self) -> None:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", datefmt="%H:%M:%S"))
        handler.addFilter(OneLineRecords())
        logging.basicConfig(level="INFO", handlers=[handler], force=True)
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # a line per request drowns the refusals

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(f"descent: serving on {self.public_url} (at most {self.max_sessions} sessions); ctrl+c stops", highlight=False)

    def full_line(self) -> str:
        return f"descent: all {self.max_sessions} sessions are taken; try again when someone leaves."

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.sessions >= self.max_sessions:
            page = f"<!DOCTYPE html><html><body><p>{self.full_line()}</p></body></html>"
            return web.Response(status=503, text=page, content_type="text/html")
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE_BYTES)
        peer = request.remote or "?"
        origin = request.headers.get("Origin")
        if not origin_allowed(origin, self.public_url):
            log.warning("%s: refused a websocket from Origin %.80r (only %s may open sessions)", peer, origin, self.public_url)
            return await self._refuse(request, websocket, f"descent: this app is served at {self.public_url}; open it there.")
        if self.sessions >= self.max_sessions:
            log.warning("%s: refused a session: all %d are taken", peer, self.max_sessions)
            return await self._refuse(request, websocket, self.full_line())
        self.sessions += 1  # counted before any await, so two handshakes at once can't both take the last place
        try:
            await self._session(request, websocket, peer)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 (one browser's failure is one line; the server serves on)
            log.warning("%s: session ended: %s: %s", peer, type(error).__name__, error)
        finally:
            self.sessions -= 1
        return websocket

    async def _session(self, request: web.Request, websocket: web.WebSocketResponse, peer: str) -> None:
        width, height = size_from_query(request.query.get("width"), request.query.get("height"))
        await websocket.prepare(request)
        app_service = FencedAppService(
            self.command,
            self.data_dir,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        await app_service.start(width, height)
        log.info("%s: session started (%d of %d)", peer, self.sessions, self.max_sessions)
        try:
            await self._relay(websocket, app_service, peer)
        finally:
            await app_service.stop()
        log.info("%s: session ended", peer)

    async def _relay(self, websocket: web.WebSocketResponse, app_service: AppService, peer: str) -> None:
        """Pass the page's messages to its app until it closes; a malformed one ends this session with one log line."""
        async for message in websocket:
            if message.type == WSMsgType.ERROR:
                log.warning("%s: websocket error: %s", peer, websocket.exception())
                return
            try:
                kind, data = read_envelope(message.data if message.type == WSMsgType.TEXT else b"")
            except MalformedInput as error:
                log.warning("%s: closed its session: it sent %s", peer, error)
                await websocket.close()
                return
            if kind == "stdin":
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize":
                await app_service.set_terminal_size(*data)
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    async def _refuse(self, request: web.Request, websocket: web.WebSocketResponse, line: str) -> web.WebSocketResponse:
        """The page shows what it receives as terminal output: one line, left on screen a while, then closed."""
        await websocket.prepare(request)
        await websocket.send_bytes(f"\r\n  {line}\r\n".encode())
        loop = asyncio.get_running_loop()
        ends = loop.time() + (REFUSED_HOLD_S if self.held_refusals < MAX_HELD_REFUSALS else 0)
        self.held_refusals += 1
        try:
            while (left := ends - loop.time()) > 0:  # what the page sends meanwhile (its size, a ping) is dropped
                try:
                    message = await asyncio.wait_for(websocket.receive(), left)
                except asyncio.TimeoutError:
                    break
                if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
                    break
        finally:
            self.held_refusals -= 1
        await websocket.close()
        return websocket

