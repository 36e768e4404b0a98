"""The guided tour and the code pane in the app (issue 17), at 80×24: every stop's state, texts never cut, phases."""

from __future__ import annotations

import numpy as np
import pytest
from rich.console import Console
from rich.text import Text

from engine.settings.racers import parse_racer
from engine.settings.run_settings import Settings
from engine.words.predictions import TOUR_QUESTIONS
from engine.words.tour import STOPS, TEXT_LINES, WAITING, stop_settings, words
from tests.helpers import wait_for_state, wait_until
from tui.app import DescentApp, make_app
from tui.cli.main import main
from tui.screens.tour import TourRace
from tui.widgets.code_pane import phase_line
from tui.widgets.tour_panel import TourPanel

TUTORIAL = Settings(device="cpu")


async def skip_question(pilot, screen) -> None:
    """A stop that asks before it runs: wait for its question, then Escape skips it and the run plays."""
    await wait_until(pilot, lambda: screen.learner.predicting.phase == "asking", 60, "the stop's question")
    await pilot.press("escape")


def wrapped_lines(text: str, width: int) -> int:
    return len(Text(text).wrap(Console(width=width), width))


async def shown_whole(pilot, panel: TourPanel) -> str:
    """Wait until the panel shows its stop's text for the run, then check no line of it is cut."""
    tour = panel.tour
    # a race is three runs made on a machine other tests load too: its numbers may take a while
    await wait_until(pilot, lambda: panel.shown is not None and panel.shown[1] != WAITING, 60, f"the text of stop {tour.index + 1}")
    body = panel.query_one("#tour-text")
    # the text of the moment, laid out (a running stop's text changes as the numbers do)
    await wait_until(pilot, lambda: body.size.height == wrapped_lines(panel.shown[1], body.content_size.width), what="the layout")
    text = panel.shown[1]
    lines = wrapped_lines(text, body.content_size.width)
    assert lines <= TEXT_LINES, text
    assert body.size.height == lines, (body.size.height, lines)  # every wrapped line has its row
    assert panel.size.height == lines + 2  # the head and the try line too: nothing clipped by max-height
    screen = panel.screen
    assert panel.region.bottom <= screen.size.height and panel.region.width == screen.size.width
    return text


