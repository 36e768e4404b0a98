"""The app's workflow keys with Pilot: presets from the palette, ctrl+s, e, s, --theme and NO_COLOR."""

from __future__ import annotations

import csv
import re
from collections import Counter, deque

import pytest
from textual.command import CommandPalette
from textual.widgets import Checkbox, Input

from engine.descent.descend import descend
from engine.descent.problem import make_problem
from engine.settings.config_file import read_config
from engine.settings.presets import PRESETS
from engine.settings.run_settings import Settings
from tests.helpers import wait_for_state, wait_until
from tui.app import make_app
from tui.screens.main_screen import MainScreen
from tui.screens.path_screen import PathScreen

SIZE = (100, 30)


@pytest.mark.slow
async def test_the_palette_lists_every_preset_and_standardized_applies_like_the_panel():
    app = make_app(Settings(device="cpu", steps=10**9))  # a run that is still going when the preset comes
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        titles = {command.title: command.help for command in app.get_system_commands(screen)}
        for name, preset in PRESETS.items():
            assert titles[f"Preset: {name}"] == preset.description
        x_before = screen.dataset.x.copy()
        await pilot.press("space")
        await wait_until(pilot, lambda: screen.snapshot.step > 3, what="some steps")

        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await pilot.press(*"Preset: standardized")
        await pilot.pause(0.5)  # the palette searches in a worker
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.settings.standardize, what="the preset applied")

        assert screen.settings == Settings(device="cpu", standardize=True, lr=0.1, steps=100)
        assert screen.query_one("#setting-standardize", Checkbox).value is True
        assert screen.query_one("#setting-lr", Input).value == "0.1"
        assert screen.query_one("#setting-steps", Input).value == "100"
        await wait_until(pilot, lambda: screen.snapshot is not None and screen.problem.settings.lr == 0.1, what="the new run")
        assert (screen.dataset.x == x_before).all()  # only descent settings changed: the same points
        await wait_for_state(pilot, "running", "done")  # it was running, so it runs on
        assert screen.loss.history.steps[0] == 0 and screen.snapshot.step <= 100


async def test_a_preset_with_new_data_makes_new_points():
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        sine = next(c for c in app.get_system_commands(screen) if c.title == "Preset: sine")
        sine.callback()
        await wait_for_state(pilot, "ready")
        assert screen.settings.dataset == "sine" and screen.settings.model == "mlp:16"
        assert screen.snapshot.step == 0
        assert screen.query_one("#setting-model", Input).value == "mlp:16"
        # y = sin(...) data: far from the tutorial's line through the points
        assert abs(screen.dataset.y - screen.dataset.x).max() > 30


@pytest.mark.slow
@pytest.mark.usefixtures("in_tmp_path")  # the app writes where it runs: not into the repo
async def test_ctrl_s_saves_settings_that_read_back_and_a_folder_is_refused(tmp_path):
    settings = Settings(device="cpu", lr=3e-5, steps=250, optimizer="momentum", seed=4)
    app = make_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, PathScreen), what="the save modal")
        assert app.screen.query_one(Input).value == "./descent.toml"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), what="the modal to close")
        config = read_config(tmp_path / "descent.toml")
        assert Settings().with_changes(**config.changes) == settings
        saved = (tmp_path / "descent.toml").read_text()

        # a folder as the target: said beside the input, the modal stays, the earlier file is intact
        (tmp_path / "a-folder").mkdir()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, PathScreen), what="the save modal")
        modal = app.screen
        assert modal.query_one(Input).value == "descent.toml"  # the path last saved to
        modal.query_one(Input).value = "a-folder"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is modal
        assert "it is a folder" in str(modal.query_one("#path-error").render())
        modal.query_one(Input).value = "missing/descent.toml"
        await pilot.press("enter")
        await pilot.pause()
        assert "does not exist" in str(modal.query_one("#path-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert (tmp_path / "descent.toml").read_text() == saved
        assert not (tmp_path / "missing").exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder", "descent.toml"]  # no temporary file left


@pytest.mark.slow
@pytest.mark.usefixtures("in_tmp_path")  # the app writes where it runs: not into the repo
async def test_e_exports_the_three_files_with_the_runs_history(tmp_path):
    settings = Settings(device="cpu", steps=150, standardize=True, lr=0.05)
    app = make_app(settings)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        await pilot.press("t", "space")
        await wait_for_state(pilot, "done")
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, PathScreen), what="the export modal")
        default = app.screen.query_one(Input).value
        assert default.startswith("./descent-export-")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen), what="the modal to close")
        await app.workers.wait_for_complete()
        await pilot.pause()
        folder = tmp_path / default
        assert sorted(p.name for p in folder.iterdir()) == ["descent_run.py", "history.csv", "settings.toml"]
        rows = list(csv.DictReader((folder / "history.csv").open()))
        final = deque(descend(make_problem(settings)), maxlen=1)[0]
        assert int(rows[-1]["step"]) == final.step == screen.snapshot.step == 150
        assert float(rows[-1]["loss"]) == final.loss == screen.snapshot.loss
        assert Settings().with_changes(**read_config(folder / "settings.toml").changes) == settings
        assert any("history.csv" in str(n.message) for n in app._notifications)

        # s: the screenshot goes next to the last export
        await pilot.press("s")
        await pilot.pause()
        shots = list(folder.glob("*.svg"))
        assert len(shots) == 1
        assert "descent" in shots[0].read_text()


