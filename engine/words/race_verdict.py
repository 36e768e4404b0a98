"""The end of a race in words: who won, and why each other racer trails, computed from the run.

Shared by `descent run --race` and the app's race screen, so both say the same thing. The reasons come
from closed forms where the problem has them: on an MSE quadratic, plain descent keeps (1 − lr·λmin) of the
error along the valley's flat direction each step, heavy-ball momentum keeps the spectral radius of its
two-step recurrence (engine.maths.optimizer_rules); the excess is split between the steep and the flat
directions from the racer's own final error (engine.words.race_directions). Adam-like rules take a step in
each coordinate bounded by about lr, shrinking as the gradient's sign settles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from engine.maths.optimizer_rules import ADAPTIVE, keep_per_step, limit_formula, lr_limit
from engine.settings.run_settings import PLAIN_DESCENT
from engine.words.numbers import significant
from engine.words.race_directions import brief_reason, direction_reason

LEFT_WORTH_SAYING = 0.01
"""A racer that still has more than 1% of its error along the flat direction is said to crawl."""


@dataclass(frozen=True)
class RaceResult:
    """What one racer ended with; `params` and `start` are None where the model's numbers have no names (an MLP)."""

    label: str
    optimizer: str
    lr: float
    loss: float | None
    """The final loss; None when it is not finite."""
    steps: int
    diverged_at: int | None
    start: dict[str, float] | None = None
    params: dict[str, float] | None = None
    start_vector: object | None = None
    """θ₀ as fitted (numpy), for the split of the excess by direction."""
    end_vector: object | None = None
    """θ at the end, as fitted (numpy)."""


@dataclass(frozen=True)
class RaceContext:
    """What the words may use beyond the results: the optimum, the curvature, and the shared settings."""

    optimum_loss: float | None = None
    optimum_params: dict[str, float] | None = None
    lambda_min: float | None = None
    """λmin of the Hessian, when it is exact (a quadratic loss)."""
    condition_number: float | None = None
    lr_max: float | None = None
    momentum: float = 0.9
    lambda_max: float | None = None
    """λmax of the Hessian, when it is exact."""
    steep: object | None = None
    """Unit eigenvector of λmax, as fitted (numpy)."""
    flat: object | None = None
    """Unit eigenvector of λmin, as fitted (numpy)."""
    optimum_vector: object | None = None
    """θ* as fitted (numpy)."""
    same_units: bool = True
    """The optimizer's parameters are the reported ones (no standardized x in between)."""


def ranking(results: Sequence[RaceResult]) -> list[RaceResult]:
    """Best first: finishers by final loss, then those whose loss was not finite, then the diverged, latest first."""

    def key(result: RaceResult):
        if result.diverged_at is not None:
            return (2, -result.diverged_at)
        return (0, result.loss) if result.loss is not None and math.isfinite(result.loss) else (1, 0.0)

    return sorted(results, key=key)  # stable: a tie keeps the race's order


def excess(result: RaceResult, context: RaceContext) -> float | None:
    """How far above the least-squares minimum the racer ended; None where the optimum is unknown."""
    if context.optimum_loss is None or result.loss is None or result.diverged_at is not None:
        return None
    return result.loss - context.optimum_loss


def verdict(results: Sequence[RaceResult], context: RaceContext) -> list[str]:
    """One sentence naming the winner, then one per other racer saying why it trails, best first."""
    if not results:
        return []
    ranked = ranking(results)
    winner = ranked[0]
    if winner.diverged_at is not None:
        first = min(result.diverged_at for result in ranked)
        return [f"No winner: every racer diverged, the first at step {first:,}."]
    return [_win(winner, context), *(_trails(result, winner, context) for result in ranked[1:])]


