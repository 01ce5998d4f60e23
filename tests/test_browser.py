"""Browser tests of every interactive feature, in Debian's chromium driven by Playwright.

Playwright never downloads a browser here: it launches /usr/bin/chromium (installed by `make test`).
Every test that uses the `page` fixture runs on the site built by each engine (MkDocs with Material,
and Zensical): the same pages, scripts and kesu search. Each engine's search box is driven through
its SEARCH_BOXES entry; what Material's box does by itself (?q= links, missing words, completion)
kesu-zensical.js adds to Zensical's.
They run on the Traditional edition too (MkDocs,
`kesu build --edition zh-Hant`, served from site/zh-Hant/ so that the paths are the same): every
Simplified text a test types or expects goes through page.t, the edition's converter.
"""
from __future__ import annotations

import json
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from conftest import REPO, build_in, build_with_zensical, copy_real_project, opened, served
from generator.load import load_project
from generator.settings import Settings

pytestmark = pytest.mark.browser

# The shipped types' ids, from their file names: loading the sources here would turn a bad source
# into a collection error; the tests that need the types load them through shipped_types.
TYPES = sorted(path.stem for path in (REPO / "cases/types").glob("*.yml"))


@pytest.fixture(scope="session")
def shipped_types():
    types = load_project(REPO, Settings(review_days=36500)).types
    assert sorted(types) == TYPES
    return types


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def add_hostile_case(root: Path) -> None:
    """A case whose text tries to inject HTML; it must reach the page as text."""
    source = (root / "cases/library/expired-yogurt-promotion.yml").read_text(encoding="utf-8")
    source = source.replace("title: 促销堆头上的过期酸奶", f"title: '{HOSTILE}'", 1)
    source = source.replace("summary: |\n", f"summary: |\n  **加粗** {HOSTILE}\n", 1)
    (root / "cases/library/hostile-probe.yml").write_text(source, encoding="utf-8")


# (engine, edition) of each site the browser tests run on.
SITES = [("mkdocs", "zh-Hans"), ("zensical", "zh-Hans"), ("mkdocs", "zh-Hant")]


@pytest.fixture(scope="session", params=SITES, ids=["mkdocs", "zensical", "zh-Hant"])
def variant(request) -> tuple[str, str]:
    return request.param


@pytest.fixture(scope="session")
def engine(variant) -> str:
    return variant[0]


@pytest.fixture(scope="session")
def edition(variant) -> str:
    return variant[1]


def simplified_only(edition: str, reason: str) -> None:
    if edition != "zh-Hans":
        pytest.skip(f"the Simplified site only: {reason}")


@pytest.fixture(scope="session")
def editions_root(tmp_path_factory) -> Path:
    """Both editions built from the shipped project (with the hostile probe case) into one site/."""
    root = copy_real_project(tmp_path_factory.mktemp("browser-editions"))
    add_hostile_case(root)
    build_in(root)
    build_in(root, "--edition", "zh-Hant")
    return root


@pytest.fixture(scope="session")
def built_root(tmp_path_factory, engine, edition, request) -> Path:
    if edition != "zh-Hans":
        return request.getfixturevalue("editions_root")
    root = copy_real_project(tmp_path_factory.mktemp(f"browser-{engine}"))
    add_hostile_case(root)
    if engine == "zensical":
        build_with_zensical(root)
    else:
        build_in(root)
    return root


@pytest.fixture(scope="session")
def site_dir(built_root, edition) -> Path:
    """The edition's own site: site/ or site/zh-Hant/."""
    return built_root / "site" if edition == "zh-Hans" else built_root / "site" / edition


@pytest.fixture(scope="session")
def converter(built_root, edition):
    """The edition's converter for the texts tests type and expect (the identity for the original)."""
    from generator.edition import TextConverter, traditional_edition

    if edition == "zh-Hans":
        return lambda text: text
    return TextConverter(traditional_edition(built_root))


@pytest.fixture(scope="session")
def site_url(site_dir):
    with served(site_dir) as url:
        yield url


@pytest.fixture
def page(browser, site_url, engine, converter):
    with opened(browser, site_url, clipboard=True) as page:
        page.search_box = SEARCH_BOXES[engine]
        page.t = converter
        yield page


