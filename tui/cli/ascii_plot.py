"""The final scatter and fitted curve as ASCII text, for `descent run --plot`."""

from __future__ import annotations

import numpy as np
import plotext


def final_plot(problem, snapshot, width: int = 80, height: int = 24) -> str:
    """The points, the fitted curve and the least-squares line, as plotext draws them."""
    x, y = problem.dataset.x, problem.dataset.y
    plotext.clear_figure()
    plotext.plotsize(width, height)
    plotext.theme("clear")
    plotext.scatter(x.tolist(), y.tolist(), label="data", marker="dot")
    grid = np.linspace(float(x.min()), float(x.max()), 200)
    curve = problem.model.curve(snapshot.vector, grid)
    if np.all(np.isfinite(curve)):
        plotext.plot(grid.tolist(), curve.tolist(), label=f"fit after {snapshot.step} steps", marker="braille")
    plotext.title(f"loss {snapshot.loss:.6g}")
    plotext.xlabel("x")
    plotext.ylabel("y")
    return plotext.uncolorize(plotext.build())
