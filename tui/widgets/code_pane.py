"""The code of the step (key c): the PyTorch loop `--export-script` writes for these settings, with live values.

The lines are the exported script's own (tui/exports/script.py), from `def predict()` to the end of the loop:
no second generator of code. Beside the lines that compute something the pane writes its value now (ŷ, the
loss, theta.grad, theta, step). `n` walks one step phase by phase (engine/maths/step_phases.py): forward, loss,
backward, update; the phase's line is marked ▶ (visible without colour) and highlighted.
"""

from __future__ import annotations

import re

import numpy as np
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from engine.models.model_kind import is_linear_in_parameters

FIRST_LINE = "# Φ at the fitted points"
"""Where the excerpt of the script starts (the model's forward pass); an MLP's starts at its predict()."""
LAST_LINE = "# The result"
VALUE_COLUMN = 38
"""Values start at this column, or two after a longer line."""
PHASE_LINES = {
    "forward": re.compile(r"^\s+return (phi @ theta|theta @ phi_t|model\(x_train\))$"),
    "loss": re.compile(r"^\s+loss = loss_fn\(predict\(\), y_train\)$|^\s+loss = loss_fn\(model\(x_batch\), y_batch\)$"),
    "backward": re.compile(r"^\s+loss\.backward\(\)$"),
    "update": re.compile(r"^\s+(theta\.sub_\(|optimizer\.step\()"),
    "step": re.compile(r"^\s+step \+= 1$"),
}


def loop_lines(settings, dataset=None) -> list[str]:
    """The exported script's lines from the forward pass to the end of the loop, runs of blank lines made one."""
    from tui.exports.script import script_text

    text = script_text(settings, dataset)
    start = text.find(FIRST_LINE)
    if start < 0:
        start = text.find("# The predictions at every fitted point")
    text = text[start : text.find(LAST_LINE)]
    lines: list[str] = []
    for line in text.rstrip().splitlines():
        if line.strip() or (lines and lines[-1].strip()):
            lines.append(line)
    return lines


def phase_line(lines: list[str], phase: str) -> int | None:
    """The index of the first line that computes `phase` (forward, loss, backward, update or step)."""
    pattern = PHASE_LINES[phase]
    return next((i for i, line in enumerate(lines) if pattern.search(line)), None)


RESET_LINE = re.compile(r"^\s+(theta\.grad = None|optimizer\.zero_grad\()")
"""The line that clears the gradient each step: what b removes."""


def reset_line(lines: list[str]) -> int | None:
    """The index of the loop's gradient reset (theta.grad = None, or optimizer.zero_grad), or None."""
    return next((i for i, line in enumerate(lines) if RESET_LINE.search(line)), None)


def _numbers(values) -> str:
    shown = ", ".join(f"{float(v):.4g}" for v in list(values)[:3])
    return f"[{shown}{', …' if len(values) > 3 else ''}]"


