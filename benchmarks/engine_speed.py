"""Steps per second: the tutorial's own loop against the engine's generator, on the same data.

Runs both in one process, alternating, and prints each figure and the ratio (targets: ≥ 1.5× at
N = 100, ≥ 2× at N = 1,000,000). Usage: python benchmarks/engine_speed.py [--device cpu] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from engine.descend import descend
from engine.device import resolve_device
from engine.errors import SettingError
from engine.problem import make_problem
from engine.settings import Settings

TARGETS = {100: 1.5, 1_000_000: 2.0}


def tutorial_loop(x: torch.Tensor, y: torch.Tensor, lr: float, steps: int) -> float:
    """The tutorial's loop, transcribed (Variable/.data replaced, its `a.grad` typo fixed); steps/s."""
    k = torch.rand(1, requires_grad=True, device=x.device)
    b = torch.rand(1, requires_grad=True, device=x.device)
    _sync(x.device)
    start = time.perf_counter()
    for _ in range(steps):
        predictions = k * x + b
        loss = torch.mean((predictions - y) ** 2)
        loss.backward()
        with torch.no_grad():
            k -= lr * k.grad
            b -= lr * b.grad
        k.grad.zero_()
        b.grad.zero_()
    _sync(x.device)
    return steps / (time.perf_counter() - start)


def engine_run(settings: Settings, steps: int) -> float:
    """The engine's generator, pulled to the end (one snapshot per step); steps/s."""
    problem = make_problem(settings.with_changes(steps=steps))
    _sync(problem.device)
    start = time.perf_counter()
    for _snapshot in descend(problem):
        pass
    _sync(problem.device)
    return steps / (time.perf_counter() - start)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--points", type=int, nargs="*", default=list(TARGETS))
    args = parser.parse_args()
    try:
        device = resolve_device(args.device)
    except SettingError as error:
        raise SystemExit(f"engine_speed: --device {args.device}: {error.message}") from None
    print(f"torch {torch.__version__}, device {device}, {torch.get_num_threads()} threads, median of {args.rounds} alternating rounds")
    print(f"{'N':>12} {'tutorial steps/s':>17} {'engine steps/s':>15} {'ratio':>6} {'target':>7}")
    for points in args.points:
        settings = Settings(points=points, device=args.device)
        problem = make_problem(settings)
        x = torch.as_tensor(problem.dataset.x, dtype=torch.float32, device=problem.device)
        y = torch.as_tensor(problem.dataset.y, dtype=torch.float32, device=problem.device)
        # About a second a round for each: short rounds at large N are dominated by malloc warming up
        # (glibc's mmap threshold adapts only after the first few 4 MB tensors are freed).
        steps = max(200, min(20_000, int(3e8 / (points + 10_000))))
        tutorial, engine = [], []
        tutorial_loop(x, y, settings.lr, steps // 4)  # warm-up
        engine_run(settings, steps // 4)
        for _ in range(args.rounds):
            tutorial.append(tutorial_loop(x, y, settings.lr, steps))
            engine.append(engine_run(settings, steps))
        t, e = statistics.median(tutorial), statistics.median(engine)
        target = TARGETS.get(points)
        print(f"{points:>12,} {t:>17,.0f} {e:>15,.0f} {e / t:>5.2f}x {f'{target}x' if target else '-':>7}")


if __name__ == "__main__":
    main()
