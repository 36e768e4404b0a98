"""`descent tour --autoplay SECONDS [--loop]` in the app at 80×24 (tui/screens/autoplay.py): stops move on by themselves,
a running stop waits for its run, any key hands the tour back, --loop goes round. SECONDS is small: nothing here
asserts how long a thing took, only in which order things happened."""

from __future__ import annotations

import pytest

from engine.settings.run_settings import Settings
from engine.words.tour import STOPS
from tests.helpers import wait_until
from tui.app import make_app
from tui.screens.autoplay import Autoplay, state_name

TUTORIAL = Settings(device="cpu")


def autoplay_app(seconds: float, loop: bool = False):
    app = make_app(TUTORIAL, tour=True)
    app.autoplay, app.loop = seconds, loop
    return app


async def started(pilot):
    app = pilot.app
    await wait_until(pilot, lambda: app.autoplayer is not None and app.autoplayer.playing, what="autoplay")
    return app.autoplayer, app.autoplayer.tour


@pytest.mark.slow
async def test_stops_move_on_by_themselves_and_a_running_stop_waits_for_its_run():
    app = autoplay_app(0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        autoplay, tour = await started(pilot)
        seen = []
        await wait_until(pilot, lambda: seen.append(tour.index) or tour.index == 3, 60, "stop 4, the loop")
        assert sorted(set(seen)) == [0, 1, 2, 3]  # in order, none skipped
        screen = app.screen
        # stop 4 runs 1000 steps at the demo pace (8 s): well past SECONDS, the tour is still there while it runs
        await wait_until(pilot, lambda: state_name(screen) == "running", 60, "stop 4's run")
        await wait_until(pilot, lambda: app.autoplayer.clock() - autoplay.since > 3 * autoplay.seconds, what="SECONDS to pass")
        assert tour.index == 3 and state_name(screen) == "running"
        screen.pace.toggle_turbo()  # the run ends sooner; no key, so autoplay goes on
        await wait_until(pilot, lambda: tour.index == 4, 60, "stop 5, once stop 4's run ended")
        assert autoplay.playing


@pytest.mark.slow
async def test_any_key_takes_back_control_and_the_key_still_works():
    app = autoplay_app(0.3)
    async with app.run_test(size=(80, 24)) as pilot:
        autoplay, tour = await started(pilot)
        await pilot.press("right")  # → : the next stop, by hand
        assert not autoplay.playing
        await wait_until(pilot, lambda: tour.index == 1, what="stop 2, by the key")
        moment = autoplay.clock()
        await wait_until(pilot, lambda: autoplay.clock() - moment > 4 * autoplay.seconds, what="SECONDS to pass")
        assert tour.index == 1 and not autoplay.playing


@pytest.mark.slow
@pytest.mark.parametrize(("loop", "expected"), [(True, 0), (False, len(STOPS) - 1)])
async def test_loop_goes_from_the_last_stop_to_the_first_and_without_it_the_last_stays(loop, expected):
    app = autoplay_app(0.2, loop=loop)
    async with app.run_test(size=(80, 24)) as pilot:
        autoplay, tour = await started(pilot)
        tour.go(len(STOPS) - 1)  # the last stop, "your own data" (no run): not a key, so autoplay goes on
        await wait_until(pilot, lambda: autoplay.index == len(STOPS) - 1, what="the last stop seen")
        await wait_until(pilot, lambda: tour.index == 0 or not autoplay.playing, 30, "the end of the last stop")
        assert tour.index == expected and autoplay.playing == loop


async def test_with_loop_a_booth_left_alone_plays_again_from_stop_1():
    app = make_app(TUTORIAL, tour=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.screen.teaching.tour is not None, what="the tour")
        app.autoplayer = autoplay = Autoplay(app, app.screen, 5.0, loop=True, idle_s=1e9)
        autoplay.play()
        await pilot.press("right", "escape")  # someone moved on, then left the tour
        await wait_until(pilot, lambda: app.screen.teaching.tour is None, what="the tour left")
        assert not autoplay.playing
        autoplay.idle_s = 0.2  # what IDLE_S (a minute) is to a booth
        await wait_until(pilot, lambda: autoplay.playing, what="autoplay again after IDLE_S")
        assert app.screen.teaching.tour is not None and app.screen.teaching.tour.index == 0


async def test_the_panel_says_when_the_next_stop_comes_and_stops_saying_it_on_a_key():
    app = autoplay_app(30.0)
    async with app.run_test(size=(80, 24)) as pilot:
        autoplay, tour = await started(pilot)
        await wait_until(pilot, lambda: tour.panel.head_note is not None, what="the countdown")
        assert tour.panel.head_note.startswith("autoplay: next in ") and tour.panel.head_note.endswith(" s; keys take over")
        seconds = int(tour.panel.head_note.split("in ")[1].split(" s")[0])
        assert 1 <= seconds <= 30
        head = tour.panel.query_one("#tour-head")
        await wait_until(pilot, lambda: "autoplay: next in" in str(head.render()), what="the head to show it")
        await pilot.press("right")
        assert tour.panel.head_note is None
        await wait_until(pilot, lambda: "Esc leaves" in str(head.render()), what="the keys again")


class AskingQuestion:
    """What autoplay reads of a stop's question (tui/screens/prediction.py's Predicting): its phase, and answer()."""

    def __init__(self, tour) -> None:
        self.tour, self.phase, self.answers = tour, "asking", []

    def answer(self, index) -> None:
        self.answers.append((index, self.tour.index))
        self.phase = "running"


async def test_a_stop_that_asks_a_question_shows_it_for_seconds_then_skips_it_and_goes_on():
    app = autoplay_app(0.3)
    async with app.run_test(size=(80, 24)) as pilot:
        autoplay, tour = await started(pilot)
        question = AskingQuestion(tour)
        question.at_stop = question.left_tour = lambda *args: None  # the tour tells its questions where it is: nothing here
        app.screen.learner.predicting = question  # the stand-in in the real Learner's place (its rewind stays: the run records)
        await wait_until(pilot, lambda: question.answers, what="the question skipped")
        assert question.answers == [(None, 0)]  # skipped (None) at the stop that asked it, not after moving on
        await wait_until(pilot, lambda: tour.index == 1, what="the next stop, once the question is out of the way")
        assert autoplay.playing
