"""A FIFO typed in the data field: the status says what it waits for (not "loading" for ever), and q quits the process."""

from __future__ import annotations

import os
import threading

import pytest

from engine.data import stream_read
from engine.settings.run_settings import Settings
from tests.app.test_inputs import type_into
from tests.helpers import status_text, wait_for_state, wait_until
from tui.app import make_app


@pytest.mark.slow
async def test_a_fifo_without_a_writer_is_said_and_q_ends_the_wait(tmp_path, monkeypatch):
    fifo = tmp_path / "nobody.fifo"
    os.mkfifo(fifo)
    ended = threading.Event()
    read = stream_read.read_stream

    def watched(*args, **kwargs):
        try:
            return read(*args, **kwargs)
        finally:
            ended.set()  # the reading thread came back: nothing keeps the process alive after q

    monkeypatch.setattr(stream_read, "read_stream", watched)
    app = make_app(Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        await type_into(pilot, "data", str(fifo))
        await pilot.press("enter")
        await wait_until(pilot, lambda: "waiting for a writer on FIFO" in status_text(app), what="the FIFO's wait on the status line")
        assert app.screen.state == "loading" and not ended.is_set()
        await pilot.press("escape", "q")
    assert ended.wait(30), "the thread reading the FIFO was still waiting after q"


@pytest.mark.slow
async def test_standard_input_typed_in_the_app_is_refused_beside_the_field():
    # reading fd 0 in a thread would take the keys the app reads from the terminal
    app = make_app(Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        await type_into(pilot, "data", "-")
        await pilot.press("enter")
        await wait_for_state(pilot, "error")
        error = app.screen.query_one("#setting-data").parent.query_one(".setting-error")
        assert "standard input is the keyboard" in str(error.render())
