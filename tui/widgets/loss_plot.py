"""The loss against the step, on a log scale drawn as log10(loss) on a linear axis."""

from __future__ import annotations

from textual_plotext import PlotextPlot

from tui.loss_history import LossHistory


class LossPlot(PlotextPlot):
    """log10(loss) by step; plotext 5's own log scale raises when it re-renders, so the log is taken here."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.history = LossHistory()
        self.total_steps = 1
        self._drawn: tuple | None = None

    def reset(self, total_steps: int) -> None:
        self._drawn = None
        self.history.clear()
        self.total_steps = max(1, total_steps)
        self.redraw()

    def add(self, steps: list[int], losses: list[float]) -> None:
        self.history.add(steps, losses)
        self.redraw()

    def redraw(self) -> None:
        steps, logs = self.history.log10_points()
        # plotext draws every segment cell by cell: a few points per column look the same and cost far less
        stride = max(1, len(steps) // max(16, 2 * self.size.width))
        if stride > 1:
            steps, logs = steps[:-1:stride] + steps[-1:], logs[:-1:stride] + logs[-1:]
        picture = self._picture(steps, logs)
        if picture == self._drawn:
            return  # nothing moved by a cell: skip plotext's costly rebuild
        self._drawn = picture
        plt = self.plt
        plt.clear_data()
        plt.title("loss (log10)")
        plt.xlabel("step")
        plt.ylabel("log10 loss")
        if steps:
            plt.plot(steps, logs, color="orange")
        plt.xlim(0, self.total_steps)
        self.refresh()

    def _picture(self, steps: list[int], logs: list[float]) -> tuple:
        """The curve as the cells it lights (to 1/4 of a cell), with the axes' extent: equal pictures look the same."""
        if not steps:
            return (self.size,)
        low, high = min(logs), max(logs)
        span = (high - low) or 1.0
        columns, rows = 2 * max(1, self.size.width), 4 * max(1, self.size.height)
        cells = {(round(s / self.total_steps * columns), round((v - low) / span * rows)) for s, v in zip(steps, logs, strict=True)}
        return self.size, round(low, 2), round(high, 2), frozenset(cells)