@pytest.mark.slow
@pytest.mark.usefixtures("in_tmp_path")  # the app writes where it runs: not into the repo
async def test_an_export_folder_that_is_a_file_is_refused_in_words(tmp_path):
    (tmp_path / "taken").write_text("keep me")
    app = make_app(Settings(device="cpu", steps=20))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, PathScreen), what="the export modal")
        app.screen.query_one(Input).value = "taken"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen)
        assert "is a file, not a folder" in str(app.screen.query_one("#path-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert (tmp_path / "taken").read_text() == "keep me"


@pytest.mark.slow
@pytest.mark.usefixtures("in_tmp_path")  # the app writes where it runs: not into the repo
async def test_s_saves_an_svg_in_the_current_folder(tmp_path):
    app = make_app(Settings(device="cpu", steps=20))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_state(pilot, "ready")
        await pilot.press("s", "s")
        # a loaded machine may not have written the second yet: wait for it (WAIT_S only bounds a hang)
        await wait_until(pilot, lambda: len(list(tmp_path.glob("descent-*.svg"))) >= 2, what="two screenshots")
        await pilot.pause()
        shots = sorted(tmp_path.glob("descent-*.svg"))
        assert len(shots) == 2  # two in one second keep both
        text = shots[0].read_text()
        assert text.startswith("<svg") and "descent" in text and "fit" in text


@pytest.mark.slow
async def test_the_theme_applies_and_the_plots_follow_it():
    app = make_app(Settings(device="cpu"))
    app.theme = "nord"  # as `descent --theme nord` does
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        await wait_for_state(pilot, "ready")
        assert app.theme == "nord"
        assert screen.fit.theme == "auto" and screen.loss.theme == "auto"
        nord = plot_background(screen.fit)
        app.theme = "gruvbox"
        await pilot.pause()
        gruvbox = plot_background(screen.fit)
        assert nord != gruvbox
        assert gruvbox == app.theme_variables["surface"].lower()


def plot_background(plot) -> str:
    """The colour the plot fills its canvas with (the commonest background of its rendered text), as #rrggbb."""
    text = plot.render()
    counts = Counter(span.style.bgcolor.get_truecolor().hex for span in text.spans if span.style and span.style.bgcolor)
    assert counts, "the plot draws no background"
    return counts.most_common(1)[0][0]


@pytest.mark.slow
async def test_no_color_turns_the_colours_off(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(Settings(device="cpu"))
    assert app.no_color
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_state(pilot, "ready")
        colours = screen_colours(app.export_screenshot())
    assert len(colours) > 3  # the plots are drawn, in shades
    assert all(r == g == b for r, g, b in colours), f"colours other than grey reached the screen: {colours}"


@pytest.mark.slow
async def test_without_no_color_the_plots_are_in_colour(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_state(pilot, "ready")
        colours = screen_colours(app.export_screenshot())
    assert any(len({r, g, b}) > 1 for r, g, b in colours)  # so the grey above is NO_COLOR's doing


RICH_DEFAULT_FOREGROUND = "c5c8c6"
"""What rich's SVG export writes for text with no colour of its own: not a colour the app chose."""


def screen_colours(svg: str) -> set[tuple[int, int, int]]:
    """The text and background colours of the screen's cells in a Textual SVG (not the window's chrome)."""
    found = set(re.findall(r"\{ fill: #([0-9a-f]{6})", svg)) | set(re.findall(r'<rect fill="#([0-9a-f]{6})"', svg))
    return {tuple(int(h[i : i + 2], 16) for i in (0, 2, 4)) for h in found - {RICH_DEFAULT_FOREGROUND}}


def test_the_theme_option_reaches_the_app(monkeypatch):
    from tui import app as app_module
    from tui.cli.main import main

    themes = []
    monkeypatch.setattr(app_module.DescentApp, "run", lambda self: themes.append(self.theme))
    assert main(["--theme", "nord", "--steps", "10"]) == 0
    assert themes == ["nord"]


@pytest.mark.slow
async def test_help_lists_the_workflow_keys():
    from textual.widgets import Markdown

    from tui.screens.help_screen import HelpScreen

    app = make_app(Settings(device="cpu"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        text = app.screen.query_one(Markdown).source
        for words in ("`ctrl+s`", "TOML file", "`e`", "into a folder", "`s`", "SVG screenshot"):
            assert words in text, words
