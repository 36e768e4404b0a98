"""`--glyphs braille|blocks|ascii` at 80×24: which characters each plot, the landscape and the race are drawn with."""

from __future__ import annotations

import pytest

from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state, wait_until
from tui.app import make_app
from tui.widgets.fit_plot import FitPlot
from tui.widgets.landscape_view import LandscapeView
from tui.widgets.loss_curve_view import LossCurveView
from tui.widgets.loss_plot import LossPlot
from tui.widgets.plotting.glyphs import QUADRANTS, ascii_of, quadrant_of
from tui.widgets.race_landscape import RaceLandscapeView
from tui.widgets.race_plots import RaceFitPlot, RaceLossPlot

RUN = Settings(steps=200, device="cpu")


def braille(text: str) -> set[str]:
    return {char for char in text if 0x2800 <= ord(char) <= 0x28FF}


def drawn(app, widget) -> str:
    """The widget's cells as the screen shows them (the compositor's strips, cut to the widget's region)."""
    region = widget.region
    rows = [strip.text for strip in app.screen._compositor.render_strips()]
    return "\n".join(row[region.x : region.right] for row in rows[region.y : region.bottom])


def check(text: str, glyphs: str) -> None:
    """What every plot must hold in each glyph set: braille only in braille, nothing but ASCII in ascii."""
    if glyphs == "braille":
        assert braille(text)
    else:
        assert not braille(text), sorted(braille(text))
    if glyphs == "blocks":
        assert set(text) & set(QUADRANTS[1:])
    if glyphs == "ascii":  # letters of the labels aside (λ, θ: in every font), nothing but ASCII
        assert all(ord(char) < 128 or char.isalpha() for char in text), sorted({c for c in text if ord(c) >= 128 and not c.isalpha()})


async def run_to_the_end(pilot):
    await wait_for_state(pilot, "ready")
    await pilot.press("t", "space")
    await wait_for_state(pilot, "done")
    await pilot.pause()


@pytest.mark.parametrize("glyphs", ["braille", "blocks", "ascii"])
async def test_the_fit_and_the_loss_in_each_glyph_set(glyphs):
    app = make_app(RUN, glyphs=glyphs)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_to_the_end(pilot)
        fit, loss = drawn(app, app.screen.query_one(FitPlot)), drawn(app, app.screen.query_one(LossPlot))
        for text in (fit, loss):
            check(text, glyphs)
        if glyphs == "ascii":
            assert "*" in fit  # the points, drawn a cell each at 100 points
            assert set(fit) & set("-_/\\")  # the fitted line
            assert set(loss) & set("-_/\\|")  # the loss curve
            assert "+" in fit and "|" in fit  # the frame and its ticks


@pytest.mark.slow
@pytest.mark.parametrize("glyphs", ["blocks", "ascii"])
async def test_the_landscape_in_each_glyph_set(glyphs):
    app = make_app(RUN, glyphs=glyphs)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_to_the_end(pilot)
        await pilot.press("l")
        await pilot.pause()
        view = app.screen.query_one(LandscapeView)
        text = drawn(app, view)
        assert not braille(text)
        marks = {"blocks": "•◆×", "ascii": "o@x"}[glyphs]
        grid = "\n".join(text.split("\n")[1:-1])  # the rows of cells, under the legend and over the ranges
        assert set(marks) <= set(grid) | set(marks[2])  # the path and now on the grid (the optimum may share a cell)
        assert marks[2] in view.render().plain  # the optimum's mark, in the legend at least
        if glyphs == "ascii":
            assert all(ord(char) < 128 for char in grid)


