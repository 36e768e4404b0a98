"""textual-serve's Server, fenced for a room of browsers: one Origin, a bounded number of sessions, capped
terminals and input frames, each session's app in a process group of its own with a memory cap and a bounded end
(tui.cli.serve_process), idle connections timed out, the page's font served from here, and a quick, quiet stop.

Only textual-serve's public parts are used: its Server (constructor, `handle_download`, its static files and
DownloadManager) and its page's JavaScript; the app processes are this package's own. With `--present`, one app
is shared by every browser (tui.cli.serve_present). Imported only by `descent serve`, so no other command pays
for aiohttp.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shlex
import signal
import sys
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from textual_serve.server import Server

from tui.cli.serve_guard import MalformedInput, origin_allowed, reach_line, read_envelope, size_from_query
from tui.cli.serve_guard import public_url as url_for
from tui.cli.serve_process import AppProcess
from tui.cli.serve_wire import OneLineRecords, app_environment, quietly_send, whole_number

log = logging.getLogger("textual-serve")

PAGE = Path(__file__).with_name("serve_page")
"""textual-serve's page with its font served from here (no public CDN) and the --present script."""
MAX_MESSAGE_BYTES = 64 << 10
"""A websocket frame from a browser is keystrokes or a resize: 64 KB is a long paste; a larger frame closes it."""
IDLE_S = 15.0
"""A connection that sends no complete request for this long is closed (a half-open request holds nothing)."""
HEARTBEAT_S = 15.0
"""A websocket is pinged this often; one whose browser doesn't answer is closed, and its session ends."""
REFUSED_HOLD_S = 20.0
"""How long a refused browser keeps its one line on screen before the page says the session ended."""
MAX_HELD_REFUSALS = 64
"""Refused sockets held open at once: past this a refusal closes at once, so a flood of them holds nothing."""
STOP_S = 15.0
"""ctrl+c: every session is ended within this (each app's own bound is shorter), then the server closes."""


