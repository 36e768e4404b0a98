"""`descent serve`: the app in a browser, for workshops where people watch on their laptops.

One `descent` app process per browser connection (with --present: one for the room, tui.cli.serve_present),
streamed over a websocket with textual-serve's page (tui.cli.serve_server fences it: one Origin, bounded sessions,
capped terminals and frames, a memory cap and a bounded end for each app). Each app is told it is served
(tui.served): it reads only files inside `--data-dir`, and its exports become the browser's downloads.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields
from pathlib import Path

from engine.settings.run_settings import Settings, option_name
from tui.cli.serve_guard import public_url, reach_line  # noqa: F401 (the tests and the server read them here too)

SESSION_BYTES = 250_000_000
"""What one more browser's session costs: its app process's private memory after a run (torch loaded), with room
for a longer run. benchmarks/serve_memory.py measures it: about 180-190 MB private (350-360 MB RSS) at 80×24 and at
the largest terminal allowed; the rest of the RSS is torch's and Python's libraries, shared by every session."""
MEMORY_SHARE = 0.75
"""The part of free memory the default --max-sessions spends: the rest is for the server, the system and spikes."""
UNKNOWN_MEMORY_SESSIONS = 8
"""The default --max-sessions where free memory can't be read."""
DEFAULT_SESSION_MB = 1000
"""--session-memory's default: about three times what a session takes after a long run (SESSION_BYTES' RSS), so only a
runaway app (a flood of keys grew one to 1 GB in 10 s) meets it."""
MIN_SESSION_MB = 400
"""Below this an app can't load torch and draw a screen: every session would end at start."""
SAFE_START = "import sys; sys.path[:] = [p for p in sys.path if p not in ('', '.')]; from tui.cli.main import main; sys.exit(main())"
"""How a served app starts: as `python -m tui.cli`, but without the folder it runs in (the data folder) first on its
import path, where `-m` and `-c` put it: a `csv.py` placed there must not run in every session (Python 3.10 has no -P)."""


def add_serve_options(parser: argparse.ArgumentParser) -> None:
    host_help = "address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0: every address)"
    parser.add_argument("--host", default="127.0.0.1", help=host_help)
    parser.add_argument("--port", type=_port, default=8000, help="port to listen on, 0 to 65535 (default: 8000; 0: a free one, announced)")
    parser.add_argument(
        "--public-url", metavar="URL", default=None, help="the address browsers open, e.g. http://192.168.1.20:8000 (default: http://HOST:PORT)"
    )
    parser.add_argument(
        "--max-sessions", metavar="N", type=_sessions, default=None, help="browsers served at once (default: as many as free memory holds)"
    )
    parser.add_argument("--data-dir", metavar="DIR", default=None, help="the folder whose CSV files participants may load (default: none)")
    parser.add_argument(
        "--session-memory",
        metavar="MB",
        type=_megabytes,
        default=DEFAULT_SESSION_MB,
        help=f"a session's app is ended when its resident memory passes MB megabytes (default: {DEFAULT_SESSION_MB})",
    )
    parser.add_argument(
        "--present",
        action="store_true",
        help="one app for the room: the first browser drives it, every other browser watches the same screen (read-only)",
    )


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be 0 to 65535 (got {value})")
    return value


def _megabytes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of megabytes") from None
    if value < MIN_SESSION_MB:
        raise argparse.ArgumentTypeError(f"must be at least {MIN_SESSION_MB} (an app with torch loaded takes about 300; got {value})")
    return value


def _sessions(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def default_max_sessions(free_bytes: int | None) -> int:
    """As many sessions as MEMORY_SHARE of free memory holds at SESSION_BYTES each; at least 1."""
    if free_bytes is None:
        return UNKNOWN_MEMORY_SESSIONS
    return max(1, int(free_bytes * MEMORY_SHARE) // SESSION_BYTES)


def data_folder(given: str | None) -> Path | None:
    """--data-dir resolved; ValueError when it is not a folder."""
    if given is None:
        return None
    folder = Path(given).expanduser().resolve()
    if not folder.is_dir():
        raise ValueError(f"--data-dir: {given!r} is not a folder")
    return folder


def app_command(args: argparse.Namespace) -> list[str]:
    """The words that start the app with the options `descent serve` was given: no shell, and the folder the app
    runs in (the data folder, if any: a participant names a file as it is there) is not on its import path."""
    words = [sys.executable, "-c", SAFE_START]
    for f in fields(Settings):
        value = getattr(args, f.name, None)
        if value is None:
            continue
        if isinstance(value, bool):
            words.append(option_name(f.name) if value else "--no-" + f.name.replace("_", "-"))
        else:
            words += [option_name(f.name), str(value)]
    if getattr(args, "preset", None):
        words += ["--preset", args.preset]
    if getattr(args, "config", None):
        # Each connection's app starts in the data folder (or the server's), but say where the file is regardless.
        words += ["--config", str(Path(args.config).resolve())]
    if getattr(args, "theme", None):
        words += ["--theme", args.theme]
    if getattr(args, "glyphs", None):
        words += ["--glyphs", args.glyphs]
    if getattr(args, "race", None):
        words += ["--race", ",".join(getattr(racer, "spec", racer) for racer in args.race)]
    return words


def serve(args: argparse.Namespace) -> int:
    """Serve the app on args.host:args.port until interrupted."""
    from engine.data.memory_guard import available_host_bytes
    from tui.cli.options import fail
    from tui.served import Fence

    try:
        url = public_url(args.host, args.port, args.public_url)
        data_dir = data_folder(args.data_dir)
    except ValueError as error:
        fail(str(error))
    if args.data is not None:
        # The host's own --data is read by every session, so it too must be a file participants may read.
        why = Fence(data_dir).data_refusal(args.data)
        if why is not None:
            fail(f"--data: under serve the file must be inside --data-dir ({args.data!r} is not)")
        args.data = str(Path(args.data).resolve())
    max_sessions = args.max_sessions or default_max_sessions(available_host_bytes())
    del url  # checked above; the server works it out again once it knows its port (--port 0)

    from tui.cli.serve_server import FencedServer

    server = FencedServer(
        app_command(args),
        host=args.host,
        port=args.port,
        public_url=args.public_url and args.public_url.strip().rstrip("/"),
        max_sessions=max_sessions,
        data_dir=None if data_dir is None else str(data_dir),
        session_memory=args.session_memory * 1_000_000,
        present=args.present,
    )
    try:
        server.serve()
    except OSError as error:  # the port is taken, or the host is not this machine's
        fail(f"can't serve on {args.host}:{args.port}: {error.strerror or error}")
    return 0
