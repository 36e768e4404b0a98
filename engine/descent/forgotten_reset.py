"""The classic beginner bug, made real (key b in the code pane): the loop forgets `theta.grad = None`.

`loss.backward()` does not set `theta.grad`, it *adds* to it. Without the reset, `.grad` after step t holds
∂L/∂θ summed over every step so far, and the update θ ← θ − lr·theta.grad steps by that sum. The descent then
really does this: backward into `.grad`, never cleared (torch.optim's `zero_grad` is skipped too).
"""

from __future__ import annotations

import torch


def accumulating_gradient(loss: torch.Tensor, tensors: tuple[torch.Tensor, ...], seed: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """backward() into `.grad`, which keeps what earlier steps put there: `.grad` is the running sum, as flat views."""
    loss.backward(seed)
    return tuple(t.grad.view(-1) for t in tensors)


def clear(tensors) -> None:
    """The grads a broken run left behind: a run that is mended starts from none."""
    for t in tensors:
        t.grad = None
