"""`descent --race …` at 80×24: the loss plot shows each racer's L − L* on a log axis with round ticks."""

import pytest

from tests.e2e.terminal import Terminal, box_titled
from tui.widgets.race_marks import marker_of

RACE = "manual@1e-4,momentum@1e-4,adam@0.05"


def last_row_of(box, glyph: str) -> int | None:
    """The canvas row of the rightmost `glyph` (a racer's marker)."""
    best = None
    for row, line in enumerate(box.canvas):
        column = line.rfind(glyph)
        if column >= 0 and (best is None or column > best[0]):
            best = (column, row)
    return None if best is None else best[1]


@pytest.mark.slow
def test_the_race_plots_the_excess_loss_with_round_ticks():
    with Terminal("--race", RACE) as term:
        term.wait_for("race of 3")
        term.press("t", "space")  # turbo: the race ends within a second or two
        term.wait_until(lambda: "done" in term.text() and "wins" in term.text(), "the race to end")
        loss = box_titled(term.lines(), "L − L*")
        assert loss is not None, term.text()
        labels = [float(label.replace("−", "-")) for label in loss.y_labels if label]
        assert len(labels) >= 2, term.text()
        steps = {round(a - b, 9) for a, b in zip(labels, labels[1:], strict=False)}
        assert len(steps) == 1, f"uneven ticks {labels}"
        step = steps.pop()
        assert all(abs(v / step - round(v / step)) < 1e-6 for v in labels), f"ticks not on multiples of {step}: {labels}"
        # adam ends at the minimum (L − L* ≈ 6e-6), plain descent 1000× above it: not on one row
        adam, manual = last_row_of(loss, marker_of(2)), last_row_of(loss, marker_of(0))
        assert adam is not None and manual is not None and adam > manual, term.text()
        term.press("q")
        assert term.wait_exit() == 0
