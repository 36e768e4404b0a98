"""The race at 80×24: every racer named, a fit plot with room to read, each path on the landscape, and the keys."""

from __future__ import annotations

import numpy as np
import pytest

from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state, wait_until
from tui.app import make_app
from tui.widgets.race_landscape import RaceLandscapeView
from tui.widgets.race_marks import MARKERS
from tui.widgets.race_plots import RaceFitPlot, RaceLossPlot

RACE = ("manual@1e-4", "momentum@1e-4", "adam@0.05")
LABELS = ("manual@0.0001", "momentum@0.0001", "adam@0.05")


def canvas_rows(plot) -> int:
    """Rows between the plot's top and bottom borders: what the curves have to be drawn in."""
    lines = plot.render().plain.split("\n")
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    return bottom - top - 1


def visible_lines(app) -> list[str]:
    """The screen as drawn, one string per row (what a person sees, clipped to the terminal)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def race_to_the_end(pilot) -> None:
    await wait_for_state(pilot, "ready")
    await pilot.press("t", "space")
    await wait_for_state(pilot, "done")
    await pilot.pause()


async def test_every_racer_is_named_on_screen_and_the_fit_has_six_rows_or_more():
    app = make_app(Settings(steps=150, device="cpu"), race=RACE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.pause()
        screen = app.screen
        assert canvas_rows(screen.query_one(RaceFitPlot)) >= 6
        shown = "\n".join(visible_lines(app))
        for marker, label in zip(MARKERS, LABELS, strict=False):
            assert f"{marker} {label}  step 0" in shown
        await race_to_the_end(pilot)
        app.clear_notifications()
        await pilot.pause()
        assert canvas_rows(screen.query_one(RaceFitPlot)) >= 6  # the ranking keeps to one line per racer
        shown = visible_lines(app)
        ranked = [line for line in shown if line[:2] in ("1 ", "2 ", "3 ")]
        assert len(ranked) == 3 and all(any(label in line for line in ranked) for label in LABELS)
        losses = [float(line.split("  loss ")[1].split()[0]) for line in ranked]
        assert losses == sorted(losses) and "wins" in ranked[0] and all(" +" in line for line in ranked[1:])
        final = {label: screen.snapshots[label].loss for label in LABELS}
        assert ranked[0].split()[2] == min(final, key=final.get)


@pytest.mark.slow
async def test_no_racer_is_hidden_by_another_on_either_plot():
    # manual and momentum at the same lr end on the same line: both still show, in turn
    app = make_app(Settings(steps=150, device="cpu"), race=("manual", "momentum", "nesterov"))
    async with app.run_test(size=(80, 24)) as pilot:
        await race_to_the_end(pilot)
        for plot in (app.screen.query_one(RaceFitPlot), app.screen.query_one(RaceLossPlot)):
            drawn = plot.render().plain
            assert all(drawn.count(marker) >= 2 for marker in MARKERS[:3]), drawn


async def test_the_landscape_shows_one_path_per_racer_over_one_heatmap():
    app = make_app(Settings(steps=150, device="cpu"), race=RACE)
    async with app.run_test(size=(80, 24)) as pilot:
        await race_to_the_end(pilot)
        screen = app.screen
        await pilot.press("l")
        await pilot.pause()
        view = screen.query_one(RaceLandscapeView)
        assert view.display and not screen.query_one(RaceFitPlot).display
        assert set(view.paths) == set(LABELS)
        assert all(len(path) >= 2 for path in view.paths.values())
        np.testing.assert_array_equal(view.paths[LABELS[0]][0], view.paths[LABELS[2]][0])  # one start for all
        picture = view.render().plain.split("\n")
        grid = "\n".join(picture[1:-1])
        for index, label in enumerate(LABELS):
            assert grid.count(MARKERS[index]) >= 2, (label, grid)  # its path and where it is now
        kinds = view.mark_kinds(view.landscape, __import__("engine.maths.landscape", fromlist=["path_cells"]).path_cells)
        assert {kind[2] for kind in kinds} >= set(MARKERS[:3])
        await pilot.press("l")
        assert screen.query_one(RaceFitPlot).display and not view.display


async def test_y_s_help_and_the_palette_work_in_the_race(tmp_path, monkeypatch):
    from tui.screens.help_screen import HelpScreen

    monkeypatch.chdir(tmp_path)
    app = make_app(Settings(steps=100, device="cpu"), race=RACE)
    async with app.run_test(size=(80, 24)) as pilot:
        await race_to_the_end(pilot)
        screen = app.screen
        panel = screen.query_one("#race-analysis")
        assert not panel.display
        await pilot.press("y")
        assert panel.display
        text = str(panel.render())
        assert "κ 13,208" in text and text.count(" wins with loss ") == 1 and text.count(" trails by ") == 2
        assert all(label in text for label in LABELS)
        await pilot.press("s")
        await wait_until(pilot, lambda: list(tmp_path.glob("*.svg")), what="the screenshot")
        assert "<svg" in next(tmp_path.glob("*.svg")).read_text()
        titles = [command.title for command in app.get_system_commands(screen)]
        assert {"Landscape", "Analysis", "Screenshot (SVG)", "Run", "Restart"} <= set(titles)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help")
        from textual.widgets import Markdown

        help_text = app.screen.query_one(Markdown).source
        assert "every racer's path over the loss landscape" in help_text and "the race's verdict" in help_text
        assert "## The race" in help_text and "Parameters" not in help_text  # the race's parts, not the single run's


@pytest.mark.slow
async def test_a_preset_from_the_palette_in_the_race_races_anew_or_opens_its_single_run():
    from tui.screens.main_screen import MainScreen
    from tui.screens.preset_commands import apply_preset_from_race
    from tui.screens.race_screen import RaceScreen

    app = make_app(Settings(steps=50, device="cpu"), race=("manual", "adam"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Preset: race" in titles and "Preset: sine" in titles
        apply_preset_from_race(app.screen, "race")
        await wait_until(pilot, lambda: isinstance(app.screen, RaceScreen) and app.screen.names == LABELS, what="the preset's race")
        await wait_for_state(pilot, "ready")
        apply_preset_from_race(app.screen, "standardized")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), what="the single run")
        await wait_for_state(pilot, "ready")
        assert app.screen.settings.standardize and app.screen.settings.lr == 0.1
