"""The engine boundary (generator/engines/): choosing an engine on the command line, and a build
through the interface."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from generator.cli import main

NOT_INSTALLED = ("the zensical engine is not installed: run `make venv` to install it "
                 "(pinned in requirements.txt)")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("command", ["build", "serve"])
def test_an_unknown_engine_is_one_line_naming_the_known_ones_and_nothing_is_written(fixture_project, in_dir, command):
    in_dir(fixture_project)
    result = run(command, "--engine", "hugo")
    assert (result.exit_code, result.stderr) == (1, "Error: unknown engine 'hugo': expected one of mkdocs, zensical\n")
    assert not (fixture_project / "docs").exists() and not (fixture_project / "site").exists()


@pytest.mark.parametrize("command, prefix", [("build", "build failed, site/ was left as it was: "), ("serve", "")])
def test_zensical_missing_says_how_to_install_it(fixture_project, in_dir, monkeypatch, command, prefix):
    monkeypatch.setattr("generator.engines.zensical.zensical_installed", lambda: False)
    in_dir(fixture_project)
    result = run(command, "--engine", "zensical")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (1, f"Error: {prefix}{NOT_INSTALLED}")
    assert not (fixture_project / "site").exists()


@pytest.mark.parametrize("command", ["build", "serve"])
def test_the_engine_option_is_in_the_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    words = " ".join(result.stdout.split())  # as wrapped for an 80-column terminal
    assert "--engine NAME The site engine: mkdocs (MkDocs with Material) or zensical. [default: mkdocs]" in words
    assert f"Example: kesu {command} --engine zensical" in result.stdout
