"""The race's status under the plots: its state, then one line per racer that is also the plots' legend.

Each racer's line starts with its marker in its colour (the same glyph the plots and the landscape draw).
While racing it shows the racer's step, loss and parameters; once the race is over the lines are ranked,
best first, with a few words on why each one trails (engine.words.race_verdict; the Analysis panel, y, has them whole).
"""

from __future__ import annotations

from rich.text import Text

from tui.widgets.literal import visible
from tui.widgets.race_marks import marker_of, rich_colour_of
from tui.workers.run_state import RunState


def race_status(state: RunState, note: str, pace: str, names: tuple[str, ...], snapshots: dict, ranked: list | None = None) -> Text:
    """`ranked`: (label, loss, words) best first once the race is over; None while it runs."""
    text = Text(no_wrap=True, overflow="ellipsis")  # one line per racer, whatever the width: the plots keep their rows
    text.append(str(state), style="bold")
    if note:
        text.append(": " + visible(note))  # a note can quote a file name: shown literally
    text.append(f"  race of {len(names)}  {pace}", style="dim")
    index_of = {name: index for index, name in enumerate(names)}
    if ranked:
        for rank, (name, loss, words) in enumerate(ranked, start=1):
            index = index_of[name]
            text.append(f"\n{rank} ")
            text.append(f"{marker_of(index)} {name}", style=f"bold {rich_colour_of(index)}")
            if loss is not None:
                text.append(f"  loss {loss:.6g}")
            text.append(f"  {words}", style="italic")
        return text
    for index, name in enumerate(names):
        text.append("\n")
        text.append(f"{marker_of(index)} {name}", style=f"bold {rich_colour_of(index)}")
        snapshot = snapshots.get(name)
        if snapshot is None:
            continue
        if snapshot.status == "diverged":
            text.append(f"  diverged at step {snapshot.diverged_at:,}", style="red")
        else:
            text.append(f"  step {snapshot.step:,}  loss {snapshot.loss:.4g}")
            text.append("  " + "  ".join(f"{k} {v:.4g}" for k, v in snapshot.params.items()), style="dim")
    return text
