"""The teaching keys as a person presses them: the tour through every stop with their own data, the code pane's n,
and an lr past its limit flagged while it is typed."""

import re
import time

import pytest

from tests.e2e.conftest import STUDY
from tests.e2e.terminal import Terminal, box_titled, plot_text
from tests.e2e.test_data_file import points_drawn

STOPS = 9


@pytest.mark.slow
def test_the_tour_with_data_goes_through_every_stop_and_ends_on_the_files_points(study_csv):
    with Terminal("tour", "--data", str(study_csv)) as term:
        term.wait_for(f"stop 1/{STOPS}")
        for stop in range(2, STOPS + 1):
            if stop == 6:
                # stop 5 asks a prediction first (3: over 90% left), then runs on the landscape; l l hides the landscape
                # and shows it again, which gives it the focus: → is still the tour's
                term.wait_for("1–4 answer")
                term.press("3")
                term.wait_for("running")
                term.press("l", "l")
            # → moves on; where the stop asked a prediction (h3), the first → skips the question and the next moves on
            term.wait_until(lambda stop=stop: f"stop {stop}/{STOPS}" in term.text() or term.press("right") or time.sleep(1), f"stop {stop}")
        term.wait_for(f"{len(STUDY)} points from {study_csv.name}")

        def fit_of_the_file():
            fit = box_titled(term.lines(), "fit")
            return fit is not None and "10" in term.lines()[fit.bottom + 1] and "100" not in term.lines()[fit.bottom + 1] and fit

        fit = term.wait_until(fit_of_the_file, "the fit of study.csv's points (x ticks 1…10)")
        assert points_drawn(fit) == len(STUDY), plot_text(term.lines(), fit)
        term.press("escape", "q")
        assert term.wait_exit() == 0


@pytest.mark.slow
def test_n_steps_phase_by_phase_in_the_code_pane_whatever_view_is_toggled():
    with Terminal() as term:
        term.wait_for("ready  step 0")
        term.press("c")
        term.wait_for("n: one")
        term.press("l", "l", "n")  # the landscape and back: the focus left the code pane
        term.wait_for("▶")  # a phase is marked (forward)
        text = term.text()
        assert "step 0 / 1,000" in text, text  # a phase, not a whole step
        term.press("q")
        assert term.wait_exit() == 0


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
def test_an_lr_past_its_limit_is_flagged_as_it_is_typed(size):
    with Terminal(columns=size[0], rows=size[1]) as term:
        term.wait_for("ready  step 0")
        row = term.wait_until(lambda: next(((y,) for y, line in enumerate(term.lines()) if line.startswith("lr ")), None), "the lr field")
        term.click(15, row[0])  # in the lr field's value
        term.press("end", *["backspace"] * 8, "0.001")
        term.wait_until(lambda: re.search(r"lr 0\.001 is above", term.text()), "the typed lr to be flagged")
        assert "step 0 / 1,000" in term.text()  # before Enter, before any run
        term.press("escape", "q")
        assert term.wait_exit() == 0