class CodePane(Widget):
    """Shown instead of the loss plot; `n` here takes the next phase of a step, not a whole step."""

    can_focus = True
    DEFAULT_CSS = """
    CodePane { height: 1fr; min-height: 7; padding: 0 1; text-wrap: nowrap; text-overflow: clip; }
    CodePane:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("n", "next_phase", "Phase", tooltip="the next phase of the step: forward, loss, backward, update"),
        Binding("b", "break_it", "Break it", tooltip="forget theta.grad = None (gradients accumulate), or put it back"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines: list[str] = []
        self.problem_note = ""
        """Why the lines or the phases can't be shown for these settings, or empty."""
        self._for = None  # the settings the lines were made for
        self.phases = None
        """The step being walked (engine.maths.step_phases.step_phases), or None between steps."""
        self.phase = None
        """The newest engine.maths.step_phases.Phase shown, or None."""
        self.values: dict[str, str] = {}
        """Value beside each phase's line, by phase name."""
        self.broken = False
        """b: the loop runs without its gradient reset (tui/screens/break_it.py); that line shows as removed."""
        self.broken_note = ""
        """What the broken loop does, one line (engine/words/forgotten_words.py)."""

    # ── what the screen gives it ─────────────────────────────────────────────
    def follow(self, settings, dataset, problem, snapshot) -> None:
        """The run on screen: its code, and (between phases) its live values."""
        if settings != self._for:
            self._for, self.phases, self.phase = settings, None, None
            try:
                self.lines, self.problem_note = loop_lines(settings, dataset), ""
            except Exception as error:  # a CSV too large to embed, or unreadable: say so instead of code
                self.lines, self.problem_note = [], f"no code to show: {error}"
        if self.phase is None and snapshot is not None:
            self.values = live_values(problem, snapshot)
        self.refresh()

    def show_phase(self, phase) -> None:
        """A phase was computed: its values beside its lines, its line marked."""
        self.phase = phase
        values = {"forward": f"ŷ = {_numbers(phase.predictions)}"}
        if phase.loss is not None:
            values["loss"] = f"loss = {phase.loss:.6g}"
        if phase.gradient is not None:
            values["backward"] = f"theta.grad = {_numbers(phase.gradient)}"
        if phase.name == "update":
            values["update"] = "theta = " + (_numbers(phase.updated) if phase.updated is not None else "(the run's next θ)")
        self.values = values
        self.refresh()

    def end_step(self) -> None:
        """The walked step is done: back to live values."""
        self.phases = self.phase = None

    class NextPhase(Message):
        """n on the pane: the screen takes the step's next phase (the pane shows it when the screen says)."""

    def action_next_phase(self) -> None:
        self.post_message(self.NextPhase())

    def action_break_it(self) -> None:
        self.screen.teaching.toggle_break()

    # ── drawing ──────────────────────────────────────────────────────────────
    @property
    def marked(self) -> int | None:
        """The line of the phase shown, or None."""
        return None if self.phase is None else phase_line(self.lines, self.phase.name)

    def text(self, rows: int) -> Text:
        """The pane's text in `rows` rows: a title, then the lines around the marked one (or the loop's update)."""
        state = f"phase: {self.phase.name}" if self.phase is not None else "n: one phase at a time · b: break it"
        title = Text.assemble(("The loop", "bold"), (f" as --export-script writes it · {state}", "dim"))
        if not self.lines:
            return Text("\n").join([title, Text(self.problem_note, style="dim")])
        marked = self.marked
        reset = reset_line(self.lines) if self.broken else None
        focus = marked if marked is not None else reset if reset is not None else phase_line(self.lines, "update") or 0
        rows = max(1, rows - (2 if self.broken else 1))
        first = min(max(0, focus - rows // 2), max(0, len(self.lines) - rows))
        by_line = {phase_line(self.lines, name): value for name, value in self.values.items()}
        shown = [title]
        for index in range(first, min(len(self.lines), first + rows)):
            line = self.lines[index]
            here = index == marked
            if index == reset:  # removed, as a diff shows it: visible without colour
                row = Text("- ", style="bold red")
                row.append(line, style="strike red")
                row.append(" " * max(2, VALUE_COLUMN - len(line)) + "◂ forgotten (b puts it back)", style="bold red")
                row.no_wrap = True
                shown.append(row)
                continue
            row = Text("▶ " if here else "  ", style="bold")
            row.append(line, style="bold reverse" if here else "")
            value = by_line.get(index)
            if value:
                row.append(" " * max(2, VALUE_COLUMN - len(line)) + "◂ " + value, style="bold")
            row.no_wrap = True
            shown.append(row)
        if self.broken:  # under the title: the first thing read, never cut off at the pane's foot
            shown.insert(1, Text(self.broken_note or "b: theta.grad = None forgotten", style="bold red"))
        text = Text("\n").join(shown)
        text.no_wrap, text.overflow = True, "crop"  # code is not wrapped: a long line is cut at the pane's edge
        return text

    def render(self):
        return self.text(self.size.height or 12)


def live_values(problem, snapshot) -> dict[str, str]:
    """The values beside the lines between phases: the run's own, at its newest snapshot."""
    if problem is None or snapshot is None:
        return {}
    values = {"loss": f"loss = {snapshot.loss:.6g}", "step": f"step = {snapshot.step:,}"}
    values["backward"] = f"theta.grad = {_numbers(snapshot.gradient)}"
    values["update"] = f"theta = {_numbers(snapshot.vector)}"
    model = problem.model
    if is_linear_in_parameters(model):
        first = problem.dataset.x[problem.train[:4]]  # as the forward phase shows ŷ: the first three, then …
        values["forward"] = "ŷ = " + _numbers(model.curve(snapshot.vector, np.asarray(first, dtype=np.float64)))
    return values
