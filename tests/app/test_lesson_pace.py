"""The demo pace (issue 12, item 1): the first steps one at a time, then faster and faster; 1000 steps in 6–12 s.

The loop runs on a fake clock: every figure here is the schedule's, never this machine's speed.
"""

from __future__ import annotations

import math

import pytest

import tui.workers.pace as pace_module
from tui.workers.pace import DEMO_SECONDS, DEMO_STEPS, Pace, PacedLoop, demo_rate


class FakeTime:
    """perf_counter and sleep over a clock that moves only when told: a step costs `step_s`."""

    def __init__(self, step_s: float = 1e-5) -> None:
        self.now = 0.0
        self.step_s = step_s

    def perf_counter(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


def _run(monkeypatch, pace: Pace, steps: int, step_s: float = 1e-5, change=None) -> list[float]:
    """When each step was taken, on the fake clock; `change(step, pace)` may change the pace as it goes."""
    clock = FakeTime(step_s)
    monkeypatch.setattr(pace_module, "time", clock)
    loop, taken_at = PacedLoop(), []

    def take(most, until) -> int:
        clock.now += clock.step_s
        taken_at.append(clock.now)
        if change is not None:
            change(len(taken_at), pace)
        return 1

    def post_frame(final: bool, rate: float) -> bool:
        loop.frame_drawn()
        return True

    loop.run(pace, take, post_frame, cancelled=lambda: False, finished=lambda: len(taken_at) >= steps)
    return taken_at


def test_the_tutorials_1000_steps_take_6_to_12_seconds_and_the_first_ones_stay_on_screen(monkeypatch):
    times = _run(monkeypatch, Pace(fps=20), DEMO_STEPS)
    assert 6.0 <= times[-1] <= 12.0
    assert times[-1] == pytest.approx(DEMO_SECONDS, abs=0.25)
    assert times[0] < 0.05  # the first step at once
    # steps 1…5 (where the tutorial's line moves) each stay on screen for several frames, 0.2 s or more
    gaps = [b - a for a, b in zip(times[:5], times[1:6], strict=True)]
    assert all(gap >= 0.2 for gap in gaps), gaps
    # step s is shown at about c·ln(s): the schedule, late by at most a few frames (a step waits for its frame)
    c = DEMO_SECONDS / math.log(DEMO_STEPS)
    for s in (2, 3, 5, 10, 100):
        assert 0 <= times[s - 1] - c * math.log(s) <= 0.15, s


def test_the_demo_rate_grows_with_the_step_as_the_log_schedule_says():
    c = DEMO_SECONDS / math.log(DEMO_STEPS)
    for s in (1, 2, 10, 999):
        assert 1.0 / demo_rate(s) == pytest.approx(c * (math.log(s + 1) - math.log(s)), rel=1e-12)
    assert demo_rate(1000) > 100 * demo_rate(1)


def test_plus_and_minus_leave_the_demo_for_a_fixed_rate_and_t_for_turbo(monkeypatch):
    pace = Pace(fps=20)
    assert pace.demo and pace.describe() == "pace demo"

    def change(step: int, pace: Pace) -> None:
        if step == 200:
            pace.faster()  # twice the demo's rate at step 200

    times = _run(monkeypatch, pace, 400, change=change)
    assert not pace.demo and pace.rate == pytest.approx(2 * demo_rate(199), rel=0.05)
    assert pace.describe() == f"pace {pace.rate:,.4g}/s"
    # from then on a steady rate: the last 100 steps took 100/rate seconds, within a frame
    assert times[-1] - times[-101] == pytest.approx(100 / pace.rate, abs=0.06)
    pace.slower()
    assert pace.rate == pytest.approx(demo_rate(199), rel=0.05)
    pace.toggle_turbo()
    assert pace.describe() == "turbo"


def test_a_fixed_pace_keeps_its_rate(monkeypatch):
    times = _run(monkeypatch, Pace(fps=20, rate=150.0), 300)
    assert times[-1] == pytest.approx(2.0, abs=0.06)  # 300 steps at 150/s


@pytest.mark.parametrize("step_s", [1e-4, 0.033, 0.3])
def test_the_steps_per_second_shown_are_the_rate_of_the_last_window(monkeypatch, step_s):
    """At 1M points a step takes ~33 ms: the figure shown must be ~30/s, the rate the steps are really taken at."""
    clock = FakeTime(step_s)
    monkeypatch.setattr(pace_module, "time", clock)
    loop, rates, taken = PacedLoop(), [], []
    pace = Pace(fps=20)
    pace.turbo = True

    def take(most, until) -> int:
        clock.now += step_s
        taken.append(clock.now)
        return 1

    def post_frame(final: bool, rate: float) -> bool:
        rates.append((clock.now, rate))
        loop.frame_drawn()
        return True

    loop.run(pace, take, post_frame, cancelled=lambda: clock.now > 10.0, finished=lambda: False)
    late = [rate for at, rate in rates if at > 5.0]
    assert late and all(rate == pytest.approx(1.0 / step_s, rel=0.02) for rate in late)


def test_steps_that_come_in_bursts_read_as_their_average_rate(monkeypatch):
    """At 1M points the UI's frames hold the stepping thread back now and then: steps come in bursts with gaps.

    The figure shown must be the rate they are taken at over the last seconds (about 167/s here), not the last
    half second's count (1/s across a gap, 500/s in a burst: the app once read 4/s while 100/s were taken).
    """
    clock = FakeTime()
    monkeypatch.setattr(pace_module, "time", clock)
    loop, rates, taken = PacedLoop(), [], []
    pace = Pace(fps=20)
    pace.turbo = True

    def take(most, until) -> int:
        taken.append(clock.now)
        clock.now += 0.002 if len(taken) % 250 else 1.0  # 250 steps in 0.5 s, then a 1 s gap: 167 a second
        return 1

    def post_frame(final: bool, rate: float) -> bool:
        rates.append((clock.now, rate))
        loop.frame_drawn()
        return True

    loop.run(pace, take, post_frame, cancelled=lambda: clock.now > 20.0, finished=lambda: False)
    late = [rate for at, rate in rates if at > 5.0]
    assert late and all(rate == pytest.approx(251 / 1.5, rel=0.4) for rate in late)


def test_turbo_draws_at_most_turbo_fps_frames_a_second_and_the_apps_fps_again_when_left(monkeypatch):
    """Each frame holds the GIL the stepping thread needs: turbo draws fewer (TURBO_FPS), never more than --fps."""
    clock = FakeTime(1e-4)
    monkeypatch.setattr(pace_module, "time", clock)
    loop, frames = PacedLoop(), []
    pace = Pace(fps=20)
    pace.turbo = True

    def take(most, until) -> int:
        clock.now += clock.step_s
        if clock.now >= 4.0 and pace.turbo:
            pace.toggle_turbo()  # `t` again after 4 s: back to a fixed pace and the app's 20 frames a second
            pace.rate = 1e6
        return 1

    def post_frame(final: bool, rate: float) -> bool:
        frames.append(clock.now)
        loop.frame_drawn()
        return True

    loop.run(pace, take, post_frame, cancelled=lambda: clock.now >= 8.0, finished=lambda: False)
    in_turbo = [t for t in frames if 1.0 <= t < 4.0]
    after = [t for t in frames if 5.0 <= t < 8.0]
    assert len(in_turbo) == pytest.approx(3 * pace_module.TURBO_FPS, abs=2)
    assert len(after) == pytest.approx(3 * 20, abs=2)
    assert Pace(fps=5).frame_s == Pace(fps=5, rate=1.0).frame_s == 0.2
    slow = Pace(fps=5)
    slow.toggle_turbo()
    assert slow.frame_s == 0.2  # turbo never draws more often than --fps asks
