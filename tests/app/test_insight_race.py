"""`descent --race`: one screen, the racers on the same data from the same start, one colour and legend entry each."""

from __future__ import annotations

import pytest

from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state, wait_until
from tui.app import make_app
from tui.cli.main import main
from tui.widgets.race_plots import RaceFitPlot, RaceLossPlot

RACERS = ("manual", "momentum", "adam")


@pytest.mark.slow
async def test_a_race_of_three_draws_three_lines_with_a_legend_and_three_growing_curves():
    app = make_app(Settings(steps=80, device="cpu"), race=RACERS)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        loss, fit = screen.query_one(RaceLossPlot), screen.query_one(RaceFitPlot)
        first = {name: history.losses[0] for name, history in loss.histories.items()}
        assert len(set(first.values())) == 1, "the racers must start from the same θ on the same data"
        await pilot.press("space")
        await wait_until(pilot, lambda: all(len(h) >= 10 for h in loss.histories.values()), what="every curve to grow")
        await pilot.press("t")
        await wait_for_state(pilot, "done")
        await pilot.pause()
        for name in RACERS:
            steps = loss.histories[name].steps
            assert steps[0] == 0 and steps[-1] == 80 and len(steps) == 81, name
        for plot in (loss, fit):  # no legend over the curves: every racer's own marker on them instead
            drawn = plot.render().plain
            assert "▞▞" not in drawn and all(marker in drawn for marker in "●▲■")
        vectors = {name: screen.snapshots[name].vector for name in RACERS}
        assert not (vectors["manual"] == vectors["adam"]).all(), "different optimizers, different places"
        status = str(screen.query_one("#race-status").render())
        assert all(f"{marker} {name}  loss " in status for marker, name in zip("●▲■", RACERS, strict=True))  # ranked at the end


def test_a_bad_race_is_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--race", "manual,nonsense"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--race" in err and "'nonsense' is not an optimizer" in err


@pytest.mark.slow
async def test_the_race_preset_opens_the_race_and_escape_comes_back():
    from tui.screens.main_screen import MainScreen
    from tui.screens.preset_commands import apply_preset_to
    from tui.screens.race_screen import RaceScreen

    app = make_app(Settings(steps=50, device="cpu"))
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.screen
        await wait_for_state(pilot, "ready")
        apply_preset_to(main, "race")
        await wait_until(pilot, lambda: isinstance(app.screen, RaceScreen), what="the race screen")
        race = app.screen
        await wait_until(pilot, lambda: race.state == "ready", what="the race ready")
        assert list(race.query_one(RaceLossPlot).histories) == ["manual@0.0001", "momentum@0.0001", "adam@0.05"]
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), what="back to the main screen")
