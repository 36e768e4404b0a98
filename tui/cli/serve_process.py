"""One served app's process, ended within a bounded time whatever it does.

textual-serve starts each app through `/bin/sh -c` and, on leaving, waits on it without a bound: a kill then
ends only the shell, and an app that stops reading its input holds its browser's place for good. Here the app
is started without a shell, in a session (process group) of its own, and
- a write to it that the app doesn't take within INPUT_STALL_S ends it (a flood of keys can't wedge a session);
- its resident memory is read every MEMORY_POLL_S, and past the cap (`descent serve --session-memory`) it is ended;
- stopping asks it to quit, waits APP_EXIT_S, then kills its whole group and waits at most KILL_WAIT_S.
It speaks Textual's web-driver protocol (tui.cli.serve_packets) and hands its files to textual-serve's public
DownloadManager, which calls back `send_meta` and reads `app_service_id`, as it does for textual-serve's own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from tui.cli.serve_packets import PacketError, decode_packed, encode_packet, read_packet, read_prelude

log = logging.getLogger("textual-serve")

APP_EXIT_S = 5.0
"""How long an app may take to quit once asked (it saves nothing on the server, so quitting is quick)."""
KILL_WAIT_S = 5.0
"""How long to wait for the app's group once killed: the kernel ends it at once; this bounds a wedged reaper."""
INPUT_STALL_S = 10.0
"""How long a write to the app may wait for it to read: an app that reads nothing that long is stuck."""
MEMORY_POLL_S = 0.5
"""How often a session's memory is read: a flood of keys grows an app by about 100 MB/s, so this overshoots little."""
STDERR_KEEP = 4096
"""The tail of an app's stderr kept, for the one log line that says why it ended."""

Output = Callable[[bytes], Awaitable[None]]
Text = Callable[[str], Awaitable[None]]
Closed = Callable[[], Awaitable[None]]


