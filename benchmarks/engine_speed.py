"""Steps per second: the tutorial's own loop against the engine's generator, on the same data.

Runs both in one process, alternating, and prints each figure and the ratio (targets: ≥ 1.5× at
N = 100, ≥ 2× at N = 1,000,000). Usage: python benchmarks/engine_speed.py [--device cpu] [--rounds 3]

With `--against PATH` it compares this engine with another checkout's instead (say the previous main:
`git worktree add --detach /tmp/old-main main~1`, or `git archive main~1 | tar -x -C /tmp/old-main`):
each engine runs in its own worker process (both import a package called `engine`), the rounds
alternate between them, and it prints old and new steps/s side by side with new/old (target ≥ 1.0), and
old/old from a second worker on the old checkout: the noise a ratio has on this machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch

from engine.descent.descend import descend
from engine.descent.device import resolve_device
from engine.descent.problem import make_problem
from engine.settings.errors import SettingError
from engine.settings.run_settings import Settings

TARGETS = {100: 1.5, 1_000_000: 2.0}
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
"""`--clock cpu` counts the process's CPU time: on a machine others load, steps/s by the wall clock
swing with their load, CPU seconds far less (but a GPU's time is not the CPU's: use wall there)."""
HERE = Path(__file__).resolve()


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


def engine_run(settings: Settings, steps: int, clock=time.perf_counter) -> float:
    """The engine's generator, pulled to the end (one snapshot per step); steps/s by `clock`."""
    problem = make_problem(settings.with_changes(steps=steps))
    _sync(problem.device)
    start = clock()
    for _snapshot in descend(problem):
        pass
    _sync(problem.device)
    return steps / (clock() - start)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def steps_for(points: int) -> int:
    # About a second a round: short rounds at large N are dominated by malloc warming up
    # (glibc's mmap threshold adapts only after the first few 4 MB tensors are freed).
    return max(200, min(20_000, int(3e8 / (points + 10_000))))


def against_tutorial(args: argparse.Namespace) -> None:
    print(f"{'N':>12} {'tutorial steps/s':>17} {'engine steps/s':>15} {'ratio':>6} {'target':>7}")
    for points in args.points:
        settings = Settings(points=points, device=args.device)
        problem = make_problem(settings)
        x = torch.as_tensor(problem.dataset.x, dtype=torch.float32, device=problem.device)
        y = torch.as_tensor(problem.dataset.y, dtype=torch.float32, device=problem.device)
        steps = steps_for(points)
        tutorial, engine = [], []
        tutorial_loop(x, y, settings.lr, steps // 4)  # warm-up
        engine_run(settings, steps // 4)
        for _ in range(args.rounds):
            tutorial.append(tutorial_loop(x, y, settings.lr, steps))
            engine.append(engine_run(settings, steps))
        t, e = statistics.median(tutorial), statistics.median(engine)
        target = TARGETS.get(points)
        print(f"{points:>12,} {t:>17,.0f} {e:>15,.0f} {e / t:>5.2f}x {f'{target}x' if target else '-':>7}")


class Worker:
    """The checkout's own copy of this script in `--worker` mode, importing the engine of the checkout at `root`
    (its copy imports the engine by that checkout's module paths: engine/ moved into rooms in issue 20)."""

    def __init__(self, root: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(root)}
        script = root / "benchmarks" / "engine_speed.py"
        self.process = subprocess.Popen(
            [sys.executable, str(script if script.is_file() else HERE), "--worker"],
            cwd=root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, points: int, device: str, steps: int, clock: str) -> float:
        self.process.stdin.write(f"{points} {device} {steps} {clock}\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit("engine_speed: a worker stopped (see its error above)")
        return float(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def serve() -> None:
    """Worker mode: for each line `points device steps clock` on stdin, print the engine's steps/s."""
    for line in sys.stdin:
        points, device, steps, clock = line.split()
        print(engine_run(Settings(points=int(points), device=device), int(steps), CLOCKS[clock]), flush=True)


def against_checkout(args: argparse.Namespace) -> None:
    old_root, new_root = Path(args.against).resolve(), HERE.parent.parent
    if not any((old_root / "engine" / where).is_file() for where in ("descend.py", "descent/descend.py")):
        raise SystemExit(f"engine_speed: --against {args.against}: no engine/descent/descend.py there; give a checkout of the project")
    # A second worker on the old checkout: old/old, the same code against itself, is this machine's noise
    # floor, printed beside new/old so a ratio a few % off 1 can be read as a change or as noise.
    old, again, new = Worker(old_root), Worker(old_root), Worker(new_root)
    workers = (old, again, new)
    print(f"old: {old_root}, new: {new_root}, clock: {args.clock}")
    print(f"{'N':>12} {'old steps/s':>12} {'new steps/s':>12} {'new/old':>8} {'old/old':>8} {'target':>7}")
    try:
        for points in args.points:
            steps = steps_for(points)
            if points >= 100_000:
                steps = max(30, steps // 10)  # tens of ms a round at large N: enough for a per-step figure, and short
            for worker in workers:
                worker.run(points, args.device, steps // 4, args.clock)  # warm-up
            figures: dict[int, list[float]] = {id(worker): [] for worker in workers}
            for round_ in range(args.rounds):
                # Rotate which goes first, so none always runs just after another's garbage.
                for worker in workers[round_ % 3 :] + workers[: round_ % 3]:
                    figures[id(worker)].append(worker.run(points, args.device, steps, args.clock))
            olds, agains, news = (figures[id(worker)] for worker in workers)
            # The median of each round's ratio: the runs of a round share the machine's load of the moment.
            ratio = statistics.median(n / o for o, n in zip(olds, news, strict=True))
            noise = statistics.median(a / o for o, a in zip(olds, agains, strict=True))
            o, n = statistics.median(olds), statistics.median(news)
            print(f"{points:>12,} {o:>12,.0f} {n:>12,.0f} {ratio:>7.3f}x {noise:>7.3f}x {'1.0x':>7}", flush=True)
    finally:
        for worker in workers:
            worker.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--points", type=int, nargs="*", default=list(TARGETS))
    parser.add_argument("--against", metavar="PATH", help="a checkout of the old engine, to compare with instead of the tutorial")
    parser.add_argument("--clock", choices=list(CLOCKS), default="wall", help="with --against: wall time, or the process's CPU time")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        serve()
        return
    try:
        device = resolve_device(args.device)
    except SettingError as error:
        raise SystemExit(f"engine_speed: --device {args.device}: {error.message}") from None
    print(f"torch {torch.__version__}, device {device}, {torch.get_num_threads()} threads, median of {args.rounds} alternating rounds")
    if args.against:
        against_checkout(args)
    else:
        against_tutorial(args)


if __name__ == "__main__":
    main()
