"""Predict, then run: a question about the run on screen, its answer computed, and what the run then did.

Each question is asked for the settings on screen: its answer is computed from the closed forms of
engine/maths/optimizer_rules.py and the Hessian of those settings (engine/maths/curvature.py), never
written in, so the same question under other settings has another answer. After the run, `observe` reads
what happened from the run's own snapshots (θ against the least-squares θ*, along the Hessian's
eigenvectors) and `verdict` puts the learner's answer beside it, with the reason in numbers.

Kinds: `regime` (lr against its limit: smooth, zig-zag, diverges), `left` (how much of the error along
the valley's floor is left at the end) and `kappa` (what standardizing does to κ).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.maths.optimizer_rules import PLAIN, fraction_left, has_limit, keep_per_step, limit_formula, lr_limit
from engine.settings.run_settings import weight_decay_of
from engine.words.numbers import significant

KINDS = ("regime", "left", "kappa")
TOUR_QUESTIONS = {"loop": "regime", "stall": "left", "standardize": "kappa", "diverge": "regime"}
"""The tour's stops (engine/words/tour.py ids) that ask a question before their run plays, and which."""
LEFT_EDGES = (0.1, 0.9)
"""The `left` answers' edges: under 10%, 10–90%, over 90% of the error left."""
KAPPA_ROUND = 10.0
"""κ under this counts as "about 1": a round valley."""


@dataclass(frozen=True)
class Question:
    """One question: its text, 2–4 answers, the right one (computed) and why."""

    kind: str
    text: str
    options: tuple[str, ...]
    outcomes: tuple[str, ...]
    """What the run did, said in the past tense, one per option."""
    answer: int
    """Index of the right option, computed from the closed forms for these settings."""
    reason: str
    """Why, in numbers."""
    start_step: int = 0
    """The step the run goes on from: the question is about the steps after it."""
    facts: dict = field(default_factory=dict)
    """The numbers `observe` needs (the rule, limits, κ before standardizing, …)."""


_g = significant


def rule_of(settings) -> str | None:
    """The optimizer, where its run follows a closed form (a rule with an lr limit, full batch, no weight decay); else None."""
    if settings.batch_size is not None and settings.batch_size < settings.points * (1 - settings.holdout):
        return None
    if weight_decay_of(settings) != 0 or not has_limit(settings.optimizer):
        return None
    return settings.optimizer


def _exact(analysis) -> bool:
    return analysis is not None and analysis.exact and analysis.slow_direction is not None


def ask(kind: str, settings, analysis, step: int = 0, raw_kappa: float | None = None, names: tuple = ()) -> Question | str:
    """The question of `kind` for these settings from `step`, or a sentence saying why it can't be asked here."""
    if kind == "kappa":
        return _kappa(settings, analysis, raw_kappa)
    if not _exact(analysis):
        return "this question needs a quadratic loss (MSE on a linear or poly model): its Hessian is what answers it"
    rule = rule_of(settings)
    if rule is None:
        return (
            f"{settings.optimizer} has no lr limit of this kind (adam and its kin rescale each step; mini-batches and "
            "weight decay change the recurrence): switch to manual, sgd, momentum or nesterov, full batch"
        )
    if kind == "regime":
        return _regime(settings, analysis, rule, step)
    if kind == "left":
        return _left(settings, analysis, rule, step, names)
    raise ValueError(f"no question of kind {kind!r}")


def _regime(settings, analysis, rule: str, step: int) -> Question:
    lam, lr, beta = analysis.lambda_max, settings.lr, settings.momentum
    limit = lr_limit(lam, rule, beta)
    product = lr * lam
    facts = {"rule": rule, "limit": limit, "product": product}
    if rule in PLAIN:
        options = ("converges smoothly", "zig-zags and converges", "diverges")
        outcomes = ("it converged smoothly", "it zig-zagged and converged", "it diverged")
        factor = 1.0 - product
        answer = 2 if product >= 2 else 1 if product > 1 else 0
        why = (
            f"|1 − lr·λmax| = {abs(factor):.3g} > 1: it grows each step"
            if answer == 2
            else f"1 − lr·λmax = {factor:.3g}, between −1 and 0: its sign flips each step"
            if answer == 1
            else f"1 − lr·λmax = {factor:.3g}, between 0 and 1: it shrinks, one sign"
        )
        text = f"lr = {_g(lr)} is {_g(product)}/λmax (λmax = {_g(lam, 4)}). Plain descent"
    else:
        options, outcomes = ("converges", "diverges"), ("it converged", "it diverged")
        answer = 1 if lr >= limit else 0
        formula = limit_formula(rule)
        why = f"lr {'≥' if answer else '<'} {rule}'s limit {formula} = {_g(limit)} (β = {_g(beta)})"
        text = f"lr = {_g(lr)} is {_g(product)}/λmax (λmax = {_g(lam, 4)}), with {rule} β = {_g(beta)}. The run"
    return Question("regime", text, options, outcomes, answer, why, step, facts)


