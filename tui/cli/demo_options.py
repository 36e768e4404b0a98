"""The options for demos and classrooms: `--glyphs`, `--record FILE.cast` (+ `--overwrite`), and the tour's `--autoplay`.

Layers for `--glyphs`, later ones winning: braille, the config file's `glyphs`, $DESCENT_GLYPHS, the flag. The
environment beats the file: it says what this terminal's font can draw, the file what a lesson wants.
`--record` beats the config file's `record`. None of them is a run's setting (engine/settings/app_options.py).
"""

from __future__ import annotations

import argparse
import os

from engine.settings.app_options import (
    DEFAULT_GLYPHS,
    GLYPHS,
    GLYPHS_ENV,
    GLYPHS_HELP,
    RECORD_HELP,
    AppOptionError,
    checked_autoplay,
    checked_glyphs,
)
from tui.cli.options import fail


def add_glyphs_option(parser: argparse.ArgumentParser) -> None:
    help_text = f"{GLYPHS_HELP}; one of: {', '.join(GLYPHS)} (default: {DEFAULT_GLYPHS})"
    parser.add_argument("--glyphs", metavar="GLYPHS", choices=GLYPHS, default=None, help=help_text)


def add_record_options(parser: argparse.ArgumentParser) -> None:
    record_help = f"{RECORD_HELP}; never over an existing file without --overwrite"
    parser.add_argument("--record", metavar="FILE.cast", default=None, help=record_help)
    parser.add_argument("--overwrite", action="store_true", help="let --record replace FILE.cast (when the recording ends)")


def add_autoplay_options(parser: argparse.ArgumentParser, hidden: bool = False) -> None:
    """The tour's --autoplay and --loop; `hidden` (the bare app's parser): taken only to say they are the tour's."""
    autoplay_help = "play the tour by itself: each stop stays SECONDS (and at least until its run ends); any key takes back control"
    loop_help = "with --autoplay: after the last stop, start again at stop 1 (for a booth)"
    # the tour's own leave the bare parser's value when not given (`descent --autoplay 5 tour` still autoplays)
    if hidden:
        autoplay_help = loop_help = argparse.SUPPRESS
    parser.add_argument("--autoplay", metavar="SECONDS", type=_seconds, default=None if hidden else argparse.SUPPRESS, help=autoplay_help)
    parser.add_argument("--loop", action="store_true", default=False if hidden else argparse.SUPPRESS, help=loop_help)


def _seconds(text: str) -> float:
    try:
        return checked_autoplay(float(text))
    except ValueError as error:
        message = str(error) if isinstance(error, AppOptionError) else f"{text!r} is not a number of seconds"
        raise argparse.ArgumentTypeError(message) from None


def _config(args: argparse.Namespace):
    if getattr(args, "config", None) is None:
        return None
    from engine.settings.config_file import read_config

    return read_config(args.config)  # read fine already (tui.cli.settings_sources): errors were said there


def effective_glyphs(args: argparse.Namespace) -> str:
    """--glyphs, else $DESCENT_GLYPHS, else the config file's, else braille; exit 2 naming the variable if it is bad."""
    if getattr(args, "glyphs", None) is not None:
        return args.glyphs
    from_env = os.environ.get(GLYPHS_ENV)
    if from_env:  # empty: unset, as shells leave it
        try:
            return checked_glyphs(from_env.strip())
        except AppOptionError as error:
            fail(f"{GLYPHS_ENV} (in the environment): {error}")
    config = _config(args)
    return config.glyphs if config is not None and config.glyphs is not None else DEFAULT_GLYPHS


def effective_record(args: argparse.Namespace) -> str | None:
    """The file to record in: --record, else the config file's `record`, else None; --overwrite and --loop checked.

    None in an app `descent serve` started, whatever its config file says: nothing is written on the server."""
    from tui.served import served

    record = getattr(args, "record", None)
    if record is None:
        config = _config(args)
        record = config.record if config is not None else None
    if getattr(args, "overwrite", False) and record is None:
        fail("--overwrite: only with --record FILE.cast (it lets the recording replace that file)")
    if (getattr(args, "autoplay", None) is not None or getattr(args, "loop", False)) and args.command != "tour":
        fail("--autoplay and --loop: only with descent tour (descent tour --autoplay SECONDS)")
    if getattr(args, "loop", False) and getattr(args, "autoplay", None) is None:
        fail("--loop: only with --autoplay SECONDS (it starts the tour again after its last stop)")
    return None if served() else record
