"""engine/ by rooms: each room a handful of modules, few left at the top, and imports only down the floors.

The floors, lowest first: settings, data, models, descent, maths, words. A room imports its own modules
and those of the rooms below it, never one above: so a newcomer reads engine/ bottom up, and a circle
between rooms can't form. The top-level modules (fast_paths) sit under every room.
"""

from __future__ import annotations

from tests.architecture.test_import_graph import import_graph
from tests.helpers import ROOT

FLOORS = ["settings", "data", "models", "descent", "maths", "words"]


def modules(folder):
    return sorted(p.stem for p in folder.glob("*.py") if p.stem != "__init__")


def test_engine_has_the_rooms_and_few_modules_at_the_top():
    engine = ROOT / "engine"
    rooms = sorted(p.name for p in engine.iterdir() if (p / "__init__.py").exists())
    assert rooms == sorted(FLOORS)
    assert len(modules(engine)) <= 3, modules(engine)
    for room in FLOORS:
        assert 1 <= len(modules(engine / room)) <= 12, (room, modules(engine / room))


def test_rooms_import_only_down_the_floors():
    upward = []
    for module, imports in import_graph().items():
        parts = module.split(".")
        if parts[0] != "engine" or len(parts) < 3:
            continue
        for imported in imports:
            other = imported.split(".")
            if other[0] == "engine" and len(other) >= 3 and FLOORS.index(other[1]) > FLOORS.index(parts[1]):
                upward.append(f"{module} -> {imported}")
    assert upward == []


def test_no_engine_or_tui_file_is_over_300_lines():
    long = []
    for top in ("engine", "tui"):
        for path in (ROOT / top).rglob("*.py"):
            lines = path.read_text(encoding="utf-8").count("\n")
            if lines > 300:
                long.append(f"{path.relative_to(ROOT)}: {lines}")
    assert long == []


def test_tui_top_level_holds_the_app_and_at_most_three_modules():
    """The front's rooms (cli, exports, workers, screens, widgets) hold the rest: a newcomer starts at app.py."""
    top = modules(ROOT / "tui")
    assert "app" in top and len(top) <= 4, top