@pytest.mark.slow
async def test_the_tour_walks_every_stop_with_its_state_and_whole_text():
    app = make_app(TUTORIAL, tour=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready", "running")
        main_screen = app.screen
        await wait_until(pilot, lambda: main_screen.teaching.tour is not None, what="the tour")
        tour = main_screen.teaching.tour
        for index, stop in enumerate(STOPS):
            if index:
                await pilot.press("right" if index % 2 else "pagedown")  # a clicker sends Page Down
            await wait_until(pilot, lambda index=index: tour.index == index, what=f"stop {index + 1}")
            expected = stop_settings(stop, tour.tutorial, tour.launched[0])
            if stop.race:
                await wait_until(pilot, lambda: isinstance(app.screen, TourRace) and app.screen.tour_panel.is_mounted, 60, "the race")
                race = app.screen
                assert race.names == tuple(parse_racer(spec).label for spec in stop.race) and race.settings == expected
                if stop.run:  # the stop's race starts on its own once built
                    await wait_until(pilot, lambda race=race: race.state in ("running", "done"), 60, "the race running")
                panel = race.tour_panel
            else:
                assert app.screen is main_screen and main_screen.settings == expected
                assert main_screen.panel.display == stop.panel
                assert main_screen.landscape.display == (stop.top == "landscape") and main_screen.fit.display == (stop.top == "fit")
                assert main_screen.loss.display == (stop.bottom == "loss")
                assert main_screen.autograd.display == (stop.bottom == "autograd")
                code = main_screen.teaching.code
                assert (code is not None and code.display) == (stop.bottom == "code")
                panel = tour.panel
                if stop.id in TOUR_QUESTIONS:  # a question first (issue 22): skipped, and the stop's text shows
                    await skip_question(pilot, main_screen)
            await wait_until(pilot, lambda panel=panel: app.focused is panel, what="the focus on the tour")  # the arrows move the tour
            text = await shown_whole(pilot, panel)
            head = str(panel.query_one("#tour-head").render())
            assert f"stop {index + 1}/{len(STOPS)}" in head and stop.title in head
            assert text == words(stop, tour.scene()) or stop.run  # a running stop's numbers move on between the two reads
        await pilot.press("right")  # past the last stop: it stays
        assert tour.index == len(STOPS) - 1


@pytest.mark.slow
async def test_back_and_escape_leave_the_state_as_it_is():
    app = make_app(TUTORIAL)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.press("T")
        screen = app.screen
        tour = screen.teaching.tour
        assert tour is not None and tour.index == 0
        await pilot.press("left")  # before the first stop: it stays
        assert tour.index == 0
        for _ in range(4):
            await pilot.press("right")
            if tour.stop.id in TOUR_QUESTIONS:  # → on a question skips it (issue 22): skipped first, then → moves on
                await skip_question(pilot, screen)
        await pilot.press("pageup")
        assert tour.index == 3 and tour.stop.id == "loop"
        await skip_question(pilot, screen)
        await wait_for_state(pilot, "running")
        await pilot.press("right")  # the stall: the landscape over the loss, running
        await skip_question(pilot, screen)
        await wait_for_state(pilot, "running")
        settings = screen.settings
        await pilot.press("escape")
        await pilot.pause()
        assert screen.teaching.tour is None and not screen.query(TourPanel)
        assert screen.settings == settings and screen.landscape.display and screen.state in ("running", "done")
        assert not screen.has_class("-touring")


@pytest.mark.slow
async def test_the_code_pane_walks_a_step_phase_by_phase():
    app = make_app(TUTORIAL)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        await pilot.press("c")
        code = screen.teaching.code
        assert code.display and not screen.loss.display and app.focused is code
        start = screen.snapshot
        seen = []
        for name in ("forward", "loss", "backward", "update"):
            await pilot.press("n")
            assert code.phase.name == name
            marked = code.marked
            assert marked == phase_line(code.lines, name)
            # the mark shows without colour: a ▶ at the start of the phase's line
            rendered = code.text(40).plain.splitlines()
            assert any(row.startswith("▶ ") and row[2:].startswith(code.lines[marked]) for row in rendered)
            seen.append(code.phase)
            if name == "forward":
                x, y, predictions = screen.fit.residuals
                assert len(x) == len(y) == len(predictions) == 100
            if name == "backward":
                assert "theta.grad = [" in code.text(40).plain
        assert screen.fit.residuals is None  # the segments went to the line before the update
        await wait_until(pilot, lambda: screen.snapshot.step == 1, what="the step")
        # θ after the four phases is the run's own next θ, and the phases started from the run's θ
        np.testing.assert_array_equal(seen[-1].updated, screen.snapshot.vector)
        np.testing.assert_array_equal(seen[0].theta, start.vector)
        assert seen[1].loss == pytest.approx(start.loss, rel=1e-6)
        await pilot.press("n")  # the next step's forward, from the new θ
        np.testing.assert_array_equal(code.phase.theta, screen.snapshot.vector)
        await pilot.press("c")
        assert not code.display and screen.loss.display and screen.fit.residuals is None


@pytest.mark.slow
async def test_the_code_pane_shows_the_exported_loop_of_the_settings():
    from tui.exports.script import script_text

    app = make_app(TUTORIAL.with_changes(optimizer="adam", lr=0.01))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.press("c")
        code = app.screen.teaching.code
        await wait_until(pilot, lambda: bool(code.lines), what="the code")
        script = script_text(app.screen.settings)
        assert all(line in script for line in code.lines)
        assert any("torch.optim.Adam([theta], lr=LR" in line for line in code.lines)
        assert phase_line(code.lines, "update") is not None
        await wait_until(pilot, lambda: "loss" in code.values, what="live values")
        assert code.values["loss"] == f"loss = {app.screen.snapshot.loss:.6g}"
        for _ in range(4):
            await pilot.press("n")
        assert code.phase.name == "update" and code.phase.updated is None  # adam's θ is the run's to give
        await wait_until(pilot, lambda: app.screen.snapshot.step == 1, what="the step")


def test_descent_tour_opens_the_app_in_the_tour(monkeypatch):
    opened = []
    monkeypatch.setattr(DescentApp, "run", lambda self: opened.append((self.tour, self.settings, self.race)))
    assert main(["tour", "--points", "30"]) == 0
    assert opened == [(True, Settings(points=30), None)]
    assert main([]) == 0
    assert opened[-1][0] is False


@pytest.mark.slow
async def test_served_the_tour_and_the_code_pane_write_nothing(tmp_path, monkeypatch):
    from tui.served import SERVED_ENV

    monkeypatch.setenv(SERVED_ENV, "1")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    app = make_app(TUTORIAL, tour=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        await wait_until(pilot, lambda: screen.teaching.tour is not None, what="the tour")
        await pilot.press("right", "right")  # the code pane's stop
        await wait_for_state(pilot, "ready")
        await pilot.press("n", "n", "n")
        assert "▶     loss.backward()" in screen.teaching.code.text(40).plain  # the mark, whatever the colours
        for _ in range(len(STOPS)):
            await pilot.press("right")
        await pilot.press("escape")
        await pilot.pause()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
async def test_the_landscape_draws_with_no_color(monkeypatch):
    # Its padding had no style at all, which Textual's monochrome filter (NO_COLOR) raised on: stops 5 and 6 show it.
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(TUTORIAL)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.press("l")
        await pilot.pause(0.3)
        assert app.screen.landscape.display
        assert "landscape" in app.export_screenshot()


@pytest.mark.slow
async def test_the_tour_keys_still_work_when_the_focus_went_to_the_plot():
    # (the palette offers them too, as every key of the screen: tests/app/test_layout.py)
    app = make_app(TUTORIAL, tour=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        await wait_until(pilot, lambda: screen.teaching.tour is not None, what="the tour")
        tour = screen.teaching.tour
        screen.focus_plot()  # as a click on the plot, or Escape out of a field, does
        await pilot.press("pagedown")
        assert tour.index == 1
        screen.focus_plot()
        await pilot.press("left")
        assert tour.index == 0
        screen.focus_plot()
        await pilot.press("escape")
        await pilot.pause()
        assert screen.teaching.tour is None and not screen.query(TourPanel)
        await pilot.press("right")  # outside the tour: nothing
        assert screen.teaching.tour is None
        titles = [command.title for command in app.get_system_commands(screen)]
        assert "Tour" in titles and "Code" in titles


@pytest.mark.slow
async def test_a_notification_in_the_tour_leaves_its_text_uncovered():
    from textual.widgets._toast import Toast

    app = make_app(TUTORIAL, tour=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        await wait_until(pilot, lambda: screen.teaching.tour is not None, what="the tour")
        panel = screen.teaching.tour.panel
        await shown_whole(pilot, panel)
        screen.notify("After 1000 steps k is close to its optimum, but b is still far from it", title="Stalled", timeout=30)
        await wait_until(pilot, lambda: bool(screen.query(Toast)), what="the toast")
        await pilot.pause()
        toast = screen.query_one(Toast)
        assert toast.region.bottom <= panel.region.y  # above the panel, over the plot


@pytest.mark.slow
async def test_the_last_stop_comes_back_to_the_csv_the_tour_began_with(tmp_path):
    from engine.data.csv_reader import read_csv

    path = tmp_path / "points.csv"
    path.write_text("x,y\n" + "".join(f"{x},{2 * x + 1}\n" for x in range(12)))
    settings = TUTORIAL.with_changes(data=str(path))
    dataset = read_csv(settings.data, settings.x_column, settings.y_column)
    app = make_app(settings, dataset=dataset, tour=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: getattr(screen, "teaching", None) is not None and screen.teaching.tour is not None, what="the tour")
        await wait_for_state(pilot, "ready")
        assert screen.settings.data is None and len(screen.dataset) == 100  # the tour tells the tutorial on its own data
        screen.teaching.tour.go(len(STOPS) - 1)
        await wait_for_state(pilot, "ready")
        assert screen.settings == settings and screen.dataset is dataset
        text = await shown_whole(pilot, screen.teaching.tour.panel)
        assert "12 points from points.csv" in text
