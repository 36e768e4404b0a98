"""The tutorial's warm-up (w): z = mean((x + 2)²), and x.grad from autograd beside 2·(x + 2)/100."""

from __future__ import annotations

import numpy as np
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

SHOWN = (0, 1, 2, 50, 98, 99)
"""Which of the 100 xᵢ the table lists: the ends and the middle say enough."""


def warmup_text() -> str:
    from engine.maths.gradient_check import warmup_demo

    demo = warmup_demo()
    rows = [
        "The tutorial's warm-up: autograd on a function whose derivative you can check by hand.",
        "",
        "x = torch.linspace(0, 10, 100, requires_grad=True)",
        "z = torch.mean((x + 2) ** 2)",
        "z.backward()",
        "",
        f"z = {demo.z:.6g}",
        demo.formula,
        "",
        f"{'i':>4}  {'xᵢ':>10}  {'x.grad[i] (autograd)':>22}  {'2·(xᵢ+2)/100':>14}",
    ]
    for i in SHOWN:
        rows.append(f"{i:>4}  {demo.x[i]:>10.5f}  {demo.autograd[i]:>22.7f}  {demo.analytic[i]:>14.7f}")
    largest = float(np.max(np.abs(demo.autograd - demo.analytic)))
    rows += ["", f"All 100 agree: the largest difference is {largest:.1e}, float32 rounding.", "", "escape or w closes this."]
    return "\n".join(rows)


class WarmUpScreen(ModalScreen):
    """A one-key demo of backward() before the real model's gradients."""

    BINDINGS = [Binding("escape,w,q", "dismiss", "Close")]

    def compose(self):
        with VerticalScroll(id="warmup-body"):
            yield Static(warmup_text(), id="warmup-text")
