"""The least-squares problem of a model linear in θ, in a well-conditioned basis, mapped back exactly.

Raw polynomial features are nearly parallel columns: a degree-10 Vandermonde matrix on x in [−9, −3] has
κ ≈ 1e15, so solving with it (or forming its ΦᵀΦ) loses every digit. Here the features are Chebyshev
polynomials Tⱼ(u) of u = (x − middle)/half-range, whatever the user chose: on [−1, 1] they are nearly
orthogonal (κ of ΦᵀΦ in the tens for spread-out x), so ΦᵀΦ summed in float64 keeps nearly every digit,
and it costs one pass over the points in blocks, like any Gram matrix. `slope` (y = k·x) has one column:
its Gram matrix is Σx², nothing to condition. The results are mapped back to θ as fitted by T, the exact
(rational) matrix with θ_fitted = T·θ_good, so the map adds no rounding of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

GRAM_CHUNK = 1 << 20
"""Points per block when summing ΦᵀΦ: bounds the float64 features at ~90 MB for poly:10, whatever N is."""
Table = list[list[Fraction]]


@dataclass(frozen=True)
class Gram:
    """ΦᵀΦ and Φᵀy in the good basis, over the training points, with the maps to and from θ as fitted."""

    gram: np.ndarray
    """ΦᵀΦ (P×P) in the good basis."""
    moment: np.ndarray | None
    """Φᵀy (None when y was left out)."""
    count: int
    """Training points."""
    to_fitted: Table
    """T: θ_fitted = T·θ_good, exactly."""
    from_fitted: Table
    """T⁻¹."""
    singular: bool
    """Exactly singular: fewer distinct x than parameters (every x zero for `slope`): no unique optimum."""
    features: object
    """x as fitted ↦ Φ in the good basis (float64), for a pass over the points."""


def training(values: np.ndarray, train: np.ndarray) -> np.ndarray:
    """The training points' values: the array itself without a holdout (no 80 MB copy per 10M points)."""
    return values if len(train) == len(values) else values[train]


def chebyshev_columns(u: np.ndarray, size: int) -> np.ndarray:
    """T₀(u) … T_{size−1}(u), as columns: T₀ = 1, T₁ = u, Tⱼ₊₁ = 2u·Tⱼ − Tⱼ₋₁."""
    columns = np.empty((len(u), size), order="F")  # column by column: each recurrence step writes contiguous memory
    columns[:, 0] = 1.0
    if size > 1:
        columns[:, 1] = u
    for j in range(2, size):
        columns[:, j] = 2.0 * u * columns[:, j - 1] - columns[:, j - 2]
    return columns


def chebyshev_table(size: int) -> Table:
    """C with C[i][j] the coefficient of uⁱ in Tⱼ(u) (whole numbers)."""
    polys = [[Fraction(1)], [Fraction(0), Fraction(1)]][:size]
    while len(polys) < size:
        last, before = polys[-1], polys[-2]
        nxt = [Fraction(0)] + [2 * a for a in last]
        nxt = [a - (before[i] if i < len(before) else 0) for i, a in enumerate(nxt)]
        polys.append(nxt)
    return [[polys[j][i] if i < len(polys[j]) else Fraction(0) for j in range(size)] for i in range(size)]


def shift_table(size: int, shift: Fraction, scale: Fraction) -> Table:
    """A with θ in powers of x = A·θ in powers of u = (x − s)/c: Σⱼ aⱼ·uʲ = Σᵢ xⁱ·Σⱼ aⱼ·C(j,i)·(−s)^(j−i)/cʲ."""
    return [[math.comb(j, i) * (-shift) ** (j - i) / scale**j if i <= j else Fraction(0) for j in range(size)] for i in range(size)]


def multiply(left: Table, right: Table) -> Table:
    columns = list(zip(*right, strict=True))
    return [[sum((a * b for a, b in zip(row, column, strict=True)), Fraction(0)) for column in columns] for row in left]


