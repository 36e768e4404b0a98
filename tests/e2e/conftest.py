"""Files the real-terminal tests give `descent`; every test here is marked e2e (`pytest -m e2e` runs only these)."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)

STUDY = [(1, 52), (2, 55), (3, 61), (4, 64), (5, 70), (6, 71), (7, 78), (8, 80), (9, 86), (10, 90)]
"""Ten students' hours of study and their scores: increasing, so no point lies under the legend (top left)."""


@pytest.fixture
def study_csv(tmp_path):
    """study.csv: hours,score and the ten rows of STUDY."""
    path = tmp_path / "study.csv"
    path.write_text("hours,score\n" + "".join(f"{x},{y}\n" for x, y in STUDY))
    return path


@pytest.fixture
def survey_csv(tmp_path):
    """survey.csv: the same points after an id column, so the columns must be named (--x-column hours --y-column score)."""
    path = tmp_path / "survey.csv"
    path.write_text("id,hours,score\n" + "".join(f"{i},{x},{y}\n" for i, (x, y) in enumerate(STUDY, 1)))
    return path
