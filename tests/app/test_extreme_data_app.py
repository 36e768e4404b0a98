"""Near-singular and near-underflow data in the app: a screen with words, never a crash."""

from __future__ import annotations

import pytest

from engine.data.csv_reader import read_csv
from engine.settings.run_settings import Settings
from tests.app.test_inputs import type_into
from tests.helpers import wait_for_state
from tui.app import make_app


@pytest.mark.slow
async def test_unix_timestamps_open_the_app_and_explain_the_valley(tmp_path):
    # 60 rows of Unix timestamps: κ ≈ 8e30, (κ−1)/(κ+1) rounds to 1; the lesson's words divided by −log(1) = 0
    path = tmp_path / "stamps.csv"
    path.write_text("t,v\n" + "".join(f"{1_700_000_000 + 60 * i},{i % 7}\n" for i in range(60)))
    settings = Settings(data=str(path), device="cpu")
    app = make_app(settings, dataset=read_csv(settings.data))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready", "error")
        assert app.screen.state == "ready", app.screen.note
        lesson = app.screen.insight._lesson(settings)
        assert lesson is not None and "no lr makes plain gradient descent fast" in lesson
    assert app.return_code in (None, 0)


@pytest.mark.slow
async def test_an_x_range_below_float32s_smallest_number_is_said_beside_its_field():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        await type_into(pilot, "x_max", "1e-310")
        await pilot.press("enter")
        await pilot.pause()
        error = app.screen.query_one("#setting-x_max").parent.query_one(".setting-error")
        assert error.display and "float32's smallest normal number" in str(error.render())
        assert app.screen.settings.x_max == 100  # not applied
    assert app.return_code in (None, 0)
