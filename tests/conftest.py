"""Fixtures shared by the tests. Plain helper functions live in tests/helpers.py."""

from __future__ import annotations

import time

import pytest


class FakeClock:
    """A clock that moves only when read or slept on: pacing is tested by arithmetic, not by a loaded machine's timing."""

    def __init__(self, tick: float) -> None:
        self.now = 1000.0
        self.tick = tick
        """Seconds each read of the clock advances it: the cost of the work between two reads."""
        self.slept = 0.0

    def perf_counter(self) -> float:
        self.now += self.tick
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)
        self.slept += max(0.0, seconds)


@pytest.fixture
def fake_clock(monkeypatch):
    """`time.perf_counter`, `time.monotonic` and `time.sleep` on a FakeClock (100 µs a read) for this test.

    Only for code pulled in the test's own thread (a Runner's `pull`): an event loop would see time stand still."""
    clock = FakeClock(tick=1e-4)
    monkeypatch.setattr(time, "perf_counter", clock.perf_counter)
    monkeypatch.setattr(time, "monotonic", clock.perf_counter)
    monkeypatch.setattr(time, "sleep", clock.sleep)
    return clock


@pytest.fixture
def in_tmp_path(tmp_path, monkeypatch):
    """The test runs in its own empty folder: whatever the app writes lands there (and is removed with it)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
