"""How the loss curves: the Hessian's extreme eigenvalues, and the learning rates they allow.

For MSE on a model linear in its parameters, L(θ) = mean((Φθ − y)²) is a quadratic: its Hessian
H = (2/N)·ΦᵀΦ is the same everywhere, and plain gradient descent θ ← θ − lr·∇L multiplies the error
along each eigenvector of H by (1 − lr·λ) every step. So it converges iff lr < 2/λmax, and fastest at
lr = 2/(λmax + λmin) in the long run, where the slowest and the fastest directions shrink at the same rate (not the
fastest finite run: the steep direction then swings from side to side). Other optimizers' rules:
engine/maths/optimizer_rules.py.
For other models and losses the Hessian changes with θ; λmax is then estimated where θ is.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import torch

from engine.models.chebyshev_basis import gram as good_gram
from engine.models.chebyshev_basis import product_exactly
from engine.models.model_kind import is_linear_in_parameters

GRAM_CHUNK = 1 << 20
"""Points per block when summing ΦᵀΦ: bounds the float64 copy at ~90 MB for poly:10, whatever N is."""
POWER_ITERATIONS = 100
POWER_TOLERANCE = 1e-5
"""Power iteration stops once the Rayleigh quotient changes by less than this, relatively."""


@dataclass(frozen=True)
class Analysis:
    """The curvature of the loss of a problem as optimized (standardized when that is on)."""

    lambda_max: float
    """The Hessian's largest eigenvalue (an estimate at the current θ when `exact` is False)."""
    lambda_min: float | None
    """The smallest eigenvalue (clipped at 0: roundoff makes a singular ΦᵀΦ slightly negative); None when estimated."""
    condition_number: float | None
    """λmax/λmin: how elongated the valley is; inf when λmin is 0, None when estimated."""
    lr_max: float | None
    """2/λmax, the largest lr at which plain gradient descent converges; inf when there is no curvature."""
    lr_best: float | None
    """2/(λmax + λmin), the lr with plain gradient descent's best asymptotic rate; None when estimated."""
    exact: bool
    """True when the Hessian is constant and these are its eigenvalues; False for an estimate of λmax."""
    slow_direction: np.ndarray | None = field(default=None, compare=False, repr=False)
    """Unit eigenvector of λmin, in θ as fitted: where the valley runs (exact only)."""
    fast_direction: np.ndarray | None = field(default=None, compare=False, repr=False)
    """Unit eigenvector of λmax, in θ as fitted: across the valley (exact only)."""
    singular: bool = False
    """Exactly singular (fewer distinct x than parameters): a flat direction, no unique optimum. A huge but
    finite κ is not this: that valley has a floor, however long."""

    def as_dict(self) -> dict:
        """The `analysis` object of `descent run --json`: infinities and unknowns are null, never NaN."""
        report = {
            name: _finite_or_none(getattr(self, name)) for name in ("lambda_max", "lambda_min", "condition_number", "lr_max", "lr_best")
        }
        if not self.exact:
            report["estimate"] = True
        if self.singular:
            report["singular"] = True
        return report


