"""The case library (/cases/) in chromium: filtering, paging, URL state, the back button, the view
without JavaScript, and a type page's link to its filtered list.

The site is the shipped project plus copies of its cases (three pages of fifty), so that paging shows.
"""
from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest

from conftest import build_in, copy_real_project, opened, served

pytestmark = pytest.mark.browser

COPIES = 4  # the shipped cases four more times: 125 cases


def add_copies(root: Path) -> None:
    for source in sorted((root / "cases/library").glob("*.yml")):
        text = source.read_text(encoding="utf-8")
        title = re.search(r"^title: (.*)$", text, re.M).group(1)
        for copy in range(1, COPIES + 1):
            copied = text.replace(f"title: {title}", f"title: {title}（副本{copy}）", 1)
            (source.parent / f"{source.stem}-copy-{copy}.yml").write_text(copied, encoding="utf-8")


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def library_root(tmp_path_factory, request) -> Path:
    """The library built by each engine: the list, its data and its static pages are kesu's, the page around them the engine's."""
    root = copy_real_project(tmp_path_factory.mktemp(f"case-library-{request.param}"))
    add_copies(root)
    build_in(root, "--engine", request.param)
    return root


@pytest.fixture(scope="module")
def library_url(library_root):
    with served(library_root / "site") as url:
        yield url


@pytest.fixture
def page(browser, library_url):
    with opened(browser, library_url) as page:
        yield page


