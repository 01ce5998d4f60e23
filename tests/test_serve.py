"""`kesu serve`: live reload after an edit under cases/, and the last good site kept on a bad edit."""
from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import copy_real_project
from generator.search import page_table, unwrapped

CASE = "cases/library/expired-yogurt-promotion.yml"


# The search index is made by a lower-priority process (engines.mkdocs.SearchIndexer): on a busy
# machine it waits for the others.
INDEX_TIMEOUT = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float, what: str):
    """Poll condition() until it returns a truthy value; fail with `what` after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)  # polling interval, not synchronisation: the condition decides
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def served_page_table(base: str) -> str:
    """The locations and titles of the served search index's page table, one per line ("" while a
    file is missing: the index is being rewritten)."""
    def load(path: str):
        text = fetch(f"{base}/search/{path}")
        if text is None:
            raise OSError(path)
        return unwrapped(text)
    try:
        return "\n".join(f"{location} {title}" for location, title, _, _ in page_table(load))
    except (OSError, ValueError, IndexError, TypeError):
        return ""


@contextlib.contextmanager
def running(command: list[str], cwd: Path, log_path: Path):
    """command started in cwd, its output in log_path, while the block runs; yields the process."""
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture
def server(tmp_path):
    root = copy_real_project(tmp_path / "real")
    port = free_port()
    with running([sys.executable, "-m", "generator", "serve", "-a", f"127.0.0.1:{port}"], root,
                 tmp_path / "serve.log"):
        yield root, f"http://127.0.0.1:{port}", tmp_path / "serve.log"


def first_build_served(server) -> tuple[str, Path, str]:
    """(the case's URL, its source file, its original text) once the first build is served."""
    root, base, _ = server
    url = f"{base}/cases/expired-yogurt-promotion/"
    wait_for(lambda: "促销堆头上的过期酸奶" in (fetch(url) or ""), 90, "the first build")
    return url, root / CASE, (root / CASE).read_text(encoding="utf-8")


def test_edit_under_cases_is_served_and_bad_edit_keeps_last_good_page(server):
    url, path, source = first_build_served(server)
    log = server[2]
    path.write_text(source.replace("title: 促销堆头上的过期酸奶", "title: 改过标题的酸奶案例"), encoding="utf-8")
    wait_for(lambda: "改过标题的酸奶案例" in (fetch(url) or ""), 30, "the edited title")

    path.write_text(source.replace("channel: 当面", "channel: 店面"), encoding="utf-8")
    wait_for(lambda: "field 'channel': expected one of 电话, 当面, 书面/网络, got '店面'" in log.read_text(),
             30, "the error in the terminal")
    assert "改过标题的酸奶案例" in fetch(url)


def test_each_edit_rebuilds_once_and_the_search_index_follows(server):
    url, path, source = first_build_served(server)
    _, base, log = server
    for title in ("第一次改的酸奶标题", "第二次改的酸奶标题"):
        path.write_text(source.replace("title: 促销堆头上的过期酸奶", f"title: {title}"), encoding="utf-8")
        wait_for(lambda: title in (fetch(url) or ""), 30, f"the title {title}")
    # Were cases/ watched by MkDocs as well, each edit would build twice (the pages written during
    # the first build start a second one): here the startup build and one rebuild of the changed
    # pages per edit, never MkDocs' whole build.
    assert log.read_text().count("Building documentation") == 1
    assert log.read_text().count("changed file(s) rebuilt") == 2
    wait_for(lambda: "第二次改的酸奶标题" in served_page_table(base), INDEX_TIMEOUT, "the search index")


def added_case_served(server) -> tuple[Path, str]:
    """A case added while serving (no other source refers to it), once its page is served."""
    first_build_served(server)
    root, base, _ = server
    path = root / "cases/library/added-case.yml"
    path.write_text((root / CASE).read_text(encoding="utf-8").replace("title: 促销堆头上的过期酸奶", "title: 新加的案例"),
                    encoding="utf-8")
    wait_for(lambda: "新加的案例" in (fetch(f"{base}/cases/added-case/") or ""), 30, "the added case")
    wait_for(lambda: "cases/added-case/" in served_page_table(base), INDEX_TIMEOUT, "its index entry")
    return path, f"{base}/cases/added-case/"


def test_a_renamed_case_is_served_at_its_new_address_only_and_searched_there(server):
    path, url = added_case_served(server)
    base = server[1]
    path.rename(path.with_name("renamed-case.yml"))
    wait_for(lambda: "新加的案例" in (fetch(f"{base}/cases/renamed-case/") or ""), 30, "the page at its new address")
    wait_for(lambda: fetch(url) is None, 30, "the old address to stop answering")
    pages = wait_for(lambda: (text := served_page_table(base)) and "cases/added-case/" not in text and text, INDEX_TIMEOUT,
                     "the old page out of the index")
    assert "cases/renamed-case/" in pages


def test_a_deleted_case_stops_being_served(server):
    path, url = added_case_served(server)
    path.unlink()
    wait_for(lambda: fetch(url) is None, 30, "the deleted case to stop answering")


def test_a_broken_mkdocs_yml_while_serving_is_one_line_and_pages_still_answer(server):
    url, _, _ = first_build_served(server)
    root, _, log = server
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "theme: [\n", encoding="utf-8")
    wait_for(lambda: "still serving the last good site" in log.read_text(), 30, "the error line")
    assert "kesu: rebuild failed: invalid YAML: while parsing a flow node; expected the node content, but found " \
           "'<stream end>' (mkdocs.yml:" in log.read_text()
    assert "Traceback" not in log.read_text()
    assert "促销堆头上的过期酸奶" in fetch(url)  # MkDocs alone would hold every request until a good build


