"""The kinds of bad input of issue 16 for benchmarks/fuzz_report.py: text that is markup or drives a terminal, names
that are not UTF-8, holdouts that empty a side, exports over existing files and links, signals and closed pipes.

Each case returns "result" or "clean error", or raises (a traceback); a result that breaks its promise (a raw ESC on
stderr, a mode lost, a partial file left) is returned as "traceback" too: it is the same failure, seen later.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import strategies as st

RAW = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\ud800-\udfff]")
PIECES = ["[bold]", "[/]", "[link=https://x.y]", "[@click=app.quit]", "[", "]", "\x1b[31m", "\x1b]0;pwned\x07", "\x1b[2J",
          "\x07", "\x9b", "\x85", "\u2028", "\u202e", "\r", "\t", "\udcff", "é", "x"]
NASTY = st.lists(st.one_of(st.sampled_from(PIECES), st.characters(codec="utf-8")), min_size=1, max_size=8).map("".join)
ROOT = Path(__file__).resolve().parent.parent


def _cli(argv: list[str]) -> str:
    from tui.cli.main import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as stop:
            code = stop.code
    text = err.getvalue()
    if code == 2:
        return "clean error" if text.count("\n") == 1 and not RAW.search(text[:-1]) else "traceback"
    return "result" if code in (0, 1) else "traceback"


def header_case(folder: Path):
    def case(header):
        path = folder / "h.csv"
        path.write_bytes(f"{header.replace(',', ';')},y\n1,2\n2,3\n3,5\n".encode("utf-8", "surrogateescape"))
        return _cli(["run", "--data", str(path), "--x-column", "absent", "--steps", "2", "--device", "cpu"])

    return case


def name_case(folder: Path):
    def case(name, flag):
        name = name.replace("/", "_").replace("\x00", "_")
        return _cli(["run", flag, str(folder / f"{name}.csv"), "--steps", "2", "--device", "cpu"])

    return case


def option_case(flag, value):
    return _cli(["run", flag, value.replace("\x00", "_"), "--steps", "2", "--device", "cpu"])


def print_config_case(folder: Path):
    """A --data name of any bytes: --print-config writes TOML that --config reads back to the same name, or refuses it."""
    from engine.settings.config_file import read_config

    def case(raw: bytes):
        raw = raw.replace(b"/", b"_").replace(b"\x00", b"_") or b"_"
        data = folder / os.fsdecode(raw + b".csv")
        data.write_text("x,y\n1,2\n2,3\n3,5\n")
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()) as err:
            try:
                from tui.cli.main import main

                code = main(["run", "--data", str(data), "--print-config"])
            except SystemExit as stop:
                code = stop.code
        data.unlink()
        if code == 2:
            return "clean error" if "--data" in err.getvalue() and err.getvalue().count("\n") == 1 else "traceback"
        config = folder / "c.toml"
        config.write_text(out.getvalue(), encoding="utf-8")
        return "result" if read_config(config).changes["data"] == str(data) else "traceback"

    return case


def holdout_case(count, fraction):
    import numpy as np

    from engine.data.synthetic import Dataset
    from engine.descent.problem import make_problem
    from engine.settings.errors import SettingError
    from engine.settings.run_settings import Settings

    xs = np.arange(count, dtype=float)
    try:
        problem = make_problem(Settings(holdout=fraction, device="cpu", steps=1), Dataset(xs, 2 * xs + 1, "fuzz"))
    except SettingError as error:
        return "clean error" if error.setting == "holdout" and "\n" not in error.message else "traceback"
    silent = fraction > 0 and (len(problem.test) == 0 or len(problem.train) < 2)
    return "traceback" if silent else "result"


def export_case(folder: Path):
    from tui.exports.atomic import write_atomic

    def case(mode, linked, binary):
        for path in folder.iterdir():
            path.unlink()
        real = folder / "real.txt"
        real.write_text("old")
        real.chmod(mode)
        target = folder / "link.txt" if linked else real
        if linked:
            target.symlink_to(real)
        write_atomic(target, b"new" if binary else "new")
        kept = stat.S_IMODE(real.stat().st_mode) == mode and real.read_bytes() == b"new" and (not linked or target.is_symlink())
        leftovers = list(folder.glob(".*.partial"))
        real.chmod(0o600)
        return "result" if kept and not leftovers else "traceback"

    return case


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def signal_case(folder: Path, hang_s: float):
    """A real `descent run --json --export-history`, signalled after `delay` s: 128+N, JSON or one line, no partial."""

    def case(signum, delay):
        for path in folder.iterdir():
            path.unlink()
        process = subprocess.Popen([sys.executable, "-m", "tui.cli", "run", "--json", "--steps", "100000000", "--device", "cpu",
                                    "--export-history", str(folder / "h.csv")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, env=_env(), cwd=ROOT)
        time.sleep(delay)
        process.send_signal(signum)
        try:
            out, err = process.communicate(timeout=hang_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise TimeoutError("no end after the signal") from None
        # -signum: the signal came while Python itself started, before any handler: the default action, as for any command
        ended = process.returncode in (128 + signum, -signum)
        clean = ended and "Traceback" not in err and not list(folder.glob(".*.partial"))
        if clean and process.returncode == -signum:
            return "clean error"
        if clean and out:
            return "result" if json.loads(out).get("interrupted") is True else "traceback"
        return "clean error" if clean and err.count("\n") == 1 else "traceback"

    return case


def pipe_case(argv):
    """The reader gone before the output: 141 and nothing on stderr."""
    process = subprocess.Popen([sys.executable, "-m", "tui.cli", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=_env(), cwd=ROOT)
    process.stdout.close()
    err = process.stderr.read()
    return "clean error" if process.wait(timeout=120) == 141 and not err else "traceback"


def plans(folder: Path, n: int, hang_s: float) -> list[tuple]:
    """(name, strategy, case, cases) for fuzz_report.py."""
    few = max(n // 5, 20)
    scratch = [folder / name for name in ("robust-header", "robust-name", "robust-config", "robust-export", "robust-signal")]
    for path in scratch:
        path.mkdir(exist_ok=True)
    stops = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
    return [
        ("CSV headers of markup and control characters (CLI error line)", st.tuples(NASTY), header_case(scratch[0]), few),
        ("file names of markup and control characters (--data, --config)",
         st.tuples(NASTY, st.sampled_from(["--data", "--config"])), name_case(scratch[1]), few),
        ("option values of markup and control characters (CLI)",
         st.tuples(st.sampled_from(["--model", "--device", "--dataset", "--x-column", "--optimizer"]), NASTY), option_case, few),
        ("--data names of any bytes, --print-config then --config", st.tuples(st.binary(min_size=1, max_size=12)),
         print_config_case(scratch[2]), few),
        ("holdout × dataset size (2..6 points)", st.tuples(st.integers(2, 6), st.floats(0, 0.99)), holdout_case, n),
        ("exports over files of any mode, through symlinks", st.tuples(st.sampled_from([0o600, 0o640, 0o644, 0o755, 0o444, 0o400]),
                                                                        st.booleans(), st.booleans()), export_case(scratch[3]), n),
        ("signals to a real run (SIGINT/TERM/HUP after 0-8 s)", st.tuples(st.sampled_from(stops), st.floats(0, 8)),
         signal_case(scratch[4], hang_s), 9),
        ("closed stdout (presets, run, --json, --print-config)",
         st.tuples(st.sampled_from([["presets"], ["run", "--steps", "20"], ["run", "--json", "--steps", "20"], ["run", "--print-config"]])),
         pipe_case, 4),
    ]
