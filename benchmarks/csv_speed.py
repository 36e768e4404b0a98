"""Reading a big CSV: descent's reader beside numpy.loadtxt, in seconds and peak traced memory.

Targets (issue 14): 1,000,000 rows in ≤ 1.5 s and ≤ 150 MB. Each figure is measured in a fresh
interpreter, the time without tracing and the peak with tracemalloc (numpy reports its arrays to it),
so one reader's garbage can't count against the other. Usage: python benchmarks/csv_speed.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

READERS = {
    "descent": "from engine.data.csv_reader import read_csv; read = lambda p: read_csv(p, 'x', 'y')",
    "numpy.loadtxt": "import numpy as np; read = lambda p: np.loadtxt(p, delimiter=',', skiprows=1, usecols=(0, 1))",
    "descent, line by line": "from engine.data.csv_reader import _careful_columns, decode, read_bytes;"
    " read = lambda p: _careful_columns(p, decode(p, read_bytes(p)), 'x', 'y')",
}

MEASURE = """
import sys, time, tracemalloc
{setup}
path, traced = sys.argv[1], sys.argv[2] == "1"
if traced:
    tracemalloc.start()
start = time.perf_counter()
read(path)
seconds = time.perf_counter() - start
print(tracemalloc.get_traced_memory()[1] if traced else seconds)
"""


def measure(reader: str, path: str, traced: bool) -> float:
    code = MEASURE.format(setup=READERS[reader])
    env = {**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(os.path.abspath(__file__)))}
    done = subprocess.run([sys.executable, "-c", code, path, "1" if traced else "0"], capture_output=True, text=True, env=env, check=True)
    return float(done.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--careful", action="store_true", help="also time the line-by-line reader (slow)")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "points.csv")
        x = rng.uniform(0, 100, args.rows)
        columns = np.column_stack([x, x + 10 * rng.standard_normal(args.rows)])
        np.savetxt(path, columns, delimiter=",", header="x,y", comments="", fmt="%.10g")
        size = os.path.getsize(path)
        print(f"{args.rows:,} rows, {size / 1e6:.1f} MB    target: ≤ 1.5 s and ≤ 150 MB for a million rows")
        print(f"{'reader':<24} {'seconds':>8} {'peak MB':>8}")
        readers = [name for name in READERS if args.careful or "line by line" not in name]
        for name in readers:
            seconds, peak = measure(name, path, False), measure(name, path, True)
            print(f"{name:<24} {seconds:>8.2f} {peak / 1e6:>8.1f}")


if __name__ == "__main__":
    main()
