"""Bad model, loss, optimizer, data, batch and holdout options: exit 2 and one line naming the option and what is allowed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

BAD = [
    (["--optimizer", "bogus"], "--optimizer", "adam"),
    (["--model", "poly:0"], "--model", "1 ≤ D ≤ 10"),
    (["--model", "poly:99"], "--model", "1 ≤ D ≤ 10"),
    (["--model", "poly:²"], "--model", "1 ≤ D ≤ 10"),
    (["--model", "mlp:0"], "--model", "1 ≤ H ≤ 256"),
    (["--model", "mlp:257"], "--model", "1 ≤ H ≤ 256"),
    (["--model", "cubic"], "--model", "linear"),
    (["--batch-size", "0"], "--batch-size", "at least 1"),
    (["--holdout", "1.5"], "--holdout", "less than 1"),
    (["--holdout", "-0.1"], "--holdout", "at least 0"),
    (["--huber-delta", "0"], "--huber-delta", "greater than 0"),
    (["--loss", "nope"], "--loss", "huber"),
    (["--dataset", "nope"], "--dataset", "sine"),
    (["--momentum", "1"], "--momentum", "less than 1"),
]


@pytest.mark.parametrize("argv, option, allowed", BAD, ids=[" ".join(case[0]) for case in BAD])
def test_bad_option_exits_2_with_one_line(argv, option, allowed):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "tui.cli", "run", *argv], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert option in lines[0] and allowed in lines[0]
    assert argv[1] in lines[0]  # what was given, so the reader sees the typo
    assert done.stdout == ""
