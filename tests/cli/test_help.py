"""`descent --version` and `--help`: the package's name and version, and every option's choices in the help."""

from __future__ import annotations

from dataclasses import fields
from importlib.metadata import PackageNotFoundError, version

import pytest

from engine.settings.run_settings import Settings, option_name
from tui.cli.command import DISTRIBUTION
from tui.cli.main import main


def test_version_prints_the_distribution_and_its_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    try:
        expected = f"{DISTRIBUTION} {version(DISTRIBUTION)}\n"
    except PackageNotFoundError:  # a source tree on PYTHONPATH that pip never installed
        expected = f"{DISTRIBUTION} (not installed; version unknown)\n"
    assert out == expected
    assert DISTRIBUTION == "descent-tui"


@pytest.fixture
def help_of(capsys, monkeypatch):
    """`descent [COMMAND] --help`'s text, on one line (a wide terminal, then whitespace folded)."""
    monkeypatch.setenv("COLUMNS", "400")

    def run(*command: str) -> str:
        with pytest.raises(SystemExit) as exit_info:
            main([*command, "--help"])
        assert exit_info.value.code == 0
        return " ".join(capsys.readouterr().out.split())

    return run


@pytest.mark.parametrize("command", [(), ("run",), ("serve",)])
def test_help_lists_every_choice_of_every_option_that_has_them(command, help_of):
    text = help_of(*command)
    with_choices = [f for f in fields(Settings) if "choices" in f.metadata]
    assert {f.name for f in with_choices} >= {"optimizer", "loss", "dataset"}
    for f in with_choices:
        listed = f"{option_name(f.name)} {f.name.upper()} {f.metadata['help']}; one of: {', '.join(f.metadata['choices'])}"
        assert listed in text, f"{option_name(f.name)}'s choices are missing from --help"


@pytest.mark.parametrize(
    ("option", "forms"),
    [
        ("--model", ["linear", "poly:D", "mlp:H"]),
        ("--device", ["auto", "cpu", "cuda", "cuda:N", "mps"]),
        ("--preset", ["seed", "diverge", "standardized", "outliers", "sine", "race"]),
    ],
)
def test_help_names_the_forms_of_free_form_options(option, forms, help_of):
    text = help_of("run")
    entry = text[text.rindex(f"{option} ") :][:200]  # the last mention: its entry, after the usage line
    for form in forms:
        assert form in entry, f"{form} is missing from {option}'s help: {entry}"


@pytest.mark.parametrize("command", [(), ("serve",)])
def test_help_lists_every_theme(command, help_of):
    from textual.theme import BUILTIN_THEMES

    text = help_of(*command)
    assert f"--theme NAME the app's Textual theme; one of: {', '.join(BUILTIN_THEMES)}" in text
