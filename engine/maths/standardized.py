"""The same problem's curvature with the other choice of --standardize: what standardizing would do, in numbers.

The words never say "standardizing makes the valley round" unless this says so: standardized κ is 7.7 for
poly:2 and 1,390 for poly:5 on the tutorial's x, and it cures the tutorial's divergence because λmax drops.
"""

from __future__ import annotations

from engine.maths.curvature import Analysis, analyse, has_constant_hessian

ROUND = 2.0
"""A valley with κ below this is called round (every direction converges at about the same rate)."""


def twin_analysis(problem, standardize: bool = True) -> Analysis | None:
    """The exact analysis of `problem` refitted with standardize = `standardize` (its own when it already is).

    None where the loss is not a quadratic (no exact κ to compare) or the twin can't be made.
    """
    if not has_constant_hessian(problem):
        return None
    if bool(problem.settings.standardize) == standardize:
        return analyse(problem)
    from engine.descent.problem import make_problem

    try:
        twin = make_problem(problem.settings.with_changes(standardize=standardize), problem.dataset)
    except Exception:  # noqa: BLE001 - a twin that can't be made just means no comparison to say
        return None
    return analyse(twin)


def is_round(analysis: Analysis | None) -> bool:
    """κ near 1: only then do the words call the valley round."""
    kappa = None if analysis is None else analysis.condition_number
    return kappa is not None and kappa < ROUND
