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

    def reset(self, total_steps: int) -> None:
        self.history.clear()
        self.total_steps = max(1, total_steps)
        self.redraw()

    def add(self, steps: list[int], losses: list[float]) -> None:
        self.history.add(steps, losses)
        self.redraw()

    def redraw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.title("loss (log10)")
        plt.xlabel("step")
        plt.ylabel("log10 loss")
        steps, logs = self.history.log10_points()
        if steps:
            plt.plot(steps, logs, color="orange")
        plt.xlim(0, self.total_steps)
        self.refresh()
