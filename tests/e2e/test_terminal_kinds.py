"""Terminals unlike the developer's: no colour (NO_COLOR), and a window resized while the app runs."""

import re

import pytest

from tests.e2e.terminal import Terminal, box_titled

READY = "ready  step 0"
PANEL_ROW = re.compile(r"^lr\s+0\.0001", re.M)
"""The parameter panel's lr row: on screen while the panel is."""


@pytest.mark.slow
def test_without_colour_the_legend_tells_points_from_fit_by_glyph():
    with Terminal(env={"NO_COLOR": "1"}) as term:
        term.wait_for(READY)
        fit = box_titled(term.lines(), "fit")
        legend = {}
        for row in fit.canvas:
            for glyphs, name in re.findall(r"(\S\S) (points|least squares|fit)\b", row):
                legend[name] = glyphs
        assert set(legend) == {"points", "least squares", "fit"}, fit.canvas
        assert len(set(legend.values())) == 3, legend
        term.press("q")
        assert term.wait_exit() == 0


@pytest.mark.slow
def test_a_resize_steps_the_panel_aside_keeps_the_fit_and_comes_back():
    with Terminal() as term:
        term.wait_for(READY)
        assert PANEL_ROW.search(term.text())
        term.press("space")
        term.resize(60, 20)
        term.wait_until(lambda: not PANEL_ROW.search(term.text()) and box_titled(term.lines(), "fit"), "the panel to step aside at 60×20")
        fit = box_titled(term.lines(), "fit")
        assert fit.rows >= 8 and fit.right - fit.left > 40, term.text()
        term.resize(100, 30)
        term.wait_until(lambda: PANEL_ROW.search(term.text()), "the panel back at 100×30")
        term.resize(50, 15)
        term.wait_for("descent needs a terminal of at least")
        term.resize(80, 24)
        term.wait_until(lambda: box_titled(term.lines(), "fit"), "the plots back at 80×24")
        term.press("q")
        assert term.wait_exit() == 0


PANELS = {"y": "lr_max", "a": "Autograd", "c": "n: one"}
"""A key that opens a panel at 80×24, and words that show once it is open."""


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(PANELS))
def test_the_fit_keeps_8_rows_with_a_panel_open_at_80x24(key):
    with Terminal() as term:
        term.wait_for(READY)
        term.press(key)
        term.wait_for(PANELS[key])
        # a wait, not one look: the terminal may show a frame half repainted while the layout moves
        term.wait_until(lambda: (fit := box_titled(term.lines(), "fit")) is not None and fit.rows >= 8, "8 rows of fit", timeout=20)
        term.press("q")
        assert term.wait_exit() == 0
