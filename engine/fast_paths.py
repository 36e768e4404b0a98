"""Two private torch entry points the hot loop calls, each behind a probe, with the public API as fallback.

At the tutorial's 100 points a step costs ~30 µs and is mostly per-call overhead, so two calls skip
torch's Python-side argument handling (measured, torch 2.13):
- `gradient`: autograd's C++ engine (`Variable._execution_engine.run_backward`), as torch.autograd.grad
  ends in, without ~9 µs of its Python checks;
- `mse_loss`: the op `F.mse_loss` ends in (`torch._C._nn.mse_loss`), without ~3 µs of checks our
  matching shapes never need.
Private means they may change or vanish in any torch release. So each is called once here, at import, on a
tiny input and compared with the public result; any exception or difference and the public API is used
instead. The fallbacks are public so that tests can run the engine on them (tests/engine/test_fallback_paths.py).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

MEAN = 1
"""The reduction code `torch._C._nn.mse_loss` takes for "mean" (torch's Reduction enum)."""


def public_gradient(loss: torch.Tensor, inputs: tuple[torch.Tensor, ...], seed: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """∂loss/∂each input by torch.autograd.grad (`seed`, a scalar 1, is implied there)."""
    return torch.autograd.grad(loss, inputs)


def public_mse_loss(predictions: torch.Tensor, targets: torch.Tensor, reduction: int = MEAN) -> torch.Tensor:
    """The mean squared error by F.mse_loss; `reduction` is accepted for the fast path's signature, and must be the mean."""
    if reduction != MEAN:
        raise ValueError(f"only the mean reduction ({MEAN}) is used, not {reduction!r}")
    return F.mse_loss(predictions, targets)


def _fast_gradient_or_none():
    """autograd's engine as a function like `public_gradient`, if it gives the gradient of a tiny loss.

    Checked against the derivative written out, not against torch.autograd.grad, which ends in the same engine.
    """
    try:
        from torch.autograd.variable import Variable

        run_backward = Variable._execution_engine.run_backward

        def fast_gradient(loss, inputs, seed):
            return run_backward((loss,), (seed,), False, False, inputs, allow_unreachable=True, accumulate_grad=False)

        theta = torch.tensor([1.5, -2.0], requires_grad=True)
        x = torch.tensor([0.5, 3.0])
        got = fast_gradient(((theta * x - 1.0) ** 2).mean(), (theta,), torch.ones(()))
        with torch.no_grad():
            expected = 2 * x * (theta * x - 1.0) / len(x)  # ∂/∂θᵢ of mean((θx − 1)²), each θᵢ in one term
        if theta.grad is None and len(got) == 1 and torch.allclose(got[0], expected, rtol=1e-6, atol=0):
            return fast_gradient
    except Exception:  # noqa: BLE001 - any failure of a private API means: use the public one
        pass
    return None


def _fast_mse_loss_or_none():
    """torch._C._nn.mse_loss, if it gives the mean squared error and its gradient on a tiny input.

    Checked against the formula written out, not against F.mse_loss, which ends in the same op.
    """
    try:
        fast = torch._C._nn.mse_loss
        predictions = torch.tensor([0.5, 2.0, -1.0], requires_grad=True)
        targets = torch.tensor([1.0, 1.0, 1.0])
        got = fast(predictions, targets, MEAN)
        (got_gradient,) = torch.autograd.grad(got, predictions)
        with torch.no_grad():
            residual = predictions - targets
            expected, expected_gradient = (residual * residual).mean(), 2 * residual / len(residual)
        close = torch.allclose(got, expected, rtol=1e-6, atol=0) and torch.allclose(got_gradient, expected_gradient, rtol=1e-6, atol=0)
        if got.shape == () and close:
            return fast
    except Exception:  # noqa: BLE001 - any failure of a private API means: use the public one
        pass
    return None


_fast_gradient = _fast_gradient_or_none()
_fast_mse = _fast_mse_loss_or_none()
FAST_GRADIENT = _fast_gradient is not None
"""Whether `gradient` is autograd's engine called directly (else torch.autograd.grad)."""
FAST_MSE = _fast_mse is not None
"""Whether `mse_loss` is the private op (else F.mse_loss)."""

gradient = _fast_gradient or public_gradient
"""∂loss/∂inputs as a tuple: gradient(loss, inputs, seed), seed a scalar 1 of loss's dtype and device."""
mse_loss = _fast_mse or public_mse_loss
"""The mean squared error: mse_loss(predictions, targets, MEAN)."""
