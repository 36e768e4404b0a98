"""The guided tour on the main screen: each stop's state applied, its text kept up to date (the stops: engine/words/tour.py).

A collaborator of MainScreen, made by `Teaching` when T is pressed (or by `descent tour`). A stop restarts the run
with its settings and sets the views; the race stop opens the race screen over the main one, with a panel of its own.
Leaving keeps whatever is on screen.
"""

from __future__ import annotations

from engine.settings.run_settings import Settings
from engine.words.predictions import TOUR_QUESTIONS
from engine.words.tour import STOPS, Scene, stop_settings, words
from tui.screens.race_screen import RaceScreen
from tui.widgets.parameter_panel import FIELDS
from tui.widgets.tour_panel import TourPanel

DATA_FIELDS = tuple(name for name, spec in FIELDS.items() if spec.metadata["group"] == "Data")


class TourRace(RaceScreen):
    """The race screen with the tour's panel under its plots."""

    def __init__(self, tour, settings: Settings, names: tuple[str, ...], fps: int, run: bool) -> None:
        super().__init__(settings, names, fps, run)
        self.tour_panel = TourPanel(tour, id="tour")

    def on_mount(self) -> None:  # after RaceScreen's own (Textual calls both)
        self.mount(self.tour_panel, before=self.query_one("#race-status"))
        self.call_after_refresh(self.tour_panel.focus)


class Tour:
    """Where the tour is (`index`), and how to show each stop on `screen`."""

    def __init__(self, screen, teaching) -> None:
        self.screen, self.teaching = screen, teaching
        self.index = 0
        self.launched = (screen.settings, screen.dataset)
        """The run the tour began from: the last stop, your own data, comes back to it."""
        self.tutorial = Settings(device=screen.settings.device)
        self.panel = TourPanel(self, id="tour")
        self.race: TourRace | None = None

    @property
    def stop(self):
        return STOPS[self.index]

    def start(self, index: int = 0) -> None:
        screen = self.screen
        screen.mount(self.panel, before=screen.query_one("#status"))
        screen.set_class(True, "-touring")
        self.go(index)
        screen.call_after_refresh(self.refresh)  # the panel is mounted by then: its first text without waiting for its timer

    def move(self, by: int) -> None:
        index = min(max(self.index + by, 0), len(STOPS) - 1)
        if index == self.index:
            where = "last" if by > 0 else "first"
            self.screen.notify(f"the tour's {where} stop; Escape leaves the tour", title="Tour", timeout=3)
            return
        self.go(index)

    def go(self, index: int) -> None:
        """Show stop `index`: its state, then its text."""
        self.index = index
        stop = self.stop
        self._close_race()
        if stop.race:
            race = TourRace(self, stop_settings(stop, self.tutorial, self.launched[0]), stop.race, self.screen.pace.fps, stop.run)
            self.race = race
            self.screen.app.push_screen(race)
        else:
            self._apply(stop)
            self.panel.focus()
        self.teaching.learner.predicting.at_stop(stop, index, len(STOPS))  # a question first: the run waits for the answer
        self.refresh()

    def _apply(self, stop) -> None:
        screen = self.screen
        settings = stop_settings(stop, self.tutorial, self.launched[0])
        self.teaching.driver.prepare_run(settings, self._dataset_for(settings), run=stop.run and stop.id not in TOUR_QUESTIONS)
        screen.show_views(stop.panel, stop.top, stop.bottom)

    def _dataset_for(self, settings: Settings):
        """The points already made for these data settings (on screen, or the launch's CSV), else None: new ones."""
        for kept_settings, dataset in ((self.screen.settings, self.screen.dataset), self.launched):
            if dataset is not None and all(getattr(settings, n) == getattr(kept_settings, n) for n in DATA_FIELDS):
                return dataset
        return None

    def _close_race(self) -> None:
        race, self.race = self.race, None
        if race is not None and race.is_current:
            race.action_back()

    def scene(self) -> Scene:
        if self.race is not None:
            return Scene(self.race.settings, racers=dict(getattr(self.race, "snapshots", {})))
        screen = self.screen
        path = getattr(getattr(screen, "insight", None), "path", None)
        start = path[0] if path else None  # θ₀ as drawn on the landscape (a dropped marble included)
        return Scene(screen.settings, screen.problem, screen.snapshot, screen.analysis, screen.optimum, start=start)

    def refresh(self) -> None:
        """Each panel shows the stop's text for the run as it is now."""
        stop = self.stop
        text = words(stop, self.scene())
        panels = [self.panel] + ([self.race.tour_panel] if self.race is not None else [])
        for panel in panels:
            if panel.is_mounted:
                panel.show(self.index, len(STOPS), stop, text)

    def step_key(self) -> None:
        """n in the tour: the code pane's next phase when it shows, else a step."""
        if self.race is not None:
            return
        if not self.teaching.step_key():  # the code pane's next phase when it shows
            self.teaching.driver.step()

    def leave(self) -> None:
        """Out of the tour; the screen (or the race over it) stays as it is."""
        panels = [self.panel] + ([self.race.tour_panel] if self.race is not None else [])
        for panel in panels:
            if panel.is_mounted:
                panel.remove()
        self.screen.set_class(False, "-touring")
        self.teaching.tour = None
        self.teaching.learner.predicting.left_tour()
        if self.race is not None and self.race.is_current:
            self.race.focus_plot()
        else:
            self.screen.focus_plot()
