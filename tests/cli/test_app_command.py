"""`descent` with a bad option exits 2 with one line, as `descent run` does, before any screen opens."""

from __future__ import annotations

import pytest

from tui.cli.main import main


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--fps", "0"], "--fps"),
        (["--fps", "61"], "--fps"),
        (["--fps", "fast"], "--fps"),
        (["--lr", "-1"], "--lr"),
        (["--points", "nan"], "--points"),
        (["--data", "/no/such/file.csv"], "no such file"),
    ],
)
def test_a_bad_option_exits_2_with_one_line(argv, words, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("descent: error:") and words in err
