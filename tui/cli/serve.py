"""`descent serve`: the app in a browser, for workshops where people watch on their laptops.

textual-serve runs one `descent` app process per browser connection and streams it over a
websocket; the page itself is plain HTML, so anyone on the network (or just this machine, with
the default 127.0.0.1) opens http://HOST:PORT and gets their own run.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from dataclasses import fields
from pathlib import Path

from engine.settings import Settings, option_name


def app_command(args: argparse.Namespace) -> str:
    """The shell command that starts the app with the options `descent serve` was given."""
    words = [sys.executable, "-m", "tui.cli"]
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
        # Each connection's app starts in the server's folder, but say where the file is regardless.
        words += ["--config", str(Path(args.config).resolve())]
    if getattr(args, "theme", None):
        words += ["--theme", args.theme]
    if getattr(args, "race", None):
        words += ["--race", ",".join(getattr(racer, "spec", racer) for racer in args.race)]
    return shlex.join(words)


def serve(args: argparse.Namespace) -> int:
    """Serve the app on args.host:args.port until interrupted."""
    from textual_serve.server import Server

    from tui.cli.options import fail

    try:
        Server(app_command(args), host=args.host, port=args.port, title="descent").serve()
    except OSError as error:  # the port is taken, or the host is not this machine's
        fail(f"can't serve on {args.host}:{args.port}: {error.strerror or error}")
    return 0
