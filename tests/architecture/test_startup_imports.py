"""The app's first paint waits for no torch: what it imports to show the points leaves torch unloaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FIRST_PAINT = [
    "tui.app",
    "tui.screens.main_screen",
    "tui.widgets.fit_plot",
    "tui.widgets.loss_plot",
    "tui.widgets.parameter_panel",
    "tui.widgets.autograd_panel",
    "tui.workers.preparing",
    "tui.workers.runner",
    "tui.workers.pace",
    "tui.cli.main",
    "tui.cli.command",
    "engine.settings.run_settings",
    "engine.data.synthetic",
]
"""The modules loaded before the points are on screen (the data is made with numpy: tests/architecture/test_engine_imports.py)."""


def loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running `code` (a fresh one: this one has torch already)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"]
    out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, env=env, timeout=120).stdout
    return set(out.split())


def test_the_first_paint_imports_no_torch():
    modules = loaded_after("\n".join(f"import {name}" for name in FIRST_PAINT) + "\nimport tui.app as a; a.make_app()")
    assert set(FIRST_PAINT) <= modules  # the imports did run
    assert "torch" not in modules


FIRST_SCREEN = """
import asyncio, sys
import tui.screens.main_screen
import tui.screens.run_driver as run_driver
from tui.workers.preparing import DataReady

def points_only(settings, dataset, run_id, post, cancelled, shown=None):
    # the prepare thread's first half: the points (numpy); the problem (torch) is what comes after the paint
    from engine.data.synthetic import load_dataset
    post(DataReady(run_id, dataset if dataset is not None else load_dataset(settings)))

run_driver.prepare = points_only
from tui.app import make_app

async def first_screen():
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(2000):
            if app.screen.life.points_shown.is_set():
                break
            await pilot.pause(0.01)
        print("shown" if app.screen.life.points_shown.is_set() else "not shown")

asyncio.run(first_screen())
"""


@pytest.mark.slow
def test_the_first_screen_with_points_is_drawn_without_torch():
    """Mounting the main screen and drawing the points, keys and panels included, loads no torch."""
    modules = loaded_after(FIRST_SCREEN)
    assert "shown" in modules and "not" not in modules  # the points were drawn (the script printed "shown")
    assert "tui.screens.main_screen" in modules and "torch" not in modules
