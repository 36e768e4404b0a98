"""The memory guard: refuse a number of points that cannot fit, before allocating anything.

A run's memory is a few arrays of N numbers each, so its need is a number of bytes per point times N.
The figures below count the arrays the code makes (engine.data, engine.problem, engine.model, one
autograd step); benchmarks/memory_peak.py prints this estimate beside the measured peak. Free memory
is what Linux says is available (MemAvailable, within a cgroup's limit when there is one) and, for a
CUDA device, what the GPU has free. Where free memory can't be read, nothing is refused.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from engine.errors import SettingError
from engine.settings import Settings, parse_model

GB = 1e9

DATA_BYTES = 24
"""Host bytes per point while the data is made: x, y and the noise, float64 (engine.data)."""
INDEX_BYTES = 8
"""The training indices, int64 (a permutation and its sort with a holdout: twice that)."""
TENSOR_BYTES = 8
"""x and y as float32 tensors on the device."""
STEP_BYTES = 16
"""One autograd step: predictions, residuals and their gradient, float32, plus slack."""

SOLVE_WHOLE_MAX = 1 << 20
"""engine.optimum builds Φ whole (float64) and solves it by SVD up to this many points; past it, in blocks."""
SOLVE_BLOCK = 1 << 18
"""Rows per block of engine.optimum's blocked solve: a few MB of Φ at a time, whatever N is."""


def run_bytes(settings: Settings) -> tuple[int, int]:
    """(host bytes, device bytes) a run of these settings needs beyond what is already in use."""
    points = settings.points
    kind, size = parse_model(settings.model)
    host = (DATA_BYTES + INDEX_BYTES) * points
    if settings.holdout > 0:
        host += (INDEX_BYTES + 16) * points  # the sorted permutation and the training copies of x and y
    if kind == "mlp":
        # Each hidden layer's pre-activations, activations and their gradients, float32.
        model = 4 * 4 * size * points
    else:
        terms = 2 if kind == "linear" else size + 1
        # Φ's columns, Φ stacked, and the transposed copy the descent keeps; and −y, which its loss adds to Φθ.
        model = 3 * 4 * terms * points + 4 * points
        host += _optimum_bytes(points, terms)
    device = TENSOR_BYTES * points + model + STEP_BYTES * points
    return host, device


def _optimum_bytes(points: int, terms: int) -> int:
    """The least-squares solve (engine.optimum): Φ whole in float64 and gelsd's copy, or a few blocks of it."""
    rows = points if points <= SOLVE_WHOLE_MAX else 4 * SOLVE_BLOCK
    return (2 * terms + 3) * 8 * rows


def available_host_bytes() -> int | None:
    """Memory this process may still take: MemAvailable, capped by a cgroup v2 limit; None if unknown."""
    free = _meminfo_available()
    limit = _cgroup_room()
    if free is None:
        return limit
    return free if limit is None else min(free, limit)


def available_cuda_bytes(device) -> int | None:
    """Free memory on a CUDA device (torch is loaded by then: the device came from it)."""
    import torch

    try:
        free, _total = torch.cuda.mem_get_info(device)
    except (RuntimeError, AssertionError):
        return None
    return int(free)


def check_fits(settings: Settings, device=None) -> None:
    """Raise SettingError("points", …) when a run of these settings can't fit in free memory.

    `device` is the run's torch.device; without one (the app, before torch has loaded) only the host is
    checked, counting the device's share there too unless the settings name a GPU.
    """
    kind = device.type if device is not None else "cuda" if settings.device.startswith("cuda") else settings.device
    separate = kind in ("cuda", "mps")  # the device's share is not in host memory

    def host_need(points: int) -> int:
        host, on_device = run_bytes(replace(settings, points=points))
        return host if separate else host + on_device

    _refuse_past(settings.points, host_need, available_host_bytes(), "in memory")
    if device is not None and device.type == "cuda":
        def device_need(points: int) -> int:
            return run_bytes(replace(settings, points=points))[1]

        _refuse_past(settings.points, device_need, available_cuda_bytes(device), f"on {device}")


def _refuse_past(points: int, need, free: int | None, where: str) -> None:
    needed = need(points)
    if free is None or needed <= free:
        return
    low, high = 0, points  # the most points that fit: need() grows with the points
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if need(middle) <= free else (low, middle - 1)
    advice = f"use at most about {low:,} points" if low >= 2 else "free some memory first"
    raise SettingError("points", f"{points:,} points need about {needed / GB:.1f} GB but only {free / GB:.1f} GB is free {where}; {advice}")


def _meminfo_available() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _cgroup_room() -> int | None:
    """A cgroup v2 memory limit less what the cgroup already uses (containers); None where there is none."""
    root = Path("/sys/fs/cgroup")
    try:
        limit = (root / "memory.max").read_text().strip()
        if limit == "max":
            return None
        return max(0, int(limit) - int((root / "memory.current").read_text().strip()))
    except (OSError, ValueError):
        return None