def brief(results: Sequence[RaceResult], context: RaceContext) -> list[tuple[RaceResult, str]]:
    """Best first, each racer with a few words (a status line's worth): the verdict, shortened."""
    ranked = ranking(results)
    if not ranked:
        return []
    winner = ranked[0]
    out = []
    for result in ranked:
        if result.diverged_at is not None:
            bound = _limit(result, context)
            limit = "" if bound is None else f": lr > {limit_formula(result.optimizer)} = {bound:.3g}"
            out.append((result, f"diverged at step {result.diverged_at:,}{limit}"))
        elif result.loss is None:
            out.append((result, "loss not a number"))
        elif result is winner:
            gap = excess(result, context)
            scale = max(abs(context.optimum_loss), 1e-12) if gap is not None else 1.0
            at = "" if gap is None else " (at the minimum)" if gap <= 1e-6 * scale else f" ({_g(gap)} above the minimum)"
            out.append((result, f"wins{at}"))
        else:
            out.append((result, f"+{_g(result.loss - winner.loss)}{_brief_reason(result, context)}"))
    return out


def _brief_reason(result: RaceResult, context: RaceContext) -> str:
    if _adaptive_reason(result, context):
        far = _farthest(result.start, context)
        return f": steps ≤ ~lr, {far[0]} had {_g(far[1])} to go"
    by_direction = brief_reason(result, context)
    if by_direction:
        return by_direction
    if _valley_reason(result, context):
        return f": {_flat_left(result, context):.0%} of its valley error left"
    far = _farthest(result.params, context)
    return "" if far is None else f": {far[0]} {_g(far[1])} off"


def _win(winner: RaceResult, context: RaceContext) -> str:
    text = f"{winner.label} wins with loss {winner.loss:.6g}"
    gap = excess(winner, context)
    if gap is not None:
        scale = max(abs(context.optimum_loss), 1e-12)
        text += " — at the least-squares minimum" if gap <= 1e-6 * scale else f", {_g(gap)} above the least-squares minimum"
    return text + f" after {winner.steps:,} steps."


def _trails(result: RaceResult, winner: RaceResult, context: RaceContext) -> str:
    if result.diverged_at is not None:
        return f"{result.label} diverged at step {result.diverged_at:,}: {_too_large(result, context)}."
    if result.loss is None:
        return f"{result.label} ended with a loss that is not a number."
    head = f"{result.label} trails by {_g(result.loss - winner.loss)}"
    reason = (
        _adaptive_reason(result, context)
        or direction_reason(result, context)
        or _valley_reason(result, context)
        or _distance_reason(result, context)
    )
    return f"{head}: {reason}." if reason else f"{head}."


def _limit(result: RaceResult, context: RaceContext) -> float | None:
    """The racer's own stability limit (plain, heavy ball or Nesterov), when the curvature is known and lr passed it."""
    if context.lr_max is None:
        return None
    limit = lr_limit(2.0 / context.lr_max, result.optimizer, context.momentum)
    return limit if limit is not None and result.lr > limit else None


def _too_large(result: RaceResult, context: RaceContext) -> str:
    if result.optimizer == "nesterov" and _limit(result, context) is not None:
        limit = _limit(result, context)
        formula = "2(1+β)/((1+2β)·λmax)"
        return f"lr {result.lr:g} is above {formula} = {limit:.3g}, where Nesterov momentum {context.momentum:g} swings wider each step"
    if result.optimizer in PLAIN_DESCENT and context.lr_max is not None:
        return f"lr {result.lr:g} is above 2/λmax = {context.lr_max:.3g}, where plain steps overshoot and grow"
    if result.optimizer == "momentum" and context.lr_max is not None:
        # heavy ball on a quadratic is stable for lr·λmax < 2(1 + β): momentum buys a (1 + β) larger lr, no more
        limit = context.lr_max * (1.0 + context.momentum)
        if result.lr > limit:
            return f"lr {result.lr:g} is above 2(1+β)/λmax = {limit:.3g}, where even momentum {context.momentum:g} swings wider each step"
    return f"lr {result.lr:g} is too large for {result.optimizer} here"


def _farthest(values: dict[str, float] | None, context: RaceContext) -> tuple[str, float] | None:
    """The parameter farthest from its optimum, and how far."""
    if values is None or context.optimum_params is None:
        return None
    gaps = {name: abs(values[name] - best) for name, best in context.optimum_params.items() if name in values}
    if not gaps:
        return None
    name = max(gaps, key=gaps.get)
    return name, gaps[name]


