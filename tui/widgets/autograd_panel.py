"""The Autograd panel: the step's computation, and ∂L/∂θ from backward() beside the formulas' values."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


def _n(value: float) -> str:
    return f"{value:.7g}"


class AutogradPanel(VerticalScroll):
    """Shown instead of the loss plot while `a` is on; redrawn each frame it is visible; scrolls where it must.

    First autograd's graph (tui/widgets/autograd_graph_text.py), then its gradient beside the formulas'.
    """

    DEFAULT_CSS = """
    AutogradPanel { height: 1fr; padding: 0 1; }
    AutogradPanel > Static { width: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._body: Table | Text | Group = Text()
        self._static = Static("")
        self.plain = ""

    def compose(self):
        yield self._static

    def show(self, problem, snapshot) -> None:
        from engine.maths.gradient_check import COMPUTATION, gradient_check  # imports torch: not before a run exists

        title = Text.assemble(("Autograd", "bold"), (f" at step {snapshot.step:,}", "dim"))
        check = gradient_check(problem, snapshot)
        settings = problem.settings
        graph = self._graph(problem, snapshot)
        if check is None:
            lines = [title, Text(f"no formula for {settings.loss} on {settings.model}: autograd's gradient alone", style="dim")]
            names = snapshot.layout.names or tuple(f"θ{i}" for i in range(min(6, snapshot.layout.size)))
            for name, value in zip(names, snapshot.gradient, strict=False):
                lines.append(Text(f"∂L/∂{name} = {_n(float(value))}"))
            self._set(Text("\n").join([*lines[:1], *graph, *lines[1:]]))
            return
        units = ", x standardized" if settings.standardize else ""
        kind = problem.model.kind
        predictions = "predictions = k·x" if kind == "slope" else "predictions = Σ cⱼ·xʲ"
        computation = COMPUTATION if kind == "linear" else (predictions, COMPUTATION[1])
        values = "  ".join(f"{name} = {_n(float(v))}" for name, v in zip(check.names, snapshot.vector, strict=True))
        table = Table(box=None, padding=(0, 1), show_edge=False, expand=False)
        table.add_column("", style="dim", no_wrap=True, min_width=5)
        table.add_column("autograd", justify="right", no_wrap=True, min_width=10)
        table.add_column("formula", justify="right", no_wrap=True, min_width=10)
        table.add_column("", style="dim", no_wrap=True, overflow="ellipsis")
        for i, name in enumerate(check.names):
            formula = check.formulas[i].split(" = ", 1)[-1]
            table.add_row(f"∂L/∂{name}", _n(check.autograd[i]), _n(check.analytic[i]), formula)
        if check.agrees:
            verdict = Text(
                f"✓ equal within float32 rounding (they differ by {check.largest_difference:.1e} of the gradient: "
                "autograd sums in float32, the formula here in float64)",
                style="green",
            )
        else:
            verdict = Text(
                f"✗ they differ by {check.largest_difference:.1e} of the gradient, more than float32 rounding explains",
                style="bold red",
            )
        head = Text.assemble(
            ("θ now: " + values + "\n", ""),
            (computation[0], ""),
            (f"  (x: the {len(problem.x_train):,} training points{units})\n", "dim"),
            (f"{computation[1]} = {_n(snapshot.loss)}", ""),
        )
        drawn = Text("\n").join(graph)
        self._set(
            Group(title, drawn, head, table, verdict),
            Text("\n").join([title, drawn, head, verdict]).plain + "\n" + self._table_plain(check),
        )

    @staticmethod
    def _graph(problem, snapshot) -> list[Text]:
        """Autograd's graph at the snapshot's θ, or one line saying why it can't be read (θ blown up)."""
        import numpy as np

        from engine.maths.autograd_graph import autograd_graph
        from tui.widgets.autograd_graph_text import graph_lines

        if not np.all(np.isfinite(snapshot.vector)):
            return [Text("θ is not finite here: no graph to walk", style="dim")]
        graph = autograd_graph(problem, snapshot.vector)
        return graph_lines(graph, snapshot.layout.names, problem.settings.standardize)

    @staticmethod
    def _table_plain(check) -> str:
        return "\n".join(
            f"∂L/∂{name} {_n(check.autograd[i])} {_n(check.analytic[i])} {check.formulas[i]}" for i, name in enumerate(check.names)
        )

    def _set(self, body, plain: str | None = None) -> None:
        self._body = body
        self.plain = plain if plain is not None else str(body)
        self._static.update(body)