def _finite_or_none(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def has_constant_hessian(problem) -> bool:
    """MSE on a model linear in its parameters: the loss is a quadratic in θ."""
    return is_linear_in_parameters(problem.model) and problem.settings.loss == "mse"


def exact_hessian(problem) -> np.ndarray:
    """H = (2/N)·ΦᵀΦ in float64, over the training points as fitted (MSE with mean reduction)."""
    model, x, train = problem.model, problem.dataset.x, problem.train
    whole = len(train) == len(x)  # no holdout: read x in place rather than copying all of it
    size = len(model.names)
    gram = np.zeros((size, size))
    for begin in range(0, len(train), GRAM_CHUNK):
        chunk = x[begin : begin + GRAM_CHUNK] if whole else x[train[begin : begin + GRAM_CHUNK]]
        phi = model.features_np(problem.scaling.apply(chunk))
        gram += phi.T @ phi
    return (2.0 / len(train)) * gram


def analyse(problem, vector: np.ndarray | None = None) -> Analysis:
    """Exact eigenvalues when the Hessian is constant; otherwise λmax estimated at `vector` (default: θ now)."""
    if not has_constant_hessian(problem):
        return estimated(estimate_lambda_max(problem, vector))
    low, high, slow, fast, singular = exact_eigen(problem)
    return Analysis(
        lambda_max=high,
        lambda_min=low,
        condition_number=high / low if low > 0 else math.inf,
        lr_max=2.0 / high if high > 0 else math.inf,
        lr_best=2.0 / (high + low) if high > 0 else math.inf,
        exact=True,
        slow_direction=slow,
        fast_direction=fast,
        singular=singular,
    )


def exact_eigen(problem) -> tuple[float, float, np.ndarray, np.ndarray, bool]:
    """(λmin, λmax, their unit eigenvectors, singular) of H = (2/N)·ΦᵀΦ as fitted, from the well-conditioned basis.

    Φ_fitted = Φ_good·T⁻¹ and Φ_goodᵀΦ_good = RᵀR (Cholesky, accurate: the good basis is well conditioned),
    so H's eigenvalues are (2/N)·σ² for the singular values σ of R·T⁻¹ (formed exactly, rounded once), and
    its eigenvectors are their right singular vectors. σmin then keeps its digits up to κ(H) ≈ 1e30, where
    eigenvalues of ΦᵀΦ as fitted lose λmin in roundoff once κ passes 1e15. λmin of a singular problem is 0.
    """
    system = good_gram(problem, with_y=False)
    scale = 2.0 / system.count
    if system.singular:
        eigenvalues, eigenvectors = torch.linalg.eigh(torch.from_numpy(exact_hessian(problem)))
        vectors = eigenvectors.numpy()
        return 0.0, max(float(eigenvalues[-1]), 0.0), vectors[:, 0].copy(), vectors[:, -1].copy(), True
    upper = np.linalg.cholesky(system.gram).T
    _, sigma, rows = np.linalg.svd(product_exactly(upper, system.from_fitted))
    return scale * float(sigma[-1]) ** 2, scale * float(sigma[0]) ** 2, rows[-1].copy(), rows[0].copy(), False


def estimated(lambda_max: float) -> Analysis:
    """What an estimate of λmax alone tells: lr_max (none when the curvature is not positive)."""
    return Analysis(
        lambda_max=lambda_max,
        lambda_min=None,
        condition_number=None,
        lr_max=2.0 / lambda_max if lambda_max > 0 else math.inf,
        lr_best=None,
        exact=False,
    )


def contraction(analysis: Analysis, lr: float) -> float | None:
    """How much plain gradient descent shrinks the slowest direction's error each step: max |1 − lr·λ|."""
    if analysis.lambda_min is None:
        return None
    return max(abs(1.0 - lr * analysis.lambda_min), abs(1.0 - lr * analysis.lambda_max))


def predicted_steps(analysis: Analysis, lr: float, factor: float = 1000.0) -> float | None:
    """Steps for plain gradient descent to shrink the distance to the optimum `factor`×; inf when it never does.

    None when the analysis is an estimate (the slowest direction is unknown).
    """
    if analysis.lambda_min is None:
        return None
    from engine.maths.optimizer_rules import steps_at

    # per direction, with log1p: a factor within a rounding of 1 (κ beyond double precision) still counts its steps
    return steps_at(lr, (analysis.lambda_min, analysis.lambda_max), "manual", factor=factor)


def estimate_lambda_max(
    problem,
    vector: np.ndarray | None = None,
    iterations: int = POWER_ITERATIONS,
    tolerance: float = POWER_TOLERANCE,
) -> float:
    """λmax of the Hessian at θ = `vector` (as fitted; default: the model's θ now), by power iteration on Hessian-vector products.

    Power iteration finds the eigenvalue largest in size; for a non-convex model that may be a
    negative one, which is returned as such. Models not linear in their parameters are evaluated
    through their own tensors, which are set to `vector` and restored: call it from the thread
    that runs the descent.
    """
    with _hessian_vector_product(problem, vector) as (hvp, size, dtype, device):
        generator = torch.Generator().manual_seed(0)  # the same first guess every call: estimates don't jitter
        v = torch.randn(size, generator=generator, dtype=torch.float64).to(dtype=dtype, device=device)
        v = v / torch.linalg.vector_norm(v)
        estimate = 0.0
        for _ in range(iterations):
            w = hvp(v)
            previous, estimate = estimate, float(torch.dot(v, w))
            norm = float(torch.linalg.vector_norm(w))
            if norm == 0.0 or not math.isfinite(norm):
                break  # no curvature at all here (MAE's Hessian is zero almost everywhere), or it blew up
            v = w / norm
            if abs(estimate - previous) <= tolerance * abs(estimate):
                break
    return estimate


@contextmanager
def _hessian_vector_product(problem, vector):
    """v ↦ H·v at θ, as a function of a flat tensor; with the size, dtype and device of θ."""
    model, loss_fn, x, y = problem.model, problem.loss_fn, problem.x_train, problem.y_train
    tensors = model.tensors
    dtype, device = tensors[0].dtype, tensors[0].device
    size = sum(t.numel() for t in tensors)
    if hasattr(model, "features"):
        # Linear in θ: a fresh leaf θ, so the live parameters are never touched (safe from any thread).
        start = tensors[0].detach() if vector is None else torch.as_tensor(vector, dtype=dtype, device=device)
        theta = start.clone().requires_grad_(True)
        phi = model.features(x)
        with torch.enable_grad():
            (gradient,) = torch.autograd.grad(loss_fn(phi @ theta, y), theta, create_graph=True)

        def hvp(v: torch.Tensor) -> torch.Tensor:
            if not gradient.requires_grad:
                return torch.zeros_like(v)
            with torch.enable_grad():
                (product,) = torch.autograd.grad(gradient, theta, grad_outputs=v, retain_graph=True, allow_unused=True)
            return torch.zeros_like(v) if product is None else product

        yield hvp, size, dtype, device
        return
    saved = [t.detach().clone() for t in tensors]
    if vector is not None:
        _load(tensors, torch.as_tensor(vector, dtype=dtype, device=device))
    try:
        with torch.enable_grad():
            grads = torch.autograd.grad(loss_fn(model(x), y), tensors, create_graph=True, allow_unused=True)
            gradient = torch.cat([(torch.zeros_like(t) if g is None else g).reshape(-1) for t, g in zip(tensors, grads, strict=True)])

        def hvp(v: torch.Tensor) -> torch.Tensor:
            if not gradient.requires_grad:
                return torch.zeros_like(v)
            with torch.enable_grad():
                parts = torch.autograd.grad(gradient, tensors, grad_outputs=v, retain_graph=True, allow_unused=True)
            return torch.cat([(torch.zeros_like(t) if p is None else p).reshape(-1) for t, p in zip(tensors, parts, strict=True)])

        # The graph holds the tensors as they are now: they are restored only once the products are done.
        yield hvp, size, dtype, device
    finally:
        if vector is not None:
            _load(tensors, torch.cat([s.reshape(-1) for s in saved]))


@torch.no_grad()
def _load(tensors: list[torch.Tensor], flat: torch.Tensor) -> None:
    offset = 0
    for t in tensors:
        t.copy_(flat[offset : offset + t.numel()].reshape(t.shape))
        offset += t.numel()


class LiveAnalysis:
    """What an Analysis panel asks every frame: the exact analysis once per problem, an estimate every few calls.

    For a model linear in θ the estimate never touches the live parameters, so any thread may ask;
    for other models it does (see `estimate_lambda_max`): ask from the thread that runs the descent.
    """

    def __init__(self, problem, every: int = 10) -> None:
        self.problem = problem
        self.every = every
        """Calls between two estimates (a few frames: an estimate costs ~20 Hessian-vector products)."""
        self._calls = 0
        self._latest: Analysis | None = None

    def at(self, snapshot=None) -> Analysis:
        """The analysis to show with this snapshot (None: where the parameters are now)."""
        if self._latest is not None and (self._latest.exact or self._calls % self.every):
            self._calls += 1
            return self._latest
        self._calls += 1
        self._latest = analyse(self.problem, None if snapshot is None else snapshot.vector)
        return self._latest
