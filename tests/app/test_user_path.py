"""What the `descent` command's road does (issue 25): a CSV read by the command line, the footer at 80 columns, the
panel stepping aside, an lr warning on a narrow status line. tests/e2e/ checks the same through a real terminal."""

from __future__ import annotations

from rich.text import Text
from textual.widgets._footer import FooterKey

from engine.data.csv_reader import read_csv
from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state, wait_until
from tui.app import make_app
from tui.widgets.status_line import fit_line


async def test_a_csv_the_command_line_read_shows_its_facts_and_column_names(tmp_path):
    path = tmp_path / "study.csv"
    path.write_text("hours,score\n1,52\n2,55\n3,61\n4,64\n5,70\n")
    settings = Settings(device="cpu", data=str(path))
    # as tui/cli/command.py does: the file is read before the app starts and handed to it
    app = make_app(settings, dataset=read_csv(str(path), settings.x_column, settings.y_column))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_state(pilot, "ready")
        screen = app.screen
        await wait_until(pilot, lambda: screen.query_one("#data-facts").display, what="the file's facts")
        assert (screen.fit.x_label, screen.fit.y_label) == ("hours", "score")
        assert "study.csv" in str(screen.query_one("#data-facts").render())
        assert not screen.panel._rows["noise"].display


def footer_keys(app) -> list[str]:
    return [key.key_display for key in app.screen.query(FooterKey) if key.display]


async def test_the_footer_names_the_teaching_keys_at_80_columns_and_the_pace_keys_when_wider():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = footer_keys(app)
        assert {"space", "n", "T", "P", "c", "l", "y", "a", "x", "?", "q"} <= set(keys), keys
        assert sum(len(key.render().plain) + 1 for key in app.screen.query(FooterKey)) <= 81  # one line, nothing cut
        await pilot.resize_terminal(160, 30)
        await wait_until(pilot, lambda: {"+", "-", "t", "p", "r", "g"} <= set(footer_keys(app)), what="the pace keys at 160 columns")


async def test_below_80_columns_the_panel_steps_aside_and_p_brings_it_back():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=(79, 24)) as pilot:
        await pilot.pause()
        panel = app.screen.panel
        assert not panel.display and app.screen.fit.size.width > 70
        await pilot.press("p")
        await pilot.pause()
        assert panel.display


def test_an_lr_warning_takes_the_status_line_at_80_columns():
    note = "lr 0.001 is above lr_max = 2/λmax = 0.000298: plain gradient descent will diverge; lr_best = 0.000298."
    parts = [(9, Text("step 0 / 1,000")), (8, Text("L−L* 470.6")), (6, Text("k 0.637")), (6, Text("b 0.2698")), (5, Text("steps/s –"))]
    parts.append((7, Text("pace demo")))
    plain = fit_line(Text("ready"), parts, note, 78).plain
    assert "above lr_max" not in plain  # as a plain note there is no room for it: the numbers fill the line
    warned = fit_line(Text("ready"), parts, note, 78, warning=True).plain
    assert warned.startswith("ready  step 0 / 1,000") and "lr 0.001 is above lr_max" in warned and len(warned) <= 78
