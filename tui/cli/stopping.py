"""How `descent` ends when told to: ctrl+c, SIGTERM, SIGHUP, or a reader that went away.

SIGTERM (`kill`, a CI `timeout`) and SIGHUP (the terminal closed) stop a run as ctrl+c does: they
raise `Stopped`, a KeyboardInterrupt, where the run is; the run reports the last complete step,
its exports end cleanly (an unfinished one removes its `.partial` file) and the exit status is the
shell's 128 + the signal: 130, 143, 129.

A closed stdout (`descent run | head -1`) ends quietly with 141, 128 + SIGPIPE, the status a shell
reports for any command whose reader left (`yes | head`), so `set -o pipefail` still sees it. When
a signal came first (ctrl+c reaches both ends of `descent run --json | jq`), its status wins: 130.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE  # 141
_received: list[int] = []
_holding = False


class Stopped(KeyboardInterrupt):
    """A stop signal arrived; `signum` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _stop(signum: int, frame) -> None:
    _received.append(signum)
    if _holding:
        return  # inside `unbroken`: the signal stops the run where that block ends
    raise Stopped(signum)


class _Unbroken:
    """A block a stop signal does not cut in two: a signal that arrives inside it raises `Stopped` as it ends.

    `descent run` writes a step's history row and takes the step as its last in such a block: a signal
    between the two left a history one row longer than the report (step 165 written, 164 reported).
    One object for every step, entered with `with unbroken:`, so a step pays no allocation for it.
    """

    def __enter__(self) -> None:
        global _holding
        self._seen = len(_received)
        _holding = True

    def __exit__(self, kind, error, trace) -> None:
        global _holding
        _holding = False
        if kind is None and len(_received) > self._seen:
            raise Stopped(_received[self._seen])


unbroken = _Unbroken()


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the block runs, SIGINT, SIGTERM and SIGHUP raise `Stopped`; the previous handlers after it."""
    _received.clear()
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers (a test runner's worker): the defaults stay
        return
    previous = {signum: signal.signal(signum, _stop) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def stop_signal(error: BaseException | None = None) -> int:
    """The signal that stopped the command: `error`'s, else the first received, else SIGINT (a bare ctrl+c)."""
    if isinstance(error, Stopped):
        return error.signum
    return _received[0] if _received else signal.SIGINT


def stopped_status(error: BaseException | None = None) -> int:
    return 128 + stop_signal(error)


def signal_name(signum: int) -> str:
    return signal.Signals(signum).name


def reader_gone() -> int:
    """stdout's reader left: send what is still buffered nowhere, so exiting can't raise again; the status."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # stdout is not a file (a test's StringIO): nothing is left to flush
    return stopped_status() if _received else EXIT_BROKEN_PIPE


def say(line: str) -> None:
    """One line on stderr, unless stderr is gone too."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (BrokenPipeError, OSError, ValueError):
        pass
