"""Fuzzed typing into the app's fields: every text gives a valid value or a one-line message, never an exception."""

from __future__ import annotations

from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import Input

from engine.settings.run_settings import Settings, validate
from tests.helpers import wait_for_state
from tui.app import make_app
from tui.widgets.parameter_panel import control_id
from tui.widgets.setting_input import check

TYPED = [f for f in fields(Settings) if "choices" not in f.metadata and str(f.type) != "bool"]
"""The settings edited as text (choices are Selects, switches Checkboxes)."""

NASTY = st.sampled_from(
    ["", " ", "nan", "inf", "-inf", "1e400", "-1e-400", "1e-320", "١٢", "٣.٥", "²", "1,5", "0x10", "1_000", "1e6", "1.5",
     "99999999999999999999999999", "-0", "+3", "poly:٣", "mlp:999", "cuda:٣", "\x00", "\u202e7", "🙂", "1" * 500, "1e" + "9" * 400]
)
TEXTS = st.one_of(NASTY, st.text(max_size=40), st.from_regex(r"[-+]?[0-9_]{0,30}(\.[0-9]*)?([eE][-+]?[0-9]{0,5})?", fullmatch=True))


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(field=st.sampled_from(TYPED), text=TEXTS)
def test_any_text_in_any_field(field, text):
    applied = Settings()
    value, problem = check(field, text, applied)
    if problem is None:
        from dataclasses import replace

        assert validate(replace(applied, **{field.name: value})) is not None
    else:
        assert value is None and problem.strip() and "\n" not in problem and len(problem) < 200, problem


@pytest.mark.slow
async def test_nasty_text_typed_for_real_shows_a_message_and_the_app_stays_usable():
    app = make_app(Settings(steps=50))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        cases = [("lr", "1e400"), ("points", "²"), ("steps", "9" * 40), ("model", "poly:٣"), ("x_min", "nan")]
        for name, text in cases:
            field = app.screen.query_one(f"#{control_id(name)}", Input)
            field.focus()
            field.value = ""
            await pilot.press(*text)  # typed key by key, as a person would
            await pilot.press("enter")
            await pilot.pause(0.05)
            error = field.parent.query_one(".setting-error")
            assert error.display and str(error.render()).strip(), f"{name}={text[:20]!r} showed no message"
            assert getattr(screen.settings, name) == getattr(Settings(steps=50), name), f"{name} was applied"
        # the values are still bad: space refuses to run and says which, then fixed values run to the end
        await pilot.press("escape", "space")
        assert screen.state == "ready"
        for name in ("lr", "points", "steps", "model", "x_min"):
            app.screen.query_one(f"#{control_id(name)}", Input).value = str(getattr(screen.settings, name))
        await pilot.press("escape", "t", "space")
        await wait_for_state(pilot, "done")
        assert screen.snapshot.step == 50 and app.is_running
