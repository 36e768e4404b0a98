"""Autograd's graph (key a): the nodes `loss.backward()` walks, read from torch itself, with the live numbers.

The loss is built as the run builds it (the model's forward, the run's loss function) on a copy of θ at the
snapshot, so the live run is never touched. The graph is torch's: `loss.grad_fn` and each node's
`next_functions`, named as torch names them (`MseLossBackward0`, `MvBackward0`, `AccumulateGrad`). A hook on
each node records what flows into it during backward: ∂L/∂(that node's output), the number on its edge.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import torch

from engine.models.model_kind import is_linear_in_parameters

LOCAL = {
    "MseLossBackward0": "∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ)/N",
    "L1LossBackward0": "∂L/∂ŷᵢ = sign(ŷᵢ − yᵢ)/N",
    "HuberLossBackward0": "∂L/∂ŷᵢ = clip(ŷᵢ − yᵢ, ±δ)/N",
    "MvBackward0": "∂ŷᵢ/∂θⱼ = Φᵢⱼ: θ.grad gets Φᵀ·(∂L/∂ŷ)",
    "MmBackward0": "∂(AB)/∂A = ·Bᵀ, ∂(AB)/∂B = Aᵀ·",
    "AddmmBackward0": "∂(c + AB): 1 to c, ·Bᵀ to A, Aᵀ· to B",
    "AddBackward0": "∂(a + b)/∂a = ∂(a + b)/∂b = 1",
    "SubBackward0": "∂(a − b)/∂a = 1, ∂/∂b = −1",
    "MulBackward0": "∂(a·b)/∂a = b, ∂/∂b = a",
    "TanhBackward0": "∂tanh(u)/∂u = 1 − tanh²(u)",
    "SqueezeBackward1": "a reshape: the gradient passes as it is",
    "ViewBackward0": "a reshape: the gradient passes as it is",
    "UnsqueezeBackward0": "a reshape: the gradient passes as it is",
    "TBackward0": "a transpose: the gradient is transposed back",
    "SelectBackward0": "one entry picked: its gradient goes back to that entry",
    "SliceBackward0": "a slice: its gradient goes back to those entries",
    "AsStridedBackward0": "a view: the gradient passes back to the entries it shows",
    "AccumulateGrad": "a leaf: adds what arrives to .grad",
}
"""Each node's local derivative, in words; a node not listed is said to use torch's own backward."""


@dataclass(frozen=True)
class Node:
    """One node of the backward graph."""

    name: str
    """torch's name for it: type(grad_fn).__name__."""
    depth: int
    """Edges from the loss's grad_fn (0)."""
    incoming: np.ndarray | None
    """∂L/∂(this node's output), as backward passed it in (float64 copy); None if nothing flowed."""
    local: str
    """Its local derivative, in words."""
    leaf: np.ndarray | None = None
    """For AccumulateGrad: the leaf's value (θ)."""


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...]
    loss: float
    gradient: np.ndarray
    """∂L/∂θ, as backward gave it."""
    predictions: np.ndarray
    residual_slopes: np.ndarray | None
    """∂L/∂ŷᵢ per point (the loss node's outgoing numbers), for the chain rule; None if the loss node had none."""
    features: np.ndarray | None
    """Φ (points × parameters) for models linear in θ: ∂ŷᵢ/∂θⱼ; None otherwise."""


def _node_name(node) -> str:
    return type(node).__name__


def walk(root) -> list[tuple[object, int]]:
    """Every node reachable from `root` through next_functions, once each, breadth first, with its depth."""
    seen, order, frontier = set(), [], [(root, 0)]
    while frontier:
        node, depth = frontier.pop(0)
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        order.append((node, depth))
        frontier.extend((child, depth + 1) for child, _ in getattr(node, "next_functions", ()))
    return order


def _recorder(flowed: dict, key: int):
    """A node hook keeping ∂L/∂(the node's output) as backward passes it in."""

    def record(grad_inputs, grad_outputs):
        if grad_outputs and grad_outputs[0] is not None:
            flowed[key] = grad_outputs[0].detach().to("cpu", torch.float64).numpy().reshape(-1).copy()

    return record


def autograd_graph(problem, vector) -> Graph:
    """The graph of the run's loss at θ = `vector` (as fitted), built on a copy of the model, backward walked once."""
    model = copy.deepcopy(problem.model)
    tensors = model.tensors
    with torch.no_grad():
        flat = torch.as_tensor(np.asarray(vector), dtype=tensors[0].dtype, device=tensors[0].device)
        offset = 0
        for t in tensors:
            t.copy_(flat[offset : offset + t.numel()].reshape(t.shape))
            offset += t.numel()
    with torch.enable_grad():
        predictions = model(problem.x_train)
        loss = problem.loss_fn(predictions, problem.y_train)
        order = walk(loss.grad_fn)
        flowed: dict[int, np.ndarray] = {}
        handles = []
        for node, _ in order:
            handles.append(node.register_hook(_recorder(flowed, id(node))))
        slopes = None
        try:
            (slopes,) = torch.autograd.grad(loss, predictions, retain_graph=True)
            gradient = torch.autograd.grad(loss, tensors)
        finally:
            for handle in handles:
                handle.remove()
    nodes = []
    for node, depth in order:
        name = _node_name(node)
        leaf = getattr(node, "variable", None)
        incoming = flowed.get(id(node))
        if leaf is not None:  # autograd.grad hands a leaf's gradient back instead of running its AccumulateGrad
            at = next((i for i, t in enumerate(tensors) if t is leaf), None)
            incoming = None if at is None else gradient[at].detach().to("cpu", torch.float64).numpy().reshape(-1).copy()
        nodes.append(
            Node(
                name,
                depth,
                incoming,
                LOCAL.get(name, "torch's own backward for this operation"),
                None if leaf is None else leaf.detach().to("cpu", torch.float64).numpy().reshape(-1).copy(),
            )
        )
    features = None
    if is_linear_in_parameters(model):
        features = model.features(problem.x_train).detach().to("cpu", torch.float64).numpy()
    return Graph(
        tuple(nodes),
        float(loss.detach()),
        torch.cat([g.reshape(-1) for g in gradient]).to("cpu", torch.float64).numpy(),
        predictions.detach().to("cpu", torch.float64).numpy().reshape(-1),
        None if slopes is None else slopes.to("cpu", torch.float64).numpy().reshape(-1),
        features,
    )


def chain_terms(graph: Graph, index: int) -> np.ndarray | None:
    """∂L/∂ŷᵢ · ∂ŷᵢ/∂θ_index for every point i: the terms whose sum is ∂L/∂θ_index (models linear in θ)."""
    if graph.features is None or graph.residual_slopes is None:
        return None
    return graph.residual_slopes * graph.features[:, index]
