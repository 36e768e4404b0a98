"""The first thing a person sees: `descent` in an 80×24 terminal, space, and q."""

import re

from tests.e2e.terminal import Terminal, box_titled

READY = "ready  step 0 / 1,000"
TEACHING_KEYS = ("c", "l", "y", "a", "x", "T", "P")
"""Keys the lesson is taught with (code, landscape, analysis, autograd, why, tour, guess): a new user found them only
in help."""


def test_first_screen_then_space_moves_the_line_and_q_exits_0():
    with Terminal() as term:
        term.wait_for(READY)
        # the panel's rows come a refresh after the points (the first paint waits for no widget of theirs)
        term.wait_until(lambda: re.search(r"^lr +0\.0001", term.text(), re.MULTILINE), "the panel's lr row")
        lines = term.lines()
        fit = box_titled(lines, "fit")
        assert fit is not None and fit.rows >= 8, "\n".join(lines)
        footer = lines[-1]
        for key in TEACHING_KEYS:
            assert re.search(rf"(^|\s){re.escape(key)} [A-Z]", footer), f"the footer at 80×24 doesn't name {key}: {footer!r}"
        before = fit.canvas
        term.press("space")
        term.wait_until(lambda: re.search(r"step [1-9][\d,]* / 1,000", term.text()), "a step of the run")
        term.wait_until(lambda: (box := box_titled(term.lines(), "fit")) is not None and box.canvas != before, "the line to move")
        term.press("q")
        assert term.wait_exit() == 0
