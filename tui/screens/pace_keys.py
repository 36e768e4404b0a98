"""The keys every descent screen shares: faster, slower, turbo, help and quit.

Each screen that shows them has its own `action_pace(change)`: it calls that method of its `Pace`
(tui.workers.pace: faster, slower, toggle_turbo) and redraws its status.
"""

from __future__ import annotations

from textual.binding import Binding

PACE_BINDINGS = [
    Binding("plus", "pace('faster')", "Faster", tooltip="twice as many steps per frame", id="faster"),
    Binding("minus", "pace('slower')", "Slower", tooltip="half as many steps per frame", id="slower"),
    Binding("t", "pace('toggle_turbo')", "Turbo", tooltip="turbo on/off: as fast as the engine goes, drawn at the frame rate", id="turbo"),
]
HELP_QUIT_BINDINGS = [
    Binding("question_mark,f1", "help", "Help", tooltip="this help", id="help"),
    Binding("q", "app.quit", "Quit", tooltip="quit descent", id="quit"),
]
