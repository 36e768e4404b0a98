"""Every option of `descent run`, with nasty values, in a real process: exit 0, 1 or 2, one line when 2, never a traceback."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from tests.helpers import ROOT
from tui.cli.command import build_parser

NASTY = ["nan", "-inf", "1e400", "-1e-400", "4.9e-324", "٣", "²", "1,5", "0x10", "", " ", "🙂🙂", "-", "--", "=", "1" * 5000,
         "99999999999999999999999", "poly:٣", "cuda:-1", "a\tb", "/", "/proc/nope/x", "-1", "0"]
SMALL_RUN = ["--steps", "5", "--points", "20"]
"""Put before the fuzzed option: a valid value still finishes in a moment, and the fuzzed option wins."""
CASES_PER_OPTION = 2


def run_options() -> list[tuple[str, bool]]:
    """Every option `descent run` takes, as (flag, takes a value)."""
    run = build_parser()._subparsers._group_actions[0].choices["run"]
    options = []
    for action in run._actions:
        flag = max(action.option_strings, key=len, default=None)
        if flag and flag != "--help":
            options.append((flag, action.nargs != 0))
    return options


def cases(seed: int = 8) -> list[list[str]]:
    rng = random.Random(seed)
    argvs = []
    for flag, takes_value in run_options():
        if not takes_value:
            argvs.append([*SMALL_RUN, flag])
            continue
        for text in rng.sample(NASTY, CASES_PER_OPTION):
            argvs.append([*SMALL_RUN, f"{flag}={text}"])  # `=` so a value starting with - stays a value
    return argvs


def outcome(argv: list[str], cwd=ROOT, timeout: float = 60) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tui.cli", "run", *argv]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)
    return done.returncode, done.stderr


def test_every_option_covered():
    flags = {flag for flag, _ in run_options()}
    assert {"--lr", "--x-min", "--data", "--config", "--preset", "--race", "--export-script", "--no-standardize", "--json"} <= flags


@pytest.mark.slow
def test_every_option_with_nasty_values(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    argvs = cases()
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda argv: outcome(argv, cwd=tmp_path), argvs))  # exports that succeed land in tmp_path
    for argv, (code, err) in zip(argvs, results, strict=True):
        assert code in (0, 1, 2), (argv[-1][:60], code, err[-500:])
        assert "Traceback" not in err, (argv[-1][:60], err[-2000:])
        if code == 2:
            assert err.count("\n") == 1 and err.startswith("descent: error: "), (argv[-1][:60], err)
