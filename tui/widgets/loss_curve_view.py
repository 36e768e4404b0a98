"""The loss of a one-parameter model as a curve L(k), with the descent's points on it and the tangent at k now."""

from __future__ import annotations

import numpy as np
from textual_plotext import PlotextPlot

from engine.maths.loss_over_k import LossCurve, one_parameter
from tui.widgets.plotting.glyphs import glyphs_of, translate_text

CURVE_SAMPLES = 96
TANGENT_SPAN = 0.2
"""The tangent is drawn over this fraction of the window, centred on k now."""
PATH_LIMIT = 400
"""Points of the path drawn on the curve, evenly spread (the first and the last kept)."""


class LossCurveView(PlotextPlot):
    """Shown instead of the fit plot while `l` is on, for a model with one parameter (`slope`)."""

    DEFAULT_CSS = """
    LossCurveView { height: 2fr; }
    """

    def render(self):
        return translate_text(super().render(), glyphs_of(self))  # --glyphs

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.curve: LossCurve | None = None
        self.standardized = False

    def reset(self, problem, optimum) -> None:
        """A new problem: its curve (none for a model with more than one parameter)."""
        self.curve = LossCurve(problem, optimum) if one_parameter(problem) else None
        self.standardized = problem.scaling.scale != 1.0

    def show(self, path: np.ndarray, now: float) -> None:
        """Redraw: the curve over a window holding the path, the path's points on it, the tangent at `now`."""
        curve = self.curve
        if curve is None:
            return
        path = np.asarray(path, dtype=np.float64).ravel()
        if len(path) > PATH_LIMIT:
            path = path[np.unique(np.linspace(0, len(path) - 1, PATH_LIMIT).round().astype(np.int64))]
        low, high = curve.window(path, now)
        ks = np.linspace(low, high, CURVE_SAMPLES)
        level, gradient = float(curve.at(now)[0]), curve.slope(now)
        half = TANGENT_SPAN * (high - low) / 2
        tangent = np.array([now - half, now + half])
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        plt.plot(ks.tolist(), curve.at(ks).tolist(), label="L(k)", color="cyan")
        if len(path):
            plt.scatter(path.tolist(), curve.at(path).tolist(), label="descent", color="orange", marker="•")
        plt.plot(tangent.tolist(), (level + gradient * (tangent - now)).tolist(), label=f"tangent: dL/dk = {gradient:.3g}", color="green")
        plt.scatter([now], [level], color="white", marker="◆")
        plt.title(f"L(k) at k = {now:.4g}: {level:.4g}")
        plt.xlabel("k (standardized x)" if self.standardized else "k")
        self.refresh()
