"""Memory of one `descent serve` session: the app process a browser's websocket starts, after a whole run.

Starts `descent serve` on 127.0.0.1 (a free port), opens a websocket the way the page does (aiohttp as the
client, the page's Origin), waits for the app to be ready, presses space, waits for the run to finish, and
reads the app process's memory from /proc: RSS (what `ps` shows), and PSS and private (what N sessions add
each, as torch's libraries are shared between them). One session at 80×24, one asking for 10,000×10,000
(the server caps it at tui.cli.serve_guard's MAX_COLUMNS×MAX_ROWS). Its private memory is set beside
tui.cli.serve's SESSION_BYTES, the figure the default --max-sessions divides free memory by.
With --watchers N, `descent serve --present` instead: one presenter runs the 1000 steps, then N watchers join
(each a websocket reading all it is sent, as a page does); the server's and the app's RSS are printed before and
after, and what each watcher adds.
Usage: python benchmarks/serve_memory.py [--timeout 120] [--watchers 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from tui.cli.serve import SESSION_BYTES
from tui.cli.serve_guard import MAX_COLUMNS, MAX_ROWS

ROOT = Path(__file__).resolve().parent.parent
MB = 1e6


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (the shell textual-serve starts, and the app it execs)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def memory(pid: int) -> dict[str, int]:
    """rss, pss and private bytes of one process (smaps_rollup)."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) * 1024
    return {"rss": fields["Rss"], "pss": fields["Pss"], "private": fields["Private_Clean"] + fields["Private_Dirty"]}


async def one_session(port: int, width: int, height: int, server_pid: int, timeout: float) -> tuple[dict[str, int], float]:
    """(the app process's memory after a finished run, seconds from the handshake to a ready app)."""
    url = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as client:
        async with client.ws_connect(f"ws://127.0.0.1:{port}/ws?width={width}&height={height}", headers={"Origin": url}) as ws:
            await ws.send_json(["resize", {"width": width, "height": height}])
            started, seen, ready_s = time.monotonic(), b"", None
            deadline = started + timeout
            while time.monotonic() < deadline:
                try:
                    message = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
                except asyncio.TimeoutError:
                    break
                if message.type != aiohttp.WSMsgType.BINARY:
                    if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                        break
                    continue
                seen = (seen + message.data)[-4096:]
                if ready_s is None and b"ready" in seen:
                    ready_s = time.monotonic() - started
                    await ws.send_json(["stdin", " "])  # space: run the 1000 steps
                elif ready_s is not None and b"done" in seen:
                    break
            else:
                raise SystemExit(f"no finished run within {timeout} s")
            apps = [pid for pid in descendants(server_pid) if "tui.cli" in Path(f"/proc/{pid}/cmdline").read_text()]
            figures = [memory(pid) for pid in apps]
            total = {key: sum(figure[key] for figure in figures) for key in ("rss", "pss", "private")}
    return total, ready_s or float("nan")


