"""The `descent` command: bare (or with options) it opens the app; `descent run` descends headless."""

from __future__ import annotations

import argparse
import sys

from tui.options import DEFAULT_FPS, MAX_FPS, OneLineParser, add_setting_options, fail, settings_from

DESCRIPTION = "Watch gradient descent fit a line to noisy points, with PyTorch's autograd."


def build_parser() -> OneLineParser:
    parser = OneLineParser(prog="descent", description=DESCRIPTION)
    add_setting_options(parser)
    fps_help = f"frames the app draws per second (1..{MAX_FPS}, default {DEFAULT_FPS})"
    parser.add_argument("--fps", type=_fps, default=DEFAULT_FPS, help=fps_help)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    run = commands.add_parser("run", help="descend without the app and print a summary", description="Descend headless and report.")
    add_setting_options(run)
    run.add_argument("--json", action="store_true", help="print one JSON object on stdout instead of the summary")
    run.add_argument("--plot", action="store_true", help="print the final scatter and fitted line as ASCII")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    settings = settings_from(args)
    if args.command == "run":
        from tui.headless import run_headless

        return run_headless(settings, as_json=args.json, plot=args.plot)
    from tui.app import make_app

    make_app(settings, fps=args.fps, dataset=_dataset_or_fail(settings)).run()
    return 0


def _fps(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_FPS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_FPS} (got {value})")
    return value


def _dataset_or_fail(settings):
    """A data file that can't be read is a bad option: say so on the command line, before the screen opens."""
    if settings.data is None:
        return None
    from engine.csv_data import read_csv
    from engine.errors import DataError

    try:
        return read_csv(settings.data, settings.x_column, settings.y_column)
    except DataError as error:
        fail(str(error))


if __name__ == "__main__":
    raise SystemExit(main())
