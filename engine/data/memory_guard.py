"""The memory guard: refuse a number of points that cannot fit, before allocating anything.

A run's memory is a few arrays of N numbers each, so its need is a number of bytes per point times N.
The figures below count the arrays the code makes (engine.data.synthetic, engine.descent.problem, engine.models.linear_models, one
autograd step); benchmarks/memory_peak.py prints this estimate beside the measured peak. Free memory
is what Linux says is available (MemAvailable, within a cgroup's limit when there is one; psutil's figure
where there is no /proc, as on macOS and Windows) and, for a CUDA device, what the GPU has free. A CSV
file's points are estimated from its size and the line breaks in its head, before it is read; a stream
(standard input, a pipe, a FIFO) has no size, so its bytes and rows are counted while it is read
(stream_guard). Where free memory can't be read, nothing is refused.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from engine.settings.errors import SettingError
from engine.settings.run_settings import Settings, parse_model

GB = 1e9

DATA_BYTES = 24
"""Host bytes per point while the data is made: x, y and the noise, float64 (engine.data.synthetic)."""
INDEX_BYTES = 8
"""The training indices, int64 (a permutation and its sort with a holdout: twice that)."""
TENSOR_BYTES = 8
"""x and y as float32 tensors on the device."""
STEP_BYTES = 16
"""One autograd step: predictions, residuals and their gradient, float32, plus slack."""

SOLVE_WHOLE_MAX = 1 << 20
"""engine.maths.optimum builds Φ whole (float64) and solves it by SVD up to this many points; past it, in blocks."""
SOLVE_BLOCK = 1 << 18
"""Rows per block of engine.maths.optimum's blocked solve: a few MB of Φ at a time, whatever N is."""


def run_bytes(settings: Settings) -> tuple[int, int]:
    """(host bytes, device bytes) a run of these settings needs beyond what is already in use."""
    points = settings.points
    kind, size = parse_model(settings.model)
    wide = 2 if settings.dtype == "float64" else 1  # float64 tensors take twice float32's bytes
    host = (DATA_BYTES + INDEX_BYTES) * points
    if settings.holdout > 0:
        host += (INDEX_BYTES + 16) * points  # the sorted permutation and the training copies of x and y
    if kind == "mlp":
        # Each hidden layer's pre-activations, activations and their gradients, float32.
        model = 4 * 4 * size * points
    else:
        terms = {"linear": 2, "slope": 1}.get(kind, size + 1)
        # Φ's columns, Φ stacked, and the transposed copy the descent keeps; and −y, which its loss adds to Φθ.
        model = 3 * 4 * terms * points + 4 * points
        host += _optimum_bytes(points, terms)
    device = wide * (TENSOR_BYTES * points + model + STEP_BYTES * points)
    return host, device


def _optimum_bytes(points: int, terms: int) -> int:
    """The least-squares solve (engine.maths.optimum): Φ whole in float64 and gelsd's copy, or a few blocks of it."""
    rows = points if points <= SOLVE_WHOLE_MAX else 4 * SOLVE_BLOCK
    return (2 * terms + 3) * 8 * rows


def available_host_bytes() -> int | None:
    """Memory this process may still take: MemAvailable (psutil's `available` where there is no /proc, as on
    macOS and Windows), capped by a cgroup v2 limit; None if unknown."""
    free = _meminfo_available()
    if free is None:
        free = _psutil_available()
    limits = [room for room in (_cgroup_room(), _session_room()) if room is not None]
    limit = min(limits) if limits else None
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
    """Raise SettingError("points", …) when a run of these settings can't fit in free memory
    (SettingError("data", …) for a CSV file, from its size, before it is read).

    `device` is the run's torch.device; without one (the app, before torch has loaded) only the host is
    checked, counting the device's share there too unless the settings name a GPU.
    """
    kind = device.type if device is not None else "cuda" if settings.device.startswith("cuda") else settings.device
    separate = kind in ("cuda", "mps")  # the device's share is not in host memory

    points, file_bytes = settings.points, 0
    if settings.data is not None:
        estimate = file_points(settings.data)
        if estimate is None:
            return  # standard input, or a file that can't be read: the reader says why
        points, file_bytes = estimate

    def host_need(count: int) -> int:
        host, on_device = run_bytes(replace(settings, points=max(count, 2)))
        return READ_BYTES * file_bytes + (host if separate else host + on_device)

    _refuse_past(points, host_need, available_host_bytes(), "in memory", settings.data)
    if device is not None and device.type == "cuda":
        def device_need(count: int) -> int:
            return run_bytes(replace(settings, points=max(count, 2)))[1]

        _refuse_past(points, device_need, available_cuda_bytes(device), f"on {device}", settings.data)