async def present_room(port: int, watchers: int, server_pid: int, timeout: float) -> list[tuple[str, int, int, int]]:
    """(moment, watchers, server RSS, app RSS) with the presenter alone after its run, then with every watcher in."""
    url = f"http://127.0.0.1:{port}"
    headers = {"Origin": url}

    def rss() -> tuple[int, int]:
        apps = [pid for pid in descendants(server_pid) if "tui.cli" in Path(f"/proc/{pid}/cmdline").read_text()]
        return memory(server_pid)["rss"], sum(memory(pid)["rss"] for pid in apps)

    async def drain(ws, got: dict) -> None:
        async for message in ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                got["bytes"] += len(message.data)
            elif message.type == aiohttp.WSMsgType.TEXT and '"watcher"' in message.data:
                got["told"] = True

    rows = []
    async with aiohttp.ClientSession() as client:
        presenter = await client.ws_connect(f"ws://127.0.0.1:{port}/ws?width=80&height=24", headers=headers)
        seen, ran, deadline = b"", False, time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = await presenter.receive(timeout=max(0.1, deadline - time.monotonic()))
            if message.type != aiohttp.WSMsgType.BINARY:
                continue
            seen = (seen + message.data)[-4096:]
            if not ran and b"ready" in seen:
                ran = True
                await presenter.send_json(["stdin", " "])
            elif ran and b"done" in seen:
                break
        else:
            raise SystemExit(f"no finished run within {timeout} s")
        rows.append(("presenter alone, after its run", 0, *rss()))
        sockets, got = [], [{"bytes": 0, "told": False} for _ in range(watchers)]
        for index in range(watchers):
            ws = await client.ws_connect(f"ws://127.0.0.1:{port}/ws?width=120&height=40", headers=headers)
            sockets.append((ws, asyncio.create_task(drain(ws, got[index]))))
        while time.monotonic() < deadline and not all(each["told"] and each["bytes"] > 10_000 for each in got):
            await asyncio.sleep(0.2)  # every watcher told the presenter's size and sent the whole screen
        await asyncio.sleep(1.0)
        rows.append((f"{watchers} watchers in, each sent the screen", watchers, *rss()))
        for ws, task in sockets:
            await ws.close()
            task.cancel()
        await presenter.close()
    return rows


def present_main(args: argparse.Namespace) -> None:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tui.cli", "serve", "--present", "--port", str(port), "--max-sessions", str(args.watchers + 1)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        server.stdout.readline()  # printed once it listens
        rows = asyncio.run(present_room(port, args.watchers, server.pid, args.timeout))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("`descent serve --present`: one app process for the room; RSS of the server and of the app")
    for moment, _, server_rss, app_rss in rows:
        print(f"{moment:>40}: server {server_rss / MB:6.1f} MB  app {app_rss / MB:6.1f} MB  together {(server_rss + app_rss) / MB:6.1f} MB")
    (_, _, server0, app0), (_, n, server1, app1) = rows
    each = ((server1 + app1) - (server0 + app0)) / n
    print(f"each watcher adds {each / MB:.2f} MB (server {(server1 - server0) / n / MB:.2f}, app {(app1 - app0) / n / MB:.2f})")
    print(f"without --present, {n + 1} browsers are {n + 1} app processes of about {app0 / MB:.0f} MB RSS each")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a session may take to finish its run")
    parser.add_argument("--watchers", type=int, default=0, help="measure `descent serve --present` with this many watchers")
    args = parser.parse_args()
    if args.watchers > 0:
        return present_main(args)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tui.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--max-sessions", "2"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        rows = []
        for width, height in ((80, 24), (10_000, 10_000)):
            figures, ready_s = asyncio.run(one_session(port, width, height, server.pid, args.timeout))
            rows.append((width, height, figures, ready_s))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"one session of `descent serve`, after a 1000-step run; terminal capped at {MAX_COLUMNS}×{MAX_ROWS}")
    for width, height, figures, ready_s in rows:
        asked = f"{width}×{height}"
        print(
            f"asked {asked:>13}: RSS {figures['rss'] / MB:6.0f} MB  PSS {figures['pss'] / MB:6.0f} MB  "
            f"private {figures['private'] / MB:6.0f} MB   ready in {ready_s:.1f} s"
        )
    private = max(figures["private"] for *_, figures, _ in rows)
    shared = max(figures["rss"] - figures["private"] for *_, figures, _ in rows)
    verdict = "ok" if private <= SESSION_BYTES else "TOO LOW"
    ratio = private / SESSION_BYTES
    print(f"SESSION_BYTES (tui.cli.serve): {SESSION_BYTES / MB:.0f} MB; largest private {private / MB:.0f} MB: ratio {ratio:.2f} {verdict}")
    room = (shared + 30 * private) / 1e9
    print(f"30 sessions: about {room:.1f} GB (the shared {shared / MB:.0f} MB of libraries once, private memory 30 times)")

if __name__ == "__main__":
    main()
