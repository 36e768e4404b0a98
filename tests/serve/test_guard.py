"""`descent serve`'s rules, each on its own: sizes, messages, origins, addresses, the session limit (tui.cli.serve_guard, tui.cli.serve)."""

from __future__ import annotations

import json
import sys

import pytest

from tui.cli.command import build_parser
from tui.cli.serve import SAFE_START, SESSION_BYTES, UNKNOWN_MEMORY_SESSIONS, app_command, default_max_sessions, public_url, reach_line
from tui.cli.serve_guard import (
    MAX_COLUMNS,
    MAX_ROWS,
    MalformedInput,
    clamp_size,
    is_loopback,
    is_wildcard,
    origin_allowed,
    origin_of,
    read_envelope,
    size_from_query,
)


@pytest.mark.parametrize(
    "asked, held",
    [((80, 24), (80, 24)), ((10**9, 10**9), (MAX_COLUMNS, MAX_ROWS)), ((0, -3), (2, 2)), ((MAX_COLUMNS + 1, 50), (MAX_COLUMNS, 50))],
)
def test_a_terminal_size_is_held_within_the_cap(asked, held):
    assert clamp_size(*asked) == held


@pytest.mark.parametrize("asked", [("80", 24), (80.5, 24), (True, 24), (None, None), ([80], 24)])
def test_a_size_that_is_not_two_whole_numbers_is_malformed(asked):
    with pytest.raises(MalformedInput):
        clamp_size(*asked)


def test_the_handshake_size_defaults_and_is_capped():
    assert size_from_query(None, None) == (80, 24)
    assert size_from_query("abc", "9" * 400) == (80, 24)
    assert size_from_query("100000", "30") == (MAX_COLUMNS, 30)


def test_the_pages_messages_are_read():
    assert read_envelope('["stdin", "q"]') == ("stdin", "q")
    assert read_envelope(json.dumps(["resize", {"width": 5000, "height": 40}])) == ("resize", (MAX_COLUMNS, 40))
    assert read_envelope('["ping", "1700000000000"]') == ("ping", "1700000000000")
    assert read_envelope('["focus"]') == ("focus", None)
    assert read_envelope('["blur"]') == ("blur", None)


@pytest.mark.parametrize(
    "frame, why",
    [
        (b"\x00", "binary frame"),
        ("{", "not JSON"),
        ('{"stdin": "q"}', "not a [type, data] list"),
        ("[]", "not a [type, data] list"),
        ('[3, "q"]', "not a [type, data] list"),
        ('["stdin", 3]', "'stdin' frame with data it can't have"),
        ('["resize", {"width": 80}]', "not two whole numbers"),
        ('["ping", "' + "9" * 65 + '"]', "'ping' frame with data it can't have"),
        ('["' + "z" * 500 + '"]', "an unknown 'zzzzzzzzzzzzzzzzzzzz…' frame"),
    ],
)
def test_anything_else_is_malformed_and_named_without_being_echoed(frame, why):
    with pytest.raises(MalformedInput) as error:
        read_envelope(frame)
    assert why in str(error.value)
    assert len(str(error.value)) < 80


@pytest.mark.parametrize(
    "origin, allowed",
    [
        ("http://127.0.0.1:8000", True),
        ("HTTP://127.0.0.1:8000", True),
        ("http://127.0.0.1:8000/", True),
        ("http://localhost:8000", False),
        ("http://127.0.0.1:8001", False),
        ("https://127.0.0.1:8000", False),
        ("null", False),
        ("", False),
        (None, False),
        ("http://127.0.0.1:99999", False),
    ],
)
def test_only_the_public_urls_origin_may_open_a_session(origin, allowed):
    assert origin_allowed(origin, "http://127.0.0.1:8000") is allowed


def test_origins_compare_with_default_ports_written_out():
    assert origin_of("https://workshop.example/descent") == "https://workshop.example:443"
    assert origin_of("http://[::1]:8000") == "http://[::1]:8000"
    assert origin_allowed("https://workshop.example", "https://Workshop.Example:443/descent")


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.5.5.5", True),
                                            ("0.0.0.0", False), ("192.168.1.20", False), ("::", False), ("myhost", False)])  # fmt: skip
def test_loopback_is_this_machine_only(host, loopback):
    assert is_loopback(host) is loopback
    assert is_wildcard(host) is (host in ("0.0.0.0", "::"))


def test_the_public_url_follows_the_host_or_the_option():
    assert public_url("127.0.0.1", 8000, None) == "http://127.0.0.1:8000"
    assert public_url("::1", 8000, None) == "http://[::1]:8000"
    assert public_url("0.0.0.0", 8000, "http://192.168.1.20:8000/") == "http://192.168.1.20:8000"
    assert public_url("127.0.0.1", 8000, "https://workshop.example/descent") == "https://workshop.example/descent"


