"""The engine is UI-free: importing all of it loads no textual, plotext or rich."""

import json
import subprocess
import sys

import pytest

from tests.helpers import ROOT

ENGINE_MODULES = [
    "engine", "engine.settings.run_settings", "engine.data.synthetic", "engine.data.csv_reader", "engine.data.dataset",
    "engine.data.scaling", "engine.descent.problem", "engine.descent.descend", "engine.descent.minibatch",
    "engine.descent.divergence", "engine.fast_paths", "engine.maths.optimum",
]


@pytest.mark.slow
def test_engine_loads_no_ui_library():
    code = (
        "import json, sys\n"
        + "".join(f"import {name}\n" for name in ENGINE_MODULES)
        + "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'plotext', 'rich', 'textual_plotext'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_data_is_made_without_torch():
    """The app draws the points before torch has loaded: engine.data.synthetic must not import it."""
    code = ("import sys, engine.data.synthetic, engine.settings.run_settings; "
            "engine.data.synthetic.synthesize(engine.settings.run_settings.Settings()); print('torch' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
