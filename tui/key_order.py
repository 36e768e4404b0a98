"""Keys typed in one burst apply in the order typed, one after the other.

Textual forwards a key to the focused widget's queue and goes on to the next key at once; a binding runs
only when the key has bubbled back up to the app. So in `?`, Escape, `q` typed quickly, Escape and `q`
were forwarded to the plot before `?` had opened the help: the help opened after them and stayed. Here
the app forwards the next key only once the last one has been handled: its binding ran (it reached the
app), or a widget kept it (a field typed it), or, failing both, after KEY_SETTLE_S.

A terminal sends Escape as ESC, and a key typed right after it arrives in the same read: ESC q is how
terminals send alt+q. This app binds no alt key, so such a pair is what the person typed: Escape, then q.
"""

from __future__ import annotations

import asyncio
from collections import deque

from textual import events
from textual.screen import Screen

KEY_SETTLE_S = 1.0
"""The longest a key waits for the one before it, which a handler above the focused widget may have kept."""
SCREEN_SETTLE_S = 10.0
"""…or, when that one went to a screen with nothing focused yet (just pushed), which handles it only once
mounted: a help's Markdown takes ~0.5 s on a busy CPU, and seconds while torch loads."""


class KeysInOrder:
    """The app's keys, queued and handed on one at a time; the app calls `take`, `forwarded` and `reached_app`."""

    def __init__(self, forward) -> None:
        self._forward = forward
        """async key ↦ None: what the app does with a key (priority bindings, then the focused widget)."""
        self._pending: deque[events.Key] = deque()
        self._handled: dict[int, asyncio.Event] = {}
        self._task: asyncio.Task | None = None

    def take(self, key: events.Key) -> None:
        """A key arrived: queue it; hand it on now if nothing is in flight."""
        self._pending.append(key)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._drain())

    def reached_app(self, key: events.Key) -> None:
        """The key bubbled back to the app, whose bindings have run: the next may go."""
        handled = self._handled.get(id(key))
        if handled is not None:
            handled.set()

    async def _drain(self) -> None:
        while self._pending:
            key = self._pending.popleft()
            handled = self._handled[id(key)] = asyncio.Event()
            stopped = watch_stop(key)
            try:
                target = await self._forward(key)
                if target is None:
                    continue  # a priority binding took it (ctrl+c): nothing more to wait for
                # runs after the key's handler at the focused widget: a field that typed it stopped it there
                target.call_later(lambda stopped=stopped, handled=handled: handled.set() if stopped() else None)
                try:
                    await asyncio.wait_for(handled.wait(), SCREEN_SETTLE_S if isinstance(target, Screen) else KEY_SETTLE_S)
                except asyncio.TimeoutError:
                    pass
            finally:
                self._handled.pop(id(key), None)


def _never() -> bool:
    return False


def watch_stop(key: events.Key):
    """A function telling whether a handler called `key.stop()`, through Textual's public `stop` only.

    The key's own `stop` is wrapped (a Key has an instance dict: the probe STOP_WATCHABLE checks it once). Where
    it can't be, nothing is known and a key a field typed waits KEY_SETTLE_S for the next: slower, never out of order.
    """
    if not STOP_WATCHABLE:
        return _never
    calls: list[bool] = []
    stop = key.stop

    def recorded(flag: bool = True):
        calls.append(flag)
        return stop(flag)

    key.stop = recorded
    return lambda: bool(calls) and calls[-1]


def _stop_watchable() -> bool:
    """The probe: can a Key's `stop` be wrapped on the instance, and does the wrapper see Textual's call?"""
    try:
        key = events.Key("a", "a")
        seen = []
        stop = key.stop
        key.stop = lambda flag=True: (seen.append(flag), stop(flag))[1]
        key.stop()
        return seen == [True]
    except (AttributeError, TypeError):  # a Key with __slots__ and no instance dict
        return False


STOP_WATCHABLE = _stop_watchable()
"""Whether watch_stop can see a key being stopped (probed once, at import)."""


def split_escape(key: events.Key) -> list[events.Key]:
    """alt+X as the two keys a quick Escape, X reads as in a terminal; any other key as it is."""
    if not key.key.startswith("alt+") or key.character is None or len(key.character) != 1:
        return [key]
    return [events.Key("escape", "\x1b"), events.Key(key.key.removeprefix("alt+"), key.character)]
