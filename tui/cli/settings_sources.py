"""`--preset` and `--config` on the command line: the settings a run gets from all its layers.

Defaults < preset < config file < flags: a flag always wins, a file's key beats its preset. A
`--preset` flag replaces a `preset = ...` line in the file (the file's own keys still apply over it).
"""

from __future__ import annotations

import argparse
from dataclasses import fields

from engine.settings.config_file import ConfigError, layered_settings, read_config
from engine.settings.errors import SettingError
from engine.settings.presets import PRESETS
from engine.settings.run_settings import Settings, option_name
from tui.cli.options import fail


def add_layer_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("Presets and files")
    group.add_argument("--preset", metavar="NAME", default=None, help=f"start from a preset: {', '.join(PRESETS)} (see `descent presets`)")
    group.add_argument("--config", metavar="FILE.toml", default=None, help="read settings from a TOML file; flags override it")


def given_settings(args: argparse.Namespace) -> dict:
    """The settings given as flags (argparse leaves the others None); `best` ones are left to `best_settings`."""
    return {f.name: getattr(args, f.name) for f in fields(Settings) if getattr(args, f.name, None) not in (None, "best")}


def best_settings(args: argparse.Namespace) -> frozenset[str]:
    """The settings given as `best` (`--lr best`, `--momentum best`): worked out once the data exist."""
    return frozenset(name for name in ("lr", "momentum") if getattr(args, name, None) == "best")


def effective_settings(args: argparse.Namespace) -> Settings:
    """The run's settings from every layer; exits 2 with one line naming the file or option at fault."""
    preset = getattr(args, "preset", None)
    if preset is not None and preset not in PRESETS:
        fail(f"--preset: must be one of {', '.join(PRESETS)} (got {preset!r})")
    config = None
    if getattr(args, "config", None) is not None:
        try:
            config = read_config(args.config)
        except ConfigError as error:
            fail(str(error))
    if preset is None and config is not None and config.preset is not None and config.preset not in PRESETS:
        fail(f"{args.config}: preset must be one of {', '.join(PRESETS)} (got {config.preset!r})")
    flags = given_settings(args)
    try:
        return layered_settings(preset, config, flags)
    except SettingError as error:
        if config is not None and error.setting in config.changes and error.setting not in flags:
            fail(f"{args.config}: {error.setting}: {error.message}")
        fail(f"{option_name(error.setting)}: {error.message}")


def effective_race(args: argparse.Namespace):
    """The racers: --race, else the config file's `race`, else the preset's (the flag's, else the file's); None: no race."""
    if getattr(args, "race", None) is not None:
        return args.race
    config = read_config(args.config) if getattr(args, "config", None) is not None else None  # read fine just before
    if config is not None and config.race is not None:
        return config.race
    preset = getattr(args, "preset", None) or (config.preset if config is not None else None)
    if preset is not None and PRESETS[preset].race:
        from engine.settings.racers import parse_race

        return parse_race(PRESETS[preset].race)
    return None


def preset_lines() -> list[str]:
    """`descent presets`: each preset's name and what it shows, one per line."""
    width = max(map(len, PRESETS))
    return [f"{name:<{width}}  {preset.description}" for name, preset in PRESETS.items()]
