"""The words stay words where the numbers are extreme: κ beyond double precision (a CSV of Unix timestamps)."""

from __future__ import annotations

import math
import re

from engine.maths.curvature import Analysis
from engine.words.explain import explain_lr_best


def test_lr_best_with_kappa_past_double_precision_counts_its_steps():
    # λmax/λmin of 60 rows of Unix timestamps: (κ−1)/(κ+1) rounds to exactly 1.0 in float64
    lambda_max, lambda_min = 5.78e18, 7.5e-13
    kappa = lambda_max / lambda_min
    assert (kappa - 1) / (kappa + 1) == 1.0  # the case: the old code divided by −log(1.0) = 0
    analysis = Analysis(lambda_max, lambda_min, kappa, 2 / lambda_max, 2 / (lambda_max + lambda_min), exact=True)
    text = explain_lr_best(analysis)
    steps = float(re.search(r"\(~([0-9.e+]+)\) to shrink it 1000×", text).group(1))
    # closed form for large κ: −log((κ−1)/(κ+1)) = 2/κ + O(κ⁻³), so n = log(1000)·κ/2; the words give 2 digits
    assert math.isclose(steps, math.log(1000) * kappa / 2, rel_tol=0.05)
