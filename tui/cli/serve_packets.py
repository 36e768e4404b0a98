"""The pipe protocol between `descent serve` and a served app (Textual's web driver), read without textual-serve's
private helpers: a prelude line, then packets of one type byte, a 4-byte big-endian length and the payload.

Types: D (terminal output, or keys going in), M (JSON meta: resize, quit, exit, a file delivery), P (a packed
tuple: a chunk of a file the app delivers to the browser). P's payload is a bencode-like encoding (Textual's
`_binary_encode`), of which the web driver sends only tuples of strings, bytes, integers and None; this module
decodes that subset itself, so a private module renamed upstream can't break downloads silently
(tests/serve/test_packets.py round-trips what Textual's encoder writes).
"""

from __future__ import annotations

import asyncio

PRELUDE = b"__GANGLION__\n"
"""The line a Textual app under the web driver writes before its first packet."""
PRELUDE_LINES = 10
"""Lines read while waiting for the prelude (textual-serve's figure): anything else printed first is skipped."""
MAX_PACKET_BYTES = 64 << 20
"""The longest packet read from an app: a full 320×120 truecolour screen is about 2 MB; more is not an app's."""


class PacketError(ValueError):
    """A packet the web driver never writes."""


def encode_packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


async def read_prelude(stdout: asyncio.StreamReader) -> bool:
    """Whether the app wrote the prelude within its first PRELUDE_LINES lines."""
    for _ in range(PRELUDE_LINES):
        line = await stdout.readline()
        if not line:
            return False
        if line == PRELUDE:
            return True
    return False


async def read_packet(stdout: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """(type, payload) of the next packet; asyncio.IncompleteReadError at the end of the stream."""
    head = await stdout.readexactly(5)
    size = int.from_bytes(head[1:], "big")
    if size > MAX_PACKET_BYTES:
        raise PacketError(f"a packet of {size} bytes")
    return head[:1], await stdout.readexactly(size)


def decode_packed(data: bytes) -> object:
    """A P packet's payload: None (N), booleans (T/F), i<int>e, <n>:<bytes>, s<n>:<utf-8>, l…e lists, t…e tuples,
    d…e dicts. PacketError for anything else, or for bytes left over."""
    value, end = _decode(data, 0)
    if end != len(data):
        raise PacketError("bytes after a packed value")
    return value


def _decode(data: bytes, at: int) -> tuple[object, int]:
    if at >= len(data):
        raise PacketError("a packed value cut short")
    head = data[at : at + 1]
    if head in (b"N", b"T", b"F"):
        return {b"N": None, b"T": True, b"F": False}[head], at + 1
    if head == b"i":
        end = data.index(b"e", at)
        return int(data[at + 1 : end]), end + 1
    if head in (b"l", b"t", b"d"):
        items, at = [], at + 1
        while data[at : at + 1] != b"e":
            item, at = _decode(data, at)
            items.append(item)
        if head == b"d":
            if len(items) % 2:
                raise PacketError("a packed dict with a key and no value")
            return dict(zip(items[::2], items[1::2], strict=True)), at + 1
        return (items if head == b"l" else tuple(items)), at + 1
    text = head == b"s"
    start = at + 1 if text else at
    colon = data.find(b":", start)
    if colon < 0 or not data[start:colon].isdigit():
        raise PacketError(f"an unknown packed type {head!r}")
    end = colon + 1 + int(data[start:colon])
    if end > len(data):
        raise PacketError("a packed string cut short")
    chunk = data[colon + 1 : end]
    return (chunk.decode("utf-8") if text else chunk), end