def test_a_thesaurus_edit_reaches_the_search_index_while_serving(server):
    first_build_served(server)
    root, base, _ = server
    thesaurus = root / "cases/search/synonyms.yml"
    thesaurus.write_text(thesaurus.read_text(encoding="utf-8") + "  - terms: [退换货]\n    callers_say: [想退掉的说法]\n",
                         encoding="utf-8")
    wait_for(lambda: "想退掉的说法" in (fetch(f"{base}/search/kesu/words.js") or ""), INDEX_TIMEOUT, "the thesaurus in the index")


LIVERELOAD = re.compile(r"<script>\s*var livereload = .*?</script>", re.S)
NAV_TITLE = re.compile(r'<span class="md-ellipsis">\s*([^<]*?)\s*</span>')
# Pages the edited case does not appear on (the learning path does: a module reads it).
UNAFFECTED = ("skills/listening/", "procedures/", "types/", "quiz/", "cases/cashier-double-scan/")


def served(url: str) -> str:
    """A served page without the live-reload script MkDocs' server adds (it holds the build's time)."""
    return LIVERELOAD.sub("", fetch(url) or "")


def sidebar(html: str) -> list[str]:
    """The titles of the primary navigation, in order ([] while no page is served)."""
    start = html.find("md-nav--primary")
    return NAV_TITLE.findall(html, start, html.find("md-sidebar--secondary", start)) if start >= 0 else []


def test_an_edit_rebuilds_its_pages_with_the_whole_navigation_and_leaves_the_others_as_they_were(server):
    url, path, source = first_build_served(server)
    base = server[1]
    before = {page: served(f"{base}/{page}") for page in UNAFFECTED}
    navigation = sidebar(before["cases/cashier-double-scan/"])
    path.write_text(source.replace("title: 促销堆头上的过期酸奶", "title: 改过标题的酸奶案例"), encoding="utf-8")
    wait_for(lambda: "改过标题的酸奶案例" in served(url), 30, "the edited title")
    # MkDocs' dirty rebuild titled the pages it had not read again 'None' in the rebuilt page's sidebar.
    assert sidebar(served(url)) == navigation and "None" not in navigation
    wait_for(lambda: "改过标题的酸奶案例" in served(f"{base}/cases/"), 30, "the title in the case library")
    assert {page: served(f"{base}/{page}") for page in UNAFFECTED} == before


def test_a_new_title_of_a_page_in_the_navigation_shows_on_every_page(server):
    url, _, _ = first_build_served(server)
    root, base, log = server
    page = root / "docs/skills/listening.md"
    page.write_text(page.read_text(encoding="utf-8").replace("# 倾听\n", "# 倾听的技巧\n", 1), encoding="utf-8")
    for address in (url, f"{base}/", f"{base}/skills/apology/"):
        wait_for(lambda: "倾听的技巧" in sidebar(served(address)), 90, f"the new title in the navigation of {address}")
    assert "building every page (the navigation" in log.read_text()


def test_a_new_case_is_listed_and_a_deleted_one_leaves_the_lists(server):
    path, url = added_case_served(server)
    base = server[1]
    library = f"{base}/cases/"
    industry = f"{base}/cases/industry/retail/"
    wait_for(lambda: "新加的案例" in served(library) and "新加的案例" in served(industry), 30, "the case in the lists")
    path.unlink()
    wait_for(lambda: fetch(url) is None, 30, "the deleted case to stop answering")
    assert "新加的案例" not in served(library) and "新加的案例" not in served(industry)
