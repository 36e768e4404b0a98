"""Signals that end the app the way `q` does, so the terminal is always given back as it was.

Textual puts the terminal in raw mode on the alternate screen. SIGTERM (`kill`) and SIGHUP (the
window closed) would otherwise end the process on the spot and leave the shell without echo, on a
blank screen; an outside SIGINT (`kill -INT`) ended it with status 0. And ctrl+c, which Textual 8
turns into a hint, quits like in any other command.
"""

from __future__ import annotations

import asyncio
import os
import signal

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a ctrl+c
QUIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
"""SIGINT too: ctrl+c in the app is a key (raw mode), so a SIGINT comes from outside (`kill -INT`) and exits 130."""


def exit_code(signum: int) -> int:
    return 128 + signum


def exit_on_signals(app) -> list[int]:
    """Make SIGTERM and SIGHUP call `app.exit` from the app's loop; the signals installed, to undo later."""
    loop = asyncio.get_running_loop()
    installed = []
    for signum in QUIT_SIGNALS:
        try:
            loop.add_signal_handler(signum, lambda signum=signum: app.exit(return_code=exit_code(signum)))
        except (NotImplementedError, RuntimeError, ValueError):
            continue  # not the main thread (a test runner's), or no signals (Windows): nothing to restore then
        installed.append(signum)
    return installed


def restore_signals(installed: list[int]) -> None:
    loop = asyncio.get_running_loop()
    for signum in installed:
        loop.remove_signal_handler(signum)


def hangup_safe(driver_class: type) -> type:
    """Textual's terminal driver, minus its restart of the terminal on the SIGCONT that comes with a hangup.

    When the terminal closes, the kernel sends SIGHUP and then SIGCONT. Textual's driver restarts application
    mode on any SIGCONT (it means "back from ctrl+z"); on a terminal that is gone, that left a process that
    never exited when the window was closed in the first second (benchmarks/startup.py closes it at once).
    """
    from textual.drivers.linux_driver import LinuxDriver

    if not issubclass(driver_class, LinuxDriver):
        return driver_class  # the browser's driver (descent serve) or Windows': no such signal

    class HangupSafeDriver(driver_class):
        def resume_application_mode(self) -> None:
            if os.isatty(self.fileno):  # after a hangup the terminal answers no more: nothing to resume
                super().resume_application_mode()

    return HangupSafeDriver
