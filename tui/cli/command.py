"""The `descent` command: bare (or with options) it opens the app; `descent run` descends headless.

Imported by `tui.cli.main.main` once stop signals are caught (its imports take a tenth of a second).
"""

from __future__ import annotations

import argparse
import sys

from tui.cli.demo_options import add_autoplay_options, add_glyphs_option, add_record_options
from tui.cli.options import DEFAULT_FPS, LITE_FPS, MAX_FPS, OneLineParser, add_setting_options, fail
from tui.cli.serve import add_serve_options
from tui.cli.settings_sources import add_layer_options, best_settings, effective_race, effective_settings

DESCRIPTION = "Watch gradient descent fit a line to noisy points, with PyTorch's autograd."
DISTRIBUTION = "descent-tui"
"""The name on PyPI (`descent` there is another project); the command stays `descent`."""


def version_line() -> str:
    """`descent-tui 0.1.0`: the installed distribution's name and version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{DISTRIBUTION} {version(DISTRIBUTION)}"
    except PackageNotFoundError:  # run from a source tree that was never installed
        return f"{DISTRIBUTION} (not installed; version unknown)"


class _VersionAction(argparse.Action):
    """`--version`, looked up only when asked: reading installed metadata is not free at every start."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_line())
        parser.exit()


def _add_app_options(parser: OneLineParser, themes: tuple[str, ...] | None) -> None:
    add_setting_options(parser)
    add_layer_options(parser)
    theme_help = f"the app's Textual theme; one of: {', '.join(themes)}" if themes else "the app's Textual theme, e.g. nord, gruvbox"
    parser.add_argument("--theme", metavar="NAME", default=None, help=theme_help)
    fps_help = f"frames the app draws per second (1..{MAX_FPS}, default {DEFAULT_FPS}; {LITE_FPS} with --lite)"
    parser.add_argument("--fps", type=_fps, default=None, help=fps_help)
    parser.add_argument("--lite", action="store_true", help=f"for slow links: plots without colours, {LITE_FPS} frames a second")
    race_help = "race these optimizers on the same data from the same start, each at its own lr if given (e.g. manual@1e-4,adam@0.05)"
    parser.add_argument("--race", metavar="OPT[@LR],…", type=_race, help=race_help)
    add_glyphs_option(parser)


