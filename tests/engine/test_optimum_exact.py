"""The least-squares optimum against exact rational solutions (fractions.Fraction), on easy and very hard fits.

The reference treats the float64 data as exact rationals and solves the normal equations ΦᵀΦθ = Φᵀy by
Gaussian elimination on Fractions: no rounding at all. Raw polynomial features on x far from 0 are nearly
parallel (κ of ΦᵀΦ up to ~1e25 here); the solver must still give every coefficient to 7 digits, 12 when easy.
"""

from fractions import Fraction

import numpy as np
import pytest

from engine.data.synthetic import Dataset
from engine.descent.problem import make_problem
from engine.maths.optimum import excess_loss, least_squares
from engine.settings.run_settings import Settings


def exact_normal_solution(x: np.ndarray, y: np.ndarray, degree: int) -> list[Fraction]:
    """θ = (ΦᵀΦ)⁻¹Φᵀy for Φ = [1, x, …, x^degree], in exact rational arithmetic."""
    xs, ys = [Fraction(float(v)) for v in x], [Fraction(float(v)) for v in y]
    size = degree + 1
    powers = [[xi**j for j in range(2 * size)] for xi in xs]
    gram = [[sum(p[i + j] for p in powers) for j in range(size)] for i in range(size)]
    rows = [gram[i] + [sum(p[i] * yi for p, yi in zip(powers, ys, strict=True))] for i in range(size)]
    for column in range(size):
        pivot = next(r for r in range(column, size) if rows[r][column] != 0)
        rows[column], rows[pivot] = rows[pivot], rows[column]
        for r in range(size):
            if r != column and rows[r][column] != 0:
                factor = rows[r][column] / rows[column][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[column], strict=True)]
    return [rows[i][size] / rows[i][i] for i in range(size)]


def exact_mse(x, y, theta: list[Fraction]) -> Fraction:
    total = Fraction(0)
    for xi, yi in zip(x, y, strict=True):
        xi = Fraction(float(xi))
        value = sum(c * xi**j for j, c in enumerate(theta))
        total += (value - Fraction(float(yi))) ** 2
    return total / len(x)


def correct_digits(got: float, exact: Fraction) -> float:
    error = abs((Fraction(got) - exact) / exact)
    return np.inf if error == 0 else -np.log10(float(error))


def raw_kappa(x: np.ndarray, degree: int) -> float:
    phi = np.vander(x, degree + 1, increasing=True)
    return float(np.linalg.cond(phi)) ** 2  # κ of ΦᵀΦ, from the SVD of Φ (forming ΦᵀΦ would lose it)


# (x range, points, degree, digits wanted): hard sets first, as the outside check found them, then easy ones
CASES = [
    ((-9.0, -3.0), 82, 10, 7),
    ((0.0, 100.0), 50, 6, 7),
    ((1.0, 2.0), 60, 8, 7),
    ((0.0, 1.0), 30, 10, 7),
    ((-1.0, 1.0), 40, 3, 12),
    ((0.0, 100.0), 100, 1, 12),
    ((-2.0, 3.0), 25, 2, 12),
]


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize(("span", "count", "degree", "digits"), CASES)
def test_every_coefficient_has_its_digits(span, count, degree, digits, standardize):
    x = np.linspace(*span, count)
    y = np.sin(x) + 0.1 * np.random.default_rng(1).standard_normal(count)
    model = "linear" if degree == 1 else f"poly:{degree}"
    problem = make_problem(Settings(model=model, device="cpu", standardize=standardize), Dataset(x, y, "test"))
    optimum = least_squares(problem)
    exact = exact_normal_solution(x, y, degree)
    names = ("b", "k") if degree == 1 else tuple(f"c{j}" for j in range(degree + 1))  # powers 0, 1, …
    worst = min(correct_digits(optimum.params[name], value) for name, value in zip(names, exact, strict=True))
    assert worst >= digits, f"κ(ΦᵀΦ) = {raw_kappa(x, degree):.1e}: only {worst:.1f} digits"
    assert correct_digits(optimum.loss, exact_mse(x, y, exact)) >= digits


def test_the_hard_set_is_hard():
    # the sets above are what they claim: the raw Vandermonde matrix of the first is κ ≈ 1e12 (ΦᵀΦ ≈ 1e24)
    assert raw_kappa(np.linspace(-9.0, -3.0, 82), 10) > 1e20
    assert raw_kappa(np.linspace(-1.0, 1.0, 40), 3) < 1e3


@pytest.mark.parametrize("standardize", [False, True])
def test_slope_optimum_is_sum_xy_over_sum_xx(standardize):
    rng = np.random.default_rng(3)
    x = rng.uniform(-5.0, 50.0, 300)
    y = 2.5 * x + rng.standard_normal(300)
    problem = make_problem(Settings(model="slope", device="cpu", standardize=standardize), Dataset(x, y, "test"))
    optimum = least_squares(problem)
    sxy = sum(Fraction(float(a)) * Fraction(float(b)) for a, b in zip(x, y, strict=True))
    sxx = sum(Fraction(float(a)) ** 2 for a in x)
    k = sxy / sxx
    assert correct_digits(optimum.params["k"], k) >= 14
    loss = sum((k * Fraction(float(a)) - Fraction(float(b))) ** 2 for a, b in zip(x, y, strict=True)) / len(x)
    assert correct_digits(optimum.loss, loss) >= 13


def test_excess_loss_is_exact_and_never_negative():
    x = np.linspace(-9.0, -3.0, 82)
    y = np.sin(x)
    problem = make_problem(Settings(model="poly:10", device="cpu"), Dataset(x, y, "test"))
    optimum = least_squares(problem)
    assert excess_loss(optimum, optimum.vector) == 0.0
    moved = optimum.vector.copy()
    moved[0] += 1e-3  # c0 + δ: L − L* = δ² exactly (the residual at the optimum sums to zero, the constant being a feature)
    assert excess_loss(optimum, moved) == pytest.approx(1e-6, rel=1e-9)
    exact = exact_normal_solution(x, y, 10)
    params = [float(c) for c in exact]
    params[3] += 1e-9
    excess = exact_mse(x, y, [Fraction(p) for p in params]) - exact_mse(x, y, exact)
    assert excess_loss(optimum, np.array(params)) == pytest.approx(float(excess), rel=1e-6)
    assert excess_loss(None, moved) is None