def invert(table: Table) -> Table:
    """The exact inverse, by Gauss–Jordan elimination on rationals (T is triangular up to an order: always invertible)."""
    size = len(table)
    rows = [list(row) + [Fraction(int(i == j)) for j in range(size)] for i, row in enumerate(table)]
    for column in range(size):
        pivot = next(r for r in range(column, size) if rows[r][column] != 0)
        rows[column], rows[pivot] = rows[pivot], rows[column]
        head = rows[column][column]
        rows[column] = [a / head for a in rows[column]]
        for r in range(size):
            if r != column and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[column], strict=True)]
    return [row[size:] for row in rows]


def apply_exactly(table: Table, vector: np.ndarray) -> np.ndarray:
    """table·vector in rational arithmetic, rounded once per entry."""
    terms = [Fraction(float(v)) for v in vector]
    return np.array([float(sum((a * t for a, t in zip(row, terms, strict=True)), Fraction(0))) for row in table])


def product_exactly(left: np.ndarray, table: Table) -> np.ndarray:
    """left·table in rational arithmetic, rounded once per entry (P ≤ 11: a few thousand products)."""
    rows = [[Fraction(float(v)) for v in row] for row in left]
    return np.array([[float(a) for a in row] for row in multiply(rows, table)])


def _is_singular(kind: str, parameters: int, x: np.ndarray) -> bool:
    """Fewer distinct x than parameters: some combination of the features is exactly zero at every point."""
    if kind == "slope":
        return not np.any(x)
    if len(np.unique(x[:4096])) >= parameters:  # distinct values usually show up at once: one small sort
        return False
    seen: set[float] = set()
    for begin in range(0, len(x), 1 << 16):
        seen.update(np.unique(x[begin : begin + (1 << 16)]).tolist())
        if len(seen) >= parameters:
            return False
    return True


def _maps(kind: str, size: int, middle: float, half: float) -> Table:
    """T for the model's θ order: powers 0…D for poly, (k, b) = powers (1, 0) for linear, k for slope."""
    if kind == "slope":
        return [[Fraction(1)]]
    table = multiply(shift_table(size, Fraction(middle), Fraction(half)), chebyshev_table(size))
    if kind == "linear":  # θ is (k, b): the powers 1 and 0 in that order, each row's T₀, T₁ as they are
        return [table[1], table[0]]
    return table


def gram(problem, with_y: bool = True, chunk: int = GRAM_CHUNK) -> Gram:
    """ΦᵀΦ (and Φᵀy) of the training points in the good basis, summed in blocks of `chunk` points."""
    model = problem.model
    kind, size = model.kind, len(model.names)
    scaling = problem.scaling
    # as fitted: x itself when nothing is standardized (apply() would copy a million points for nothing)
    fitted = scaling.apply if (scaling.shift, scaling.scale) != (0.0, 1.0) else np.asarray
    x_all, train = problem.dataset.x, problem.train
    x = training(x_all, train)
    y = training(problem.dataset.y, train) if with_y else None
    if kind == "slope":
        middle, half = 0.0, 1.0
    else:
        low, high = float(fitted(np.min(x))), float(fitted(np.max(x)))
        low, high = min(low, high), max(low, high)
        middle, half = (low + high) / 2, (high - low) / 2 or 1.0

    def features(x_fitted: np.ndarray) -> np.ndarray:
        if kind == "slope":
            return np.asarray(x_fitted, dtype=np.float64).reshape(-1, 1)
        return chebyshev_columns((x_fitted - middle) / half, size)

    total = np.zeros((size, size))
    moment = np.zeros(size) if with_y else None
    for begin in range(0, len(x), chunk):
        phi = features(fitted(x[begin : begin + chunk]))
        total += phi.T @ phi
        if with_y:
            moment += phi.T @ y[begin : begin + chunk]
    to_fitted = _maps(kind, size, middle, half)
    return Gram(total, moment, len(x), to_fitted, invert(to_fitted), _is_singular(kind, size, x), features)
