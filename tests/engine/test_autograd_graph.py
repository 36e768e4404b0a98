"""Key a (issue 23): autograd's graph is torch's own — node names as torch names them, numbers as backward passes them."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from engine.descent.problem import make_problem
from engine.maths.autograd_graph import autograd_graph, chain_terms, walk
from engine.settings.run_settings import Settings


def _names(root) -> list[str]:
    """Node names by a walk written here: breadth first over next_functions, each node once."""
    seen, names, queue = set(), [], [root]
    while queue:
        node = queue.pop(0)
        if node is None or node in seen:
            continue
        seen.add(node)
        names.append(type(node).__name__)
        queue.extend(child for child, _ in node.next_functions)
    return names


def test_the_linear_models_graph_is_torchs():
    problem = make_problem(Settings())
    theta = problem.model.tensors[0].detach().clone()
    graph = autograd_graph(problem, theta.double().numpy())
    leaf = theta.clone().requires_grad_(True)
    x = problem.x_train
    loss = F.mse_loss(torch.stack([x, torch.ones_like(x)], dim=1) @ leaf, problem.y_train)
    assert [node.name for node in graph.nodes] == _names(loss.grad_fn) == ["MseLossBackward0", "MvBackward0", "AccumulateGrad"]
    assert graph.loss == pytest.approx(float(loss.detach()), rel=1e-6)


@pytest.mark.parametrize("changes", [{"model": "mlp:3"}, {"loss": "huber"}, {"model": "poly:2"}])
def test_other_models_graphs_are_torchs(changes):
    problem = make_problem(Settings(**changes))
    vector = np.concatenate([t.detach().double().reshape(-1).numpy() for t in problem.model.tensors])
    graph = autograd_graph(problem, vector)
    loss = problem.loss_fn(problem.model(problem.x_train), problem.y_train)
    assert [node.name for node in graph.nodes] == _names(loss.grad_fn)
    assert [type(node).__name__ for node, _ in walk(loss.grad_fn)] == _names(loss.grad_fn)


def test_the_chain_rule_sums_to_the_gradient_and_the_formula():
    problem = make_problem(Settings())
    k, b = problem.model.tensors[0].detach().double().numpy()
    graph = autograd_graph(problem, np.array([k, b]))
    x, y = problem.dataset.x, problem.dataset.y
    formula = 2.0 * np.mean((k * x + b - y) * x)  # ∂L/∂k of the tutorial, float64
    terms = chain_terms(graph, 0)
    assert len(terms) == 100
    assert terms.sum() == pytest.approx(formula, rel=1e-5)
    assert graph.gradient[0] == pytest.approx(formula, rel=1e-5)
    assert graph.nodes[1].incoming == pytest.approx(2.0 * (k * x + b - y) / 100, rel=1e-4, abs=1e-6)
    assert graph.nodes[2].leaf == pytest.approx([k, b])


def test_the_live_run_is_not_touched():
    problem = make_problem(Settings())
    before = problem.model.tensors[0].detach().clone()
    autograd_graph(problem, np.array([3.0, 4.0]))
    assert torch.equal(problem.model.tensors[0].detach(), before) and problem.model.tensors[0].grad is None
