"""How each kind of bad input fares: N fuzzed cases per kind, counted as results, clean errors, tracebacks, hangs.

A result is a value (Settings, a Dataset, a finished run); a clean error is the one-line error of its kind
(SettingError, DataError, ConfigError, a field's message, exit 2 with one stderr line); a traceback is any
other exception; a hang is a case past HANG_S. The strategies are the tests' own (tests/test_fuzz_*.py),
run here for more cases and without stopping at the first failure; benchmarks/fuzz_robust.py adds issue 16's kinds
(markup and control characters, names that are not UTF-8, holdouts, exports over files and links, signals, pipes).
Usage: PYTHONPATH=. python benchmarks/fuzz_report.py [--cases 500] [--subprocess-sample]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import signal
import tempfile
import traceback
from collections import Counter, deque
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

HANG_S = 20


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


class Family:
    """One kind of bad input: its outcomes, and the first few tracebacks to read."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.outcomes: Counter = Counter()
        self.tracebacks: list[str] = []

    def judge(self, case, *args) -> None:
        signal.alarm(HANG_S)
        try:
            self.outcomes[case(*args)] += 1
        except Hang:
            self.outcomes["hang"] += 1
            self.tracebacks.append(f"hang: {str(args)[:200]}")
        except Exception:  # noqa: BLE001 - the point is to count what escapes
            self.outcomes["traceback"] += 1
            if len(self.tracebacks) < 3:
                self.tracebacks.append(f"{str(args)[:200]}\n{traceback.format_exc(limit=4)}")
        finally:
            signal.alarm(0)


def _run(strategy, family: Family, case, cases: int) -> None:
    @settings(max_examples=cases, deadline=None, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def each(args):
        family.judge(case, *args)

    each()


def csv_case(folder: Path):
    from engine.data.csv_reader import read_csv
    from engine.settings.errors import DataError

    def case(content, x_column="1", y_column="2"):
        path = folder / "fuzz.csv"
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        try:
            read_csv(str(path), x_column or "1", y_column or "2")
        except DataError as error:
            return "clean error" if "\n" not in str(error) else "traceback"
        return "result"

    return case


@st.composite
def quirky_csv(draw):
    """Valid numbers in every odd form a file may hold them: these should all be read."""
    cell = st.one_of(st.floats(-1e12, 1e12), st.floats(-1e-310, 1e-310), st.integers(-(10**9), 10**9)).map(repr)
    quoted = cell.flatmap(lambda text: st.sampled_from([text, f'"{text}"', f" {text} "]))
    sep = draw(st.sampled_from([",", ";", "\t"]))
    rows = draw(st.lists(st.tuples(quoted, quoted), min_size=2, max_size=30))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [sep.join(row) for row in rows]
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), "")  # a blank line
    head = draw(st.sampled_from(["", "\ufeff", "x,y".replace(",", sep) + end, "\ufeffx" + sep + "y" + end]))
    return head + end.join(lines) + end


def degenerate_case(xs, ys):
    import numpy as np

    from engine.data.synthetic import Dataset
    from engine.descent.descend import descend
    from engine.descent.problem import make_problem
    from engine.settings.errors import DataError, SettingError
    from engine.settings.run_settings import Settings

    try:
        problem = make_problem(Settings(steps=50, standardize=len(xs) % 2 == 0), Dataset(np.array(xs), np.array(ys), "fuzz"))
        last = deque(descend(problem), maxlen=1)
    except (DataError, SettingError) as error:
        return "clean error" if "\n" not in str(error) else "traceback"
    # diverged counts as a result: the run says where the loss blew up
    return "result" if last and last[0].status in ("done", "diverged") else "traceback"


def setting_case(name, value):
    from engine.settings.errors import SettingError
    from engine.settings.run_settings import Settings, validate

    try:
        validate(Settings(**{name: value}))
    except SettingError as error:
        return "clean error" if "\n" not in error.message else "traceback"
    return "result"


def toml_case(text):
    from engine.settings.config_file import ConfigError, layered_settings, parse_config
    from engine.settings.errors import SettingError
    from engine.settings.presets import PRESETS

    try:
        config = parse_config(text, "fuzz.toml")
        if config.preset is not None and config.preset not in PRESETS:
            return "clean error"  # the CLI refuses it with one line (tui/cli/settings_sources.py)
        layered_settings(None, config)
    except (ConfigError, SettingError) as error:
        return "clean error" if "\n" not in str(error) else "traceback"
    return "result"


def field_case(field, text):
    from engine.settings.run_settings import Settings
    from tui.widgets.setting_input import check

    value, problem = check(field, text, Settings())
    if problem is None:
        return "result"
    return "clean error" if "\n" not in problem and len(problem) < 200 else "traceback"


def cli_case(folder: Path):
    from engine.settings.run_settings import Settings
    from tui.cli.command import build_parser
    from tui.cli.run import run_headless
    from tui.cli.settings_sources import effective_settings

    def case(flag, text):
        err = io.StringIO()
        try:
            with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                args = build_parser().parse_args(["run", f"{flag}={text}"])
                chosen = effective_settings(args)
                # a valid value runs, shortened: a fuzzed --steps 1e12 is a long run, not a hang
                small = replace(chosen, steps=min(chosen.steps, 20), points=min(chosen.points, Settings().points))
                code = run_headless(small, history=args.export_history and str(folder / "h.csv"))
        except SystemExit as stop:
            if stop.code == 2 and err.getvalue().count("\n") == 1:
                return "clean error"
            return "traceback"
        return "result" if code in (0, 1) else "traceback"

    return case


