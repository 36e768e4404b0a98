"""Reading a setting from what was typed, and checking it with the engine's own rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import Field, replace

from textual.validation import ValidationResult, Validator

from engine.settings.errors import SettingError
from engine.settings.run_settings import Settings, validate
from tui.served import check_readable


def _shown(text: str) -> str:
    """The typed text as a message quotes it: long pastes are cut, so the message stays one short line."""
    return repr(text if len(text) <= 24 else text[:20] + "…")


def parse_value(field: Field, text: str):
    """The typed value of a setting; ValueError with a message when the text can't be one."""
    kind = str(field.type)
    optional = kind.endswith("| None")
    text = text.strip()
    if not text:
        if optional:
            return None
        raise ValueError("needs a value")
    if kind.startswith("int"):
        try:
            return int(text.replace("_", ""))
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                raise ValueError(f"{_shown(text)} is not a whole number") from None
            if not number.is_integer():
                raise ValueError(f"{_shown(text)} is not a whole number") from None
            return int(number)
    if kind.startswith("float"):
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{_shown(text)} is not a number") from None
    return text


def format_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def check(field: Field, text: str, applied: Settings) -> tuple[object, str | None]:
    """(value, None) when the text is a valid value of the setting with the others as applied, else (None, why)."""
    if field.name in ("lr", "momentum") and text.strip().lower() == "best":
        return "best", None  # worked out from the run when applied (tui/screens/best_keys.py)
    try:
        value = parse_value(field, text)
        validate(replace(applied, **{field.name: value}))
        if field.name == "data":
            check_readable(value)  # served to a browser: said beside the field as it is typed
    except SettingError as error:
        where = "" if error.setting == field.name else f"{error.setting}: "
        return None, where + error.message
    except (ValueError, OverflowError) as error:
        return None, str(error)
    return value, None


class SettingValidator(Validator):
    """Validates an input as the setting it edits, against the other settings as applied now."""

    def __init__(self, field: Field, applied: Callable[[], Settings]) -> None:
        super().__init__()
        self.field = field
        self.applied = applied

    def validate(self, value: str) -> ValidationResult:
        _, problem = check(self.field, value, self.applied())
        return self.failure(problem) if problem else self.success()
