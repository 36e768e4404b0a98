"""The app's toasts and its key order through Textual's public API only (formerly App._notifications/_on_notify and
Key._stop_propagation), with the probe's fallback tested."""

from __future__ import annotations

import pytest
from textual import events

from engine.settings.run_settings import Settings
from tests.app.test_inputs import type_into
from tests.helpers import wait_for_state, wait_until
from tui import key_order
from tui.app import make_app


def test_the_probe_sees_a_key_stopped_through_its_public_stop():
    assert key_order.STOP_WATCHABLE  # this Textual: a Key's stop can be watched
    key = events.Key("a", "a")
    stopped = key_order.watch_stop(key)
    assert not stopped()
    key.stop()
    assert stopped()
    key.stop(False)
    assert not stopped()


def test_without_the_probe_nothing_is_claimed(monkeypatch):
    monkeypatch.setattr(key_order, "STOP_WATCHABLE", False)
    key = events.Key("a", "a")
    stopped = key_order.watch_stop(key)
    key.stop()
    assert not stopped()  # unknown: the next key waits KEY_SETTLE_S instead (the test below: still in order)


async def test_a_burst_of_toasts_shows_only_the_last_and_a_later_one_replaces_it():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.clear_notifications()
        app.notify("first")
        app.notify("second")
        app.notify("third")
        await pilot.pause()
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["third"]  # the test may look inside: the app does not
        app.notify("fourth")
        await pilot.pause()
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["fourth"]


@pytest.mark.slow
async def test_with_the_fallback_keys_typed_in_a_field_still_apply_in_order(monkeypatch):
    monkeypatch.setattr(key_order, "STOP_WATCHABLE", False)
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        await type_into(pilot, "lr", "2e-4")
        await pilot.press("enter")
        # each key waits up to KEY_SETTLE_S for the one before: slower, so wait for the result, then check it
        await wait_until(pilot, lambda: app.screen.settings.lr != 1e-4, timeout=60, what="the typed lr to apply")
        assert app.screen.settings.lr == 2e-4
