"""Predict, then run; rewind and scrub (issue 22), as a person does it at 80×24 with the Pilot."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.text import Text

from engine.settings.run_settings import Settings
from engine.words.predictions import TOUR_QUESTIONS
from engine.words.tour import STOPS
from tests.helpers import status_text, wait_for_state, wait_until
from tui.app import make_app
from tui.widgets.prediction_panel import PredictionPanel

FAST = Settings(device="cpu", steps=200)


def panel_text(app) -> str:
    return str(app.screen.query_one(PredictionPanel).render())


async def asked(pilot):
    predicting = pilot.app.screen.learner.predicting
    await wait_until(pilot, lambda: predicting.phase == "asking", 60, "the question")
    return predicting.asked[-1][0]


async def judged(pilot):
    predicting = pilot.app.screen.learner.predicting
    await wait_until(pilot, lambda: predicting.phase == "judged", 90, "the verdict")


@pytest.mark.parametrize(("lr", "answer"), [(1e-4, "converges smoothly"), (2.9e-4, "zig-zags and converges"), (1e-3, "diverges")])
async def test_P_asks_the_lr_question_for_the_settings_on_screen_and_judges_it_by_the_run(lr, answer):
    app = make_app(FAST.with_changes(lr=lr))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        screen.pace.toggle_turbo()
        await pilot.press("P")
        question = await asked(pilot)
        assert question.options[question.answer] == answer  # computed for this lr
        assert "1 converges smoothly, 2 zig-zags and converges, 3 diverges?" in panel_text(app)
        assert screen.state == "ready"  # the run waits for the answer
        await pilot.press("1")
        if question.answer != 2:  # a converging run: the second question, where it will stand
            second = await asked(pilot)
            assert second.kind == "left"
            await pilot.press("right" if lr == 1e-4 else "escape")  # → or Escape skips: the run plays all the same
        await judged(pilot)
        text = panel_text(app)
        assert "You said 'converges smoothly'" in text
        assert ("right" in text) == (answer == "converges smoothly")
        assert f"it {answer.replace('converges', 'converged').replace('zig-zags', 'zig-zagged').replace('diverges', 'diverged')}" in text
        if question.answer != 2:
            assert "You skipped it" in panel_text(app)
        panel = screen.query_one(PredictionPanel)

        def lines() -> int:
            return len(Text(text).wrap(Console(width=panel.content_size.width), panel.content_size.width))

        await wait_until(pilot, lambda: panel.content_size.height == lines(), what="the verdict laid out")  # a frame later
        assert panel.outer_size.height == lines() + 1  # every line has its row (nothing cut by max-height); the border above
        await pilot.press("r")  # a new run: the verdict was about the old one, and goes
        await wait_until(pilot, lambda: not screen.query_one(PredictionPanel).display, what="the panel to go")


async def test_P_says_why_no_question_fits_adam():
    app = make_app(FAST.with_changes(optimizer="adam", lr=0.05))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.press("P")
        await wait_until(pilot, lambda: "no question fits" in panel_text(app), 30, "the reason")
        assert "adam" in panel_text(app)
        assert app.screen.state == "ready"  # nothing asked: nothing runs


@pytest.mark.slow
async def test_the_tour_asks_at_four_stops_and_keeps_the_score():
    app = make_app(Settings(device="cpu"), tour=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.teaching.tour is not None, what="the tour")
        tour = screen.teaching.tour
        screen.pace.toggle_turbo()
        kinds = []
        while tour.index < len(STOPS) - 1:
            await pilot.press("right")
            stop = STOPS[tour.index]
            if stop.race:
                continue
            if stop.id not in TOUR_QUESTIONS:
                continue
            question = await asked(pilot)
            kinds.append(question.kind)
            assert not screen.query_one("#tour").display  # the stop's text would give the answer away
            assert screen.state == "ready"
            # right at the loop and standardizing, wrong at the stall, skipped at the divergence
            chosen = {"stall": (question.answer + 1) % len(question.options), "diverge": None}.get(stop.id, question.answer)
            await pilot.press("escape" if chosen is None else str(chosen + 1))
            await judged(pilot)
            text = panel_text(app)
            assert ("You skipped it" in text) == (chosen is None)
            assert (": right, " in text) == (chosen == question.answer), text
            assert question.outcomes[question.answer] in text  # what the run did: the computed answer, checked by the run
        assert sorted(kinds) == ["kappa", "left", "regime", "regime"]
        await wait_until(pilot, lambda: "your predictions" in panel_text(app), what="the score")
        assert "you predicted 2 of 4 right (1 skipped)" in panel_text(app)


async def run_to_the_end(pilot):
    """The app's run, in turbo, from ready to done: its screen."""
    screen = pilot.app.screen
    await wait_for_state(pilot, "ready")
    screen.pace.toggle_turbo()
    await pilot.press("space")
    await wait_for_state(pilot, "done", timeout=60)
    return screen


