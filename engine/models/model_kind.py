"""What kind of model a run has, asked in one place: the closed forms (least squares, curvature, the landscape)
hold only for a model linear in its parameters.

Torch-free, so the app may ask before torch loads. `model` may be None (no run yet) or any object: a model
that doesn't say is taken as not linear, so no closed form is claimed for it.
"""

from __future__ import annotations


def is_linear_in_parameters(model) -> bool:
    """Whether ŷ = Φ(x)·θ (linear, poly:N, cheb:N, slope): the models with closed forms."""
    return bool(getattr(model, "linear_in_parameters", False))
