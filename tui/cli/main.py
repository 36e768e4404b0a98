"""`descent`'s entry point: stop signals are caught before anything heavy is imported.

The command itself (tui/cli/command.py: argparse, the settings, numpy) takes a tenth of a second to
import. Imported here at the top, a ctrl+c in that tenth ended in an import traceback; imported inside
`main`, it ends like any later one: one line on stderr and 130.
"""

from __future__ import annotations


def main(argv: list[str] | None = None) -> int:
    from signal import SIGINT

    from tui.cli.stopping import reader_gone, say, signal_name, stop_on_signals, stop_signal, stopped_status

    with stop_on_signals():
        try:
            from tui.cli.command import run_command

            return run_command(argv)
        except KeyboardInterrupt as error:
            # ctrl+c, SIGTERM or SIGHUP while the command loads, torch loads or the data is made: no traceback,
            # the shell's usual status.
            signum = stop_signal(error)
            say("descent: interrupted" if signum == SIGINT else f"descent: stopped by {signal_name(signum)}")
            return stopped_status(error)
        except BrokenPipeError:
            return reader_gone()  # `descent run | head -1`: quietly, 141 (tui/cli/stopping.py)


if __name__ == "__main__":
    raise SystemExit(main())
