"""The stepping thread appends only the steps at or past `Tape.wanted`, and the newest once a frame: the tape it
builds is the tape that appending every step builds (head, stride, halvings, a prediction's burst, a branch)."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from engine.descent.history import Tape


def snap(step):
    return SimpleNamespace(step=step)


def _state(tape: Tape):
    return tape.steps(), tape.stride, tape.latest.step if tape.latest else None


@given(
    frames=st.lists(st.integers(1, 60), min_size=1, max_size=40),
    capacity=st.integers(2, 12),
    head=st.integers(0, 6),
    burst_at=st.one_of(st.none(), st.integers(0, 1500)),
    branch_after=st.one_of(st.none(), st.integers(0, 39)),
    branch_pick=st.floats(0, 1),
)
@hyp_settings(max_examples=400, deadline=None)
def test_appending_the_wanted_steps_builds_the_tape_that_every_step_builds(frames, capacity, head, burst_at, branch_after, branch_pick):
    every, wanted = Tape(capacity, head), Tape(capacity, head)
    step = 0
    for number, size in enumerate(frames):
        for _ in range(size):
            if step == burst_at:  # a question asked here: the next `head` steps kept one by one
                every.keep_from(step)
                wanted.keep_from(step)
            every.add(snap(step))
            if step >= wanted.wanted:
                wanted.add(snap(step))
            step += 1
        wanted.add(snap(step - 1))  # the frame's newest (tui.workers.runner: post_frame)
        assert _state(wanted) == _state(every)
        if number == branch_after:  # rewound to a kept step and gone on from there
            kept = every.steps()
            at = kept[int(branch_pick * (len(kept) - 1))]
            every.truncate(at)
            wanted.truncate(at)
            assert _state(wanted) == _state(every)
            step = at + 1
    assert _state(wanted) == _state(every)


def test_wanted_is_every_step_in_the_head_then_every_stride_th():
    tape = Tape(capacity=4, head=3)
    appended = []
    for step in range(40):
        if step >= tape.wanted:
            tape.add(snap(step))
            appended.append(step)
    assert appended[:4] == [0, 1, 2, 3]  # the head, then the first step after it
    assert tape.stride > 1 and len(appended) < 20  # the rest: only the steps on the stride
    tape.add(snap(39))
    assert tape.steps()[-1] == 39
