"""`--lr best` (and `--momentum best`): the lr (and β) that leave the least loss after the run's own steps.

lr_best = 2/(λmax+λmin) is the best *asymptotic* rate: it makes the steep and the flat direction shrink
equally fast, so at κ = 13,208 the steep error flips sign each step at 0.99985 of its size and is still
there after 1000 steps. For a run of t steps what matters is the loss after t steps. For MSE on a model
linear in θ it has a closed form in H's eigenbasis (eᵢ: the start's error along eigenvector i):
    plain:       L(t) − L* = Σ λᵢ/2 · eᵢ² · (1 − lr·λᵢ)^{2t}
    heavy ball:  L(t) − L* = Σ λᵢ/2 · eᵢ(t)²,  [eᵢ(t), eᵢ(t−1)] = [[1+β−lr·λᵢ, −β], [1, 0]]^t · [eᵢ, eᵢ]
The plain sum is convex in lr (each term is an even power of an affine function), so a bracketing search
finds its one minimum; the heavy ball's is not, so a grid over (lr, β) is refined around its best point,
with the classical lr* = 4/(√λmax+√λmin)², β* = ((√κ−1)/(√κ+1))² always among the candidates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from engine.maths.valley import eigen_errors, eigenbasis

SEARCH_ROUNDS = 200
"""Golden-section rounds: the bracket shrinks 0.618× each, far below float64's resolution of lr."""
GRID = 121
"""Points per axis of the (lr, β) grid; refined twice around the best point."""


@dataclass(frozen=True)
class BestChoice:
    """The lr (and β) chosen for this many steps from this start, and what it buys."""

    lr: float
    momentum: float | None
    """β when momentum was chosen or fixed; None for plain descent."""
    excess: float
    """Predicted L(t) − L* after `steps` steps at this choice (closed form, float64)."""
    steps: int
    lr_best_excess: float
    """The same at lr_best = 2/(λmax+λmin) (plain), or at the classical lr*, β* (momentum): what this beats."""
    momentum_chosen: bool = False
    """Whether β was chosen too (`--momentum best`), not given."""