def subprocess_sample() -> Family:
    from tests.cli.test_fuzz_cli_options import cases, outcome

    family = Family("CLI options, real `descent run` processes")
    with tempfile.TemporaryDirectory() as folder:
        for argv in cases():
            def case(argv=argv):
                code, err = outcome(argv, cwd=folder, timeout=HANG_S)
                if "Traceback" in err or code not in (0, 1, 2):
                    raise RuntimeError(err[-500:])
                return "clean error" if code == 2 and err.count("\n") == 1 else "result" if code in (0, 1) else "traceback"

            family.judge(case)
    return family


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--subprocess-sample", action="store_true", help="also the tests' sample of real processes (~20 s)")
    n = parser.parse_args().cases
    signal.signal(signal.SIGALRM, _alarm)

    from dataclasses import fields

    from engine.settings.run_settings import SETTING_NAMES, Settings
    from tests.app.test_fuzz_app_fields import TEXTS, TYPED
    from tests.cli.test_fuzz_cli_options import NASTY, run_options
    from tests.cli.test_fuzz_inputs import csv_texts, number_text, numbers
    from tests.engine.test_fuzz_config import KEYS, RAW_VALUES, TOML_VALUES, _toml

    numeric = [f.name for f in fields(Settings) if str(f.type) in ("int", "float")]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        plans = [
            ("CSV text: separators, BOM, blank lines, quoted, non-ASCII digits, huge/subnormal/nan/inf, ragged",
             st.tuples(csv_texts()), csv_case(folder)),
            ("CSV of good numbers, quirky form: BOM, CRLF, blank lines, quotes, subnormals, 1e12",
             st.tuples(quirky_csv()), csv_case(folder)),
            ("CSV binary garbage", st.tuples(st.binary(max_size=2000)), csv_case(folder)),
            ("CSV very long lines", st.tuples(st.integers(1, 3_000_000).map(lambda k: "1,2\n3," + "4" * k + "\n")), csv_case(folder)),
            ("CSV column choices", st.tuples(csv_texts(), st.text(max_size=5), st.text(max_size=5)), csv_case(folder)),
            ("degenerate data (equal x, equal y, 2 points, duplicates)",
             st.integers(2, 8).flatmap(lambda k: st.tuples(
                 st.lists(st.sampled_from([0.0, 1.0, 3.0, -2.5, 1e6]), min_size=k, max_size=k),
                 st.lists(st.sampled_from([0.0, 1.0, 5.0, -7.0, 1e6]), min_size=k, max_size=k))), degenerate_case),
            ("numeric settings via validate", st.tuples(st.sampled_from(numeric), numbers.map(lambda v: v)),
             lambda name, value: setting_case(name, int(value) if "int" in str(Settings.__dataclass_fields__[name].type)
                                              and isinstance(value, float) and value == value and abs(value) != float("inf") else value)),
            ("TOML: every key × any TOML value", st.tuples(st.builds(_toml, KEYS, TOML_VALUES)), toml_case),
            ("TOML: odd literals (dates, hex, 1e400, deep nesting)",
             st.tuples(st.one_of(st.builds(lambda k, r: f"{k} = {r}\n", st.sampled_from(SETTING_NAMES), RAW_VALUES),
                                 st.integers(1, 5000).map(lambda d: "lr = " + "[" * d + "]" * d))), toml_case),
            ("TOML: broken text", st.tuples(st.text(max_size=300)), toml_case),
            ("app fields (the panel's check)", st.tuples(st.sampled_from(TYPED), TEXTS), field_case),
            ("CLI option values, in process (valid ones run 20 steps)",
             st.tuples(st.sampled_from([flag for flag, takes in run_options() if takes]),
                       st.one_of(st.sampled_from(NASTY), number_text, st.text(max_size=12))), cli_case(folder)),
        ]
        from benchmarks.fuzz_robust import plans as robust_plans

        sized = [(name, strategy, case, n if "CLI" not in name and "degenerate" not in name else max(n // 5, 50))
                 for name, strategy, case in plans]
        families = []
        for name, strategy, case, count in [*sized, *robust_plans(folder, n, HANG_S)]:
            family = Family(name)
            _run(strategy, family, case, count)
            families.append(family)
    if parser.parse_args().subprocess_sample:
        families.append(subprocess_sample())

    print(f"| kind of bad input | cases | results | clean errors | tracebacks | hangs (> {HANG_S} s) |")
    print("|---|---:|---:|---:|---:|---:|")
    for f in families:
        o = f.outcomes
        print(f"| {f.name} | {sum(o.values())} | {o['result']} | {o['clean error']} | {o['traceback']} | {o['hang']} |")
    for f in families:
        for text in f.tracebacks:
            print(f"\n{f.name}:\n{text}")


if __name__ == "__main__":
    main()
