"""The app's parts without a screen: the bounded loss history, the pace, and the frame-capped runner."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.settings.run_settings import Settings
from tui.widgets.loss_plot import HISTORY_ROWS, LossPlot
from tui.workers.pace import MIN_RATE, Pace
from tui.workers.runner import Runner


def test_the_loss_plot_keeps_a_bounded_history_with_first_last_and_shape():
    plot = LossPlot()
    plot.total_steps = 100_000_000
    for start in range(0, 100_000_000, 5_000_000):  # what a long turbo run posts: big batches, once a frame
        steps = range(start, start + 5_000_000, 1000)
        plot.add(list(steps), [1.0 / (s + 1) for s in steps])
    steps, logs = plot.log10_points()
    assert len(steps) <= HISTORY_ROWS
    assert steps[0] == 0 and steps[-1] == 99_999_000 and logs[-1] == math.log10(1.0 / 99_999_001)
    assert np.all(np.diff(steps) > 0) and np.all(np.diff(logs) < 0)


def test_log10_points_drop_what_a_log_axis_cannot_show():
    plot = LossPlot()
    plot.add([0, 1, 2, 3], [100.0, 0.0, float("inf"), 0.01])
    steps, logs = plot.log10_points()
    assert steps.tolist() == [0, 3] and logs.tolist() == [2.0, -2.0]


def test_pace_doubles_and_halves_within_bounds():
    assert Pace(fps=20).demo and Pace(fps=20).describe() == "pace demo"  # the default: tests/app/test_lesson_pace.py
    pace = Pace(fps=20, rate=150.0)
    assert pace.steps_per_frame == 7.5 and not pace.demo
    pace.faster()
    assert pace.rate == 300
    for _ in range(100):
        pace.slower()
    assert pace.rate == MIN_RATE
    pace.toggle_turbo()
    assert pace.turbo and pace.describe() == "turbo"
    pace.faster()
    assert not pace.turbo


@pytest.mark.slow
def test_turbo_posts_at_most_fps_frames_and_every_step_once(fake_clock):
    problem = make_problem(Settings(steps=20_000))
    runner = Runner(descend(problem), run_id=1)
    frames = []

    def post(frame):
        frames.append(frame)
        runner.frame_drawn()

    pace = Pace(fps=10)
    pace.turbo = True
    started = fake_clock.now
    runner.pull(pace, post, cancelled=lambda: False)
    fake_seconds = fake_clock.now - started  # on the fake clock: 100 µs a step, about 2 s in all
    assert fake_seconds > 1
    assert len(frames) <= fake_seconds * 10 + 2
    assert fake_clock.slept == 0  # turbo never waits
    steps = [s for f in frames for s in f.steps]
    assert steps == list(range(20_001))
    assert frames[-1].final and frames[-1].snapshot.status == "done" and runner.exhausted
    assert frames[-1].rate > 0


def test_a_runner_resumes_where_it_was_cancelled():
    problem = make_problem(Settings(steps=1000))
    runner = Runner(descend(problem), run_id=1)
    frames = []
    pace = Pace(fps=20)
    pace.turbo = True
    runner.pull(pace, frames.append, cancelled=lambda: False, limit=10)
    runner.frame_drawn()
    runner.pull(pace, frames.append, cancelled=lambda: False, limit=5)
    steps = [s for f in frames for s in f.steps]
    assert steps == list(range(15)) and frames[-1].final


def test_paced_runner_keeps_the_pace(fake_clock):
    problem = make_problem(Settings(steps=100_000))
    runner = Runner(descend(problem), run_id=1)
    frames = []
    deadline = fake_clock.now + 0.5

    def post(frame):
        frames.append(frame)
        runner.frame_drawn()

    runner.pull(Pace(fps=20, rate=200), post, cancelled=lambda: fake_clock.now > deadline)
    taken = sum(len(f.steps) for f in frames)
    assert 90 <= taken <= 110, taken  # 200 steps/s for half a second: 10 steps a frame, 20 frames a second
    assert all(len(f.steps) <= 10 for f in frames)
    assert fake_clock.slept > 0.4  # the pace waits between frames instead of spinning


def test_the_default_pace_is_watchable(fake_clock):
    """At the default pace the tutorial's 1000 steps take about 5 to 10 s (the wall-clock figure: benchmarks/tui_speed.py)."""
    problem = make_problem(Settings(steps=1000))
    runner = Runner(descend(problem), run_id=1)
    started = fake_clock.now
    runner.pull(Pace(), lambda frame: runner.frame_drawn(), cancelled=lambda: False)
    assert runner.exhausted
    assert 4.5 <= fake_clock.now - started <= 10, fake_clock.now - started
