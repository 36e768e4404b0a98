"""Settings as a flat TOML file: read one into settings changes, and write the settings back out.

Keys are the long options with underscores (`lr = 0.0001`, `x_min = 0`, `optimizer = "adam"`), plus
`preset = "NAME"`. Layers, each overriding the one before: the defaults, the preset (the command line's,
else the file's), the file's own keys, then the command-line flags. A setting left unset (None) is
written as a comment, and leaving it out of a file leaves it unset.

Floats are written with `repr`, the shortest text that reads back to the same float, so feeding
`descent run --print-config` back in reproduces a run exactly.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

from engine.settings.app_options import AppOptionError, checked_glyphs
from engine.settings.errors import SettingError
from engine.settings.presets import preset_changes
from engine.settings.racers import Racer, parse_race
from engine.settings.run_settings import SETTING_NAMES, Settings, validate

try:
    import tomllib
except ImportError:  # Python 3.10: the same parser, packaged as tomli
    import tomli as tomllib

PRESET_KEY = "preset"
RACE_KEY = "race"
"""Not a setting of one run: the racers of a race, as a TOML list of `OPT` or `OPT@LR`."""
GLYPHS_KEY, RECORD_KEY = "glyphs", "record"
"""The app's own options (engine/settings/app_options.py): how plots are drawn, and a file to record the session in."""
MAX_CONFIG_BYTES = 1024 * 1024
"""A settings file is a few hundred bytes; the bound keeps a wrong path (a disk image) from filling memory."""


class ConfigError(ValueError):
    """A config file can't be used: missing, not TOML, or with an unknown key or a value of the wrong type."""


@dataclass(frozen=True)
class ConfigFile:
    """What a config file asks for."""

    preset: str | None
    """The preset it starts from, if it names one."""
    changes: dict
    """Settings it sets, by field name, with their types checked."""
    race: tuple[Racer, ...] | None = None
    """`race = ["manual@1e-4", "adam@0.05"]`: the racers, checked; None when the file races nobody."""
    glyphs: str | None = None
    """`glyphs = "ascii"`: how the app draws its plots; None when the file leaves it to the environment."""
    record: str | None = None
    """`record = "demo.cast"`: the app records its session there; None: no recording."""


def _expected_type(annotation: str) -> str:
    """The TOML-side type a setting takes: int, float, str, bool or list of str."""
    base = str(annotation).replace(" | None", "").replace("None | ", "").strip()
    return "list of str" if base.startswith(("tuple", "list")) else base


_TYPES = {f.name: _expected_type(f.type) for f in fields(Settings)}


COLUMN_KEYS = ("x_column", "y_column")
"""Settings that take a column's name or its 1-based position: a TOML int is a position."""


def _converted(key: str, value, source: str):
    """The value as its setting takes it; ConfigError naming the key and the type expected."""
    expected = _TYPES[key]
    ok = {
        "int": isinstance(value, int) and not isinstance(value, bool),
        # TOML writes `x_min = 0` for a whole number: an int is a fine float.
        "float": isinstance(value, (int, float)) and not isinstance(value, bool),
        "str": isinstance(value, str),
        "bool": isinstance(value, bool),
        "list of str": isinstance(value, list) and all(isinstance(item, str) for item in value),
    }.get(expected, False)
    if key in COLUMN_KEYS and isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # `x_column = 2`: a 1-based position, as `--x-column 2` is on the command line
    if not ok and key in COLUMN_KEYS:
        what = "a column's name (a str) or its 1-based position (an int)"
        raise ConfigError(f"{source}: {key} must be {what} (got {_toml_type(value)} {_brief(value)})")
    if not ok:
        article = "an" if expected[0] in "aeiou" else "a"
        raise ConfigError(f"{source}: {key} must be {article} {expected} (got {_toml_type(value)} {_brief(value)})")
    if expected == "float":
        return float(value)
    if expected == "list of str":
        return tuple(value)
    return value


def _toml_type(value) -> str:
    for kind, name in ((bool, "a bool"), (int, "an int"), (float, "a float"), (str, "a str"), (list, "an array"), (dict, "a table")):
        if isinstance(value, kind):
            return name
    return "a " + type(value).__name__  # dates and times


