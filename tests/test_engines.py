"""The engine boundary (generator/engines/): choosing an engine on the command line, and a build
through the interface."""
from __future__ import annotations

import html
import json

import pytest
from click.testing import CliRunner

from conftest import write
from generator.cli import main
from generator.engines import ENGINES, Engine
from generator.pagetext import source_pages
from generator.search import page_table
from test_build import load_index_file

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


# --- a build through the interface ---------------------------------------------------------------

class PlainEngine(Engine):
    """An engine of a few lines: every Markdown file's headings and paragraphs as a page."""
    name = "plain"
    published: list[dict] = []

    def build(self, root, site_dir, strict):
        for location, source in source_pages(root / "docs"):
            body = "".join(f'<h{len(line) - len(line.lstrip("#"))} id="h{number}">{html.escape(line.lstrip("# "))}'
                           f'</h{len(line) - len(line.lstrip("#"))}>' if line.startswith("#") else f"<p>{html.escape(line)}</p>"
                           for number, line in enumerate(source.read_text(encoding="utf-8").splitlines()) if line.strip())
            write(site_dir, f"{location}index.html",
                  f'<html><head><title>页</title></head><body><article class="md-content__inner">{body}</article></body></html>')

    def publish_search(self, site_dir, manifest):
        PlainEngine.published.append(manifest)


@pytest.fixture
def plain_engine(monkeypatch):
    monkeypatch.setitem(ENGINES, "plain", PlainEngine)
    PlainEngine.published = []
    return PlainEngine


def test_any_engine_gets_kesus_search_index_from_the_html_it_wrote(fixture_project, in_dir, plain_engine):
    in_dir(fixture_project)
    result = run("build", "--engine", "plain")
    assert result.exit_code == 0, result.output
    pages = page_table(lambda path: load_index_file(fixture_project / "site/search" / path))
    locations = [page[0] for page in pages]
    assert {"types/wrong-price/", "cases/sample-case/", "procedures/basic-flow/"} <= set(locations)
    assert "callcards/wrong-price/" not in locations  # front matter: search: exclude: true
    assert {page[0]: page[3] for page in pages}["types/wrong-price/"] == 3  # search: boost: 3
    (manifest,) = plain_engine.published  # handed to the engine once, as JSON the worker reads
    assert json.loads(json.dumps(manifest)) == manifest and manifest["pages"] == len(pages)
    assert not list(fixture_project.glob("site.building-*"))


def test_an_unsafe_page_from_any_engine_fails_the_build_in_one_line(fixture_project, in_dir, plain_engine, monkeypatch):
    in_dir(fixture_project)
    real_build = PlainEngine.build

    def build_with_a_handler(self, root, site_dir, strict):
        real_build(self, root, site_dir, strict)
        write(site_dir, "cases/sample-case/index.html", '<article class="md-content__inner"><img src=x onerror="alert(1)"></article>')

    monkeypatch.setattr(PlainEngine, "build", build_with_a_handler)
    result = run("build", "--engine", "plain")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(
        "Error: build failed, site/ was left as it was: refusing to publish cases/sample-case/index.html "
        "(from cases/library/sample-case.yml): ")
    assert not (fixture_project / "site").exists() and not list(fixture_project.glob("site.building-*"))