async def test_rewinding_a_finished_run_shows_that_step_and_space_goes_on_from_there():
    app = make_app(FAST)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await run_to_the_end(pilot)
        final = screen.snapshot
        await pilot.press("left_square_bracket")
        assert screen.snapshot.step == 199 and "step 199 / 200 · rewound" in status_text(app)
        await pilot.press("left_curly_bracket", "left_curly_bracket")
        assert screen.snapshot.step == 159
        await pilot.press("right_curly_bracket")
        assert screen.snapshot.step == 179
        await pilot.press("a")  # the autograd numbers are the rewound step's
        await pilot.pause()
        assert "at step 179" in screen.autograd.plain
        k = screen.snapshot.params["k"]
        assert f"k {k:.4g}" in status_text(app) and k != final.params["k"]
        curve = screen.problem.model.curve(screen.snapshot.vector, screen.fit.curve_x)
        assert (screen.fit._fit == curve).all()  # the fit line is the rewound θ's
        await pilot.press("l")  # the landscape's marble is the rewound θ
        assert screen.landscape.now == pytest.approx(screen.snapshot.vector[:2])
        await pilot.press("right_curly_bracket", "right_curly_bracket", "right_curly_bracket")
        assert screen.landscape.now == pytest.approx(final.vector[:2])
        assert screen.snapshot is final and "rewound" not in status_text(app) and screen.state == "done"
        await pilot.press("left_curly_bracket")  # back to 179, then on from there
        branch = screen.snapshot.step
        await pilot.press("space")
        await wait_for_state(pilot, "done", timeout=60)
        assert branch in screen.loss.marks  # the branch is marked on the loss curve
        steps = screen.learner.rewind.tape.steps()
        assert steps == sorted(set(steps)) and steps[-1] == 200  # one history, the later one dropped


async def test_a_thinned_history_says_so_and_a_question_from_a_rewound_step_watches_each_step_after(monkeypatch):
    import functools

    import tui.screens.rewind as rewind

    monkeypatch.setattr(rewind, "Tape", functools.partial(rewind.Tape, capacity=16, head=4))  # thinned after 20 steps
    app = make_app(FAST.with_changes(lr=2.9e-4, steps=300))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await run_to_the_end(pilot)
        tape = screen.learner.rewind.tape
        assert tape.decimated and len(tape.steps()) <= 16 + 4 + 1
        await pilot.press("left_curly_bracket", "left_curly_bracket")
        here = screen.snapshot.step
        assert here in tape.steps() and f"rewound, 1 step in {tape.stride} kept" in status_text(app)
        await pilot.press("left_square_bracket")
        assert here - screen.snapshot.step == tape.stride  # rewinding lands on kept steps
        await pilot.press("P")
        question = await asked(pilot)
        assert question.start_step == screen.snapshot.step and question.options[question.answer] == "zig-zags and converges"
        await pilot.press("space")  # the run waits for the answer
        assert screen.state == "paused" and screen.learner.rewind.rewound
        await pilot.press("2")
        await asked(pilot)
        await pilot.press("escape")
        await judged(pilot)
        assert "You said 'zig-zags and converges': right, it zig-zagged" in panel_text(app)


async def test_the_code_panes_phases_and_residuals_start_from_a_rewound_step():
    app = make_app(FAST)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await run_to_the_end(pilot)
        await pilot.press("left_curly_bracket")
        rewound = screen.snapshot
        assert rewound.step == 180
        await pilot.press("c", "n")  # the forward phase: each point's residual to the rewound line
        x, y, predictions = screen.fit.residuals
        k, b = rewound.vector
        assert predictions == pytest.approx(k * x + b, rel=1e-5)
        await pilot.press("n", "n", "n")  # loss, backward, update: the run takes that step from the rewound θ
        await wait_until(pilot, lambda: screen.snapshot.step == 181, what="the step from the rewound θ")
        rewind = screen.learner.rewind
        assert not rewind.rewound and rewind.tape.steps()[-1] == 181  # the later history went
        assert 180 in screen.loss.marks


@pytest.mark.slow
async def test_a_tour_that_plays_itself_skips_a_real_question_and_its_run_plays():
    app = make_app(Settings(device="cpu"), tour=True)
    app.autoplay, app.loop = 0.3, False
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.autoplayer is not None and app.autoplayer.playing, what="autoplay")
        screen, tour = app.screen, app.autoplayer.tour
        tour.go(3)  # the loop: its question first
        predicting = screen.learner.predicting
        await wait_until(pilot, lambda: predicting.asked and predicting.phase != "asking", 60, "autoplay to skip it")
        assert predicting.asked[-1][1] is None  # skipped, as Escape does
        await wait_until(pilot, lambda: screen.life.running or screen.life.over, what="the run to play")
