"""The bounded history: flat memory over any number of appends, ends and extremes kept, evenly spread."""

import numpy as np
import pytest

from engine.descent.history import History


def test_a_long_run_stays_within_capacity_and_keeps_first_last_and_extremes():
    history = History(capacity=500, columns=3)
    count = 1_500_000
    spike, dip = 777_777, 1_234_567
    for step in range(count):
        loss = 1.0 / (1 + step)
        loss = 50.0 if step == spike else -1.0 if step == dip else loss
        history.append(step, loss, 0.5 * step, -step)
    rows = history.rows()
    assert len(rows) <= 500
    assert history.appended == count
    assert rows[0].tolist() == [0, 1.0, 0.0, 0]
    assert rows[-1].tolist() == [count - 1, 1.0 / count, 0.5 * (count - 1), -(count - 1)]
    assert rows[np.argmax(rows[:, 1])].tolist() == [spike, 50.0, 0.5 * spike, -spike]
    assert rows[np.argmin(rows[:, 1])].tolist() == [dip, -1.0, 0.5 * dip, -dip]
    assert np.all(np.diff(rows[:, 0]) > 0)


def test_stored_rows_are_evenly_spaced_over_the_whole_run():
    history = History(capacity=100)
    for step in range(10_000):
        history.append(step, float(step % 7))
    steps = history.steps
    stored = steps[:-1] if steps[-1] % history.stride else steps  # the latest row sits beside the grid
    gaps = np.diff(stored[stored % history.stride == 0])
    assert set(gaps.tolist()) == {history.stride}
    assert steps[-1] == 9_999
    # The spread covers the run: the last stored row is within one stride of the end.
    assert 9_999 - stored[-1] <= history.stride
    assert len(steps) >= 100 // 2  # halving leaves at least half the capacity in use


def test_a_short_run_keeps_every_row():
    history = History(capacity=64, columns=2)
    for step in range(40):
        history.append(step, 100.0 - step, step * 2.0)
    rows = history.rows()
    assert rows.shape == (40, 3)
    assert np.array_equal(rows[:, 0], np.arange(40))
    assert np.array_equal(rows[:, 2], 2.0 * np.arange(40))
    assert history.due


def test_memory_does_not_grow():
    history = History(capacity=256)
    store = history._store
    for step in range(200_000):
        history.append(step, 1.0)
    assert history._store is store and store.shape == (256 - 3, 2)
    assert len(history) <= 256


def test_wrong_number_of_values_and_tiny_capacity_are_refused():
    history = History(capacity=10, columns=2)
    with pytest.raises(ValueError, match="2 values"):
        history.append(0, 1.0)
    with pytest.raises(ValueError, match="capacity"):
        History(capacity=3)
