"""Shared fixtures: a copy of the small fixture project, and of the real project."""
from __future__ import annotations

import contextlib
import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE_PROJECT = Path(__file__).resolve().parent / "fixtures" / "project"


@pytest.fixture(autouse=True)
def review_age_beyond_the_calendar(monkeypatch):
    """Reviews never fall due during tests; tests of overdue reviews pass today and the age."""
    monkeypatch.setenv("KESU_REVIEW_DAYS", "36500")


@pytest.fixture
def fixture_project(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/project (cases only)."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURE_PROJECT, target)
    return target


def copy_real_project(target: Path) -> Path:
    """The shipped sources, docs and mkdocs.yml, without generated pages or site/."""
    from generator.registry import generated_copy_filter

    shutil.copytree(REPO / "cases", target / "cases")
    shutil.copytree(REPO / "docs", target / "docs", ignore=generated_copy_filter(REPO / "docs"))
    # The hook is loaded from this checkout, so that the copy needs no generator/ of its own.
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    hook = (REPO / "generator" / "hooks.py").as_posix()
    (target / "mkdocs.yml").write_text(config.replace("- generator/hooks.py", f"- {hook}"), encoding="utf-8")
    return target


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


# What `kesu build` says when its HTML guard refuses the page unsafe_heading_project breaks.
UNSAFE_PAGE_REFUSAL = ("Error: build failed, site/ was left as it was: refusing to publish "
                       "cases/cashier-double-scan/index.html (from cases/library/cashier-double-scan.yml): "
                       "event handler attribute onerror on <img>")


def unsafe_heading_project(target: Path, monkeypatch) -> Path:
    """The shipped project, made the current folder, with a gap in the text pipeline (simulated:
    headings printed raw) and a case title carrying an event handler: what the HTML guard must refuse."""
    from markupsafe import Markup

    from generator.render import environment

    root = copy_real_project(target)
    case = root / "cases/library/cashier-double-scan.yml"
    case.write_text(case.read_text(encoding="utf-8").replace(
        "title: 一箱牛奶扫了两次，顾客回家对小票才发现", "title: 扫码<img src=x onerror=alert(1)>", 1), encoding="utf-8")
    monkeypatch.setitem(environment().filters, "heading", lambda value: Markup(value))
    monkeypatch.chdir(root)
    return root


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """folder served over HTTP on a free local port while the block runs; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def opened(browser, base_url: str, clipboard: bool = False, **options):
    """A page in a browser context of its own at base_url, closed after the block; clipboard: the page
    may read and write the clipboard (the copy buttons); options go to browser.new_context."""
    context = browser.new_context(base_url=base_url, **options)
    if clipboard:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    try:
        yield context.new_page()
    finally:
        context.close()


# One browser for every browser test module: Playwright's sync API runs one instance per thread.
@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run `make test` (it installs it)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def in_dir(monkeypatch):
    def enter(path: Path) -> Path:
        monkeypatch.chdir(path)
        return path
    return enter


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


HOSTILE_CORPUS = Path(__file__).resolve().parent / "corpus" / "hostile"


def copy_hostile_project(target: Path) -> Path:
    """The shipped project plus every source of tests/corpus/hostile/ (laid out like cases/)."""
    root = copy_real_project(target)
    shutil.copytree(HOSTILE_CORPUS, root / "cases", dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md"))
    return root


def hostile_sources() -> list[Path]:
    return sorted(HOSTILE_CORPUS.rglob("*.yml"))


def hostile_pages(source: Path) -> list[str]:
    """The generated pages a hostile source names in its `# pages:` comment (paths under docs/)."""
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("# pages:"):
            return line.split(":", 1)[1].split()
    raise AssertionError(f"{source.name} has no '# pages:' line")


def site_path(page: str) -> str:
    """cases/x.md -> cases/x/index.html; learn/index.md -> learn/index.html; quiz.md -> quiz/index.html."""
    stem = page[:-3]
    return f"{stem[:-len('index')]}index.html" if stem.endswith("index") else f"{stem}/index.html"


def build_in(root: Path, *args: str) -> None:
    """`kesu build` through the CLI in root, which must succeed."""
    from click.testing import CliRunner

    from generator.cli import main

    old = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, ["build", *args])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output


def build_with_zensical(root: Path, *args: str) -> None:
    """`kesu build --engine zensical [--offline]` in root: the site in root/site."""
    build_in(root, "--engine", "zensical", *args)
