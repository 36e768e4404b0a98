"""The small parts of `descent serve` around its server (tui.cli.serve_server): its log lines, a served app's
environment, sending to a browser that may have gone, and reading a number from a page's address."""

from __future__ import annotations

import contextlib
import logging
import os
from importlib.metadata import version
from pathlib import Path

from aiohttp import web

from engine.data.memory_guard import SESSION_MEMORY_ENV
from tui.cli.serve_guard import clamp_size
from tui.served import DATA_DIR_ENV, SERVED_ENV

DRIVER = "tui.served_driver:ServedWebDriver"
"""Textual's web driver, with a repaint on request (a watcher joining a presentation needs the whole screen)."""


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


def app_environment(width: int, height: int, data_dir: str | None, memory_cap: int | None = None) -> dict[str, str]:
    """A served app's environment: what textual-serve gives its apps, descent's fence, and an import path of
    absolute folders only (a relative PYTHONPATH entry would name a folder inside the data folder)."""
    width, height = clamp_size(width, height)
    environment = dict(os.environ)
    environment.update(
        TEXTUAL_DRIVER=DRIVER,
        TEXTUAL_FPS="60",
        TEXTUAL_COLOR_SYSTEM="truecolor",
        TERM_PROGRAM="textual",
        TERM_PROGRAM_VERSION=version("textual-serve"),
        COLUMNS=str(width),
        ROWS=str(height),
    )
    environment[SERVED_ENV] = "1"
    environment[DATA_DIR_ENV] = data_dir or ""
    if memory_cap:
        environment[SESSION_MEMORY_ENV] = str(memory_cap)  # the app's memory guard refuses what would pass it
    if environment.get("PYTHONPATH"):
        entries = [str(Path(entry).resolve()) for entry in environment["PYTHONPATH"].split(os.pathsep) if entry]
        environment["PYTHONPATH"] = os.pathsep.join(entries)
    return environment


async def quietly_send(websocket: web.WebSocketResponse, data: bytes | str) -> None:
    """Send to a browser that may have gone: a closed socket is the session ending, not an error."""
    if websocket.closed:
        return
    with contextlib.suppress(ConnectionError, RuntimeError):
        await (websocket.send_bytes(data) if isinstance(data, bytes) else websocket.send_str(data))


def whole_number(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None and len(text) <= 6 else default
    except ValueError:
        return default
