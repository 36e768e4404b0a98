"""One fact, one place: what the code knows about models, update rules and numbers is written once and imported."""

from __future__ import annotations

import pytest

from tests.helpers import ROOT

FACTS = {
    '"linear_in_parameters", ': "engine/models/model_kind.py",  # asked through is_linear_in_parameters
    '("manual", "sgd")': "engine/settings/run_settings.py",  # PLAIN_DESCENT
    "(1.0 + 2.0 * beta)": "engine/maths/optimizer_rules.py",  # the momentum limits: limit_factor
    ':.{digits}g}"': "engine/words/numbers.py",  # significant
}


def sources():
    for top in ("engine", "tui"):
        yield from (ROOT / top).rglob("*.py")


@pytest.mark.parametrize("text", sorted(FACTS))
def test_the_fact_is_written_in_one_module(text):
    holders = sorted(str(path.relative_to(ROOT)) for path in sources() if text in path.read_text(encoding="utf-8"))
    assert holders == [FACTS[text]]


def test_no_two_modules_name_max_points():
    holders = sorted(str(p.relative_to(ROOT)) for p in sources() if "MAX_POINTS =" in p.read_text(encoding="utf-8"))
    assert holders == ["engine/settings/run_settings.py"]  # the --points limit; the samples have their own names


@pytest.mark.parametrize("stale", ["tui/script_descent.py", "tui/script_export.py", "tui/layered.py"])
def test_no_comment_names_a_file_that_is_gone(stale):
    assert not (ROOT / stale).exists()
    files = [p for top in ("engine", "tui", "benchmarks", "tests") for p in (ROOT / top).rglob("*.py") if p.name != "test_one_fact.py"]
    assert [p for p in files if stale in p.read_text(encoding="utf-8")] == []
