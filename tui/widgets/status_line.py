"""One or two lines under the plots: where the run is, its numbers, its speed and its state."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tui.literal import visible

STATE_STYLES = {
    "loading": "dim",
    "ready": "bold",
    "running": "bold green",
    "paused": "bold yellow",
    "done": "bold cyan",
    "diverged": "bold red",
    "error": "bold red",
}
MAX_NAMED = 4
"""A model with more parameters than this (poly:9) shows the first few: the line has no room for more."""


def _number(value: float) -> str:
    return f"{value:.4g}"


class StatusLine(Widget):
    """step i / total, loss, parameters and their gradients, steps/s, device, pace and state.

    A fixed height of two lines: a Static whose height follows its text would re-lay out the
    whole screen on every frame, which costs the run more than the drawing itself.
    """

    DEFAULT_CSS = """
    StatusLine { height: 2; padding: 0 1; background: $boost; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._text = Text()

    def render(self) -> Text:
        return self._text

    def show(
        self,
        state: str,
        snapshot=None,
        total_steps: int = 0,
        rate: float | None = None,
        device: str = "",
        pace: str = "",
        note: str = "",
    ) -> None:
        text = Text()

        def part(label: str, value: str, style: str = "") -> None:
            if text:
                text.append("  ")
            if label:
                text.append(f"{label} ", style="dim")
            text.append(value, style=style)

        # the state first: it is what a glance looks for, and a narrow terminal cuts the end of the line
        text.append(state, STATE_STYLES.get(state, ""))
        if note:
            text.append(": " + visible(note), style=STATE_STYLES.get(state, ""))
        step = snapshot.step if snapshot is not None else 0
        part("step", f"{step:,} / {total_steps:,}")
        if snapshot is not None:
            part("loss", _number(snapshot.loss), "bold")
            params, grads = snapshot.params, snapshot.grads
            for name in list(params)[:MAX_NAMED]:
                part(name, _number(params[name]))
            for name in list(grads)[:MAX_NAMED]:
                part(f"∂L/∂{name}", _number(grads[name]))
            if not params:
                part("θ", f"{snapshot.layout.size:,} numbers")
        part("steps/s", "–" if rate is None else f"{rate:,.0f}")
        if device:
            part("device", device)
        if pace:
            part("", pace)
        self._text = text
        self.refresh()