def clipboard(page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def wait_until_copied(page, button) -> None:
    page.wait_for_function("([button, text]) => button.textContent === text",
                           arg=[button.element_handle(), page.t("已复制")])


@pytest.mark.parametrize("type_id", sorted(TYPES))
def test_first_placeholder_fills_scripts_and_first_copy_button_copies_it(page, type_id):
    page.goto(f"/types/{type_id}/")
    first_input = page.locator("form.kesu-fill input").first
    name = first_input.get_attribute("data-slot")
    assert page.get_by_label(name, exact=True).count() == 1  # the label is the placeholder's name
    first_input.fill("测试值甲")
    assert page.locator(f'.kesu-slot[data-slot="{name}"]').first.inner_text() == "测试值甲"
    copy = page.get_by_role("button", name=re.compile(page.t("复制"))).first
    copy.click()
    wait_until_copied(page, copy)
    assert "测试值甲" in clipboard(page)


def test_unfilled_placeholders_show_fallback_or_stay_marked(page):
    page.goto("/types/product-quality/")
    slot = page.locator(f'.kesu-letter .kesu-slot[data-slot="{page.t("客户称呼")}"]').first
    assert slot.inner_text() == page.t("顾客")
    assert "is-fallback" in slot.get_attribute("class")
    # Every shipped placeholder has a fallback; one declared without a default renders without
    # data-fallback (the fixture's 差价, see tests/golden): make one such slot and render again.
    slots = page.locator(f'.kesu-slot[data-slot="{page.t("商品名称")}"]')
    assert slots.count() >= 2
    slots.first.evaluate("slot => slot.removeAttribute('data-fallback')")
    field = page.get_by_label(page.t("商品名称"), exact=True)
    field.fill("纯牛奶")
    assert slots.first.inner_text() == "纯牛奶"
    field.fill("")
    assert slots.first.inner_text() == "{" + page.t("商品名称") + "}"
    assert "is-fallback" not in slots.first.get_attribute("class")
    assert slots.nth(1).inner_text() == slots.nth(1).get_attribute("data-fallback") != ""


def test_copied_text_is_plain_and_filled_without_the_stage_label(page):
    page.goto("/types/product-quality/")
    page.get_by_label(page.t("经办人"), exact=True).fill("王明")  # a name written alike in both scripts
    page.get_by_label(page.t("工号"), exact=True).fill("1024")
    page.get_by_role("button", name=page.t("复制电话话术：开场与安抚")).click()
    page.wait_for_function("() => document.getElementById('kesu-announce')")
    text = clipboard(page)
    # 门店名称 left empty: its inline fallback is empty, so the opening still reads on
    assert text.startswith(page.t("您好，这里是客服中心，我是王明，工号1024。"))
    assert page.t("开场与安抚") not in text and "{" not in text


def test_letter_copy_includes_subject_and_body(page):
    page.goto("/types/product-quality/")
    page.get_by_label(page.t("商品名称"), exact=True).fill("牛奶")
    page.get_by_role("button", name=re.compile(page.t("复制信函"))).first.click()
    page.wait_for_function("() => document.getElementById('kesu-announce')")
    text = clipboard(page)
    assert text.startswith(page.t("主题：关于您反映的牛奶质量问题的处理结果"))
    assert page.t("尊敬的顾客：") in text  # the salutation's fallback, not 尊敬的您


def test_values_carry_over_between_type_pages_and_clear_empties_them(page, shipped_types):
    page.goto("/types/product-quality/")
    salutation = page.get_by_label(page.t("客户称呼"), exact=True)
    salutation.fill("李先生")
    other = next(t for t in TYPES if t != "product-quality" and "客户称呼" in shipped_types[t].placeholders)
    page.goto(f"/types/{other}/")
    assert salutation.input_value() == "李先生"
    page.get_by_role("button", name=page.t("清空"), exact=True).click()
    assert salutation.input_value() == ""
    assert page.evaluate("sessionStorage.getItem('kesu-slots')") is None
    page.goto("/types/product-quality/")
    assert salutation.input_value() == ""


def test_copy_buttons_are_reachable_by_keyboard(page):
    page.goto("/types/product-quality/")
    button = page.get_by_role("button", name=page.t("复制电话话术：开场与安抚"))
    button.focus()
    page.keyboard.press("Enter")
    wait_until_copied(page, button)


def visible_level(page) -> str:
    return page.locator(".kesu-level:not([hidden]) h3").inner_text()


def test_triage_starts_at_general_and_fire_or_safety_gives_the_top_level(page):
    t = page.t
    page.goto("/triage/")
    assert t("一般投诉") in visible_level(page)
    fire = page.get_by_label(re.compile(t("火灾")))
    fire.check()
    assert t("重大投诉") in visible_level(page)
    assert t("总部") in page.locator(".kesu-level:not([hidden])").inner_text()
    fire.uncheck()
    assert t("一般投诉") in visible_level(page)
    page.get_by_label(re.compile(t("安全"))).first.check()
    assert t("重大投诉") in visible_level(page)


def test_triage_shows_the_middle_level_for_its_criteria(page):
    page.goto("/triage/")
    page.locator('input[data-level="important"]').first.check()
    assert page.t("重要投诉") in visible_level(page)


def test_deadline_calculator_lists_absolute_times_in_order(page):
    page.goto("/deadlines/")
    page.get_by_label(page.t("受理时间")).fill("2026-01-05T09:00")
    dues = page.locator(".kesu-deadline-table").first.locator(".kesu-due").all_inner_texts()
    assert "2026-01-05 10:00" in dues
    assert "2026-01-06 09:00" in dues
    timed = [d for d in dues if len(d) == 16]
    assert timed == sorted(timed)
    assert all(d != "—" for d in dues[: len(timed)])
    checklists = page.locator(".kesu-deadline-table").nth(1).locator(".kesu-due").all_inner_texts()
    assert checklists and all(len(d) == 16 for d in checklists)


@pytest.mark.parametrize("received, monthday, due", [
    ("2026-01-31T09:00", 30, "2026-02-28"),  # February has no 30th: its last day, not 2026-03-02
    ("2026-01-15T09:00", 30, "2026-01-30"),
    ("2024-01-31T09:00", 31, "2024-02-29"),
    ("2026-12-31T09:00", 4, "2027-01-04"),
])
def test_a_monthly_rhythm_falls_on_the_next_such_day_or_the_end_of_a_short_month(page, received, monthday, due):
    page.goto("/deadlines/")
    page.evaluate("""day => document.querySelector(".kesu-deadline-table tbody").insertAdjacentHTML("afterbegin",
        `<tr id="probe" data-monthday="${day}"><td class="kesu-due">—</td></tr>`)""", monthday)
    page.get_by_label(page.t("受理时间")).fill(received)
    assert page.locator("#probe .kesu-due").inner_text() == due


@pytest.mark.parametrize("type_id", sorted(TYPES))
def test_call_card_prints_on_one_a4_page(page, type_id):
    page.goto(f"/types/{type_id}/")
    page.get_by_role("link", name=page.t("打开通话卡")).click()
    page.wait_for_url(f"**/callcards/{type_id}/")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1


def type_chinese(page, text: str) -> None:
    """Type text as a person does through an input method: the words arrive in one input event (typed
    character by character, the box would search for the first characters too, and their results could
    be read as the answer), and the input method commits with a key (here End): Material reads the
    search box on key-up."""
    page.keyboard.insert_text(text)
    page.keyboard.press("End")


class MaterialSearchBox:
    """Material's search box and result list (MkDocs)."""
    link = ".md-search-result__item > a"          # each result's first link: the page
    teaser = ".md-search-result__article"         # a result's title and snippet
    title = ".md-search-result__item h1"
    anything = ".md-search-result"
    result = ".md-search-result__item"
    missing = ".md-search-result__terms"
    input = ".md-search__input"
    suggestion = ".md-search__suggest"

    def ask(self, page, query: str) -> None:
        """Search the way a shared ?q= link opens search."""
        page.goto("/?q=" + urllib.parse.quote(query))

    def type(self, page, query: str, start: str = "/") -> None:
        page.goto(start)
        page.keyboard.press("/")
        type_chinese(page, query)

    def groups(self, page) -> list[list[str]]:
        results = page.locator(".md-search-result__list > .md-search-result__item")
        results.first.wait_for()
        return results.evaluate_all("items => items.map(item => Array.from(item.querySelectorAll('a'), a => a.href))")


class ZensicalSearchBox:
    """Zensical's search box: a flat list of options, a page's sections right after it."""
    link = "[role=listbox] a[role=option]"
    teaser = "[role=listbox] a[role=option]"
    title = "[role=listbox] a[role=option] h2"
    anything = "[role=listbox]"
    result = "[role=listbox] [role=option]"
    missing = "menu"  # kesu-zensical.js writes the missing words in the line under a page's title
    input = "input[role=combobox]"
    suggestion = ".kesu-suggest"  # kesu-zensical.js

    def ask(self, page, query: str) -> None:
        """Search the way a shared ?q= link opens search (kesu-zensical.js reads it)."""
        page.goto("/?q=" + urllib.parse.quote(query))

    def type(self, page, query: str, start: str = "/") -> None:
        page.goto(start)
        page.keyboard.press("/")
        expect(page.locator("input[role=combobox]")).to_be_focused()
        page.keyboard.insert_text(query)  # one input event, as an input method commits a word

    def groups(self, page) -> list[list[str]]:
        """Each page's link followed by its sections' links, as Material groups them."""
        page.locator(self.link).first.wait_for()
        groups: list[list[str]] = []
        for href in page.locator(self.link).evaluate_all("links => links.map(a => a.href)"):
            if groups and urllib.parse.urlsplit(href).path == urllib.parse.urlsplit(groups[-1][0]).path:
                groups[-1].append(href)
            else:
                groups.append([href])
        return groups


SEARCH_BOXES = {"mkdocs": MaterialSearchBox(), "zensical": ZensicalSearchBox()}


def in_edition(page, text: str) -> str:
    """text in the page's edition: converted on pages of the `page` fixture, as written on others."""
    return getattr(page, "t", str)(text)


def first_result(page, query: str) -> str:
    """The first search hit's path for query (in the page's edition)."""
    page.search_box.ask(page, in_edition(page, query))
    hit = page.locator(page.search_box.link).first
    hit.wait_for()
    return urllib.parse.urlsplit(hit.get_attribute("href")).path


def test_search_is_one_keystroke_away(page):
    page.search_box.type(page, page.t("商品质量问题"), start="/procedures/")
    hit = page.locator(page.search_box.link).first
    hit.wait_for()
    assert urllib.parse.urlsplit(hit.get_attribute("href")).path == "/types/product-quality/"


# Type names and customers' phrases landing on their type: tests/js/phrases.test.mjs (the worker's
# engine over the built index, without a browser).


@pytest.mark.parametrize("url", ["/cases/hostile-probe/", "/cases/"])
def test_html_in_yaml_is_shown_as_text_and_never_runs(page, url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    page.wait_for_load_state("load")
    assert dialogs == []
    assert page.locator("article img[src=x]").count() == 0
    assert HOSTILE in page.locator("article").inner_text()


def test_markdown_fields_keep_markdown_but_show_html_as_text(page):
    page.goto("/cases/hostile-probe/")
    summary = page.locator("article p", has_text=page.t("加粗")).first
    assert summary.locator("strong").inner_text() == page.t("加粗")
    assert HOSTILE in summary.inner_text()


def test_quiz_has_twenty_fieldsets_and_choosing_shows_feedback_and_a_score(page):
    page.goto("/quiz/")
    questions = page.locator("form.kesu-quiz fieldset.kesu-question")
    count = questions.count()
    assert count >= 20
    for index in range(count):
        fieldset = questions.nth(index)
        assert fieldset.locator("input[type=radio]").count() >= 2
        correct = int(fieldset.get_attribute("data-correct"))
        choice = correct if index % 2 == 0 else (correct + 1) % fieldset.locator("input[type=radio]").count()
        fieldset.locator("input[type=radio]").nth(choice).check()
        verdict = fieldset.locator(".kesu-feedback strong").inner_text()
        assert verdict == page.t("回答正确。" if index % 2 == 0 else "回答错误。")
        assert fieldset.locator(".kesu-feedback a", has_text=page.t("去学习")).count() == 1
        assert not fieldset.locator(".kesu-answer").is_visible()  # the no-script answer box gives way
    assert page.locator(".kesu-score").inner_text() == page.t(f"得分：{(count + 1) // 2} / {count}。答错的题可以点“去学习”复习。")


def test_quiz_links_lead_to_pages_that_exist(page, site_url):
    page.goto("/quiz/")
    hrefs = set(page.locator(".kesu-answer a").evaluate_all("links => links.map(a => a.href)"))
    assert len(hrefs) >= 5
    for href in hrefs:
        assert page.request.get(href).ok, href


def test_learning_path_lists_modules_and_keeps_progress_until_reset(page):
    page.goto("/learn/")
    assert page.locator("h2", has_text="第 ").count() >= 5
    assert page.get_by_role("link", name=re.compile(page.t("进入本模块"))).count() >= 5
    first = page.locator(".kesu-progress input").first
    first.check()
    page.reload()
    assert page.locator(".kesu-progress input").first.is_checked()
    assert page.locator(".kesu-progress-summary").inner_text().startswith(page.t("已完成 1 / "))
    page.get_by_role("button", name=page.t("清除学习进度")).click()
    page.reload()
    assert not page.locator(".kesu-progress input").first.is_checked()


def test_stats_page_shows_svg_charts(page):
    page.goto("/stats/")
    assert page.locator("svg.kesu-chart").count() == 4
    assert page.locator("svg.kesu-chart").first.locator("g.kesu-bar").count() >= 10


def test_glossary_terms_explain_themselves_on_hover(page):
    page.goto("/types/product-quality/")
    term = page.locator("article abbr", has_text="4W1H").first
    assert term.get_attribute("title").startswith(page.t("何时"))


def test_case_outcome_is_revealed_only_on_request(page):
    page.goto("/cases/expired-yogurt-promotion/")
    reveal = page.locator("details", has_text=page.t("揭晓：处理结果"))
    assert reveal.get_attribute("open") is None
    reveal.locator("summary").click()
    assert reveal.get_attribute("open") is not None
    assert page.locator("details.failure").count() >= 1  # spot-the-mistake items


# --- Search: kesu's sharded index behind Material's search box -------------------------------

def search_requests(page, query: str) -> list[str]:
    """Paths of the index files the page fetched to answer query on a fresh load."""
    requested = []
    page.on("requestfinished", lambda request: requested.append(urllib.parse.urlsplit(request.url).path))
    first_result(page, query)
    return [path for path in requested if path.startswith("/search/")]


def test_a_query_loads_a_few_index_files_not_the_whole_index(page, site_dir):
    requested = search_requests(page, "退货")
    shards = [path for path in requested if path.startswith("/search/kesu/s/")]
    all_shards = list((site_dir / "search/kesu/s").glob("*.js"))
    assert len(shards) == 1 < len(all_shards)  # one word of two characters: one bigram, one shard
    assert "/search/kesu/pages.js" in requested
    fragments = [path for path in requested if path.startswith("/search/kesu/f/")]
    assert 1 <= len(fragments) <= 10  # only the results on screen


# Scrolls Material's result list up a little (unless it is at its top); resolves once the scroll event
# has been dispatched.
SCROLLED_AWAY_FROM_THE_END = """() => new Promise(resolve => {
  const wrap = document.querySelector(".md-search__scrollwrap")
  if (wrap.scrollTop === 0) return resolve()
  wrap.addEventListener("scroll", resolve, {once: true})
  wrap.scrollTop = Math.max(0, wrap.scrollTop - 100)
})"""


def test_a_list_cut_at_forty_results_ends_with_a_line_to_the_case_library_filtered_by_its_words(page, engine):
    if engine != "mkdocs":
        pytest.skip("Material's result list, which adds results as it is scrolled")
    page.search_box.ask(page, page.t("投诉 处理"))
    items = page.locator(".md-search-result__list > .md-search-result__item")
    more = page.locator(f'{page.search_box.link}[href*="/cases/?q="]')
    items.first.wait_for()
    while more.count() == 0:  # Material adds four results each time the list is scrolled to its end
        shown = items.count()
        page.evaluate(SCROLLED_AWAY_FROM_THE_END)  # so that reaching it again counts
        items.last.scroll_into_view_if_needed()
        page.wait_for_function("n => document.querySelectorAll('.md-search-result__list > .md-search-result__item')"
                               ".length > n", arg=shown)
    assert items.count() == 41 and more.count() == 1
    assert items.last.locator("a").first.get_attribute("href") == more.get_attribute("href")
    assert page.t("更多结果") in more.inner_text()
    more.click()
    page.wait_for_url("**/cases/?q=*")
    # The query's words as the index folds them (处理 in either edition); the case list folds alike.
    expect(page.locator("#kesu-case-results")).to_have_attribute("data-applied", "q=" + urllib.parse.quote("处理"))
    assert page.locator("#kesu-case-results li").count() > 0


def test_results_show_plain_text_snippets_with_the_words_marked(page):
    first_result(page, "退货")
    teaser = page.locator(page.search_box.teaser, has=page.locator("mark")).first
    assert teaser.locator("mark").first.inner_text() == page.t("退货")
    assert "<p>" not in teaser.inner_text() and "&amp;" not in teaser.inner_text()


def test_a_title_with_html_is_shown_as_text_in_search_results(page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    first_result(page, "alert")
    # Headings show angle brackets full-width (text.heading): Material's <title> unescapes entities.
    result = page.locator(f'{page.search_box.link}[href*="/cases/hostile-probe/"]').first
    result.wait_for()
    assert "＜img src=x onerror=alert(2)＞" in result.inner_text()
    assert page.locator(f"{page.search_box.anything} img").count() == 0
    assert dialogs == []


def test_one_character_finds_headings_and_two_words_put_pages_with_both_first(page):
    assert first_result(page, "退") in {f"/types/{type_id}/" for type_id in TYPES} | {"/types/"}
    first_result(page, "退货 发票")
    box = page.search_box
    items = page.locator(box.result)
    # A result lists the query's words it lacks under its title: pages with one word have the line ...
    lacking = items.filter(has=page.locator(box.missing, has_text=page.t("发票")))
    assert lacking.count() >= 1
    assert items.first.locator(box.missing).count() == 0  # ... the first has both


def test_zensicals_search_box_speaks_chinese(page, engine):
    if engine != "zensical":
        pytest.skip("Material's search box is translated by its theme")
    page.search_box.ask(page, "退货")
    page.locator(page.search_box.link).first.wait_for()
    dialog = page.get_by_role("dialog", name="搜索")
    assert dialog.get_by_role("combobox", name="搜索").input_value() == "退货"
    assert dialog.get_by_role("combobox").get_attribute("placeholder") == "搜索"
    expect(dialog.get_by_role("status")).to_have_text(re.compile(r"^\d+ 个符合条件的结果$"))
    assert dialog.get_by_role("listbox", name="搜索结果").count() == 1
    assert dialog.get_by_role("button", name="关闭搜索").count() == 1
    assert dialog.get_by_role("button", name="筛选").count() == 1


def test_a_site_whose_index_kesu_did_not_write_is_searched_by_the_engines_own_worker(browser, built_root, engine,
                                                                                   edition, tmp_path):
    simplified_only(edition, "the engine's own search worker, whichever pages it searches")
    site = tmp_path / "site"
    shutil.copytree(built_root / "site", site)
    if engine == "mkdocs":
        # As Material's plugin writes it: jieba's words separated by zero-width spaces.
        material_index = {"config": {"lang": ["zh"], "separator": r"[\s\u200b\-]+", "pipeline": [],
                                     "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
                          "docs": [{"location": "types/product-quality/", "title": "商品\u200b质量\u200b问题",
                                    "text": "独一无二\u200b的\u200b暗号"}]}
        (site / "search/search_index.json").write_text(json.dumps(material_index, ensure_ascii=False), encoding="utf-8")
    else:  # as `zensical build` writes it
        zensical_index = {"config": {"lang": ["zh"], "separator": r"[\s\-]+"},
                          "items": [{"location": "types/product-quality/", "level": 1, "title": "商品质量问题",
                                     "text": "独一无二的 暗号", "path": [], "tags": []}]}
        (site / "search.json").write_text(json.dumps(zensical_index, ensure_ascii=False), encoding="utf-8")
    with served(site) as url, opened(browser, url) as page:
        page.search_box = SEARCH_BOXES[engine]
        assert first_result(page, "暗号") == "/types/product-quality/"


@pytest.fixture(scope="session")
def offline_root(tmp_path_factory, engine, edition) -> Path:
    simplified_only(edition, "the edition's offline build links its pages as the original's does (site.py)")
    root = copy_real_project(tmp_path_factory.mktemp(f"offline-{engine}"))
    if engine == "zensical":
        build_with_zensical(root, "--offline")
    else:
        build_in(root, "--offline")
    return root


def test_an_offline_build_opens_from_the_file_system_with_search_and_navigation(browser, offline_root, engine):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    box = SEARCH_BOXES[engine]
    page.goto((offline_root / "site/index.html").as_uri() + "?q=" + urllib.parse.quote("商品质量问题"))
    hit = page.locator(box.link).first
    hit.wait_for()
    assert urllib.parse.urlsplit(hit.get_attribute("href")).path.endswith("/types/product-quality/index.html")
    hit.click()
    page.wait_for_url("**/types/product-quality/index.html*")
    assert page.locator("article h1").inner_text().startswith("商品质量问题")
    page.get_by_role("link", name="打开通话卡").click()  # a link written as raw HTML by the generator
    page.wait_for_url("**/callcards/product-quality/index.html")
    page.locator(".md-tabs").get_by_role("link", name="处理流程").click()
    page.wait_for_url("**/procedures/index.html")
    assert errors == []
    page.close()


def test_an_offline_build_filters_the_case_library_from_the_file_system(browser, offline_root):
    """file:// pages cannot fetch(): the case library's data comes through script tags there."""
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((offline_root / "site/cases/index.html").as_uri() + "?severity=major")
    list_ = page.locator("#kesu-case-results[data-applied='severity=major']")
    list_.wait_for()
    assert int(list_.get_attribute("data-count")) == list_.locator("li").count() > 0
    list_.locator("li a").first.click()
    page.wait_for_url("**/cases/*/index.html")
    assert "重大投诉" in page.locator("article .kesu-meta").first.inner_text()
    assert errors == []
    page.close()


def test_the_search_box_suggests_how_the_word_goes_on_and_arrow_right_takes_it(page):
    box = page.search_box
    box.type(page, page.t("退换"))
    expect(page.locator(box.suggestion)).to_have_text(page.t("退换货纠纷"))
    page.keyboard.press("ArrowRight")
    expect(page.locator(box.input)).to_have_value(page.t("退换货纠纷"))


def test_case_answer_box_keeps_the_answer_in_this_tab_and_the_later_timeline_waits(page, browser, site_url):
    page.goto("/cases/wet-floor-fall/")
    later = page.locator("details", has_text=page.t("揭晓：后来的经过"))
    assert later.get_attribute("open") is None
    assert not page.get_by_text(page.t("顾客的儿子赶到医院")).is_visible()
    box = page.locator("textarea.kesu-note")
    box.fill("1. 先问伤情，不扶起\n2. 保护现场\n3. 报告店长")
    page.reload()
    assert page.locator("textarea.kesu-note").input_value().startswith("1. 先问伤情")
    page.goto("/cases/expired-yogurt-promotion/")
    assert page.locator("textarea.kesu-note").input_value() == ""  # one note per case
    other = browser.new_context(base_url=site_url).new_page()  # another tab's session starts empty
    other.goto("/cases/wet-floor-fall/")
    assert other.locator("textarea.kesu-note").input_value() == ""
    other.context.close()


def test_role_play_keeps_each_turns_note_and_hides_the_expected_moves(page):
    page.goto("/learn/roleplay/")
    page.get_by_role("link", name=page.t("保价不足的镜头找不到了")).click()
    assert page.locator("details", has_text=page.t("扮演者须知")).get_attribute("open") is None
    moves = page.locator("details.success")
    assert moves.count() == page.locator("textarea.kesu-note").count() >= 2
    assert not moves.first.get_by_text(page.t("主动报工号")).is_visible()
    page.locator("textarea.kesu-note").nth(1).fill("两小时内回电")
    page.reload()
    notes = page.locator("textarea.kesu-note")
    assert [notes.nth(0).input_value(), notes.nth(1).input_value()] == ["", "两小时内回电"]
    moves.first.locator("summary").click()
    assert moves.first.get_by_text(page.t("主动报工号")).is_visible()


# --- Storage garbage, quiz answers that last, the deadline filter -----------------------------------

STORAGE_GARBAGE = [
    "not json {", "[1, 2, 3]", "null", "42", '"text"', "true", '{"客户称呼": 5, "订单号": {"x": []}}',
    '{"__proto__": {"polluted": true}}', '{"basics": "yes", "x": null}', '"' + "长" * 1_000_000 + '"',
]


def visible_rows(page) -> int:
    return page.locator(".kesu-deadline-table tbody tr:visible").count()


@pytest.mark.parametrize("garbage", STORAGE_GARBAGE, ids=range(len(STORAGE_GARBAGE)))
def test_garbage_in_storage_leaves_every_feature_working(page, garbage):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/")
    page.evaluate("""g => { for (const [store, key] of [[sessionStorage, 'kesu-slots'], [localStorage, 'kesu-progress'],
                                                      [localStorage, 'kesu-quiz'], [sessionStorage, 'kesu-notes']])
                       store.setItem(key, g); }""",
                  garbage)
    page.goto("/types/product-quality/")
    page.get_by_label(page.t("客户称呼"), exact=True).fill("测试值乙")
    assert page.locator(f'.kesu-slot[data-slot="{page.t("客户称呼")}"]').first.inner_text() == "测试值乙"
    page.goto("/learn/")
    page.locator(".kesu-progress input").first.check()
    assert page.locator(".kesu-progress-summary").inner_text().startswith(page.t("已完成 1 / "))
    page.goto("/quiz/")
    first = page.locator("fieldset.kesu-question").first
    first.locator("input[type=radio]").first.check()
    assert first.locator(".kesu-feedback strong").inner_text() in (page.t("回答正确。"), page.t("回答错误。"))
    page.goto("/cases/cashier-double-scan/")
    page.locator("textarea[data-note]").first.fill("我的做法")
    page.reload()
    assert page.locator("textarea[data-note]").first.input_value() == "我的做法"
    assert errors == [] and page.evaluate("({}).polluted") is None


def test_quiz_answers_and_score_survive_a_reload_and_the_first_choice_counts(page):
    page.goto("/quiz/")
    questions = page.locator("form.kesu-quiz fieldset.kesu-question")
    count = questions.count()
    first, second = questions.nth(0), questions.nth(1)
    correct = int(first.get_attribute("data-correct"))
    wrong = (correct + 1) % first.locator("input[type=radio]").count()
    first.locator("input[type=radio]").nth(wrong).check()
    assert first.locator(".kesu-feedback strong").inner_text() == page.t("回答错误。")
    # The solution is now shown: choosing the right option afterwards changes nothing.
    right_option = first.locator("input[type=radio]").nth(correct)
    right_option.evaluate("r => { r.disabled = false; r.checked = true; r.dispatchEvent(new Event('change', {bubbles: true})); }")
    assert first.locator(".kesu-feedback strong").inner_text() == page.t("回答错误。")
    second.locator("input[type=radio]").nth(int(second.get_attribute("data-correct"))).check()
    assert page.locator(".kesu-score").inner_text() == page.t(f"已答 2 / {count} 题")

    page.reload()
    assert "is-wrong" in first.get_attribute("class") and "is-right" in second.get_attribute("class")
    assert first.locator("input[type=radio]").nth(wrong).is_checked()
    assert first.locator(".kesu-feedback strong").inner_text() == page.t("回答错误。")
    assert page.locator(".kesu-score").inner_text() == page.t(f"已答 2 / {count} 题")

    page.get_by_role("button", name=page.t("重新作答")).click()
    assert page.locator(".kesu-score").inner_text() == page.t(f"已答 0 / {count} 题")
    page.reload()
    assert page.locator(".kesu-question.is-answered").count() == 0
    assert not first.locator("input[type=radio]").nth(correct).is_disabled()


def test_deadlines_filter_by_type_and_by_category(page):
    page.goto("/deadlines/")
    total = visible_rows(page)
    t = page.t
    assert page.locator(".kesu-filter-count").inner_text() == t(f"共 {total} 条时限")
    page.get_by_label(t("投诉类型")).select_option(label=t("快件延误"))
    shown = visible_rows(page)
    assert 0 < shown < total
    served = page.locator(".kesu-deadline-table tbody tr:visible").evaluate_all(
        "rows => rows.map(r => r.getAttribute('data-types').split(' '))")
    assert all("parcel-delayed" in ids for ids in served)
    assert page.locator(".kesu-filter-count").inner_text() == t(f"显示 {shown} / {total} 条时限")

    page.get_by_label(t("行业与类别")).select_option(label=t("物业"))
    assert page.get_by_label(t("投诉类型")).input_value() == ""
    offered = page.locator("#kesu-filter-type option").evaluate_all(
        "options => options.filter(o => !o.hidden && o.value).map(o => o.dataset.category)")
    assert offered and set(offered) == {"property"}  # categories are named by their ids
    in_category = visible_rows(page)
    assert 0 < in_category < total

    page.goto("/deadlines/?type=property-repair")
    assert page.get_by_label(t("投诉类型")).input_value() == "property-repair"
    assert 0 < visible_rows(page) < total

    # A link names a category by its id, or by its label as supervisors write it.
    for name in ("property", "物业"):
        page.goto("/deadlines/?category=" + urllib.parse.quote(name))
        assert page.get_by_label(t("行业与类别")).input_value() == "property"
        assert visible_rows(page) == in_category


def test_deadlines_without_script_list_every_row(browser, site_url):
    context = browser.new_context(base_url=site_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/deadlines/")
    rows = page.locator(".kesu-deadline-table tbody tr")
    assert rows.count() > 100 and visible_rows(page) == rows.count()
    assert not page.locator("form.kesu-deadlines").is_visible()
    context.close()


# --- What callers say: colloquial queries, the lead to the script, the fallback ---------------

# A sample of what staff type mid-call (bench/colloquial.yml holds the measured set).
COLLOQUIAL_SAMPLE = [(entry["query"], {"/" + page for page in ([entry["expect"]] if isinstance(entry["expect"], str)
                                                              else entry["expect"])})
                     for entry in yaml.safe_load((REPO / "tests/fixtures/colloquial.yml").read_text(encoding="utf-8"))]


def search_box_results(page, query: str) -> list[list[str]]:
    """Each result's links (the page, then its sections shown under it), typed into the search box."""
    page.search_box.type(page, in_edition(page, query))
    return page.search_box.groups(page)


def paths(links: list[list[str]]) -> list[str]:
    return [urllib.parse.urlsplit(group[0]).path for group in links]


@pytest.mark.parametrize("query, expected", COLLOQUIAL_SAMPLE)
def test_what_callers_say_finds_the_right_page_among_the_first_three(page, query, expected):
    assert set(paths(search_box_results(page, query))[:3]) & expected


def test_a_type_result_leads_to_a_script_stage_or_the_checklist_which_opens_in_its_tab(page):
    (first,) = [links for links in search_box_results(page, "收了两遍钱")
                if urllib.parse.urlsplit(links[0]).path == "/types/cashier-error/"]
    lead = urllib.parse.urlsplit(first[1])
    assert lead.path == "/types/cashier-error/" and re.match(r"(script-|checklist$)", lead.fragment)
    page.goto(first[1])
    assert page.locator(f"#{lead.fragment}").is_visible()


def test_a_query_that_matches_nothing_offers_the_type_index_and_the_escalation_page(page, edition):
    results = search_box_results(page, "zzqqxx")
    assert paths(results) == ["/types/", "/procedures/severity-escalation/"]
    # The search worker's own label stays Simplified in the Traditional edition until it comes from
    # the interface-string catalogue (issue 15, item 2).
    if edition == "zh-Hans":
        assert page.locator(page.search_box.title).first.inner_text().startswith("建议：")


# --- The language switch between the editions ---------------------------------------------------

@pytest.fixture
def both_editions(browser, editions_root):
    with served(editions_root / "site") as url, opened(browser, url) as page:
        yield page


def switch_to(page, label: str, name: str) -> None:
    """Open the header's language menu (it opens on hover) and choose name."""
    page.get_by_role("button", name=label).hover()
    page.get_by_role("link", name=name, exact=True).click()


def test_the_language_switch_keeps_the_page_in_both_directions(both_editions):
    page = both_editions
    page.goto("/types/product-quality/?x=1#checklist")
    switch_to(page, "简繁切换", "繁體中文")
    page.wait_for_url("**/zh-Hant/types/product-quality/")
    assert page.locator("article h1").inner_text().startswith("商品質量問題")
    assert page.locator("html").get_attribute("lang") == "zh-TW"
    switch_to(page, "簡繁切換", "簡體中文")
    page.wait_for_url(re.compile(r"^http://[^/]+/types/product-quality/$"))
    assert page.locator("article h1").inner_text().startswith("商品质量问题")
    page.goto("/")
    switch_to(page, "简繁切换", "繁體中文")
    page.wait_for_url(re.compile(r"^http://[^/]+/zh-Hant/$"))


def test_without_script_the_switch_is_a_plain_link_to_the_same_page(browser, editions_root):
    with served(editions_root / "site") as url, opened(browser, url, java_script_enabled=False) as page:
        for here, there in [("/cases/wet-floor-fall/", "/zh-Hant/cases/wet-floor-fall/"),
                            ("/zh-Hant/learn/roleplay/", "/learn/roleplay/")]:
            page.goto(here)
            link = page.locator(f'a.md-select__link[hreflang="{"zh-Hant" if there.startswith("/zh-Hant/") else "zh-Hans"}"]')
            href = link.evaluate("a => a.href")
            assert urllib.parse.urlsplit(href).path == there
            assert page.request.get(href).ok


def test_the_case_library_finds_a_word_typed_in_either_script(page):
    counts = []
    for query in ("处理", "處理"):
        page.goto("/cases/?q=" + urllib.parse.quote(query))
        results = page.locator("#kesu-case-results")
        expect(results).to_have_attribute("data-applied", "q=" + urllib.parse.quote(query))
        counts.append(int(results.get_attribute("data-count")))
    assert counts[0] == counts[1] > 0