def _left(settings, analysis, rule: str, step: int, names: tuple = ()) -> Question | str:
    lam, lr, beta = analysis.lambda_min, settings.lr, settings.momentum
    if lr >= lr_limit(analysis.lambda_max, rule, beta):
        return f"at lr = {_g(lr)} the run diverges: nothing converges to ask about (the lr question fits here)"
    steps = settings.steps - step
    left = fraction_left(lr, lam, rule, steps, beta)
    answer = 0 if left < LEFT_EDGES[0] else 1 if left < LEFT_EDGES[1] else 2
    kept = keep_per_step(lr, lam, rule, beta)
    if rule in PLAIN:
        why = f"each step keeps |1 − lr·λmin| = {kept:.6g} of it: {kept:.6g}^{steps:,} = {left:.3g}"
    else:
        why = f"{rule} keeps about {kept:.6g} of it a step in the long run; the exact recurrence leaves {left:.3g} after {steps:,}"
    where = "the valley's floor (λmin" + _mostly(analysis.slow_direction, names) + ")"
    text = f"After {steps:,} more steps at lr = {_g(lr)}, how much of the error along {where} is left"
    options = ("under 10%", "10% to 90%", "over 90%")
    outcomes = tuple(f"{option} was left" for option in options)
    return Question("left", text, options, outcomes, answer, why, step, {"rule": rule, "left": left, "steps": steps})


def _mostly(direction, names: tuple) -> str:
    """ ", mostly b" where one parameter carries nearly all of the direction (|its component| ≥ 0.9)."""
    if len(names) != len(direction):
        return ""
    weights = [abs(float(value)) for value in direction]
    top = max(range(len(weights)), key=weights.__getitem__)
    return f", mostly {names[top]}" if weights[top] >= 0.9 else ""


def _kappa(settings, analysis, raw_kappa: float | None) -> Question | str:
    if not _exact(analysis) or raw_kappa is None:
        return "this question needs a quadratic loss (MSE on a linear or poly model) and κ before standardizing"
    if not settings.standardize:
        return "this question is about standardizing: turn it on (z) and ask again"
    kappa = analysis.condition_number
    answer = _kappa_bucket(kappa, raw_kappa)
    options = ("about 1", "about 100", "unchanged")
    outcomes = ("κ became about 1", "κ became about 100", "κ stayed about as it was")
    why = f"κ = λmax/λmin = {_g(kappa, 4)} on standardized x (mean 0, σ 1), against {_g(raw_kappa, 5)} on raw x"
    text = (
        f"On raw x, κ = {_g(raw_kappa, 5)}. On standardized x (mean 0, σ 1), κ becomes (about 1: under {KAPPA_ROUND:g}; "
        "unchanged: over half of before)"
    )
    return Question("kappa", text, options, outcomes, answer, why, 0, {"raw_kappa": raw_kappa})


def _kappa_bucket(kappa: float, raw_kappa: float) -> int:
    if kappa < KAPPA_ROUND:
        return 0
    return 1 if kappa < 0.5 * raw_kappa else 2


def prompt(question: Question) -> str:
    """The question with its numbered answers, on one line."""
    answers = ", ".join(f"{i + 1} {option}" for i, option in enumerate(question.options))
    return f"{question.text}: {answers}?"


# ── what the run did ──────────────────────────────────────────────────────────
# What the run did, read from its own snapshots, beside what the learner predicted (engine/words/predictions.py).
#
# The run is measured, not the formula restated: θ − θ* from the snapshots, projected on the Hessian's
# eigenvectors (across the valley for `regime`, along its floor for `left`), and κ from the run's own
# training x for `kappa`. A run that contradicts the computed answer is said as such (and the suite's
# grid test fails on it).
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