@pytest.mark.parametrize(
    "host, given, why",
    [
        ("0.0.0.0", None, "--public-url: --host 0.0.0.0 listens on every address"),
        ("::", None, "--public-url: --host :: listens on every address"),
        ("127.0.0.1", "ftp://x", "--public-url: must look like"),
        ("127.0.0.1", "http://", "--public-url: must look like"),
        ("127.0.0.1", "http://x:port", "--public-url: must look like"),
        ("127.0.0.1", "http://x/?a=1", "--public-url: must look like"),
    ],
)
def test_a_public_url_browsers_cant_use_is_refused(host, given, why):
    with pytest.raises(ValueError, match=why.replace("?", r"\?")):
        public_url(host, 8000, given)


def test_binding_beyond_loopback_says_who_can_reach_the_app():
    assert reach_line("127.0.0.1", 8000, "http://127.0.0.1:8000", 30) is None
    assert reach_line("localhost", 8000, "http://localhost:8000", 30) is None
    line = reach_line("0.0.0.0", 8000, "http://192.168.1.20:8000", 30)
    assert line == (
        "descent: listening on every address of this machine, port 8000: anyone who can reach this machine on that port "
        "can open the app at http://192.168.1.20:8000 (up to 30 at once)"
    )
    assert "\n" not in line
    assert "listening on 192.168.1.20, port 8000" in reach_line("192.168.1.20", 8000, "http://192.168.1.20:8000", 4)


def test_the_default_session_limit_is_free_memory_over_a_sessions_cost():
    assert default_max_sessions(None) == UNKNOWN_MEMORY_SESSIONS
    assert default_max_sessions(0) == 1
    assert default_max_sessions(40 * SESSION_BYTES) == 30  # three quarters of free memory, in whole sessions
    assert default_max_sessions(4 * SESSION_BYTES - 1) == 2


def test_max_sessions_is_a_whole_number_from_one():
    assert build_parser().parse_args(["serve", "--max-sessions", "30"]).max_sessions == 30
    for bad in ("0", "-1", "x"):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["serve", "--max-sessions", bad])


def test_the_app_starts_without_a_shell_and_without_its_folder_on_the_import_path(tmp_path):
    args = build_parser().parse_args(["serve", "--lr", "0.001"])
    words = app_command(args)
    assert words[:3] == [sys.executable, "-c", SAFE_START]
    assert words[3:] == ["--lr", "0.001"]


def serve_without_listening(monkeypatch, *argv: str):
    """Run `descent serve ARGV` up to the point it would listen; returns the server it built."""
    from tui.cli import serve_server
    from tui.cli.serve import serve

    built = []
    monkeypatch.setattr(serve_server.FencedServer, "serve", lambda self: built.append(self))
    assert serve(build_parser().parse_args(["serve", *argv])) == 0
    return built[0]


def test_serving_every_address_says_so_in_one_line(monkeypatch, capsys):
    server = serve_without_listening(monkeypatch, "--host", "0.0.0.0", "--public-url", "http://192.168.1.20:8000", "--max-sessions", "30")
    server.announce()  # what it says once it listens
    err = capsys.readouterr().err
    assert err == (
        "descent: listening on every address of this machine, port 8000: anyone who can reach this machine on that port "
        "can open the app at http://192.168.1.20:8000 (up to 30 at once)\n"
    )
    assert (server.host, server.public_url, server.max_sessions, server.data_dir) == ("0.0.0.0", "http://192.168.1.20:8000", 30, None)


def test_serving_loopback_says_nothing_and_takes_its_limit_from_free_memory(monkeypatch, capsys, tmp_path):
    import engine.data.memory_guard

    monkeypatch.setattr(engine.data.memory_guard, "available_host_bytes", lambda: 8 * SESSION_BYTES)
    server = serve_without_listening(monkeypatch, "--data-dir", str(tmp_path))
    server.announce()
    assert capsys.readouterr().err == ""
    assert server.max_sessions == 6 and server.public_url == "http://127.0.0.1:8000"
    assert server.data_dir == str(tmp_path.resolve())
    assert server.argv[:3] == app_command(build_parser().parse_args(["serve"]))  # run in the data folder, by the server


def test_the_hosts_own_data_file_must_be_inside_the_data_dir(monkeypatch, capsys, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "points.csv").write_text("x,y\n0,1\n1,2\n")
    (tmp_path / "out.csv").write_text("x,y\n0,1\n1,2\n")
    server = serve_without_listening(monkeypatch, "--data-dir", str(tmp_path / "in"), "--data", str(tmp_path / "in" / "points.csv"))
    assert server.argv[-2:] == ["--data", str((tmp_path / "in" / "points.csv").resolve())]
    with pytest.raises(SystemExit) as exit_:
        serve_without_listening(monkeypatch, "--data-dir", str(tmp_path / "in"), "--data", str(tmp_path / "out.csv"))
    assert exit_.value.code == 2
    outside = str(tmp_path / "out.csv")
    assert capsys.readouterr().err.endswith(f"--data: under serve the file must be inside --data-dir ({outside!r} is not)\n")
