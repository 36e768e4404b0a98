"""Autograd's graph as text (key a): torch's nodes from `loss.grad_fn`, each with its local derivative and the
numbers backward passed along its edge, then the chain rule for the first slope written out with those numbers."""

from __future__ import annotations

import numpy as np
from rich.text import Text

SHOWN = 3
"""Entries of a vector shown before `…`."""


def _n(value: float) -> str:
    return f"{value:.4g}"


def _vector(values: np.ndarray | None) -> str:
    if values is None:
        return "—"
    if values.size == 1:
        return _n(float(values[0]))
    shown = ", ".join(_n(float(v)) for v in values[:SHOWN])
    return f"[{shown}{', …' if values.size > SHOWN else ''}]"


def chain_index(names: tuple[str, ...]) -> int:
    """The parameter whose chain rule is written out: the slope (k, or c1 of a polynomial)."""
    return names.index("c1") if "c1" in names else 0


def graph_lines(graph, names: tuple[str, ...], standardized: bool = False) -> list[Text]:
    """The graph's nodes, tree-drawn by depth, then the chain rule (for models linear in θ)."""
    lines = [Text.assemble(("backward() walks torch's graph from loss.grad_fn", "bold"), (" (its next_functions):", "dim"))]
    for node in graph.nodes:
        indent = "  " * max(node.depth - 1, 0) + ("└ " if node.depth else "")
        row = Text(indent)
        row.append(node.name, style="bold cyan")
        if node.depth == 0:
            row.append(f"  loss = {_n(graph.loss)}")
        if node.leaf is not None:
            row.append(f"  θ = {_vector(node.leaf)}  .grad += {_vector(node.incoming)}")
        elif node.depth > 0:
            row.append(f"  ← ∂L/∂(its output) = {_vector(node.incoming)}")
        lines.append(row)
        lines.append(Text(" " * (len(indent) + 2) + node.local, style="dim"))
    from engine.maths.autograd_graph import chain_terms

    index = chain_index(names) if names else 0
    terms = chain_terms(graph, index)
    if terms is None or not names:
        lines.append(Text("the chain rule is written out for models linear in θ; here torch's nodes above do it", style="dim"))
        return lines
    name = names[index]
    x = "  (x standardized)" if standardized else ""
    feature = "xᵢ" if name in ("k", "c1") else f"Φᵢ{index}"
    rule = f"∂L/∂{name} = Σᵢ ∂L/∂ŷᵢ · ∂ŷᵢ/∂{name} = Σᵢ ∂L/∂ŷᵢ · {feature}"
    lines.append(Text.assemble(("chain rule: ", "bold"), rule, (x, "dim")))
    slopes, column = graph.residual_slopes, graph.features[:, index]
    shown = " + ".join(f"({_n(s)})·({_n(c)})" for s, c in zip(slopes[:SHOWN], column[:SHOWN], strict=True))
    more = f" + … ({len(terms):,} terms)" if len(terms) > SHOWN else ""
    lines.append(Text(f" = {shown}{more} = {_n(float(terms.sum()))}"))
    lines.append(Text(f" backward() gave ∂L/∂{name} = {_n(float(graph.gradient[index]))}", style="green"))
    return lines
