"""Hostile sources (tests/corpus/hostile/): built into a site, every payload stays harmless text.

Each corpus file is one attack class. The built page must hold no event handler, script URL or
active element (the build-time guard would refuse it anyway: the build passing is the first
assertion), no element a payload tried to add, and the page structure around the text intact.
Every payload that tried to add structure starts its text with 伪 ("fake"); no heading, list
item, cell, admonition, tab or code block of the built page may start with it.
"""
from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import build_in, copy_hostile_project, hostile_pages, hostile_sources, site_path
from generator.htmlguard import page_findings
from generator.settings import Settings
from generator.model import CASE_LIBRARY_FOLDERS
from generator.text import SAFE_SCHEMES

VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr", "track", "param"}
# Elements a page's content may hold; a payload that adds any other one has become markup.
CONTENT_TAGS = {
    "article", "a", "abbr", "br", "button", "code", "details", "div", "em", "fieldset", "form", "h1", "h2", "h3",
    "h4", "hr", "input", "kbd", "label", "legend", "li", "ol", "p", "pre", "section", "small", "span", "strong",
    "summary", "table", "tbody", "td", "th", "thead", "tr", "ul", "svg", "g", "text", "rect", "title", "polyline",
    "line", "figure", "textarea", "select", "option", "output", "nav",
}
FAKE = "伪"


class Element:
    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag, self.attrs, self.text = tag, attrs, ""


