"""Command-line options made from the engine's settings, shared by `descent run` and the app."""

from __future__ import annotations

import argparse
import sys
from dataclasses import MISSING, fields
from typing import NoReturn

from engine.settings.run_settings import Settings, option_name
from tui.workers.pace import DEFAULT_FPS, LITE_FPS, MAX_FPS  # noqa: F401  (the command's --fps bounds)

USAGE_ERROR = 2


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit 2, without the usage block."""

    def error(self, message: str) -> NoReturn:
        fail(message)

    def parse_known_args(self, args=None, namespace=None):
        # Python 3.11's argparse drops a lone `--` value (`--lr=--`) and hands the option an empty list;
        # refused here, before argparse sees it, through its public entry point (subcommands' parsers too).
        args = sys.argv[1:] if args is None else list(args)
        for arg in args:
            if arg == "--":  # what follows is positional
                break
            option, equals, value = arg.partition("=")
            if equals and value == "--" and len(option) > 1 and option[0] in self.prefix_chars:
                self.error(f"argument {option}: expected one argument")
        return super().parse_known_args(args, namespace)


def fail(message: str) -> NoReturn:
    """Print `descent: error: MESSAGE` on stderr and exit 2; a name or header it quotes can't drive the terminal."""
    from tui.widgets.literal import visible

    sys.stderr.write(f"descent: error: {visible(message)}\n")
    raise SystemExit(USAGE_ERROR)


def _integer(text: str) -> int:
    try:
        return int(text.replace("_", ""))
    except ValueError:
        # Accept 1e6 for a count, as people type it, but only when it is a whole number.
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not value.is_integer():
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        return int(value)


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


BEST = "best"
"""What `--lr best` and `--momentum best` give: worked out once the data exist (engine/maths/best_lr.py)."""


def _number_or_best(text: str) -> float | str:
    return BEST if text.strip().lower() == BEST else _number(text)


_BEST_SETTINGS = ("lr", "momentum")
_TYPES = {"int": _integer, "float": _number, "float | None": _number, "str": str, "str | None": str, "int | None": _integer}


def add_setting_options(parser: argparse.ArgumentParser) -> None:
    """One option per setting, grouped as in the app's panel; defaults stay unset so files and presets can fill them."""
    groups: dict[str, argparse._ArgumentGroup] = {}
    for f in fields(Settings):
        group_name = f.metadata["group"]
        group = groups.setdefault(group_name, parser.add_argument_group(group_name))
        default = f.default if f.default is not MISSING else None
        # argparse hides `choices` behind the metavar: name them in the help, where people look.
        help_text = f.metadata["help"] + (f"; one of: {', '.join(f.metadata['choices'])}" if "choices" in f.metadata else "")
        # a help that names its own default ("default: all of them") says it better than "(default: None)"
        if f.name in _BEST_SETTINGS:
            help_text += "; or best: the one leaving the least loss after the run's steps (MSE, model linear in θ)"
        if default is not None or "default:" not in help_text:
            help_text += f" (default: {default})"
        if f.type in ("bool", bool):
            group.add_argument(option_name(f.name), dest=f.name, action=argparse.BooleanOptionalAction, default=None, help=help_text)
            continue
        kwargs = {"choices": f.metadata["choices"]} if "choices" in f.metadata else {}
        group.add_argument(
            option_name(f.name),
            dest=f.name,
            type=_number_or_best if f.name in _BEST_SETTINGS else _TYPES[str(f.type)],
            default=None,
            metavar=f.name.upper(),
            help=help_text,
            **kwargs,
        )