class FencedServer(Server):
    """A Server that checks each browser before its app starts, and each message before the app hears it."""

    def __init__(
        self,
        argv: list[str],
        *,
        host: str,
        port: int,
        public_url: str | None,
        max_sessions: int,
        data_dir: str | None,
        session_memory: int | None = None,
        present: bool = False,
    ) -> None:
        super().__init__(shlex.join(argv), host=host, port=port, title="descent", templates_path=PAGE)
        self.argv = argv
        self.given_url = public_url
        self.public_url = url_for(host, port, self.given_url) if port else (self.given_url or "")
        self.max_sessions = max_sessions
        self.data_dir = data_dir
        self.session_memory = session_memory
        self.sessions = 0
        self.held_refusals = 0
        self.apps: set[AppProcess] = set()
        self.sockets: set[web.WebSocketResponse] = set()
        self.presentation = None
        if present:
            from tui.cli.serve_present import Presentation

            self.presentation = Presentation(self)

    def initialize_logging(self) -> None:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", datefmt="%H:%M:%S"))
        handler.addFilter(OneLineRecords())
        logging.basicConfig(level="INFO", handlers=[handler], force=True)
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # a line per request drowns the refusals

    def bound(self, port: int) -> None:
        """The port the system gave (--port 0 asks for any free one): the page's address follows it."""
        self.port = port
        self.public_url = url_for(self.host, port, self.given_url)

    def announce(self) -> None:
        """Once listening: who can reach the app (on stderr, beyond loopback only), and where it is served."""
        line = reach_line(self.host, self.port, self.public_url, self.max_sessions)
        if line:
            print(line, file=sys.stderr, flush=True)
        print(self.serving_line(), flush=True)

    def serving_line(self) -> str:
        mode = "; --present: the first browser presents, the others watch" if self.presentation else ""
        return f"descent: serving on {self.public_url} (at most {self.max_sessions} sessions{mode}); ctrl+c stops"

    def build_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(str(PAGE)))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.get("/descent/present.js", self.handle_present_script, name="present"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        return app

    def serve(self) -> None:
        """Serve until ctrl+c or SIGTERM; OSError when the address can't be listened on."""
        self.initialize_logging()

        async def until_signalled() -> None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError):
                    loop.add_signal_handler(signum, stop.set)
            await self.run(stop)

        asyncio.run(until_signalled())

    async def run(self, stop: asyncio.Event) -> None:
        """Listen, announce the address, serve until `stop` is set, then end every session and close."""
        runner = web.AppRunner(self.build_app(), handle_signals=False, keepalive_timeout=IDLE_S, shutdown_timeout=1.0)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            self.bound(runner.addresses[0][1])
            self.announce()
            await stop.wait()
            print("descent: stopping: ending every session", flush=True)
            await self.end_sessions()
        finally:
            await runner.cleanup()

    async def end_sessions(self) -> None:
        """Close every browser's socket and end every app, within STOP_S whatever they do."""
        closing = [websocket.close() for websocket in list(self.sockets)] + [app.stop() for app in list(self.apps)]
        if closing:
            await asyncio.wait([asyncio.ensure_future(job) for job in closing], timeout=STOP_S)

    def full_line(self) -> str:
        return f"descent: all {self.max_sessions} sessions are taken; try again when someone leaves."

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.sessions >= self.max_sessions:
            page = f"<!DOCTYPE html><html><body><p>{self.full_line()}</p></body></html>"
            return web.Response(status=503, text=page, content_type="text/html")
        scheme, rest = self.public_url.split(":", 1)
        context = {
            "font_size": max(6, min(64, whole_number(request.query.get("fontsize"), 16))),
            "app_websocket_url": ("wss:" if scheme == "https" else "ws:") + rest + "/ws",
            "config": {"static": {"url": f"{self.public_url}/static/"}},
            "application": {"name": self.title},
            "present_script_url": f"{self.public_url}/descent/present.js",
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_present_script(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(PAGE / "present.js", headers={"Content-Type": "text/javascript"})

    def new_app(self, peer: str, width: int, height: int, **callbacks) -> AppProcess:
        """An app process for a browser, started at its size in the data folder, told it is served."""
        app = AppProcess(
            self.argv,
            cwd=self.data_dir,
            env=app_environment(width, height, self.data_dir, self.session_memory),
            memory_cap=self.session_memory,
            download_manager=self.download_manager,
            label=peer,
            **callbacks,
        )
        self.apps.add(app)
        return app

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_S, max_msg_size=MAX_MESSAGE_BYTES)
        peer = request.remote or "?"
        origin = request.headers.get("Origin")
        if not origin_allowed(origin, self.public_url):
            log.warning("%s: refused a websocket from Origin %.80r (only %s may open sessions)", peer, origin, self.public_url)
            return await self._refuse(request, websocket, f"descent: this app is served at {self.public_url}; open it there.")
        if self.sessions >= self.max_sessions:
            log.warning("%s: refused a session: all %d are taken", peer, self.max_sessions)
            return await self._refuse(request, websocket, self.full_line())
        self.sessions += 1  # counted before any await, so two handshakes at once can't both take the last place
        self.sockets.add(websocket)
        try:
            size = size_from_query(request.query.get("width"), request.query.get("height"))
            await websocket.prepare(request)
            if self.presentation is not None:
                await self.presentation.join(websocket, peer, request.query.get("name"), size)
            else:
                await self._session(websocket, peer, size)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 (one browser's failure is one line; the server serves on)
            log.warning("%s: session ended: %s: %s", peer, type(error).__name__, error)
        finally:
            self.sockets.discard(websocket)
            self.sessions -= 1
        return websocket

    async def _session(self, websocket: web.WebSocketResponse, peer: str, size: tuple[int, int]) -> None:
        """One browser, one app: the page's messages go to it until either ends."""
        app = self.new_app(
            peer,
            *size,
            on_output=lambda data: quietly_send(websocket, data),
            on_text=lambda text: quietly_send(websocket, text),
            on_closed=websocket.close,
        )
        try:
            await app.start()
            log.info("%s: session started (%d of %d)", peer, self.sessions, self.max_sessions)

            async def to_app(kind: str, data: object) -> bool:
                if kind == "stdin":
                    return await app.send_bytes(data.encode("utf-8", "replace"))
                if kind == "resize":
                    return await app.set_terminal_size(*data)
                return await app.send_meta({"type": kind})  # focus, blur

            await self.relay(websocket, peer, to_app)
        finally:
            await app.stop()
            self.apps.discard(app)
        log.info("%s: session ended", peer)

    async def relay(self, websocket: web.WebSocketResponse, peer: str, to_app) -> None:
        """Pass the page's messages to `to_app(kind, data)` until the socket closes or `to_app` says the app is gone;
        a malformed message ends this session with one log line; pings are answered here."""
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
            if kind == "ping":
                await quietly_send(websocket, json.dumps(["pong", data]))
            elif not await to_app(kind, data):
                await websocket.close()
                return

    async def _refuse(self, request: web.Request, websocket: web.WebSocketResponse, line: str) -> web.WebSocketResponse:
        """The page shows what it receives as terminal output: one line, left on screen a while, then closed."""
        await websocket.prepare(request)
        await quietly_send(websocket, f"\r\n  {line}\r\n".encode())
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
