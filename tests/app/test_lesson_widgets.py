"""Honest widgets (issue 12, items 2, 3 and 6): L − L* on the loss plot and the status, even ticks, on/off,
keys as typed, one short toast at a time, a one-line status and a fit that keeps its rows at 80×24."""

from __future__ import annotations

import math

import numpy as np
import pytest
from textual.app import App

from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state
from tui.app import TOAST_CHARS, TOAST_S, make_app
from tui.widgets.analysis_text import WHOLE_TEXT_KEY, headline
from tui.widgets.loss_plot import EXCESS_FLOOR, LossPlot
from tui.widgets.parameter_panel import OnOff
from tui.widgets.plotting.ticks import CHROME_ROWS, SMALL_ROWS, even_axis, tick_rows
from tui.widgets.status_line import StatusLine, fit_line
from tui.workers.run_state import RunState


@pytest.mark.parametrize("rows", [3, 4, 5, 7, 9, 13, 20, 31])
@pytest.mark.parametrize("low,high", [(-17.1, 113.6), (92.3, 563.0), (-2.25, 2.75), (0.0, 1e-5), (2.5, 3.0), (-1e6, 3e6), (7.0, 7.0)])
def test_ticks_are_round_contain_the_data_and_fall_every_r_rows(low, high, rows):
    axis = even_axis(low, high, rows)
    assert axis.low <= low and axis.high >= high
    if rows == 3 and not axis.ticks:
        return  # too few rows for two round ticks two rows apart: plotext's own ticks stay
    assert len(axis.ticks) >= 2
    assert (axis.high - axis.low) <= 4 * max(high - low, 1e-300) or high == low  # never mostly empty
    placed = tick_rows(axis, rows)
    gaps = set(np.diff(placed))
    assert len(gaps) == 1, placed  # evenly spaced
    assert min(gaps) >= (1 if rows <= SMALL_ROWS else 2), placed  # on adjacent rows only where there are very few
    assert all(0 <= r < rows for r in placed)
    assert len(set(axis.labels)) == len(axis.labels)  # labels say distinct values


def _plot_tick_rows(plot) -> list[int]:
    """Rows of the plot's picture where the y axis carries a tick (┤), as drawn by plotext."""
    picture = plot.picture
    column = picture.canvas.left - 1
    return [r for r, row in enumerate(picture.cells) if row[column][0] == "┤"]


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
async def test_the_plots_ticks_are_evenly_spaced_on_screen(size):
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=size) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.pause()
        screen = app.screen
        for plot in (screen.fit, screen.loss):
            assert plot.picture.canvas.rows == plot.size.height - CHROME_ROWS
            rows = _plot_tick_rows(plot)
            assert len(rows) >= 2 and len(set(np.diff(rows))) == 1, (type(plot).__name__, rows)


class _LossApp(App):
    def compose(self):
        yield LossPlot()


async def test_the_loss_plot_draws_the_excess_over_the_optimum_where_it_is_known():
    app = _LossApp()
    async with app.run_test(size=(80, 20)) as pilot:
        plot = app.query_one(LossPlot)
        plot.reset(10)
        losses = [563.0, 100.0, 92.5, 92.4, 92.39]
        plot.add(list(range(5)), losses)
        assert plot.label == "log10 loss"
        np.testing.assert_allclose(plot.log10_points()[1], np.log10(losses))
        plot.set_optimum(92.3893)
        assert plot.label == "log10(L−L*)"
        _, logs = plot.log10_points()
        # the last point is 6.9e-4 above L*: its log10 is ≈ −3.2, where log10 L reads 1.97 for the last three
        expected = [math.log10(v - 92.3893) for v in losses]
        np.testing.assert_allclose(logs, expected, rtol=1e-12)
        # a loss at or below L* (float32 rounding) is drawn at the floor, never dropped as −∞
        plot.add([5], [92.3893 - 1e-5])
        assert plot.log10_points()[1][-1] == pytest.approx(math.log10(EXCESS_FLOOR * 92.3893))
        await pilot.pause()
        assert "L* = 92.39" in "".join(char for char, _ in plot.picture.cells[0])  # the title says what is drawn
        assert "log10(L−L*)" in "".join(char for char, _ in plot.picture.cells[0])  # the axis's name, in the title


def _snapshot():
    from engine.descent.descend import descend
    from engine.descent.problem import make_problem

    return list(descend(make_problem(Settings(device="cpu", steps=20))))[-1]


def test_the_status_is_one_line_at_80_columns_and_shows_l_minus_l_star():
    status = StatusLine()
    last = _snapshot()
    status.show(RunState.RUNNING, last, 1000, 151.0, "cpu", "pace demo", optimum_loss=92.3893)
    assert f"L−L* {last.loss - 92.3893:.4g}" in status.plain
    for width in (58, 78, 98, 118):
        line = fit_line(status._state, status._parts, status._note, width)
        assert "\n" not in line.plain and line.cell_len <= width
        assert "L−L*" in line.plain and "step 20 / 1,000" in line.plain
        # k and b come and go together: one without the other would mislead
        assert ("k " in line.plain) == ("b " in line.plain)
    # without L* the loss itself is shown, and nothing claims an excess
    status.show(RunState.RUNNING, last, 1000, 151.0, "cpu", "", optimum_loss=None)
    assert "L−L*" not in status.plain and f"loss {last.loss:.4g}" in status.plain


