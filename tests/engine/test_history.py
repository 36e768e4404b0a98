"""The bounded history: flat memory over any number of appends, ends and extremes kept, evenly spread."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

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


def _same(a: History, b: History) -> None:
    np.testing.assert_array_equal(a.rows(), b.rows())
    assert (a.stride, a.appended, a._latest, a._lowest, a._highest) == (b.stride, b.appended, b._latest, b._lowest, b._highest)


losses_drawn = st.lists(
    st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64), st.sampled_from([0.0, 1.0, 1.0, 2.0])), max_size=300
)


@given(losses=losses_drawn, cuts=st.lists(st.integers(0, 300), max_size=8), capacity=st.integers(5, 40))
@hyp_settings(max_examples=300, deadline=None)
def test_extend_keeps_exactly_the_rows_that_one_append_each_keeps(losses, cuts, capacity):
    """A turbo frame's rows in one call: the same store, stride, newest row and extremes (NaN, ∞ and ties included)."""
    one_by_one, in_batches = History(capacity), History(capacity)
    for step, loss in enumerate(losses):
        one_by_one.append(step, loss)
    bounds = [0, *sorted(min(cut, len(losses)) for cut in cuts), len(losses)]
    for start, end in zip(bounds, bounds[1:], strict=False):
        in_batches.extend(list(range(start, end)), losses[start:end])
    _same(one_by_one, in_batches)


def test_extend_over_a_million_rows_halves_as_appends_do():
    one_by_one, in_batches = History(4096), History(4096)
    losses = (1.0 / (1.0 + np.arange(1_000_000))).tolist()
    for step, loss in enumerate(losses):
        one_by_one.append(step, loss)
    for start in range(0, len(losses), 3_517):  # a frame's worth at a time, not a power of two
        in_batches.extend(list(range(start, min(start + 3_517, len(losses)))), losses[start : start + 3_517])
    _same(one_by_one, in_batches)
    assert in_batches.stride == 256 and len(in_batches.rows()) <= 4096


def test_extend_refuses_what_append_would():
    with pytest.raises(ValueError, match="3 steps but 2 losses"):
        History(10).extend([0, 1, 2], [1.0, 2.0])
    with pytest.raises(ValueError, match="values a row"):
        History(10, columns=3).extend([0], [1.0])
