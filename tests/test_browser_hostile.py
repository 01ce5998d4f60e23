"""Pages built from hostile sources (tests/corpus/hostile/) by each engine, loaded in chromium: no payload runs.

Every payload would set window.__pwned. Each page is loaded (the load event waits for failed
images, whose onerror would fire), every element gets the events handlers listen for, and
every <details> is opened; the flag must stay undefined and the page structure intact.
"""
from __future__ import annotations

import pytest

from conftest import build_in, build_with_zensical, copy_hostile_project, hostile_pages, hostile_sources, opened, served, site_path
from test_browser import SEARCH_BOXES, first_result

pytestmark = pytest.mark.browser

PAGES = sorted({page for source in hostile_sources() for page in hostile_pages(source)})

PROVOKE = """() => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  for (const el of document.querySelectorAll("article *")) {
    for (const type of ["mouseover", "mouseenter", "focus", "click", "toggle", "load", "error", "animationstart"]) {
      if (type === "click" && el.closest("a, button, label, input, form")) continue;  // no navigation
      el.dispatchEvent(new Event(type));
    }
  }
}"""
HANDLERS = "() => [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length"
SCRIPT_LINKS = "() => [...document.querySelectorAll('[href], [src], [action], [formaction]')].map(e => e.href || e.src || e.action || e.formAction || '').filter(u => /^(javascript|vbscript|data):/i.test(u))"


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def hostile_engine(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory, hostile_engine):
    root = copy_hostile_project(tmp_path_factory.mktemp(f"hostile-browser-{hostile_engine}"))
    if hostile_engine == "zensical":
        build_with_zensical(root)
    else:
        build_in(root)
    with served(root / "site") as url:
        yield url


@pytest.fixture
def page(browser, hostile_url, hostile_engine):
    with opened(browser, hostile_url) as page:
        page.search_box = SEARCH_BOXES[hostile_engine]
        yield page


def visit(page, docs_page: str) -> None:
    page.goto("/" + site_path(docs_page).removesuffix("index.html"))
    page.evaluate(PROVOKE)


@pytest.mark.parametrize("docs_page", PAGES)
def test_no_payload_runs_on_a_hostile_page(page, docs_page):
    visit(page, docs_page)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate(HANDLERS) == 0
    assert page.evaluate(SCRIPT_LINKS) == []
    assert page.locator("article h1").count() == 1


def test_the_case_list_keeps_one_item_per_case(page):
    visit(page, "cases/index.md")
    items = page.locator("#kesu-case-results > li")
    assert all(items.nth(i).locator("a").count() == 1 for i in range(items.count()))
    assert items.filter(has_text="第一行 | 伪列 | 伪列").count() == 1


def test_hostile_titles_stay_text_when_the_list_is_filtered(page):
    """The rows the script builds from the case library's data: text only, whatever the titles hold."""
    page.goto("/cases/?q=pwned")  # every payload sets window.__pwned
    page.wait_for_selector('#kesu-case-results[data-applied="q=pwned"]', state="attached")
    items = page.locator("#kesu-case-results > li")
    assert items.filter(has_text="第一行 | 伪列 | 伪列").count() == 1
    assert items.filter(has_text="<script>window.__pwned=1</script>原始 HTML").count() == 1
    assert page.locator("#kesu-case-results img, #kesu-case-results script, #kesu-case-results h2").count() == 0
    page.evaluate(PROVOKE)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate(HANDLERS) == 0


def test_hostile_actions_stay_in_the_collapsed_reveal(page):
    visit(page, "cases/h-container-escape.md")
    reveal = page.locator("details", has_text="揭晓：实际采取的措施")
    assert reveal.locator("li").count() == 2
    assert page.locator("article h2", has_text="伪标题").count() == 0


def test_a_quiz_question_with_eight_options_scores_the_eighth(page):
    visit(page, "learn/h-quiz.md")
    question = page.locator("fieldset.kesu-question").first
    assert question.locator("input[type=radio]").count() == 8
    question.locator("label", has_text="H. 选项八").click()
    assert question.locator(".kesu-feedback strong").inner_text() == "回答正确。"
    assert "is-right" in question.get_attribute("class")
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_slots_with_hostile_fallbacks_fill_and_show_text(page):
    visit(page, "types/h-scripts-slots.md")
    page.locator("input[data-slot='称呼']").fill("王女士")
    assert page.locator(".kesu-slot[data-slot='称呼']").first.inner_text() == "王女士"
    page.locator("input[data-slot='称呼']").fill("")
    assert page.locator(".kesu-slot[data-slot='称呼']").first.inner_text() == '" onmouseover="window.__pwned=1'
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_search_results_for_a_payload_show_it_as_text(page):
    first_result(page, "pwned")
    results = page.search_box.anything
    assert page.locator(f"{results} img, {results} script").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
