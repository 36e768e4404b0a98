"""One line under the plots: where the run is, its numbers, its speed and its state, whatever the width.

What does not fit is left out, least needed first (device, gradients, then the parameters); the note (a
warning, why a run diverged) gets what is left, as a headline: the whole text is in the Analysis view.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.widget import Widget

from tui.widgets.analysis_text import WHOLE_TEXT_KEY
from tui.widgets.literal import visible
from tui.workers.run_state import RunState

STATE_STYLES = {
    RunState.LOADING: "dim",
    RunState.READY: "bold",
    RunState.RUNNING: "bold green",
    RunState.PAUSED: "bold yellow",
    RunState.DONE: "bold cyan",
    RunState.DIVERGED: "bold red",
    RunState.ERROR: "bold red",
}
NOTE_MIN = 12
"""A note gets the end of the line only when at least this much room is left: fewer letters say nothing."""
NOTE_FIRST = frozenset({RunState.DIVERGED, RunState.ERROR})
"""States whose note says more than the numbers: it comes first."""
WARNING_STYLE = "bold yellow"
MAX_NAMED = 4
"""A model with more parameters than this (poly:9) shows the first few: the line has no room for more."""


def _number(value: float) -> str:
    return f"{value:.4g}"


class StatusLine(Widget):
    """state, step i / total, L−L* (or the loss), parameters and gradients, steps/s, device, pace, and a note.

    A fixed height of one line: a Static whose height follows its text would re-lay out the whole screen
    on every frame, which costs the run more than the drawing itself.
    """

    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; background: $boost; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._parts: list[tuple[int, Text]] = []
        self._state = Text()
        self._note = ""
        self._warning = False
        self._text = Text()
        self._text_for: tuple | None = None

    def render(self) -> Text:
        width = max(1, self.size.width - 2) if self.size.width else 10_000
        if self._text_for != (id(self._parts), width):
            self._text = fit_line(self._state, self._parts, self._note, width, self._warning)
            self._text_for = (id(self._parts), width)
        return self._text

    @property
    def plain(self) -> str:
        """Every part, however wide the widget: what a test or a screen reader would want."""
        return fit_line(self._state, self._parts, self._note, 10_000, self._warning).plain

    def show(
        self,
        state: RunState,
        snapshot=None,
        total_steps: int = 0,
        rate: float | None = None,
        device: str = "",
        pace: str = "",
        note: str = "",
        optimum_loss: float | None = None,
        rewound: str = "",
        warning: bool = False,
    ) -> None:
        """`warning`: the note warns (an lr past its limit): it comes first, after the state and step, at any width."""
        parts: list[tuple[int, Text]] = []

        def part(priority: int, label: str, value: str, style: str = "") -> None:
            text = Text()
            if label:
                text.append(f"{label} ", style="dim")
            text.append(value, style=style)
            parts.append((priority, text))

        # priorities: the higher, the longer it stays as the line narrows
        step = snapshot.step if snapshot is not None else 0
        part(9, "step", f"{step:,} / {total_steps:,}" + (f" · {rewound}" if rewound else ""))  # rewound: tui/screens/rewind.py
        if snapshot is not None:
            if optimum_loss is not None and math.isfinite(snapshot.loss):
                # the excess keeps moving while b crawls, when the loss itself reads the same for hundreds of steps
                part(8, "L−L*", _number(max(snapshot.loss - optimum_loss, 0.0)), "bold")
                part(2, "loss", _number(snapshot.loss))
            else:
                part(8, "loss", _number(snapshot.loss), "bold")
            params, grads = snapshot.params, snapshot.grads
            for name in list(params)[:MAX_NAMED]:
                part(6, name, _number(params[name]))
            for name in list(grads)[:MAX_NAMED]:
                part(1, f"∂L/∂{name}", _number(grads[name]))
            if not params:
                part(6, "θ", f"{snapshot.layout.size:,} numbers")
        part(5, "steps/s", "–" if rate is None else f"{rate:,.0f}")
        if device:
            part(0, "device", device)
        if pace:
            part(7, "", pace)
        self._state = Text(str(state), STATE_STYLES.get(state, ""))
        self._parts = parts
        self._note = visible(note) if note else note  # a note can quote typed text or a file name: literal, escaped
        self._warning = warning
        self.refresh()


def fit_line(state: Text, parts: list[tuple[int, Text]], note: str, width: int, warning: bool = False) -> Text:
    """The state, then the parts that fit in `width` (dropping the lowest priority first), then the note in what is left;
    a warning's note (or a diverged run's) right after the state and the step."""
    gap = 2
    if note and (state.plain in NOTE_FIRST or warning):
        # the note is the news: it follows the state, and only the step stays beside it
        line = state.copy()
        for _, text in [p for p in parts if p[0] >= max(q for q, _ in parts)][:1] if parts else []:
            line.append("  ")
            line.append_text(text)
        room = width - line.cell_len - 2
        line.append(": " if room > 0 else "")
        line.append(_headline(note, room), style=WARNING_STYLE if warning else state.style)
        return line
    kept = list(parts)

    def length(items) -> int:
        return state.cell_len + sum(gap + t.cell_len for _, t in items)

    while kept and length(kept) > width:
        lowest = min(priority for priority, _ in kept)
        kept = [p for p in kept if p[0] != lowest]  # k without b, or ∂L/∂k without ∂L/∂b, would mislead
    line = state.copy()
    for _, text in kept:
        line.append("  ")
        line.append_text(text)
    room = width - line.cell_len - gap
    if note and room >= NOTE_MIN:
        line.append("  ")
        line.append(_headline(note, room), style=state.style)
    return line


def _headline(note: str, room: int) -> str:
    """The note in `room` cells; a note cut short names the key that shows it whole, so no explanation is lost."""
    if len(note) <= room:
        return note
    more = f"… ({WHOLE_TEXT_KEY}: why)"
    if room <= len(more) + 8:
        return note[: max(room - 1, 0)] + "…"
    return note[: room - len(more)].rstrip() + more