@pytest.mark.slow
@pytest.mark.parametrize("glyphs", ["blocks", "ascii"])
async def test_the_race_its_landscape_and_its_legend_in_each_glyph_set(glyphs):
    app = make_app(Settings(steps=150, device="cpu"), race=("manual@1e-4", "momentum@1e-4", "adam@0.05"), glyphs=glyphs)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_to_the_end(pilot)
        screen = app.screen
        texts = [drawn(app, screen.query_one(RaceFitPlot)), drawn(app, screen.query_one(RaceLossPlot))]
        await pilot.press("l")
        await pilot.pause()
        texts.append(drawn(app, screen.query_one(RaceLandscapeView)).split("\n", 1)[1].rsplit("\n", 1)[0])
        markers = {"blocks": "●▲■", "ascii": "O^#"}[glyphs]
        for text in texts[1:]:
            assert set(markers) <= set(text)  # every racer's marker on its curve and its path
        for text in texts:
            assert not braille(text)
            if glyphs == "ascii":
                assert all(ord(char) < 128 for char in text)
        status = "\n".join(strip.text for strip in screen._compositor.render_strips())
        for marker, name in zip(markers, ("manual", "momentum", "adam"), strict=True):
            assert f"{marker} {name}" in status  # the legend's marker is the one the plots draw


@pytest.mark.slow
@pytest.mark.parametrize("glyphs", ["blocks", "ascii"])
async def test_the_valley_view_in_each_glyph_set(glyphs):
    from tui.widgets.valley_view import ValleyView

    app = make_app(RUN, glyphs=glyphs)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_to_the_end(pilot)
        await pilot.press("v")
        await pilot.pause()
        view = app.screen.query_one(ValleyView)
        await wait_until(pilot, lambda: view.display and view.caption.startswith("steep"), what="the valley's lines")
        await pilot.pause()
        text = drawn(app, view)
        check(text, glyphs)
        if glyphs == "ascii":
            assert "o" in text  # the predicted lines' dots


@pytest.mark.slow
async def test_the_loss_curve_of_a_one_parameter_model_in_ascii():
    app = make_app(Settings(model="slope", steps=100, device="cpu"), glyphs="ascii")
    async with app.run_test(size=(80, 24)) as pilot:
        await run_to_the_end(pilot)
        await pilot.press("l")
        await pilot.pause()
        text = drawn(app, app.screen.query_one(LossCurveView))
        check(text, "ascii")
        assert "o" in text and "@" in text  # the path and now on the curve


@pytest.mark.parametrize(
    ("rows_lit", "expected"),
    [
        ({(3, 0), (3, 1)}, "_"),  # a flat line along the cell's bottom
        ({(1, 0), (1, 1)}, "-"),
        ({(3, 0), (2, 0), (1, 1), (0, 1)}, "/"),  # rising: the left column lower
        ({(0, 0), (1, 0), (2, 1), (3, 1)}, "\\"),
        ({(0, 0), (1, 0), (2, 0), (3, 0)}, "|"),
        ({(3, 1)}, "."),
        ({(0, 0)}, "'"),
        ({(1, 0), (2, 0), (1, 1), (2, 1)}, "*"),  # ⠶, the points' marker
        ({(r, c) for r in range(4) for c in range(2)}, "#"),
        (set(), " "),
    ],
)
def test_a_braille_cell_in_ascii_is_the_character_of_its_shape(rows_lit, expected):
    bit = {(0, 0): 0x01, (1, 0): 0x02, (2, 0): 0x04, (3, 0): 0x40, (0, 1): 0x08, (1, 1): 0x10, (2, 1): 0x20, (3, 1): 0x80}
    assert ascii_of(sum(bit[cell] for cell in rows_lit)) == expected


def test_a_braille_cell_in_blocks_lights_the_quarters_its_dots_fall_in():
    assert quadrant_of(0x01) == "▘" and quadrant_of(0x80) == "▗"  # top-left dot; bottom-right dot
    assert quadrant_of(0x01 | 0x02 | 0x08 | 0x10) == "▀"  # the top two rows
    assert quadrant_of(0x40 | 0x08) == "▞"  # bottom-left and top-right
    assert quadrant_of(0xFF) == "█" and quadrant_of(0) == " "
    assert {quadrant_of(bits) for bits in range(256)} == set(QUADRANTS)  # every quarter pattern is reachable