READ_BYTES = 2
"""Host bytes per byte of a CSV file while it is read: the bytes, and their text on the careful path."""
SAMPLE_BYTES = 1 << 16
"""The head of a CSV file whose line breaks tell its number of rows."""


def file_points(path: str) -> tuple[int, int] | None:
    """(rows, bytes) of a CSV file, the rows estimated from the line breaks in its head; None for a stream or an unreadable file.

    Looked at before it is opened: opening a FIFO waits for a writer, and a stream has no size (stream_guard counts it).
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    except (OSError, ValueError):
        return None
    if not head:
        return None
    breaks = max(head.count(b"\n"), head.count(b"\r"), 1)
    return max(2, round(size * breaks / len(head))), size


def stream_guard(settings: Settings) -> Callable[[int, int], None]:
    """For a stream read as it comes (engine.data.stream_read): called with (bytes, rows) so far, it raises
    SettingError("data", …) once they and the run they make need more host memory than was free when reading began."""
    kind = "cuda" if settings.device.startswith("cuda") else settings.device
    separate = kind in ("cuda", "mps")
    free = available_host_bytes()

    def guard(read: int, rows: int) -> None:
        if free is None:
            return

        def need(count: int) -> int:
            host, on_device = run_bytes(replace(settings, points=max(count, 2)))
            return READ_BYTES * read + (host if separate else host + on_device)

        if need(rows) > free:
            _refuse_past(rows, need, free, "in memory", settings.data, so_far=True)

    return guard


def _refuse_past(points: int, need, free: int | None, where: str, data: str | None = None, so_far: bool = False) -> None:
    needed = need(points)
    if free is None or needed <= free:
        return
    low, high = 0, points  # the most points that fit: need() grows with the points
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if need(middle) <= free else (low, middle - 1)
    room = f"need about {_size(needed)} but only {_size(free)} is free {where}"
    if data is None:
        advice = f"use at most about {low:,} points" if low >= 2 else "free some memory first"
        raise SettingError("points", f"{points:,} points {room}; {advice}")
    advice = f"use a file of at most about {low:,} rows" if low >= 2 else "free some memory first"
    if so_far:  # a stream: what was read before it was stopped
        raise SettingError("data", f"{_shown(data)}: the {points:,} rows read so far {room}; {advice}")
    raise SettingError("data", f"{data}: about {points:,} rows {room}; {advice}")


def _shown(data: str | None) -> str:
    return "standard input" if data == "-" else str(data)


def _meminfo_available() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _size(count: int) -> str:
    """Bytes as a message says them: GB, or MB below a tenth of one (0.0 GB would say nothing)."""
    return f"{count / GB:.1f} GB" if count >= GB / 10 else f"{count / 1e6:.1f} MB"


def _psutil_available() -> int | None:
    """psutil's estimate of available memory, where psutil is installed (with descent on macOS and Windows: pyproject.toml)."""
    try:
        import psutil
    except ImportError:
        return None
    try:
        return int(psutil.virtual_memory().available)
    except (OSError, RuntimeError, AttributeError):
        return None


SESSION_MEMORY_ENV = "DESCENT_SESSION_MEMORY"
"""Set by `descent serve` in each app's environment: its --session-memory in bytes, past which the server ends it."""


def _session_room() -> int | None:
    """What a served app may still take before `descent serve` ends it (its cap less its resident memory); None
    outside `descent serve`, or where its own memory can't be read."""
    try:
        cap = int(os.environ.get(SESSION_MEMORY_ENV, ""))
    except ValueError:
        return None
    try:
        used = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        try:
            import psutil

            used = int(psutil.Process().memory_info().rss)
        except Exception:  # noqa: BLE001 (no psutil: the server's own watch still holds the cap)
            return None
    return max(0, cap - used)


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
