"""The parameter panel's rows come one refresh after the first paint (benchmarks/startup.py): what the screen says
to the panel before they exist is shown when they do, and nothing said after is lost."""

from __future__ import annotations

import numpy as np
from textual.app import App
from textual.widgets import Input, Select

from engine.data.dataset import Dataset
from engine.settings.run_settings import Settings
from tests.helpers import wait_until
from tui.widgets.parameter_panel import ParameterPanel


class PanelApp(App):
    def __init__(self, settings: Settings, early) -> None:
        super().__init__()
        self.settings, self.early = settings, early

    def compose(self):
        yield ParameterPanel(self.settings, id="panel")

    def on_mount(self) -> None:
        panel = self.query_one(ParameterPanel)
        assert not panel.filled and not panel.query(".setting-row")  # the rows are not there yet
        self.early(panel)


async def test_what_was_said_before_the_rows_shows_when_they_come(tmp_path):
    source = str(tmp_path / "heights.csv")
    dataset = Dataset(x=np.array([1.0, 2.0, 3.0]), y=np.array([2.0, 4.0, 7.0]), source=source, x_name="age", y_name="height")

    def early(panel: ParameterPanel) -> None:
        assert panel.problems() == [] and panel.pending() == {}  # nothing typed: nothing to apply or refuse
        panel.set_value("lr", 0.003)
        panel.set_value("optimizer", "adam")
        panel.show_error("steps", "a word from the run: steps [bold]can't[/] be 0")
        panel.show_dataset(dataset)

    app = PanelApp(Settings(data=source), early)
    async with app.run_test(size=(60, 60)) as pilot:
        panel = app.query_one(ParameterPanel)
        await wait_until(pilot, lambda: panel.filled, what="the rows")
        assert app.query_one("#setting-lr", Input).value == "0.003"
        assert app.query_one("#setting-optimizer", Select).value == "adam"
        error = panel.query(".setting-row.-invalid")
        assert len(error) == 1 and error.first().field.name == "steps"
        assert str(error.first().error.render()) == "a word from the run: steps [bold]can't[/] be 0"  # literal, not markup
        facts = app.query_one("#data-facts")
        assert facts.display and "heights.csv" in str(facts.render()) and "age" in str(facts.render())
        assert not app.query_one("#setting-points").parent.display  # the synthetic settings step aside for a file
        assert panel.pending() == {"lr": 0.003}  # shown, not applied: the screen applies it, or not


async def test_settings_applied_before_the_rows_are_what_they_show():
    def early(panel: ParameterPanel) -> None:
        panel.set_value("lr", 0.5)  # then a rebuild with other settings: the rows show those, not the older word
        panel.set_applied(Settings(lr=0.002, steps=77))

    app = PanelApp(Settings(), early)
    async with app.run_test(size=(60, 60)) as pilot:
        panel = app.query_one(ParameterPanel)
        await wait_until(pilot, lambda: panel.filled, what="the rows")
        assert app.query_one("#setting-lr", Input).value == "0.002"
        assert app.query_one("#setting-steps", Input).value == "77"
        assert panel.pending() == {} and panel.problems() == []