def resident_bytes(pid: int) -> int | None:
    """A process's resident memory: /proc on Linux, psutil elsewhere (a dependency where there is no /proc)."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    try:
        import psutil

        return int(psutil.Process(pid).memory_info().rss)
    except Exception:  # noqa: BLE001 (no psutil, or the process is gone: nothing to measure)
        return None


class AppProcess:
    """A served app: `argv` run in `cwd` with `env`; its output goes to `on_output`, its browser-bound JSON to
    `on_text`, and `on_closed` is awaited once when it ends (by itself, killed, or stopped)."""

    def __init__(
        self,
        argv: list[str],
        *,
        cwd: str | None,
        env: dict[str, str],
        memory_cap: int | None,
        on_output: Output,
        on_text: Text,
        on_closed: Closed,
        download_manager,
        label: str = "?",
    ) -> None:
        self.app_service_id = uuid.uuid4().hex  # DownloadManager matches a session's downloads by this
        self.argv, self.cwd, self.env, self.memory_cap = argv, cwd, env, memory_cap
        self.on_output, self.on_text, self.on_closed = on_output, on_text, on_closed
        self.download_manager = download_manager
        self.label = label
        self.process: asyncio.subprocess.Process | None = None
        self.ended_by: str | None = None
        self._tasks: list[asyncio.Task] = []
        self._stderr = bytearray()
        self._closed = asyncio.Event()
        self._stopping = False

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            cwd=self.cwd,
            env=self.env,
            start_new_session=True,  # its own process group: a kill reaches whatever it started too
        )
        self._tasks = [asyncio.create_task(self._pump()), asyncio.create_task(self._read_stderr())]
        if self.memory_cap:
            self._tasks.append(asyncio.create_task(self._watch_memory()))

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None and not self._closed.is_set()

    async def send_bytes(self, data: bytes) -> bool:
        return await self._write(encode_packet(b"D", data))

    async def send_meta(self, data: dict) -> bool:
        return await self._write(encode_packet(b"M", json.dumps(data).encode()))

    async def set_terminal_size(self, width: int, height: int) -> bool:
        return await self.send_meta({"type": "resize", "width": width, "height": height})

    async def _write(self, packet: bytes) -> bool:
        stdin = self.process.stdin if self.process is not None else None
        if stdin is None or stdin.is_closing() or self._closed.is_set() or self.ended_by is not None:
            return False  # gone, or being killed: a write could only wait
        try:
            stdin.write(packet)
            await asyncio.wait_for(stdin.drain(), INPUT_STALL_S)
        except asyncio.TimeoutError:
            self._end(f"it read none of its input for {INPUT_STALL_S:g} s")
            return False
        except (ConnectionError, RuntimeError, OSError):
            return False
        return True

    async def _pump(self) -> None:
        """Read the app's packets until it ends; then say it closed."""
        stdout = self.process.stdout
        try:
            if not await read_prelude(stdout):
                self.ended_by = self.ended_by or "it did not start as a served Textual app"
                return
            while True:
                kind, payload = await read_packet(stdout)
                if kind == b"D":
                    await self.on_output(payload)
                elif kind == b"M":
                    await self._on_meta(json.loads(payload))
                elif kind == b"P":
                    await self._on_packed(decode_packed(payload))
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        except (PacketError, ValueError, KeyError, TypeError) as error:
            self._end(f"it wrote a packet the protocol has not ({type(error).__name__}: {error})")
        finally:
            self._closed.set()
            await self.on_closed()

    async def _on_meta(self, meta: dict) -> None:
        kind = meta.get("type")
        if kind == "exit":
            self._closed.set()
        elif kind == "open_url":
            await self.on_text(json.dumps(["open_url", {"url": meta["url"], "new_tab": meta["new_tab"]}]))
        elif kind == "deliver_file_start":
            key = str(meta["key"])
            await self.download_manager.create_download(
                app_service=self,
                delivery_key=key,
                file_name=Path(meta["path"]).name,
                open_method=meta["open_method"],
                mime_type=meta["mime_type"],
                encoding=meta["encoding"],
                name=meta.get("name"),
            )
            await self.on_text(json.dumps(["deliver_file_start", key]))

    async def _on_packed(self, value: object) -> None:
        if isinstance(value, (list, tuple)) and len(value) == 3 and value[0] == "deliver_chunk":
            await self.download_manager.chunk_received(value[1], value[2])

    async def _read_stderr(self) -> None:
        while chunk := await self.process.stderr.read(4096):
            self._stderr += chunk
            del self._stderr[:-STDERR_KEEP]

    async def _watch_memory(self) -> None:
        while self.process.returncode is None:
            used = resident_bytes(self.process.pid)
            if used is None:
                return  # nothing here can measure it; the machine's own limits apply
            if used > self.memory_cap:
                self._end(f"its memory passed {self.memory_cap // 1_000_000} MB (--session-memory)")
                return
            await asyncio.sleep(MEMORY_POLL_S)

    def _end(self, why: str) -> None:
        """Kill the app's whole group now, saying why once."""
        if self.ended_by is None:
            self.ended_by = why
            log.warning("%s: its app was ended: %s", self.label, why)
        self._kill_group()

    def _kill_group(self) -> None:
        process = self.process
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)  # the group is the app's own: start_new_session
            elif process.returncode is None:
                process.kill()

    async def stop(self) -> None:
        """Ask the app to quit, then kill its group; returns within about APP_EXIT_S + KILL_WAIT_S + INPUT_STALL_S."""
        if self.process is None or self._stopping:
            return
        self._stopping = True
        process = self.process
        await self.download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        if process.returncode is None and await self.send_meta({"type": "quit"}):
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(process.wait(), APP_EXIT_S)
        self._kill_group()  # whatever is left in its group, the app itself included
        try:
            await asyncio.wait_for(process.wait(), KILL_WAIT_S)
        except asyncio.TimeoutError:
            log.warning("%s: its app (pid %d) did not end within %g s of a kill", self.label, process.pid, KILL_WAIT_S)
        for task in self._tasks:
            task.cancel()
        await asyncio.wait(self._tasks, timeout=KILL_WAIT_S)
        if process.stdin is not None:
            process.stdin.close()  # the last open pipe: closing it lets asyncio release the transport now
        if self._stderr and process.returncode not in (0, -signal.SIGKILL):
            last = bytes(self._stderr).decode("utf-8", "replace").strip().splitlines()[-1:]
            log.warning("%s: its app ended with status %s: %.200s", self.label, process.returncode, last[0] if last else "")
