"""The `descent` command: bare (or with options) it opens the app; `descent run` descends headless."""

from __future__ import annotations

import sys

from tui.options import OneLineParser, add_setting_options, settings_from

DESCRIPTION = "Watch gradient descent fit a line to noisy points, with PyTorch's autograd."


def build_parser() -> OneLineParser:
    parser = OneLineParser(prog="descent", description=DESCRIPTION)
    add_setting_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    run = commands.add_parser("run", help="descend without the app and print a summary", description="Descend headless and report.")
    add_setting_options(run)
    run.add_argument("--json", action="store_true", help="print one JSON object on stdout instead of the summary")
    run.add_argument("--plot", action="store_true", help="print the final scatter and fitted line as ASCII")
    run.add_argument(
        "--race",
        metavar="OPT,OPT,…",
        help="run these optimizers (e.g. manual,momentum,adam) on the same data from the same start, in order, instead of "
        "--optimizer; --json prints {\"runs\": [...]}; exit 1 only when every one diverged",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    settings = settings_from(args)
    if args.command == "run" and args.race is not None:
        from tui.race_run import run_race

        return run_race(settings, args.race, as_json=args.json, plot=args.plot)
    if args.command == "run":
        from tui.headless import run_headless

        return run_headless(settings, as_json=args.json, plot=args.plot)
    build_parser().print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