class ArticleParser(HTMLParser):
    """The elements of Material's <article> (the page content), each with its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        if tag != "article" and not self._open:
            return
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        if any(element.tag == tag for element in self._open):
            while self._open.pop().tag != tag:
                pass

    def handle_data(self, data):
        for element in self._open:
            element.text += data


def article(html: str) -> list[Element]:
    parser = ArticleParser()
    parser.feed(html)
    return parser.elements


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = copy_hostile_project(tmp_path_factory.mktemp("hostile"))
    build_in(root)
    return root / "site"


def read(site: Path, page: str) -> str:
    return (site / site_path(page)).read_text(encoding="utf-8")


CASES = [(source, page) for source in hostile_sources() for page in hostile_pages(source)]


@pytest.mark.parametrize("source, page", CASES, ids=[f"{s.stem}:{p}" for s, p in CASES])
def test_hostile_text_stays_text(hostile_site, source, page):
    html = read(hostile_site, page)
    assert page_findings(html) == []
    elements = article(html)
    assert {e.tag for e in elements} <= CONTENT_TAGS, f"unexpected elements from {source.name}"
    for element in elements:
        href = element.attrs.get("href", "")
        scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", href)
        assert not scheme or scheme.group(1).lower() in SAFE_SCHEMES, href
        assert not href.startswith("//"), href
        if element.tag in {"h1", "h2", "h3", "h4", "li", "td", "th", "summary", "dt", "dd", "code", "pre",
                           "legend", "label", "blockquote"} or "admonition-title" in element.attrs.get("class", ""):
            assert not element.text.strip().startswith(FAKE), f"<{element.tag}> {element.text.strip()[:60]!r}"
        assert not element.attrs.get("title", "").startswith(FAKE)
    assert "window.__pwned" in html.replace("&#95;", "_"), "the payload should be shown as text"


def rows(elements: list[Element], table_index: int = 0) -> list[list[str]]:
    """The body rows of the n-th table of the page, as lists of cell texts."""
    html_rows, table, seen = [], -1, False
    for element in elements:
        if element.tag == "table":
            table += 1
        if table == table_index and element.tag == "tr":
            seen = True
            html_rows.append([])
        elif table == table_index and element.tag == "td" and seen:
            html_rows[-1].append(element.text.strip())
    return [row for row in html_rows if row]


def test_multi_line_title_keeps_one_item_per_case_in_the_case_list(hostile_site):
    cases = [path for path in (hostile_site / "cases").glob("*/index.html") if path.parent.name not in CASE_LIBRARY_FOLDERS]
    items = [e for e in article(read(hostile_site, "cases/index.md")) if e.tag == "li"]
    assert len(items) == len(cases)  # all on the first page of the list
    assert all(item.text.count("投诉 · ") == 1 for item in items)  # one meta line each: no item was split
    assert any(item.text.startswith("第一行 | 伪列 | 伪列 | --- | --- |") for item in items)


def test_newlines_in_actions_stay_inside_the_collapsed_reveal(hostile_site):
    elements = article(read(hostile_site, "cases/h-container-escape.md"))
    reveal = next(e for e in elements if e.tag == "details" and "实际采取的措施" in e.text)
    assert "逃出的段落" in reveal.text and "伪标题一" in reveal.text and "围栏" in reveal.text
    answer = next(e for e in elements if e.tag == "details" and e.text.strip().startswith("参考答案"))
    assert "伪标题五" in answer.text and "缩进代码" in answer.text
    assert [e.text.strip().rstrip("¶") for e in elements if e.tag == "h2"] == [
        "案情", "想一想：接下来你会怎么做？", "分析", "经验与启示", "讨论题"]


def test_fence_in_a_procedure_step_stays_inside_the_flowchart(hostile_site):
    elements = article(read(hostile_site, "procedures/h-mermaid-fence.md"))
    charts = [e for e in elements if e.tag == "pre" and "mermaid" in e.attrs.get("class", "")]
    assert len(charts) == 1
    chart = charts[0].text
    assert chart.count("\n    s") == 3, chart  # two nodes and one edge, nothing injected between them
    assert "%%" not in chart and "```" not in chart and "click" not in chart
    assert len(rows(elements)) == 2


def test_quote_and_newline_in_an_avoid_item_keep_the_admonition_title(hostile_site):
    elements = article(read(hostile_site, "types/h-type-name-link.md"))
    titles = [e.text for e in elements if "admonition-title" in e.attrs.get("class", "")]
    assert titles == ['不要：不要说"伪" onclick="window.__pwned=1 !!! danger "伪告警"']


def test_headings_cannot_be_closed_early_or_leave_the_title(hostile_site):
    html = read(hostile_site, "cases/h-title-breakout.md")
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title and title.startswith("＜/title＞＜img src=x onerror=")
    h1 = next(e for e in article(html) if e.tag == "h1")
    assert h1.text.startswith("＜/title＞＜img") and h1.text.endswith("## 标题¶")


def test_eight_quiz_options_are_all_offered(hostile_site):
    elements = article(read(hostile_site, "learn/h-quiz.md"))
    labels = [e.text.strip() for e in elements if e.tag == "label" and "kesu-check" in e.attrs.get("class", "")]
    assert [label[:2] for label in labels[:8]] == ["A.", "B.", "C.", "D.", "E.", "F.", "G.", "H."]
    assert labels[1] == "B. </label><img src=x onerror=window.__pwned=1>"


def test_slots_keep_working_with_hostile_names_and_fallbacks(hostile_site):
    elements = article(read(hostile_site, "types/h-scripts-slots.md"))
    slots = [e for e in elements if "kesu-slot" in e.attrs.get("class", "")]
    assert {e.attrs["data-slot"] for e in slots} == {"称呼", "onclick=window.__pwned=1"}
    assert '"><img src=x onerror=window.__pwned=1>' in {e.attrs.get("data-fallback") for e in slots}
    inputs = [e for e in elements if e.tag == "input" and "data-slot" in e.attrs]
    assert {e.attrs["data-slot"] for e in inputs} == {"称呼", "onclick=window.__pwned=1"}


def test_hostile_criteria_stay_one_checkbox_each_on_the_triage_page(hostile_site):
    import yaml
    from conftest import HOSTILE_CORPUS
    levels = yaml.safe_load((HOSTILE_CORPUS / "procedures/severity-escalation.yml").read_text(encoding="utf-8"))["levels"]
    elements = article(read(hostile_site, "triage.md"))
    boxes = [e for e in elements if e.tag == "input" and e.attrs.get("name") == "criterion"]
    assert len(boxes) == sum(len(level.get("criteria", [])) for level in levels[1:])
    assert {e.attrs["value"] for e in boxes} == {"important", "major"}
    assert [e.tag for e in elements].count("fieldset") == 2


GOLDEN = Path(__file__).resolve().parent / "golden" / "hostile"
OWN_PAGES = [page for source in hostile_sources() for page in hostile_pages(source)[:1]]


@pytest.fixture(scope="module")
def hostile_markdown(tmp_path_factory) -> dict[str, str]:
    from generator.load import load_project
    from generator.render import render_pages
    root = copy_hostile_project(tmp_path_factory.mktemp("hostile-md"))
    return render_pages(load_project(root, Settings(review_days=36500)))


@pytest.mark.parametrize("page", OWN_PAGES)
def test_hostile_golden_markdown(hostile_markdown, page):
    """The escaped Markdown of each hostile source's own page, for review; regenerate with
    KESU_UPDATE_GOLDEN=1 like tests/golden/."""
    golden = GOLDEN / page
    if os.environ.get("KESU_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(hostile_markdown[page], encoding="utf-8")
    assert hostile_markdown[page] == golden.read_text(encoding="utf-8")
