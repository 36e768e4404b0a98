"""`--theme NAME`: one of Textual's built-in themes, checked before the app starts.

The app applies it (`app.theme = name`); the plots follow it through textual-plotext's auto theme.
`NO_COLOR` needs nothing here: Textual's App reads it and draws in monochrome, and rich (the
headless progress bar) does the same.
"""

from __future__ import annotations

from tui.cli.options import fail


def theme_names() -> tuple[str, ...]:
    from textual.theme import BUILTIN_THEMES  # imported only when a theme is asked for: textual is slow to load

    return tuple(BUILTIN_THEMES)


def checked_theme(name: str | None) -> str | None:
    """The theme name, or exit 2 naming the allowed ones."""
    if name is None:
        return None
    names = theme_names()
    if name not in names:
        fail(f"--theme: must be one of {', '.join(names)} (got {name!r})")
    return name