def excess_after(lr, beta, steps: int, curvatures: np.ndarray, errors: np.ndarray) -> np.ndarray:
    """L(t) − L* after `steps` steps at each (lr, β) (arrays broadcast together), in float64; inf where it blew up."""
    lr = np.asarray(lr, dtype=np.float64)[..., None]
    beta = np.asarray(beta, dtype=np.float64)[..., None]
    lam, e = np.asarray(curvatures, dtype=np.float64), np.asarray(errors, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        if not np.any(beta):
            terms = lam / 2 * e**2 * (1.0 - lr * lam) ** (2 * steps)
        else:
            lr, beta = np.broadcast_arrays(lr, beta)
            shape = np.broadcast_shapes(lr.shape, lam.shape)
            m = np.zeros((*shape, 2, 2))
            m[..., 0, 0] = 1.0 + beta - lr * lam
            m[..., 0, 1] = -beta
            m[..., 1, 0] = 1.0
            power = np.linalg.matrix_power(m, steps)
            final = (power[..., 0, 0] + power[..., 0, 1]) * e  # [e(t), e(t−1)] from [e, e]: a start at rest
            terms = lam / 2 * final**2
        total = terms.sum(axis=-1)
    return np.where(np.isfinite(total), total, np.inf)


def _golden(f, low: float, high: float) -> float:
    """The minimum of a unimodal f on [low, high]."""
    ratio = (math.sqrt(5) - 1) / 2
    a, b = low, high
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(SEARCH_ROUNDS):
        if fc <= fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = f(d)
    return (a + b) / 2


def _refined(f, lrs: np.ndarray, betas: np.ndarray) -> tuple[float, float, float]:
    """The best (lr, β, value) of f over a grid, refined twice in a box around the best point."""
    best = (math.nan, math.nan, math.inf)
    for _ in range(3):
        grid_lr, grid_beta = np.meshgrid(lrs, betas, indexing="ij")
        values = f(grid_lr, grid_beta)
        i, j = np.unravel_index(np.argmin(values), values.shape)
        if values[i, j] < best[2]:
            best = (float(grid_lr[i, j]), float(grid_beta[i, j]), float(values[i, j]))
        lrs = np.geomspace(lrs[max(i - 2, 0)], lrs[min(i + 2, len(lrs) - 1)], GRID)
        betas = np.linspace(betas[max(j - 2, 0)], betas[min(j + 2, len(betas) - 1)], GRID) if len(betas) > 1 else betas
    return best


def classical_momentum(high: float, low: float) -> tuple[float, float]:
    """Polyak's optimum for the heavy ball on a quadratic: lr* = 4/(√λmax+√λmin)², β* = ((√κ−1)/(√κ+1))²."""
    root_high, root_low = math.sqrt(high), math.sqrt(low)
    return 4.0 / (root_high + root_low) ** 2, ((root_high - root_low) / (root_high + root_low)) ** 2


def best_choice(
    problem, start: np.ndarray, lr: float | None, momentum: float | None, heavy_ball: bool, steps: int | None = None
) -> BestChoice:
    """The lr (None: choose it) and β (None: choose it; only with `heavy_ball`) minimizing L after `steps` (the run's)."""
    steps = problem.settings.steps if steps is None else steps
    from engine.maths.optimum import least_squares

    basis = eigenbasis(problem)
    lam = basis.values
    errors = eigen_errors(basis, least_squares(problem).vector, np.asarray(start)[None, :])[0]
    high, low = float(lam[-1]), float(lam[0])
    if not heavy_ball:
        def f(x):
            return float(excess_after(x, 0.0, steps, lam, errors))

        # past 2/λmin every direction grows; the log keeps the sum finite where a step that size would overflow it
        chosen = _golden(lambda x: math.log(f(x)) if f(x) > 0 else -math.inf, 0.0, 2.0 / max(low, high * 1e-12))
        reference = 2.0 / (high + low)
        return BestChoice(chosen, None, f(chosen), steps, f(reference))
    star_lr, star_beta = classical_momentum(high, low)
    lrs = np.array([lr]) if lr is not None else np.geomspace(star_lr / 1000, 4.0 / high, GRID)
    betas = np.array([momentum]) if momentum is not None else 1.0 - np.geomspace(1.0, 1e-4, GRID)
    chosen_lr, chosen_beta, value = _refined(lambda a, b: excess_after(a, b, steps, lam, errors), lrs, betas)
    classical = float(excess_after(star_lr, star_beta, steps, lam, errors))
    if lr is None and momentum is None and classical <= value:  # never worse than the textbook choice
        chosen_lr, chosen_beta, value = star_lr, star_beta, classical
    return BestChoice(chosen_lr, chosen_beta, value, steps, classical, momentum is None)


def why_no_best(settings, problem, setting: str = "lr") -> str | None:
    """Why `best` can't be worked out for these settings (a message for `--lr`/`--momentum`), or None."""
    from engine.maths.curvature import has_constant_hessian

    if not has_constant_hessian(problem):
        return (
            f"best is worked out from the loss's closed form, which only MSE on a model linear in θ has "
            f"(here {settings.loss} on {settings.model}); give a number"
        )
    if settings.optimizer not in ("manual", "sgd", "momentum"):
        return f"best is worked out for plain descent (manual, sgd) and momentum; {settings.optimizer}'s step is not lr·gradient"
    if setting == "momentum" and settings.optimizer != "momentum":
        return f"best chooses β for --optimizer momentum; {settings.optimizer} has no momentum"
    if settings.batch_size is not None and settings.batch_size < len(problem.train):
        return f"best assumes every step sees every point; mini-batches of {settings.batch_size} descend a different loss each step"
    if settings.weight_decay:
        return "best assumes no weight decay (it moves the optimum)"
    if settings.steps < 1:
        return "best is the lr for the run's steps, and there are none (steps 0)"
    return None


def resolve_best(problem, lr: bool, momentum: bool, start: np.ndarray | None = None, steps: int | None = None):
    """The problem with `best` lr and/or β put in its settings, and the BestChoice; SettingError naming the option if impossible.

    From θ = `start` (default: the model's start) for `steps` more steps (default: the run's): a run that goes on
    from where it is gets the best lr for what is left of it.
    """
    import dataclasses

    from engine.settings.errors import SettingError

    settings = problem.settings
    for name, wanted in (("lr", lr), ("momentum", momentum)):
        why = why_no_best(settings, problem, name) if wanted else None
        if why:
            raise SettingError(name, why)
    if start is None:
        start = np.concatenate([t.detach().to("cpu").double().reshape(-1).numpy() for t in problem.model.tensors])
    heavy = settings.optimizer == "momentum"
    choice = best_choice(problem, start, None if lr else settings.lr, None if momentum else settings.momentum, heavy, steps)
    changes = {"lr": choice.lr}
    if heavy and momentum:
        changes["momentum"] = choice.momentum
    return dataclasses.replace(problem, settings=settings.with_changes(**changes)), choice
