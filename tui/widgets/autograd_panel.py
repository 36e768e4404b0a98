"""The Autograd panel: the step's computation, and ∂L/∂θ from backward() beside the formulas' values."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widget import Widget


def _n(value: float) -> str:
    return f"{value:.7g}"


class AutogradPanel(Widget):
    """Shown instead of the loss plot while `a` is on; redrawn each frame it is visible."""

    DEFAULT_CSS = """
    AutogradPanel { height: 1fr; padding: 0 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._body: Table | Text = Text()
        self.plain = ""

    def render(self):
        return self._body

    def show(self, problem, snapshot) -> None:
        from engine.maths.gradient_check import COMPUTATION, gradient_check  # imports torch: not before a run exists

        title = Text.assemble(("Autograd", "bold"), (f" at step {snapshot.step:,}", "dim"))
        check = gradient_check(problem, snapshot)
        settings = problem.settings
        if check is None:
            lines = [title, Text(f"no formula for {settings.loss} on {settings.model}: autograd's gradient alone", style="dim")]
            names = snapshot.layout.names or tuple(f"θ{i}" for i in range(min(6, snapshot.layout.size)))
            for name, value in zip(names, snapshot.gradient, strict=False):
                lines.append(Text(f"∂L/∂{name} = {_n(float(value))}"))
            self._set(Text("\n").join(lines))
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
            title,
            ("   " + values + "\n", ""),
            (computation[0], ""),
            (f"  (x: the {len(problem.x_train):,} training points{units})\n", "dim"),
            (f"{computation[1]} = {_n(snapshot.loss)}", ""),
        )
        from rich.console import Group

        self._set(Group(head, table, verdict), Text("\n").join([head, verdict]).plain + "\n" + self._table_plain(check))

    @staticmethod
    def _table_plain(check) -> str:
        return "\n".join(
            f"∂L/∂{name} {_n(check.autograd[i])} {_n(check.analytic[i])} {check.formulas[i]}" for i, name in enumerate(check.names)
        )

    def _set(self, body, plain: str | None = None) -> None:
        self._body = body
        self.plain = plain if plain is not None else str(body)
        self.refresh()
