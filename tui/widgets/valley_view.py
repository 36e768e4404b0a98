"""The valley's two directions (key v): log10 |error| along the steep and the flat eigenvector against step, each
beside its predicted line (engine/maths/valley.py). The loss curve's cliff-then-plateau is these two lines."""

from __future__ import annotations

import numpy as np
from textual_plotext import PlotextPlot

from tui.widgets.plotting.glyphs import glyphs_of, translate_text

FLOOR = 1e-12
"""|error| is drawn down to this fraction of the largest start error: float32 rounding stops the run's there anyway."""
POINTS = 400
"""Points of each line drawn, evenly spread over the steps."""


def _thinned(steps: np.ndarray, *columns: np.ndarray):
    if len(steps) <= POINTS:
        return (steps, *columns)
    keep = np.unique(np.linspace(0, len(steps) - 1, POINTS).round().astype(np.int64))
    return (steps[keep], *(c[keep] for c in columns))


class ValleyView(PlotextPlot):
    """Shown instead of the fit while `v` is on."""

    DEFAULT_CSS = """
    ValleyView { height: 2fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.caption = ""
        """The rates as numbers, one line (what a test reads)."""

    def render(self):
        return translate_text(super().render(), glyphs_of(self))  # --glyphs

    def show_reason(self, why: str) -> None:
        """Nothing to draw: say why in the plot's title."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        self.caption = f"valley directions: {why}"
        plt.title(self.caption)
        plt.scatter([0], [0], marker=" ")
        self.refresh()

    def show(self, settings, values: np.ndarray, steps: np.ndarray, errors: np.ndarray, anchor: tuple[int, np.ndarray]) -> None:
        """Redraw: |error| along each drawn direction (columns of `errors`) and its predicted line from `anchor`."""
        from engine.maths.valley import HEAVY_BALL_RULES, rate

        start_step, start_errors = anchor
        scale = max(float(np.max(np.abs(start_errors))), FLOOR)
        floor = FLOOR * scale
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        names = ("flat", "steep") if len(values) == 2 else ("only",)
        colors = ("orange", "cyan")
        rates, low, high = [], np.inf, -np.inf
        for column, (name, curvature) in enumerate(zip(names, values, strict=True)):
            keep = rate(settings, float(curvature))
            rates.append(f"{name} ×{keep:.5g}")
            actual = np.maximum(np.abs(errors[:, column]), floor)
            ahead = np.arange(start_step, int(steps[-1]) + 1) if len(steps) else np.array([start_step])
            with np.errstate(over="ignore", under="ignore", divide="ignore"):
                predicted = np.maximum(abs(float(start_errors[column])) * np.power(keep, (ahead - start_step).astype(np.float64)), floor)
            predicted = np.minimum(predicted, 1e300)
            s, a = _thinned(steps, np.log10(actual))
            p_steps, p = _thinned(ahead, np.log10(predicted))
            low, high = min(low, float(a.min()), float(p.min())), max(high, float(a.max()), float(p.max()))
            color = colors[column % 2]
            plt.plot(p_steps.tolist(), p.tolist(), marker="dot", color=color)
            plt.plot(s.tolist(), a.tolist(), marker="braille", color=color, label=f"{name} ×{keep:.5g} a step")
        envelope = "ρ^t" if settings.optimizer in HEAVY_BALL_RULES else "|1−lr·λ|^t"
        self.caption = f"{', '.join(reversed(rates))} a step; dots: {envelope}"
        title = f"|error| along H's eigenvectors; dots: {envelope}"
        plt.title(title if len(title) < self.size.width - 6 else f"dots: {envelope}")  # plotext drops a title too wide
        if np.isfinite(low) and np.isfinite(high):
            plt.ylim(low, high + 0.4 * (high - low) + 0.5)  # an empty band on top: the legend sits there, not on the lines
        plt.xlabel("step")
        plt.ylabel("log10 |error|")
        self.refresh()