def build_parser(themes: tuple[str, ...] | None = None) -> OneLineParser:
    """The command's parser; `themes` (Textual's theme names) are listed in --theme's help when given."""
    parser = OneLineParser(prog="descent", description=DESCRIPTION)
    parser.add_argument("--version", action=_VersionAction, help="print the name and version of the installed package and exit")
    _add_app_options(parser, themes)
    add_record_options(parser)
    add_autoplay_options(parser, hidden=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    run = commands.add_parser("run", help="descend without the app and print a summary", description="Descend headless and report.")
    add_setting_options(run)
    add_layer_options(run)
    run.add_argument("--json", action="store_true", help="print one JSON object on stdout instead of the summary")
    run.add_argument("--plot", action="store_true", help="print the final scatter and fitted line as ASCII")
    run.add_argument("--print-config", action="store_true", help="print the effective settings as TOML and exit")
    history_help = "write every step's loss, parameters and gradients as CSV (a regular file: a device, FIFO, socket, /dev/stdout: refused)"
    run.add_argument("--export-history", metavar="FILE.csv", help=history_help)
    script_help = "write a standalone torch script that reproduces the run (a regular file, as --export-history)"
    run.add_argument("--export-script", metavar="FILE.py", help=script_help)
    run.add_argument(
        "--race",
        metavar="OPT[@LR],…",
        type=_race,
        help="run these optimizers (e.g. manual@1e-4,momentum@1e-4,adam@0.05; @LR: its own lr, else --lr) on the same data "
        "from the same start, instead of --optimizer; prints a table sorted by final loss; --json prints "
        "{\"runs\": [...], \"ranking\": [...]}; exit 1 only when every one diverged",
    )
    tour = commands.add_parser("tour", help="open the app in the guided tour of the tutorial's lesson", description="The guided tour.")
    _add_app_options(tour, themes)
    add_record_options(tour)
    add_autoplay_options(tour)
    commands.add_parser("presets", help="list the presets and what each shows", description="List the presets.")
    serve = commands.add_parser("serve", help="serve the app to web browsers", description="Serve the app with textual-serve.")
    _add_app_options(serve, themes)
    add_serve_options(serve)
    return parser


def run_command(argv: list[str] | None) -> int:
    """What the command line asks for; its exit status. Stop signals are `tui.cli.main`'s."""
    argv = sys.argv[1:] if argv is None else argv
    themes = None
    if {"-h", "--help"} & set(argv):
        from tui.cli.theme import theme_names  # loads textual.theme: only for the help, not at every start

        themes = theme_names()
    args = build_parser(themes).parse_args(argv)
    if args.command == "presets":
        from tui.cli.settings_sources import preset_lines

        print("\n".join(preset_lines()))
        return 0
    settings = effective_settings(args)
    args.race = effective_race(args)
    best = best_settings(args)
    if best and (args.race is not None or (args.command == "run" and args.print_config)):
        what = "a race (each racer has its own lr)" if args.race is not None else "--print-config (it is worked out when the run starts)"
        fail(f"{'--lr' if 'lr' in best else '--momentum'}: best is not for {what}; give a number")
    if args.command == "run" and args.print_config:
        from engine.settings.config_file import config_text, toml_value
        from tui.cli.run import checked

        text = checked(config_text, settings)  # a --data name TOML can't hold: exit 2 naming --data
        if args.race is not None:  # the racers too: the file then races as this command would
            text += f"race = {toml_value([racer.spec for racer in args.race])}  # the racers: OPT or OPT@LR (its own lr)\n"
        sys.stdout.write(text)
        return 0
    if args.command == "run" and args.race is not None:
        from tui.cli.race import refuse_exports, run_race

        refuse_exports(args)  # a race is several runs: one history or script would be one racer's, said nowhere

        return run_race(settings, args.race, as_json=args.json, plot=args.plot)
    if args.command == "run":
        from tui.cli.outputs import refuse_clobbering
        from tui.cli.run import run_headless

        refuse_clobbering(args, settings.data)
        return run_headless(
            settings, as_json=args.json, plot=args.plot, history=args.export_history, script=args.export_script, best=best
        )
    from tui.cli.theme import checked_theme

    args.theme = checked_theme(args.theme)
    args.fps = args.fps or (LITE_FPS if args.lite else DEFAULT_FPS)
    from tui.cli.demo_options import effective_glyphs, effective_record

    args.glyphs = effective_glyphs(args)
    if args.command == "serve":
        from tui.cli.serve import serve

        return serve(args)
    from tui.app import make_app

    record = effective_record(args)
    tour = args.command == "tour"
    dataset = _dataset_or_fail(settings)  # once: a stream (`--data <(…)`) can be read only once
    if best:
        from tui.cli.best_run import best_or_fail

        settings = best_or_fail(settings, best, dataset)  # lr and β only: the points stay the same
    app = make_app(settings, fps=args.fps, dataset=dataset, race=None if tour else args.race, lite=args.lite, tour=tour, glyphs=args.glyphs)
    app.autoplay, app.loop = getattr(args, "autoplay", None), getattr(args, "loop", False)
    if args.theme:
        app.theme = args.theme
    if record is not None:
        from tui.cli.record import run_recorded, title_of

        return run_recorded(app, record, args.overwrite, title_of(argv), inputs=(settings.data, args.config))
    app.run()
    from tui.screens.export_on_quit import report_on_exit

    return report_on_exit(app, app.return_code or 0)  # 130 after ctrl+c, 143 after SIGTERM; 1 after q stopped an export


def _race(text: str):
    from engine.settings.errors import SettingError
    from engine.settings.racers import parse_race

    try:
        return parse_race(text)
    except SettingError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def _fps(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_FPS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_FPS} (got {value})")
    return value


QUICK_POINTS = 100_000
"""Built-in data this small is made before the app starts (~15 ms at 100,000 points); more is made in the app's
thread, on screen."""


def _dataset_or_fail(settings):
    """A data file that can't be read is a bad option: say so on the command line, before the screen opens."""
    _fits_or_fail(settings)  # a CSV file: from its size, before it is read
    from tui.cli.data_input import data_or_fail

    if settings.data is None and settings.points <= QUICK_POINTS:
        from engine.data.synthetic import synthesize

        return synthesize(settings)  # the first screen has its points: the app need not wait for a thread to make them
    return data_or_fail(settings)  # a stream: counted as it is read, with a word on stderr while it is silent


def _fits_or_fail(settings) -> None:
    """Too many points for free memory: one line before the screen opens, not a refusal inside it."""
    from engine.data.memory_guard import check_fits
    from engine.settings.errors import SettingError
    from engine.settings.run_settings import option_name

    try:
        check_fits(settings)
    except SettingError as error:
        fail(f"{option_name(error.setting)}: {error.message}")  # --points, or --data for a file too large