def _adaptive_reason(result: RaceResult, context: RaceContext) -> str | None:
    """Adam-like steps are about lr each: too few of them cannot cover the distance to the optimum."""
    if result.optimizer not in ADAPTIVE or not context.same_units:
        return None
    far = _farthest(result.start, context)
    reach = result.steps * result.lr
    if far is None or reach >= far[1]:
        return None
    name, distance = far
    return (
        f"its step in each parameter is bounded by about lr (and shrinks as the gradient's sign settles), so {result.steps:,} "
        f"steps of {result.lr:g} move a parameter at most ~{_g(reach)}, and {name} had {_g(distance)} to go"
    )


def _valley_reason(result: RaceResult, context: RaceContext) -> str | None:
    """On a quadratic, the error along the flattest direction shrinks by a known factor each step."""
    if context.lambda_min is None or context.lambda_min <= 0:
        return None
    keep = _flat_keep(result, context)
    if keep is None:
        return None
    how = "plain steps" if result.optimizer in PLAIN_DESCENT else f"steps with momentum {context.momentum:g}"
    left = keep**result.steps
    if left <= LEFT_WORTH_SAYING or keep >= 1:
        return None
    kappa = f"λmin = {context.lambda_min:.3g}" if context.condition_number is None else f"κ = {context.condition_number:,.0f}"
    return (
        f"in the valley's flat direction ({kappa}) {how} at lr {result.lr:g} keep {keep:.5f} of the error a step, "
        f"so {left:.0%} of it is left after {result.steps:,} steps"
    )


def _flat_keep(result: RaceResult, context: RaceContext) -> float | None:
    """How much of the error along the flattest direction one step keeps; None where no closed form applies."""
    if context.lambda_min is None or context.lambda_min <= 0:
        return None
    a = result.lr * context.lambda_min
    if result.optimizer in PLAIN_DESCENT:
        return abs(1.0 - a)
    if result.optimizer == "momentum":
        return heavy_ball_rate(a, context.momentum)
    return None


def _flat_left(result: RaceResult, context: RaceContext) -> float:
    return _flat_keep(result, context) ** result.steps


def heavy_ball_rate(a: float, beta: float) -> float:
    """How much of the error heavy-ball momentum keeps per step along a direction where lr·λ = a (engine.maths.optimizer_rules)."""
    return keep_per_step(a, 1.0, "momentum", beta)


def _distance_reason(result: RaceResult, context: RaceContext) -> str | None:
    far = _farthest(result.params, context)
    if far is None:
        return None
    name, distance = far
    return f"its {name} ends {_g(distance)} from the optimum's {_g(context.optimum_params[name])}"


def _g(value: float | None) -> str:
    return "nan" if value is None else significant(value, 4)


def race_context(settings, optimum=None, analysis=None) -> RaceContext:
    """The context from the race's shared settings, its least-squares optimum and its curvature (either may be None)."""
    exact = analysis is not None and analysis.exact
    return RaceContext(
        optimum_loss=None if optimum is None else optimum.loss,
        optimum_params=None if optimum is None else dict(optimum.params),
        lambda_min=analysis.lambda_min if exact else None,
        condition_number=analysis.condition_number if exact else None,
        lr_max=analysis.lr_max if exact else None,
        momentum=settings.momentum,
        same_units=not settings.standardize,
        lambda_max=analysis.lambda_max if exact else None,
        steep=analysis.fast_direction if exact else None,
        flat=analysis.slow_direction if exact else None,
        optimum_vector=None if optimum is None else optimum.vector,
    )


def race_result(label: str, settings, first, last) -> RaceResult:
    """One racer's result from its settings (its optimizer and lr) and its first and last snapshots."""
    named = bool(last.layout.names)
    loss = last.loss
    return RaceResult(
        label=label,
        optimizer=settings.optimizer,
        lr=settings.lr,
        loss=loss if math.isfinite(loss) else None,
        steps=last.step,
        diverged_at=last.diverged_at,
        start=dict(first.params) if named else None,
        params=dict(last.params) if named else None,
        start_vector=first.vector.copy(),
        end_vector=last.vector.copy(),
    )
