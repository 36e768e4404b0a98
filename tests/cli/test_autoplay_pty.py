"""`descent tour --autoplay SECONDS` as a person runs it, in a pseudo-terminal: the stops move on with no key pressed,
and a key takes over (recorded with --record: the file plays back to the stop the terminal showed)."""

from __future__ import annotations

import pytest

from tests.cli.test_record_pty import Terminal, played

pytestmark = pytest.mark.slow


def test_the_tour_plays_itself_until_a_key(tmp_path):
    terminal = Terminal(["tour", "--autoplay", "0.5", "--record", "tour.cast"], tmp_path)
    terminal.wait_for("stop 1/9")
    terminal.wait_for("stop 3/9")  # no key pressed: stops 2 and 3 came by themselves
    terminal.process.write(b"\x1b[D")  # ←: the person takes over, back to stop 2
    terminal.wait_for("stop 2/9")
    terminal.pump(2.0)  # 4 × SECONDS: autoplay would have moved on by now
    assert "stop 2/9" in terminal.text()
    terminal.process.write(b"q")
    assert terminal.finish() == 0
    _, _, screen = played(tmp_path / "tour.cast")
    assert "stop 2/9" in "\n".join(screen.display)
    assert screen.display[1:] == terminal.screen.display[1:]
