"""What the run did, read from its own snapshots, beside what the learner predicted (engine/words/predictions.py).

The run is measured, not the formula restated: θ − θ* from the snapshots, projected on the Hessian's
eigenvectors (across the valley for `regime`, along its floor for `left`), and κ from the run's own
training x for `kappa`. A run that contradicts the computed answer is said as such (and the suite's
grid test fails on it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.words.predictions import LEFT_EDGES, Question, _g, _kappa_bucket

TINY = 1e-4
"""A component below this fraction of its start is float32 rounding: its sign says nothing."""
SIGN_STEPS = 8
"""Consecutive steps read for the sign of the error across the valley."""


@dataclass(frozen=True)
class Observed:
    """What the run did: the option it matches and the numbers that show it."""

    index: int
    """Index of the option the run matches."""
    evidence: str
    """The run's own numbers, in a few words."""


def observe(question: Question, snapshots: list, analysis, optimum, problem=None) -> Observed | None:
    """The option the run matches, from its snapshots at and after the question's step; None when it can't tell yet."""
    if question.kind == "kappa":
        return _observe_kappa(question, problem)
    if optimum is None or analysis is None or analysis.slow_direction is None:
        return None
    run = [s for s in snapshots if s.step >= question.start_step]
    if len(run) < 2 or run[0].step != question.start_step:
        return None
    if question.kind == "regime":
        return _observe_regime(question, run, analysis.fast_direction, optimum.vector)
    if question.kind == "left":
        return _observe_left(question, run, analysis.slow_direction, optimum.vector)
    return None


def _component(snapshot, direction: np.ndarray, best: np.ndarray) -> float:
    return float(np.dot(direction, snapshot.vector - best))


def _observe_regime(question: Question, run: list, fast: np.ndarray, best: np.ndarray) -> Observed | None:
    diverges = len(question.options) - 1
    first = _component(run[0], fast, best)
    if run[-1].status == "diverged" or run[-1].diverged_at is not None:
        return Observed(diverges, f"it stopped at step {run[-1].diverged_at:,}, the loss blown up")
    if run[-1].status != "done":
        return None
    last = _component(run[-1], fast, best)
    if abs(last) > abs(first) > 0:
        return Observed(diverges, f"the error across the valley grew from {_g(first)} to {_g(last)}")
    if diverges == 1:
        return Observed(0, f"the error across the valley went from {_g(first)} to {_g(last)}")
    # consecutive steps from the start: does the error across the valley change sign each step?
    signs, values = [], []
    for before, after in zip(run, run[1:], strict=False):
        if after.step != before.step + 1 or len(values) >= SIGN_STEPS:
            break
        a, b = _component(before, fast, best), _component(after, fast, best)
        if abs(b) < TINY * abs(first) or abs(a) < TINY * abs(first):
            break
        values = values or [a]
        values.append(b)
        signs.append(a * b < 0)
    shown = ", ".join(f"{v:+.2g}" for v in values[:3])
    if signs and all(signs):
        return Observed(1, f"the error across the valley went {shown}: its sign flipped each step")
    return Observed(0, f"the error across the valley went {shown or _g(first) + ' to ' + _g(last)}, one sign")


def _observe_left(question: Question, run: list, slow: np.ndarray, best: np.ndarray) -> Observed | None:
    end = run[-1]
    if end.status == "running" or end.step != question.start_step + question.facts["steps"]:
        return None
    first, last = _component(run[0], slow, best), _component(end, slow, best)
    if first == 0:
        return None
    left = abs(last / first)
    index = 0 if left < LEFT_EDGES[0] else 1 if left < LEFT_EDGES[1] else 2
    return Observed(index, f"{left:.0%} of it was left ({_g(abs(first))} → {_g(abs(last))})")


def run_kappa(problem) -> float:
    """κ of the run's own loss: H = (2/N)·ΦᵀΦ from the training x it fits, in float64, by numpy's eigvalsh."""
    x = problem.x_train.detach().cpu().double().numpy()
    phi = problem.model.features_np(x)
    eigenvalues = np.linalg.eigvalsh((2.0 / len(x)) * phi.T @ phi)
    return float(eigenvalues[-1] / eigenvalues[0]) if eigenvalues[0] > 0 else float("inf")


def _observe_kappa(question: Question, problem) -> Observed | None:
    if problem is None:
        return None
    kappa = run_kappa(problem)
    return Observed(_kappa_bucket(kappa, question.facts["raw_kappa"]), f"the run's H = (2/N)·ΦᵀΦ has κ = {_g(kappa, 4)}")


def verdict(question: Question, chosen: int | None, observed: Observed) -> str:
    """The learner's answer beside what happened, and why: one or two lines."""
    did = question.outcomes[observed.index]
    if observed.index == question.answer:
        why = f"{observed.evidence}; {question.reason}"
    else:  # the run contradicts the closed form: said as it is (a bug the grid test catches)
        why = f"{observed.evidence}, though the closed form said otherwise: {question.reason}"
    if chosen is None:
        return f"You skipped it; {did}: {why}."
    said = question.options[chosen]
    if chosen == observed.index:
        return f"You said '{said}': right, {did}: {why}."
    return f"You said '{said}'; {did}: {why}."