def test_a_divergence_note_comes_first_and_is_cut_to_the_line():
    status = StatusLine()
    note = "at step 5: lr 0.0005 is 1.68× lr_max = 2/λmax = 2/6702 = 0.000298, the largest lr at which plain descent converges"
    status.show(RunState.DIVERGED, _snapshot(), 1000, 1.0, "cpu", "", note)
    line = fit_line(status._state, status._parts, status._note, 78)
    assert line.plain.startswith("diverged  step 20 / 1,000: at step 5: lr 0.0005")
    assert line.cell_len <= 78 and line.plain.endswith(f"… ({WHOLE_TEXT_KEY}: why)")  # cut, and the key to the whole text named
    wide = fit_line(status._state, status._parts, status._note, 400)
    assert wide.plain.endswith("converges") and "why)" not in wide.plain  # nothing cut: no hint needed


def test_a_headline_is_one_line_and_names_the_key_to_the_whole_text():
    text = "Diverged at step 5: lr 0.0005 is 1.68× lr_max: along the steepest direction each step overshoots. To fix it, do this."
    for width in (30, 56, 76, 200):
        line = headline(text, width)
        assert len(line) <= max(width, 8 + len(f" ({WHOLE_TEXT_KEY}: why)") + 1)
        assert line.endswith(f"({WHOLE_TEXT_KEY}: why)") and line.startswith("Diverged at step 5")
    assert "To fix it" not in headline(text, 200)  # the first sentence only: the rest is one key away


class _SwitchApp(App):
    def compose(self):
        yield OnOff("off", value=False, compact=True)


async def test_the_switch_says_on_or_off_in_words():
    app = _SwitchApp()
    async with app.run_test() as pilot:
        switch = app.query_one(OnOff)
        assert str(switch.label) == "off"
        switch.focus()
        await pilot.press("space")
        assert switch.value and str(switch.label) == "on"
        await pilot.press("space")
        assert not switch.value and str(switch.label) == "off"


def test_the_help_names_keys_as_typed():
    from tui.screens.help_screen import keys_table
    from tui.screens.main_screen import MainScreen

    table = keys_table(MainScreen.BINDINGS)
    assert "`?` or `f1`" in table and "| `+` |" in table and "| `-` |" in table
    for name in ("question_mark", "plus", "minus"):
        assert name not in table


@pytest.mark.slow
async def test_one_short_toast_at_a_time_gone_within_three_seconds():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        app.notify("first", timeout=10)
        app.notify("second [b]not markup[/b] " + "x" * 300, title="Two", severity="error", timeout=10)
        await pilot.pause()
        notes = list(app._notifications)
        assert len(notes) == 1
        assert notes[0].timeout <= TOAST_S and len(notes[0].message) <= TOAST_CHARS
        assert notes[0].message.startswith("second [b]not markup[/b]") and not notes[0].markup


@pytest.mark.slow
@pytest.mark.parametrize("keys", [(), ("y",), ("y", "l"), ("y", "a"), ("y", "l", "a")])
async def test_the_fit_keeps_eight_rows_at_80x24_whatever_is_open(keys):
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.press(*keys)
        await pilot.pause()
        screen = app.screen
        shown = screen.landscape if screen.landscape.display else screen.fit
        assert shown.size.height >= 8
        assert screen.status.size.height == 1
        if "y" in keys:
            panel = screen.analysis_panel
            assert panel.display and panel.size.height >= len(panel.plain.split("\n")) >= 2  # nothing of it cut


class _PanelApp(App):
    def __init__(self, settings) -> None:
        super().__init__()
        self.settings = settings

    def compose(self):
        from tui.widgets.parameter_panel import ParameterPanel

        yield ParameterPanel(self.settings)


async def test_with_a_csv_the_data_group_shows_the_files_facts_not_synthetic_settings(tmp_path):
    from engine.data.csv_reader import read_csv
    from tui.widgets.parameter_panel import SYNTHETIC, ParameterPanel

    path = tmp_path / "heights.csv"
    path.write_text("height,weight\n150,50\n160,56\n170,63\n185,80\n")
    settings = Settings(data=str(path))
    app = _PanelApp(settings)
    async with app.run_test(size=(40, 40)) as pilot:
        panel = app.query_one(ParameterPanel)
        panel.show_dataset(read_csv(str(path)))
        await pilot.pause()
        facts = str(app.query_one("#data-facts").render())
        for fact in ("heights.csv", "rows", "4", "column 1", "column 2", "150 … 185"):
            assert fact in facts, fact
        assert all(not panel._rows[name].display for name in SYNTHETIC)
        assert panel._rows["data"].display and panel._rows["x_column"].display
        # built-in data again: the synthetic settings come back, the facts go
        panel.set_applied(Settings())
        panel.show_dataset(None)
        assert all(panel._rows[name].display for name in SYNTHETIC) and not app.query_one("#data-facts").display
