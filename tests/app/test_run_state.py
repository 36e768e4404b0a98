"""The run's life without an app: each transition from the states it may leave, refused from the others."""

from __future__ import annotations

import re

import pytest

from tests.helpers import ROOT
from tui.workers.run_state import LEGAL, IllegalTransition, RunLife, RunState

ARGUMENTS = {"diverge": ("the loss left the floats",), "steer": (0,)}


def life_in(state: RunState) -> RunLife:
    life = RunLife()
    life.state = state
    return life


def test_a_new_life_is_loading_and_restart_stamps_a_new_run():
    life = RunLife()
    assert life.state is RunState.LOADING and life.run_id == 0
    shown = life.points_shown
    assert life.restart(run=True) == 1 and life.run_when_ready
    assert life.points_shown is not shown and not life.points_shown.is_set()  # each run its own Event
    assert life.is_current(1) and not life.is_current(0)


def test_ready_says_once_whether_to_start():
    life = RunLife()
    life.restart(run=True)
    assert life.ready() is True and life.state is RunState.READY
    assert life.run_when_ready is False


def test_start_step_pause_and_the_newest_pulls_end():
    life = life_in(RunState.READY)
    first = life.start()
    assert life.state is RunState.RUNNING and life.running
    life.pause()
    assert life.state is RunState.PAUSED
    second = life.step()
    assert second == first + 1 and life.state is RunState.PAUSED
    life.start()
    life.pull_ended(second)  # an older pull's last frame: the run runs on
    assert life.state is RunState.RUNNING
    life.pull_ended(life.pull_serial)
    assert life.state is RunState.PAUSED


def test_the_ends_and_their_notes():
    life = life_in(RunState.RUNNING)
    life.diverge("lr 10 is above lr_max")
    assert life.state is RunState.DIVERGED and life.over and life.note == "lr 10 is above lr_max"
    life.restart()
    assert life.note == "" and life.state is RunState.LOADING
    life.fail("no such file")
    assert life.state is RunState.ERROR and life.note == "no such file" and not life.steppable
    running = life_in(RunState.PAUSED)
    running.finish()
    assert running.state is RunState.DONE and running.over


def test_steer_gives_a_new_run_id_and_pauses_past_step_0():
    life = life_in(RunState.RUNNING)
    old = life.run_id
    assert life.steer(12) == old + 1 and life.state is RunState.PAUSED
    life.steer(0)
    assert life.state is RunState.READY


@pytest.mark.parametrize("transition", sorted(LEGAL))
@pytest.mark.parametrize("state", list(RunState))
def test_each_transition_is_legal_exactly_from_its_states(transition, state):
    life = life_in(state)
    move = getattr(life, transition)
    if state in LEGAL[transition]:
        move(*ARGUMENTS.get(transition, ()))
    else:
        with pytest.raises(IllegalTransition):
            move(*ARGUMENTS.get(transition, ()))
        assert life.state is state  # a refused change leaves the state as it was


def test_the_state_reads_as_its_word():
    assert str(RunState.DIVERGED) == "diverged" and f"{RunState.RUNNING}" == "running"


def test_no_run_state_is_a_string_in_the_front():
    """The states are named once (tui/workers/run_state.py): nowhere else compares or assigns them as words."""
    words = "|".join(state.value for state in RunState)
    pattern = re.compile(rf"""(\bstate\b[^\n#]*(==|!=|\bin\b|=)\s*[(\[{{]?\s*["']({words})["'])|(["']({words})["']\s*:\s*"bold)""")
    found = []
    for path in (ROOT / "tui").rglob("*.py"):
        if path.name == "run_state.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
