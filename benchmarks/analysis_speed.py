"""What the insight panels cost per call, against a frame's budget, at growing numbers of points.

The exact analysis is computed once per problem, the landscape once per window, the estimate every
few frames: each should stay well under a second where the app calls it. Prints the median of a few
calls in milliseconds. Usage: python benchmarks/analysis_speed.py [--points 100 1000000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from engine.descent.problem import make_problem
from engine.maths.curvature import analyse, estimate_lambda_max
from engine.maths.landscape import loss_grid
from engine.maths.optimum import least_squares
from engine.settings.run_settings import Settings

WINDOW = ((0.0, 2.0), (-5.0, 5.0))


def median_ms(call, rounds: int) -> float:
    call()  # the first call pays for torch's lazy set-up, which the app pays once
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, nargs="+", default=[100, 1_000_000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"{'points':>10} {'exact analysis':>15} {'hvp estimate':>13} {'mse grid 80×30':>15} {'huber grid 80×30':>17}   (ms)")
    for points in args.points:
        mse = make_problem(Settings(points=points, device="cpu"))
        huber = make_problem(Settings(points=points, device="cpu", loss="huber"))
        optimum = least_squares(mse)
        figures = (
            median_ms(lambda problem=mse: analyse(problem), args.rounds),
            median_ms(lambda problem=huber: estimate_lambda_max(problem), args.rounds),
            median_ms(lambda problem=mse, best=optimum: loss_grid(problem, *WINDOW, (80, 30), optimum=best), args.rounds),
            median_ms(lambda problem=huber: loss_grid(problem, *WINDOW, (80, 30)), args.rounds),
        )
        print(f"{points:>10,} {figures[0]:>15.1f} {figures[1]:>13.1f} {figures[2]:>15.1f} {figures[3]:>17.1f}")


if __name__ == "__main__":
    main()
