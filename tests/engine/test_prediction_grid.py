"""Every question's computed answer against the run itself, over a grid of settings (issue 22).

Each run is the engine's own (float32, torch), pulled to its end through the rewind tape; what it did is
read from its snapshots (engine/words/predictions.py). A question whose computed answer a run
contradicts fails here.
"""

from __future__ import annotations

import pytest

from engine.descent.descend import descend
from engine.descent.history import Tape
from engine.descent.problem import make_problem
from engine.maths.curvature import analyse
from engine.maths.optimum import least_squares
from engine.settings.run_settings import Settings
from engine.words.predictions import ask, observe

TUTORIAL = Settings(device="cpu", steps=400)
LR_FRACTIONS = (0.3, 0.9, 1.3, 1.9, 2.3, 4.0)
"""lr as a multiple of 1/λmax: smooth, smooth, zig-zag, zig-zag, diverges, diverges (for plain descent)."""
DATA = (
    {},
    {"x_min": -3, "x_max": 5, "points": 40},
    {"standardize": True},
    {"model": "poly:2", "x_min": 0, "x_max": 2, "points": 30},
)


def judged(kind, settings, raw_kappa=None):
    problem = make_problem(settings)
    analysis, optimum = analyse(problem), least_squares(problem)
    question = ask(kind, settings, analysis, 0, raw_kappa)
    if isinstance(question, str):
        return None, None
    tape = Tape()
    for snapshot in descend(problem):
        tape.add(snapshot)
    return question, observe(question, tape.snapshots(), analysis, optimum, problem)


def lambda_max(settings):
    return analyse(make_problem(settings)).lambda_max


@pytest.mark.slow
@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("optimizer", ["manual", "momentum", "nesterov"])
def test_the_lr_questions_answer_is_what_the_run_does(data, optimizer):
    base = TUTORIAL.with_changes(optimizer=optimizer, **data)
    top = lambda_max(base)
    answers = set()
    for fraction in LR_FRACTIONS:
        settings = base.with_changes(lr=float(f"{fraction / top:.6g}"))
        question, observed = judged("regime", settings)
        assert observed is not None, (settings, question)
        assert observed.index == question.answer, (settings, question.options[question.answer], observed)
        answers.add(question.answer)
    assert len(answers) >= 2  # the grid crosses the limit: the same question, other answers


@pytest.mark.slow
@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("optimizer", ["manual", "momentum"])
def test_the_error_left_questions_answer_is_what_the_run_leaves(data, optimizer):
    base = TUTORIAL.with_changes(optimizer=optimizer, **data)
    analysis = analyse(make_problem(base))
    checked = 0
    for fraction in (0.1, 0.5, 0.95):
        for steps in (50, 400, 3000):
            settings = base.with_changes(lr=float(f"{fraction / analysis.lambda_max:.6g}"), steps=steps)
            question, observed = judged("left", settings)
            if question is None:
                continue
            left = question.facts["left"]
            if min(abs(left - edge) for edge in (0.1, 0.9)) < 0.02:
                continue  # on an edge float32's rounding may fall either side: not a fair question
            assert observed is not None, settings
            assert observed.index == question.answer, (settings, left, observed)
            checked += 1
    assert checked >= 5


@pytest.mark.slow
@pytest.mark.parametrize("data", DATA[:2] + DATA[3:])
def test_the_standardizing_questions_answer_is_the_runs_kappa(data):
    raw = TUTORIAL.with_changes(lr=0.01, **data)
    raw_kappa = analyse(make_problem(raw)).condition_number
    question, observed = judged("kappa", raw.with_changes(standardize=True), raw_kappa)
    assert observed is not None and observed.index == question.answer, (data, question, observed)
