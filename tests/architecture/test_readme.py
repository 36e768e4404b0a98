"""The README's promises that a file can check: CI runs its test command verbatim, and its options table is one table."""

from __future__ import annotations

import re

from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _code_blocks(section: str) -> list[str]:
    body = README.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", body, flags=re.S)


def test_ci_runs_the_readmes_test_command_verbatim():
    (command,) = _code_blocks("Install and test")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci.splitlines(), f"{command!r} is not a line of .ci/run"


def test_the_cpu_only_torch_command_comes_before_the_install_command():
    cpu, install = _code_blocks("Install and run")
    assert "--index-url https://download.pytorch.org/whl/cpu" in cpu and cpu.startswith("pip install torch==2.13.0")
    assert install == "pip install torch==2.13.0 && pip install . && descent"


def test_the_options_table_is_one_table():
    body = README.split("### Options\n", 1)[1].split("\n#", 1)[0]
    rows = [line for line in body.strip().split("\n\n")[0].splitlines() if line.startswith("|")]
    options = {name for row in rows for name in re.findall(r"`(--[a-z-]+)", row.split("|")[1])}
    # the first and last rows of today's table, and those a blank line once cut off
    assert {"--points", "--device", "--optimizer", "--model", "--holdout"} <= options, options
