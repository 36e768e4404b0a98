"""The tour's stops (engine/words/tour.py): their texts read the run's numbers and fit the panel at 80×24."""

from __future__ import annotations

import itertools
import textwrap

import pytest

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.maths.curvature import analyse
from engine.maths.optimum import least_squares
from engine.settings.racers import parse_racer
from engine.settings.run_settings import Settings
from engine.words.tour import STOPS, TEXT_LINES, TEXT_WIDTH, WAITING, Scene, start_loss, stop_settings, words

TUTORIAL = Settings(device="cpu")


def scene_after(settings: Settings, steps: int, race: tuple[str, ...] = ()) -> Scene:
    """The scene of a run of `settings` after `steps` updates (or where it diverged)."""
    problem = make_problem(settings)
    analysis, optimum = analyse(problem), least_squares(problem)
    snapshot = list(itertools.islice(descend(problem), steps + 1))[-1]
    racers = {}
    for racer in map(parse_racer, race):  # as the race screen names them: by label, each at its own lr
        racing = settings.with_changes(optimizer=racer.optimizer, lr=racer.lr if racer.lr is not None else settings.lr)
        racers[racer.label] = list(itertools.islice(descend(make_problem(racing)), steps + 1))[-1]
    return Scene(settings, problem, snapshot, analysis, optimum, racers)


def test_there_are_the_nine_stops_of_the_lesson_in_order():
    assert [s.id for s in STOPS] == ["data", "autograd", "step", "loop", "stall", "standardize", "diverge", "race", "yours"]
    assert len({s.title for s in STOPS}) == len(STOPS)


@pytest.mark.parametrize("stop", STOPS, ids=[s.id for s in STOPS])
def test_each_text_fits_four_lines_of_the_panel_at_80_columns(stop):
    settings = stop_settings(stop, TUTORIAL, TUTORIAL)
    # Long numbers are the worst case: late in a run, and with 7-digit step counts written out.
    scene = scene_after(settings.with_changes(steps=max(settings.steps, 1_000_000)), 300, stop.race)
    text = words(stop, scene)
    assert text != WAITING
    lines = textwrap.wrap(text, TEXT_WIDTH)
    assert len(lines) <= TEXT_LINES, lines
    assert len(f"try: {stop.hint}") <= TEXT_WIDTH


def test_a_text_waits_for_the_run_instead_of_inventing_numbers():
    for stop in STOPS:
        assert words(stop, Scene(TUTORIAL)) == WAITING


def test_the_numbers_come_from_the_run_not_the_text():
    data = next(s for s in STOPS if s.id == "data")
    fifty = scene_after(TUTORIAL.with_changes(points=50, noise=3.0), 0)
    text = words(data, fifty)
    assert "50 points" in text and "σ = 3" in text
    assert f"{fifty.snapshot.params['k']:.3g}" in text and f"{fifty.snapshot.loss:.5g}" in text

    stall = next(s for s in STOPS if s.id == "stall")
    scene = scene_after(TUTORIAL, 200)
    text = words(stall, scene)
    assert f"κ = λmax/λmin = {scene.analysis.condition_number:,.0f}" in text
    assert f"lr_max = {scene.analysis.lr_max:.3g}" in text
    assert f"b* = {scene.optimum.params['b']:.3g}" in text
    assert "at step 200" in text


def test_the_diverging_stop_is_above_lr_max_and_says_where_it_stopped():
    stop = next(s for s in STOPS if s.id == "diverge")
    scene = scene_after(stop_settings(stop, TUTORIAL, TUTORIAL), 10_000)
    assert scene.settings.lr > scene.analysis.lr_max
    assert scene.snapshot.status == "diverged"
    assert f"stopped at step {scene.snapshot.diverged_at:,}" in words(stop, scene)


def test_the_standardized_stop_reaches_the_optimum():
    stop = next(s for s in STOPS if s.id == "standardize")
    settings = stop_settings(stop, TUTORIAL, TUTORIAL)
    scene = scene_after(settings, settings.steps)
    assert settings.standardize and scene.analysis.condition_number == pytest.approx(1.0, rel=1e-6)
    assert scene.snapshot.loss == pytest.approx(scene.optimum.loss, rel=1e-4)


def test_the_start_loss_is_the_first_snapshots():
    problem = make_problem(TUTORIAL)
    assert start_loss(problem) == pytest.approx(next(descend(make_problem(TUTORIAL))).loss, rel=1e-6)


def test_your_data_is_the_settings_the_tour_began_with():
    launched = TUTORIAL.with_changes(points=30, model="poly:2")
    yours = STOPS[-1]
    assert stop_settings(yours, TUTORIAL, launched) == launched
    assert all(stop_settings(s, TUTORIAL, launched).points == 100 for s in STOPS[:-1])


def _stop(name):
    return next(s for s in STOPS if s.id == name)


def test_the_diverge_stop_says_shrinks_where_lr_is_below_the_limit():
    """Issue 21: at lr = 2e-4 the stop said "|1 − lr·λmax| = 0.340 > 1, so the loss grows"."""
    scene = scene_after(TUTORIAL.with_changes(lr=2e-4), 300)
    text = words(_stop("diverge"), scene)
    assert scene.snapshot.status != "diverged"
    assert "> 1" not in text and "grows:" not in text and "0.340 < 1" in text
    momentum = scene_after(TUTORIAL.with_changes(lr=4e-4, optimizer="momentum"), 300)  # above plain's limit, below its own
    text = words(_stop("diverge"), momentum)
    assert momentum.snapshot.status != "diverged" and "below momentum's lr_max" in text


def test_the_stall_and_standardize_stops_never_call_a_valley_round_or_crawling_when_it_is_not():
    """Issue 21: with standardizing on the stall stop said "b crawls … κ = 1 times more curved"; poly-like κ is not 1."""
    on = scene_after(TUTORIAL.with_changes(standardize=True), 300)
    text = words(_stop("stall"), on)
    assert "crawls:" not in text and "No crawl here" in text and "With raw x (z off) κ = 13,208." in text
    stop = _stop("standardize")
    text = words(stop, scene_after(stop_settings(stop, TUTORIAL, TUTORIAL), 300))
    assert "round valley" in text and "λmax falls from 6702 to 2" in text and "κ from 13,208 to 1.0" in text


def test_the_data_stop_says_where_the_run_started_not_where_it_is():
    """Issue 21: "started at random: k = 1.01" was read from θ now."""
    scene = scene_after(TUTORIAL, 50)
    first = next(descend(make_problem(TUTORIAL)))
    text = words(_stop("data"), scene)
    assert f"started at k = {first.params['k']:.3g}, b = {first.params['b']:.3g}" in text
    assert f"is {first.loss:.5g} there" in text or f"is {start_loss(scene.problem):.5g} there" in text
    assert f"k = {scene.snapshot.params['k']:.3g}," not in text
