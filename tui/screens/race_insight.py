"""What explains a race, beside its plots: the Analysis panel (y), every racer's path on the landscape (l), the
verdict when the race ends, and the screenshot (s). A collaborator of RaceScreen, given what it needs.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.binding import Binding

from engine.maths.landscape import thin_path
from engine.models.model_kind import is_linear_in_parameters

RACE_INSIGHT_BINDINGS = [
    Binding("l", "toggle_landscape", "Landscape", tooltip="every racer's path over the loss landscape, instead of the fit", id="landscape"),
    Binding("y", "toggle_analysis", "Analysis", tooltip="show or hide the Analysis panel: curvature and the race's verdict", id="analysis"),
    Binding("s", "screenshot", "Screenshot (SVG)", tooltip="save an SVG screenshot of the screen", id="screenshot", show=False),
]
PATH_POINTS = 2000
"""Each racer's landscape path keeps at most this many θ, evenly thinned: a race of any length draws the same."""


class RaceInsight:
    """The race's analysis, landscape paths and verdict; `panel` is the Analysis Static, `landscape` the RaceLandscapeView."""

    def __init__(self, screen, panel, landscape, fit) -> None:
        self.screen, self.panel, self.landscape, self.fit = screen, panel, landscape, fit
        self.panel.display = self.landscape.display = False
        self.reset()

    def reset(self) -> None:
        """A new race is being prepared: nothing of the last one applies."""
        self.problem = self.optimum = self.analysis = None
        self.firsts: dict = {}
        self.paths: dict[str, list] = {}
        self.results: list = []
        self.words: list[str] = []
        self.ranked: list | None = None
        self._show_panel()

    def ready(self, racers, optimum, analysis) -> int:
        """The racers are made: keep where they start; how often the runner keeps θ for the paths (0: never)."""
        self.problem, self.optimum, self.analysis = racers[0].problem, optimum, analysis
        self.firsts = {racer.name: racer.latest for racer in racers}
        two = self.two_parameters()
        self.paths = {racer.name: [racer.latest.vector[:2].copy()] for racer in racers} if two else {}
        self.landscape.reset(self.problem, optimum)
        self._show_panel()
        return max(1, racers[0].problem.settings.steps // PATH_POINTS) if two else 0

    def frame(self, frame) -> None:
        for name, points in frame.paths.items():
            path = self.paths.setdefault(name, [])
            path.extend(points)
            if len(path) > 2 * PATH_POINTS:
                self.paths[name] = list(thin_path(np.array(path), PATH_POINTS))

    def draw(self, snapshots: dict) -> None:
        if self.landscape.display and self.paths:
            paths = {name: np.array(path) for name, path in self.paths.items()}
            self.landscape.show_racers(paths, {name: s.vector for name, s in snapshots.items()})

    def finish(self, snapshots: dict, names) -> None:
        """The race is over: rank it, put the verdict in the panel, and name the winner in a toast."""
        from engine.words.race_verdict import brief, race_context, race_result, verdict

        settings = {racer.name: racer.problem.settings for racer in self.screen.runner.racers}
        self.results = [race_result(name, settings[name], self.firsts[name], snapshots[name]) for name in names]
        context = race_context(self.screen.settings, self.optimum, self.analysis)
        self.words = verdict(self.results, context)
        self.ranked = [(result.label, result.loss, words) for result, words in brief(self.results, context)]
        if any(name.endswith("/λmax") for name in names):  # a ladder: each rung's regime, in the panel and its line
            from engine.words.ladder_words import ladder_regimes

            self.words += ladder_regimes(self.results, context)[1]
            regimes = ladder_regimes(self.results, context)[0]
            self.ranked = [(label, loss, f"{regimes[label]}; {words}" if label in regimes else words) for label, loss, words in self.ranked]
        self._show_panel()
        if self.words:
            self.screen.notify(self.words[0] + " (y: why the others trail)", title="Race over", timeout=8)

    def two_parameters(self) -> bool:
        model = getattr(self.problem, "model", None)
        return is_linear_in_parameters(model) and len(model.names) == 2

    # ── the keys ─────────────────────────────────────────────────────────────
    def toggle_analysis(self) -> None:
        self.panel.display = not self.panel.display

    def toggle_landscape(self, snapshots: dict) -> None:
        if self.landscape.display:
            self.landscape.display, self.fit.display = False, True
            return
        if self.problem is None:
            self.screen.notify("the race is not ready yet", title="Landscape", severity="warning")
            return
        if not self.two_parameters():
            model = self.problem.settings.model
            self.screen.notify(
                f"the landscape needs a model with two parameters (linear or poly:1); {model} has more", title="Landscape unavailable",
                severity="warning",
            )  # fmt: skip
            return
        self.landscape.display, self.fit.display = True, False
        self.draw(snapshots)

    def screenshot(self) -> None:
        """The main screen's screenshot, one implementation: never over an older shot, a download when served."""
        from tui.screens.exporter import Exporter

        Exporter(self.screen).screenshot()

    def _show_panel(self) -> None:
        self.panel.update(race_analysis_text(self.analysis, self.words))


def race_analysis_text(analysis, words: list[str]) -> Text:
    """The curvature every racer descends, then the verdict (or what the verdict waits for)."""
    text = Text()
    text.append("Analysis  ", style="bold")
    if analysis is None:
        text.append("no curvature yet", style="dim")
    elif analysis.exact:
        text.append(f"λmax {analysis.lambda_max:.4g}  λmin {analysis.lambda_min:.4g}  κ {analysis.condition_number:,.0f}  ")
        text.append(f"lr_max = 2/λmax {analysis.lr_max:.3g}", style="bold")
        text.append(" (plain steps diverge above it)", style="dim")
    else:
        text.append(f"λmax ≈ {analysis.lambda_max:.4g} (estimated at the start)", style="dim")
    for line in words or ["the verdict comes when the race ends"]:
        text.append("\n" + line, style="italic" if words else "dim")
    return text