def _brief(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_config(text: str, source: str = "config") -> ConfigFile:
    """A config file's preset and settings changes; ConfigError naming `source` and the problem."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib's message ends "(at line L, column C)": the line a person fixes.
        raise ConfigError(f"{source}: not valid TOML: {error}") from None
    except RecursionError:
        # tomllib recurses once per nested array or table: `lr = [[[[…` thousands deep exhausts the stack
        raise ConfigError(f"{source}: not valid TOML for settings: arrays or tables nested too deeply") from None
    preset = race = None
    changes = {}
    app_options = {}
    for key, value in table.items():
        if key in (GLYPHS_KEY, RECORD_KEY) and key not in _TYPES:
            app_options[key] = _app_option(key, value, source)
            continue
        if key == RACE_KEY and RACE_KEY not in _TYPES:
            race = _race(value, source)
            continue
        if key == PRESET_KEY:
            if not isinstance(value, str):
                raise ConfigError(f"{source}: preset must be a str (got {_toml_type(value)} {_brief(value)})")
            preset = value
            continue
        if key not in _TYPES:
            close = difflib.get_close_matches(key, (*SETTING_NAMES, PRESET_KEY, RACE_KEY, GLYPHS_KEY, RECORD_KEY), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise ConfigError(f"{source}: unknown key {key!r}{hint}")
        changes[key] = _converted(key, value, source)
    return ConfigFile(preset, changes, race, **app_options)


def _app_option(key: str, value, source: str) -> str:
    """`glyphs` (one of app_options.GLYPHS) or `record` (a file name); ConfigError naming the key if bad."""
    if not isinstance(value, str) or (key == RECORD_KEY and not value.strip()):
        wanted = "a file name" if key == RECORD_KEY else "a str"
        raise ConfigError(f"{source}: {key} must be {wanted} (got {_toml_type(value)} {_brief(value)})")
    if key == GLYPHS_KEY:
        try:
            return checked_glyphs(value)
        except AppOptionError as error:
            raise ConfigError(f"{source}: glyphs {error}") from None
    return value


def _race(value, source: str) -> tuple[Racer, ...]:
    """`race = ["manual@1e-4", "adam@0.05"]` (or one string, as --race takes it) → the racers; ConfigError if bad."""
    if not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(item, str) for item in value))):
        example = '["manual@1e-4", "adam@0.05"]'
        raise ConfigError(f"{source}: race must be a list of str like {example} (got {_toml_type(value)} {_brief(value)})")
    try:
        return parse_race(value)
    except SettingError as error:
        raise ConfigError(f"{source}: race: {error.message}") from None


def read_config(path: str | Path) -> ConfigFile:
    """A config file from disk; ConfigError for a missing file, a folder, an unreadable or bad one."""
    path = Path(path)
    try:
        if path.is_dir():
            raise ConfigError(f"{path}: is a folder, not a config file")
        if path.exists() and not path.is_file():
            # a FIFO or /dev/zero would block or never end: refuse it, as the CSV reader does
            raise ConfigError(f"{path}: not a regular file")
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
        if len(raw) > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: more than {MAX_CONFIG_BYTES:,} bytes, too large for a settings file")
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 text") from None
    except OSError as error:
        raise ConfigError(f"{path}: can't be read ({error.strerror})") from None
    return parse_config(text, str(path))


def layered_settings(preset: str | None = None, config: ConfigFile | None = None, changes: dict | None = None) -> Settings:
    """Defaults < preset < config file < changes (the command line), checked once all are applied."""
    preset = preset or (config.preset if config else None)
    merged = preset_changes(preset) if preset else {}
    merged.update(config.changes if config else {})
    merged.update(changes or {})
    return validate(replace(Settings(), **merged))


def config_text(settings: Settings, header: str = "descent settings") -> str:
    """Every setting as flat TOML, one per line with its help; unset ones as comments."""
    lines = [f"# {header}: use with `descent --config FILE` or `descent run --config FILE`"]
    group = None
    for f in fields(Settings):
        if f.metadata.get("group") != group:
            group = f.metadata.get("group")
            lines += ["", f"# {group}"]
        value = getattr(settings, f.name)
        help_text = f.metadata.get("help", "").replace("\n", " ")
        if value is None:
            lines.append(f"# {f.name} is unset: {help_text}")
        else:
            try:
                lines.append(f"{f.name} = {toml_value(value, _TYPES[f.name])}  # {help_text}")
            except UnicodeError as error:
                raise SettingError(f.name, str(error)) from None
    return "\n".join(lines) + "\n"


def toml_value(value, expected: str = "") -> str:
    """One TOML value: floats by repr (exact round trip), strings escaped, sequences as arrays."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if expected == "float" or isinstance(value, float):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"TOML settings must be finite (got {number!r})")
        return repr(number)
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML form for {type(value).__name__}")


class NotUtf8(UnicodeError):
    """A string TOML can't hold: a file name with bytes that are not UTF-8 (legal on Linux, kept as surrogates)."""


def _toml_string(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        raise NotUtf8(f"'{shown}' is not valid UTF-8, which a TOML settings file can't hold: rename the file") from None
    # A JSON string is a TOML basic string but for DEL, which TOML wants escaped. C1 controls, line
    # separators and bidi overrides are legal raw but would act on a terminal showing the file: escaped too.
    return _TERMINAL_ACTIVE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


_TERMINAL_ACTIVE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