@pytest.fixture
def static_page(browser, library_url):
    context = browser.new_context(base_url=library_url, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def case_count(root: Path) -> int:
    return len(list((root / "cases/library").glob("*.yml")))


def applied(browser_page, **params) -> None:
    """Wait until the list shows the filter given as URL parameters (in the page's canonical order)."""
    order = ["type", "industry", "severity", "channel", "origin", "q", "page"]
    query = urllib.parse.urlencode([(name, params[name]) for name in order if name in params])
    browser_page.wait_for_selector(f'#kesu-case-results[data-applied="{query}"]', state="attached")


def results(page):
    return page.locator("#kesu-case-results > li")


def result_count(page) -> int:
    return int(page.locator("#kesu-case-results").get_attribute("data-count"))


def test_without_javascript_the_first_page_and_the_pages_after_it_are_lists(static_page, library_root):
    total = case_count(library_root)
    static_page.goto("/cases/")
    assert results(static_page).count() == 50
    assert static_page.locator("form.kesu-case-filter").is_hidden()
    assert static_page.get_by_text(f"第 1–50 个，共 {total} 个案例").is_visible()
    titles = set(results(static_page).locator("a").all_inner_texts())
    static_page.get_by_role("link", name="下一页", exact=True).click()
    assert static_page.url.endswith("/cases/page/2/")
    assert results(static_page).count() == 50
    assert static_page.locator("#kesu-case-results").get_attribute("start") == "51"
    assert not titles & set(results(static_page).locator("a").all_inner_texts())
    static_page.get_by_role("link", name="末页").click()
    assert results(static_page).count() == total - 100
    results(static_page).first.locator("a").click()
    assert re.search(r"/cases/[a-z0-9-]+/$", static_page.url)
    assert static_page.locator("article h1").count() == 1


def test_without_javascript_a_facet_link_opens_the_list_of_its_cases(static_page):
    static_page.goto("/cases/")
    static_page.locator("nav.kesu-case-facets").get_by_role("link", name=re.compile("^重大投诉")).click()
    assert static_page.url.endswith("/cases/severity/major/")
    metas = results(static_page).locator(".kesu-meta").all_inner_texts()
    assert metas and all(meta.startswith("重大投诉") for meta in metas)
    assert len(metas) == result_count(static_page) == 5 * (COPIES + 1)


def test_choosing_a_severity_filters_the_list_and_keeps_it_in_the_url(page):
    page.goto("/cases/")
    assert page.locator("form.kesu-case-filter").is_visible()
    page.get_by_label("级别").select_option("major")
    applied(page, severity="major")
    assert page.url.endswith("/cases/?severity=major")
    metas = results(page).locator(".kesu-meta").all_inner_texts()
    assert len(metas) == result_count(page) == 5 * (COPIES + 1)
    assert all(meta.startswith("重大投诉") for meta in metas)
    assert page.get_by_text(f"第 1–{len(metas)} 个，共 {len(metas)} 个案例").is_visible()
    # the other facets count what choosing them would show now
    options = page.get_by_label("渠道").locator("option").all_inner_texts()
    assert sum(int(re.search(r"（(\d+)）", o).group(1)) for o in options[1:]) == len(metas)


def test_a_shared_link_opens_with_its_filters_chosen(page, library_root):
    page.goto("/cases/?type=property-nuisance&origin=documented")
    applied(page, type="property-nuisance", origin="documented")
    assert page.get_by_label("投诉类型").input_value() == "property-nuisance"
    assert page.get_by_label("来源").input_value() == "documented"
    assert 0 < result_count(page) == results(page).count()
    assert all("教学案例" not in text for text in results(page).all_inner_texts())


def test_free_text_finds_words_of_titles_summaries_and_tags(page):
    page.goto("/cases/")
    page.get_by_label("关键词").fill("副本3 电梯")
    applied(page, q="副本3 电梯")
    titles = results(page).locator("a").all_inner_texts()
    assert titles and all("副本3" in title for title in titles)
    assert result_count(page) == len(titles)
    page.get_by_label("关键词").fill("没有这样的词语组合")
    applied(page, q="没有这样的词语组合")
    assert results(page).count() == 0
    assert page.get_by_text("没有符合条件的案例").is_visible()


def test_pages_follow_each_other_and_the_back_button_returns_to_each_state(page, library_root):
    total = case_count(library_root)
    page.goto("/cases/")
    first_titles = results(page).locator("a").all_inner_texts()
    page.get_by_role("button", name="下一页").click()
    applied(page, page="2")
    assert page.url.endswith("/cases/?page=2")
    assert page.locator("#kesu-case-results").get_attribute("start") == "51"
    assert results(page).locator("a").first.inner_text() not in first_titles
    page.get_by_label("级别").select_option("general")  # a new filter starts at its first page
    applied(page, severity="general")
    page.go_back()
    applied(page, page="2")
    assert page.get_by_label("级别").input_value() == ""
    page.go_back()
    applied(page)
    assert result_count(page) == total
    assert results(page).locator("a").all_inner_texts() == first_titles


def test_a_facet_link_filters_in_place_and_clear_shows_every_case(page, library_root):
    page.goto("/cases/")
    page.locator("nav.kesu-case-facets").get_by_role("link", name=re.compile("^电话")).click()
    applied(page, channel="phone")
    assert page.url.endswith("/cases/?channel=phone")
    assert page.get_by_label("渠道").input_value() == "phone"
    page.get_by_role("button", name="清除筛选").click()
    applied(page)
    assert result_count(page) == case_count(library_root)
    assert page.url.endswith("/cases/")


def choose(page, field: str, label: str) -> None:
    """Choose the option a reader sees as label (followed by its count) in the filter's select field."""
    select = page.get_by_label(field)
    select.select_option(label=select.locator("option", has_text=re.compile(f"^{re.escape(label)}（")).inner_text())


def test_channel_and_industry_filter_together_and_the_url_names_them_by_id(page):
    page.goto("/cases/")
    choose(page, "渠道", "电话")
    applied(page, channel="phone")
    choose(page, "行业", "快递物流")
    applied(page, industry="courier", channel="phone")
    assert page.url.endswith("/cases/?industry=courier&channel=phone")
    metas = results(page).locator(".kesu-meta").all_inner_texts()
    assert metas and all(" · 电话 · 快递物流 · " in meta for meta in metas)
    assert len(metas) == result_count(page)


def test_a_link_naming_values_by_their_labels_still_filters(page):
    """Links from before the ids (?channel=电话) and hand-typed ones keep working; the URL becomes the ids'."""
    page.goto("/cases/?industry=courier&channel=phone")
    applied(page, industry="courier", channel="phone")
    by_id = result_count(page)
    page.goto("/cases/?channel=电话&industry=快递物流")
    applied(page, industry="courier", channel="phone")
    assert page.url.endswith("/cases/?industry=courier&channel=phone")
    assert page.get_by_label("渠道").input_value() == "phone" and page.get_by_label("行业").input_value() == "courier"
    assert result_count(page) == by_id > 0
    page.goto("/cases/?severity=重大投诉&origin=真实案例")
    applied(page, severity="major", origin="documented")


def test_a_type_page_shows_five_cases_and_links_to_all_of_them(page, browser, library_url):
    page.goto("/types/staff-attitude/")
    section = page.locator("article ul").filter(has=page.locator("a[href*='/cases/']")).last
    assert section.locator("li").count() == 5
    link = page.get_by_role("link", name=re.compile(r"查看全部 \d+ 个案例"))
    total = int(re.search(r"\d+", link.inner_text()).group(0))
    link.click()
    applied(page, type="staff-attitude")
    assert result_count(page) == total
    # without JavaScript the same link opens the type's static list
    context = browser.new_context(base_url=library_url, java_script_enabled=False)
    static = context.new_page()
    static.goto("/types/staff-attitude/")
    static.get_by_role("link", name=f"查看全部 {total} 个案例").click()
    assert static.url.endswith("/cases/type/staff-attitude/")
    assert int(static.locator("#kesu-case-results").get_attribute("data-count")) == total
    context.close()
