"""What `descent serve` checks before a browser's word reaches an app: its Origin, its messages, its terminal size.

Pure functions, no aiohttp and no Textual, so each rule is tested on its own; tui.cli.serve_server applies them.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from urllib.parse import urlsplit

MAX_COLUMNS, MAX_ROWS = 320, 120
"""The largest terminal a browser may ask for: a 4K screen at the page's 16 px font. An app's memory grows with
its screen (every cell is drawn and kept), so a client-chosen 10,000×10,000 would make one session take gigabytes."""
MIN_COLUMNS, MIN_ROWS = 2, 2
"""The smallest: a screen of no cells is nothing to draw, and the app says below 60×18 what it needs."""
MAX_PING = 64
"""A ping's payload is echoed back: a timestamp in practice, so anything longer is not a browser's."""


class MalformedInput(ValueError):
    """A message from a browser that no textual-serve page sends; its text says why, without echoing the message."""


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size a browser asked for, held within the bounds; MalformedInput when it is not two whole numbers."""
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in (width, height)):
        raise MalformedInput("a terminal size that is not two whole numbers")
    return min(max(width, MIN_COLUMNS), MAX_COLUMNS), min(max(height, MIN_ROWS), MAX_ROWS)


def size_from_query(width: str | None, height: str | None) -> tuple[int, int]:
    """The first size, from the websocket URL's query: 80×24 where it is missing or not a number, then clamped."""

    def number(text: str | None, default: int) -> int:
        try:
            return int(text) if text is not None and len(text) <= 12 else default
        except ValueError:
            return default

    return clamp_size(number(width, 80), number(height, 24))


def read_envelope(text: object) -> tuple[str, object]:
    """(kind, data) of one websocket message from the page: ["stdin", str], ["resize", {width, height}], ["ping", str],
    ["focus"] or ["blur"]; a resize's data comes back clamped. MalformedInput for anything else."""
    if not isinstance(text, str):
        raise MalformedInput("a binary frame (the page sends only text)")
    try:
        envelope = json.loads(text)
    except ValueError:
        raise MalformedInput("a frame that is not JSON") from None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        raise MalformedInput("a frame that is not a [type, data] list")
    kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
    if kind == "stdin" and isinstance(data, str):
        return kind, data
    if kind == "resize" and isinstance(data, dict):
        return kind, clamp_size(data.get("width"), data.get("height"))
    if kind == "ping" and isinstance(data, str) and len(data) <= MAX_PING:
        return kind, data
    if kind in ("focus", "blur"):
        return kind, None
    shown = kind if len(kind) <= 20 and kind.isprintable() else kind[:20].encode("unicode_escape").decode() + "…"
    known = kind in ("stdin", "resize", "ping")
    raise MalformedInput(f"a {shown!r} frame with data it can't have" if known else f"an unknown {shown!r} frame")


def origin_of(url: str) -> str:
    """scheme://host:port of a URL, lower-cased, with the scheme's default port written out: two spellings compare equal."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        return ""
    port = port or {"http": 80, "https": 443}.get(scheme)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}" if scheme and host else ""


def origin_allowed(origin: str | None, public_url: str) -> bool:
    """Whether a websocket handshake's Origin header is the public URL's: a page from anywhere else can't drive an app."""
    return bool(origin) and origin_of(origin) == origin_of(public_url) != ""


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach a server bound to `host`."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any interface


def is_wildcard(host: str) -> bool:
    """0.0.0.0, :: or empty: every interface of this machine."""
    try:
        return host == "" or ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def public_url(host: str, port: int, given: str | None) -> str:
    """The address browsers open: --public-url as given (without a trailing /), else http://HOST:PORT.

    ValueError with a message for an address that isn't one; a wildcard host needs --public-url, since
    no browser can reach 0.0.0.0 and the page points its websocket at this address.
    """
    if given is not None:
        parts = urlsplit(given.strip())
        try:
            parts.port  # noqa: B018 (raises ValueError for a port that is not one)
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError(f"--public-url: must look like http://HOST:PORT or https://HOST/PATH (got {given!r})")
        return given.strip().rstrip("/")
    if is_wildcard(host):
        raise ValueError(
            f"--public-url: --host {host or repr(host)} listens on every address, so say which one browsers use, "
            f"e.g. --public-url http://{socket.gethostname()}:{port}"
        )
    name = f"[{host}]" if ":" in host else host
    return f"http://{name}:{port}"


def reach_line(host: str, port: int, url: str, max_sessions: int) -> str | None:
    """The one line a host reads when the app is reachable from other machines; None on loopback."""
    if is_loopback(host):
        return None
    where = "every address of this machine" if is_wildcard(host) else host
    return (
        f"descent: listening on {where}, port {port}: anyone who can reach this machine on that port can open the app "
        f"at {url} (up to {max_sessions} at once)"
    )
