"""`descent --data FILE.csv`, typed as a person would: the file's facts, its axis names and every one of its points."""

import re

import pytest

from tests.e2e.conftest import STUDY
from tests.e2e.terminal import Box, Terminal, box_titled, plot_text
from tui.widgets.fit_plot import POINT_GLYPH_BITS

LEGEND_ENTRY = re.compile(r"\S\S (points|least squares|fit)\b")


def points_drawn(fit: Box) -> int:
    """Cells showing a point (its ⠶, maybe with a line's dots added) in the fit's canvas, the legend's own markers left out."""
    cells = (ord(char) for row in fit.canvas for char in LEGEND_ENTRY.sub("", row))
    return sum(1 for code in cells if 0x2800 <= code <= 0x28FF and code & POINT_GLYPH_BITS == POINT_GLYPH_BITS)


@pytest.mark.slow
@pytest.mark.parametrize("named", [False, True], ids=["plain", "columns-named"])
def test_a_csv_shows_its_facts_axis_names_and_points(study_csv, survey_csv, named):
    args = ("--data", str(survey_csv), "--x-column", "hours", "--y-column", "score") if named else ("--data", str(study_csv))
    with Terminal(*args) as term:
        term.wait_for("ready  step 0")
        lines = term.lines()
        text = "\n".join(lines)
        name = (survey_csv if named else study_csv).name
        assert name in text and re.search(r"rows\s+10\b", text), text  # the file's facts in the Data group
        assert not re.search(r"^noise\s+10\b", text, re.M), text  # not the tutorial's settings
        fit = box_titled(lines, "fit")
        drawn = plot_text(lines, fit)
        assert "hours" in drawn and "score" in drawn, drawn
        assert points_drawn(fit) == len(STUDY), drawn  # none hidden under the least-squares line
        term.press("space")  # the fitted line crosses them as it moves: still all drawn
        term.wait_until(lambda: re.search(r"step [1-9]", term.text()), "the run to take steps")
        fit = box_titled(term.lines(), "fit")
        assert points_drawn(fit) == len(STUDY), plot_text(term.lines(), fit)
        term.press("q")
        assert term.wait_exit() == 0


@pytest.mark.slow
def test_a_stream_with_lr_best_is_read_once(study_csv, tmp_path):
    """`descent --data <(cat f.csv) --lr best`: the stream is read once, for best and for the run (read twice, the
    second read found it empty and descent exited 2)."""
    import os
    import threading

    fifo = tmp_path / "points.csv"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(study_csv.read_text()), daemon=True)
    writer.start()
    with Terminal("--data", str(fifo), "--lr", "best") as term:
        term.wait_for("ready  step 0")
        assert re.search(r"rows\s+10\b", term.text()), term.text()
        assert not re.search(r"^lr +0\.0001\b", term.text(), re.M), term.text()  # best replaced the tutorial's lr
        term.press("q")
        assert term.wait_exit() == 0
    writer.join(5)
