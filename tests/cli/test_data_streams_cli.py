"""`--data` from a stream on the command line: `<(cat f.csv)`, /dev/stdin, a FIFO; `-` named in --help and in the errors."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys

import pytest

from tests.helpers import ROOT, cli, run_cli

CSV = "x,y\n1,2\n2,4\n3,6.5\n4,8\n"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def test_a_pipe_by_its_descriptor_is_read(capsys):
    read_end, write_end = os.pipe()
    os.write(write_end, CSV.encode())
    os.close(write_end)
    try:
        code, out, err = cli(capsys, "run", "--steps", "5", "--device", "cpu", "--data", f"/dev/fd/{read_end}")
    finally:
        os.close(read_end)
    assert code == 0, err
    assert "on 4 points" in out and "least squares: loss 0.04375" in out


def test_help_and_the_missing_file_error_name_standard_input(capsys):
    code, out, _ = cli(capsys, "run", "--help")
    assert code == 0 and "- reads standard input" in " ".join(out.split())
    code, out, err = cli(capsys, "run", "--data", "no/such.csv")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "no/such.csv: no such file (`-` reads the points from standard input)" in err


@pytest.mark.slow
@pytest.mark.parametrize("name", ["/dev/stdin", "-"])
def test_piped_standard_input_by_either_name(name):
    result = run_cli("run", "--steps", "5", "--device", "cpu", "--json", "--data", name, input=CSV)
    assert result.returncode == 0, result.stderr
    assert '"points": 4' in result.stdout


@pytest.mark.slow
def test_process_substitution_in_a_shell(tmp_path):
    source = tmp_path / "points.csv"
    source.write_text(CSV)
    command = f"{sys.executable} -m tui.cli run --steps 5 --device cpu --json --data <(cat {source})"
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert '"points": 4' in result.stdout


@pytest.mark.slow
def test_a_fifo_without_a_writer_says_so_then_ctrl_c_is_130(tmp_path):
    fifo = tmp_path / "nobody.fifo"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "run", "--data", str(fifo)], stderr=subprocess.PIPE, stdout=subprocess.PIPE, env=ENV, cwd=ROOT
    )
    try:
        # a bound against a hang (the old code waited in open() and said nothing), not a timing
        ready, _, _ = select.select([process.stderr], [], [], 60)
        assert ready, "no word on stderr: the command waits for the FIFO's writer silently"
        line = process.stderr.readline().decode()
        assert line == f"descent: waiting for a writer on FIFO {fifo}… (ctrl+c stops)\n"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130 and err.decode() == "descent: interrupted\n"


@pytest.mark.slow
def test_a_fifo_whose_writer_comes_later_is_read(tmp_path):
    fifo = tmp_path / "later.fifo"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "run", "--steps", "5", "--json", "--data", str(fifo)],
        stderr=subprocess.PIPE, stdout=subprocess.PIPE, env=ENV, cwd=ROOT,
    )
    with open(fifo, "w") as writer:  # waits for the reader: the command opened the FIFO without blocking itself
        writer.write(CSV)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert b'"points": 4' in out
