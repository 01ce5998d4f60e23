"""`kesu build --edition zh-Hant` on the shipped project: a complete Traditional site in site/zh-Hant/."""
from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect

from conftest import UNSAFE_PAGE_REFUSAL, build_in, copy_real_project, opened, served, unsafe_heading_project, write
from generator.cli import main
from generator.edition import SLOT_ATTRIBUTES, TEXT_ATTRIBUTES, simplified_characters, traditional_edition

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class PageText(HTMLParser):
    """(place, text) of a page: 'text', 'code', 'script' or 'style', and 'attr:<name>' for shown attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(tag)
        self.found += [(f"attr:{name}", value) for name, value in attrs
                       if value and name in TEXT_ATTRIBUTES | SLOT_ATTRIBUTES]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data):
        place = next((tag for tag in ("script", "style", "code") if tag in self.open), "text")
        self.found.append((place, data))


def page_text(path: Path) -> list[tuple[str, str]]:
    parser = PageText()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


DEAD_PID = 2 ** 22 + 12345  # above Linux's pid_max: no process has it
# Folders an edition build or serve leaves when it is killed (its pid dead), and one of a live one.
LEFT_BY_KILLED_BUILDS = [f".kesu-zh-Hant-{DEAD_PID}-ab12cd34/docs/index.md", f"site/.zh-Hant.building-{DEAD_PID}-x1/a.html",
                         ".kesu-zh-Hant-q2w3e4r5/docs/index.md"]  # (named before the pid was added)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_real_project(tmp_path_factory.mktemp("edition"))
    (root / "site").mkdir()
    (root / "site" / "kept.txt").write_text("the Simplified site", encoding="utf-8")
    for left in LEFT_BY_KILLED_BUILDS:
        write(root, left, "left")
    write(root, f".kesu-zh-Hant-{os.getppid()}-live0001/docs/index.md", "a serve still running")
    build_in(root, "--edition", "zh-Hant", "--strict")
    return root


def test_the_edition_is_built_under_its_prefix_and_leaves_the_rest_of_site_alone(built):
    site = built / "site" / "zh-Hant"
    assert (built / "site" / "kept.txt").read_text(encoding="utf-8") == "the Simplified site"
    assert (site / "types" / "parcel-lost-damaged" / "index.html").is_file()
    assert (site / "search" / "search_index.json").is_file()
    assert not list((built / "site").glob(".zh-Hant.building-*"))


def test_folders_left_by_killed_edition_builds_are_removed_by_the_next_and_live_ones_kept(built):
    assert [path.name for path in built.glob(".kesu-zh-Hant-*")] == [f".kesu-zh-Hant-{os.getppid()}-live0001"]
    assert not list((built / "site").glob(".zh-Hant.building-*"))


def test_the_switch_of_each_page_leads_to_the_same_page_in_the_other_edition(built):
    page = (built / "site/zh-Hant/cases/wet-floor-fall/index.html").read_text(encoding="utf-8")
    links = dict((lang, href) for href, lang in re.findall(r'<a href="([^"]*)" hreflang="([^"]*)"[^>]*md-select__link', page))
    assert links == {"zh-Hans": "../../../cases/wet-floor-fall/", "zh-Hant": "../../cases/wet-floor-fall/"}
    assert 'aria-label="簡繁切換"' in page and "簡體中文" in page and "繁體中文" in page


@pytest.mark.parametrize("command", ["build", "serve"])
def test_the_edition_is_not_built_or_served_with_zensical(fixture_project, in_dir, command):
    in_dir(fixture_project)
    result = CliRunner().invoke(main, [command, "--edition", "zh-Hant", "--engine", "zensical"])
    assert result.exit_code == 1
    assert result.output == ("Error: --edition zh-Hant: the edition is built and served with the mkdocs engine only, "
                             "not with zensical; leave out --engine zensical\n")
    assert not (fixture_project / "site").exists() and not (fixture_project / "docs").exists()


def test_personal_data_in_a_source_stops_the_edition_build_as_it_stops_the_main_one(built, in_dir):
    in_dir(built)
    case = built / "cases/library/cashier-double-scan.yml"
    original = case.read_text(encoding="utf-8")
    case.write_text(original.replace("title: 一箱牛奶扫了两次，顾客回家对小票才发现", "title: 顾客电话 13812345678", 1),
                    encoding="utf-8")
    try:
        results = [CliRunner().invoke(main, ["build", *args]) for args in ([], ["--edition", "zh-Hant"])]
    finally:
        case.write_text(original, encoding="utf-8")
    assert [result.exit_code for result in results] == [1, 1]
    assert results[0].stderr == results[1].stderr
    assert results[1].stderr.startswith("cases/library/cashier-double-scan.yml:")
    assert "personal data (手机号" in results[1].stderr


def test_an_unsafe_page_is_refused_by_the_edition_build_as_by_the_main_one(tmp_path, monkeypatch):
    """A gap in the text pipeline (simulated: headings printed raw) is caught before publishing the edition."""
    root = unsafe_heading_project(tmp_path / "real", monkeypatch)
    results = [CliRunner().invoke(main, ["build", *args]) for args in ([], ["--edition", "zh-Hant"])]
    assert [result.exit_code for result in results] == [1, 1]
    assert [result.output.strip().splitlines()[-1] for result in results] == [UNSAFE_PAGE_REFUSAL] * 2
    assert not (root / "site" / "zh-Hant").exists()
    assert not list(root.glob(".kesu-zh-Hant-*")) and not list(root.glob("site/.zh-Hant.building-*"))


def test_pages_carry_the_region_language_and_converted_navigation(built):
    page = (built / "site" / "zh-Hant" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-TW"' in page
    assert "投訴類型" in page and "處理流程" in page and "新員工學習" in page
    assert "客訴知識庫" in page


def test_no_simplified_character_is_left_outside_code_on_any_page(built):
    edition = traditional_edition(built)
    pages = sorted((built / "site" / "zh-Hant").rglob("*.html"))
    left, in_code = {}, {}
    for path in pages:
        for place, text in page_text(path):
            if chars := simplified_characters(edition, text):
                target = in_code if place == "code" else left
                target.setdefault(path.relative_to(built / "site" / "zh-Hant").as_posix(), []).append((place, chars))
    assert len(pages) > 100
    assert left == {}
    # Code shows what is typed into the Simplified sources ({客户称呼}, 教学虚构) or what kesu prints.
    assert set(in_code) <= {"authoring/index.html", "glossary/index.html", "performance/index.html"}


def test_every_slot_reads_the_same_in_the_script_and_the_form(built):
    """kesu.js fills a .kesu-slot span from the input with the same data-slot; the label names that input."""
    names = set()
    for path in sorted((built / "site" / "zh-Hant" / "types").glob("*/index.html")):
        html = path.read_text(encoding="utf-8")
        fields = re.findall(r'<label for="kesu-slot-\d+">([^<]*)</label><input[^>]*data-slot="([^"]*)"', html)
        spans = set(re.findall(r'class="kesu-slot" data-slot="([^"]*)"', html))
        assert all(label == slot for label, slot in fields), path
        assert spans <= {slot for _, slot in fields}, (path, spans - {slot for _, slot in fields})
        assert all(f"&#123;{name}&#125;" in html for name in spans), path
        names |= spans
    assert len(names) > 10
    assert {"發生時間", "員工崗位"} <= names


def test_a_bad_region_stops_the_edition_build_with_one_line(built, in_dir):
    in_dir(built)
    edition_file = built / "cases" / "editions" / "zh-Hant.yml"
    original = edition_file.read_text(encoding="utf-8")
    edition_file.write_text(original.replace("region: tw", "region: mo"), encoding="utf-8")
    try:
        result = CliRunner().invoke(main, ["build", "--edition", "zh-Hant"])
    finally:
        edition_file.write_text(original, encoding="utf-8")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "cases/editions/zh-Hant.yml:6: field 'region': expected one of tw, hk, got 'mo'"


@pytest.fixture(scope="module")
def edition_url(built):
    with served(built / "site") as url:
        yield url


@pytest.fixture
def page(browser, edition_url):
    with opened(browser, edition_url, clipboard=True) as page:
        yield page


def simplified_left(built: Path, texts: list[str]) -> str:
    return simplified_characters(traditional_edition(built), "".join(texts))


@pytest.mark.browser
def test_filling_a_field_of_the_traditional_page_fills_its_scripts(page):
    page.goto("/zh-Hant/types/product-quality/")
    page.get_by_label("經辦人", exact=True).fill("張敏")
    filled = page.locator('.kesu-slot[data-slot="經辦人"]')
    assert filled.count() > 1 and set(filled.all_inner_texts()) == {"張敏"}
    assert page.locator('.kesu-letter .kesu-slot[data-slot="客戶稱呼"]').first.inner_text() == "顧客"


@pytest.mark.browser
def test_a_script_filled_on_the_traditional_page_is_copied_filled_and_in_traditional(page, built):
    page.goto("/zh-Hant/types/product-quality/")
    page.get_by_label("經辦人", exact=True).fill("張敏")
    page.get_by_label("工號", exact=True).fill("1024")
    button = page.get_by_role("button", name="複製電話話術：開場與安撫")
    button.click()
    page.wait_for_function("b => b.classList.contains('is-done')", arg=button.element_handle())
    text = page.evaluate("navigator.clipboard.readText()")
    assert "張敏" in text and "工號1024" in text
    assert "{" not in text and "開場與安撫" not in text
    assert simplified_left(built, [text]) == ""


@pytest.mark.browser
def test_the_channel_tabs_of_the_traditional_page_switch_the_scripts(page):
    page.goto("/zh-Hant/types/product-quality/")
    scripts = page.locator(".kesu-script[data-channel]")
    page.locator(".tabbed-labels > label", has_text="當面").click()
    expect(page.locator('.kesu-script[data-channel="in-person"]').first).to_be_visible()
    assert {script.get_attribute("data-channel") for script in scripts.all() if script.is_visible()} == {"in-person"}
    page.get_by_role("button", name="複製當面話術：開場與安撫").click()
    # A search result's link to a stage (its id is made of the channel's and the stage's ids) opens its tab.
    page.goto("/zh-Hant/types/product-quality/#script-written-facts")
    expect(page.locator("#script-written-facts")).to_be_visible()
    assert page.locator("#script-written-facts .kesu-stage").inner_text().startswith("瞭解事實")
    assert page.locator(".tabbed-labels > label", has_text="書面/網路").count() == 1


def edition_cases_applied(page, query: str) -> None:
    page.wait_for_selector(f'#kesu-case-results[data-applied="{query}"]', state="attached")


@pytest.mark.browser
def test_the_traditional_case_library_filters_by_channel_and_industry_with_its_own_labels(page, built):
    page.goto("/zh-Hant/cases/")
    # Each choice waits for the list it asks for: the options' counts change with it.
    for field, label, query in (("渠道", "電話", "channel=phone"), ("行業", "快遞物流", "industry=courier&channel=phone")):
        select = page.get_by_label(field)
        select.select_option(label=select.locator("option", has_text=re.compile(f"^{label}（")).inner_text())
        edition_cases_applied(page, query)
    assert page.url.endswith("/zh-Hant/cases/?industry=courier&channel=phone")
    rows = page.locator("#kesu-case-results > li")
    metas = rows.locator(".kesu-meta").all_inner_texts()
    assert metas and all(" · 電話 · 快遞物流 · " in meta for meta in metas)
    assert len(metas) == int(page.locator("#kesu-case-results").get_attribute("data-count"))
    # The rows come from the data files, converted like the pages: titles and labels in Traditional.
    assert simplified_left(built, rows.all_inner_texts()) == ""


@pytest.mark.browser
def test_the_traditional_case_library_takes_either_scripts_labels_in_a_link(page):
    page.goto("/zh-Hant/cases/?channel=电话&industry=快遞物流&severity=重大投訴")
    edition_cases_applied(page, "industry=courier&severity=major&channel=phone")
    assert page.get_by_label("渠道").input_value() == "phone"


@pytest.fixture
def tool_page(browser, built, edition_url):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=edition_url)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def strings(built) -> dict[str, str]:
    """The interface strings as the edition's pages receive them."""
    from generator.catalogue import strings_from_client_script

    return strings_from_client_script((built / "site" / "zh-Hant" / "assets" / "kesu-strings.js").read_text(encoding="utf-8"))


def shown_text(page) -> str:
    """What a reader sees or hears on the page now: the text, the live regions (visually hidden ones
    too) and the attributes that name or explain a control."""
    return page.evaluate("""() => [document.body.innerText,
        ...Array.from(document.querySelectorAll("[aria-live], [role=status]"), e => e.textContent),
        ...Array.from(document.querySelectorAll("[aria-label], [title], [placeholder]"),
                      e => [e.getAttribute("aria-label"), e.getAttribute("title"), e.getAttribute("placeholder")].join(" "))
    ].join("\\n")""")


def assert_no_simplified(built, page):
    edition = traditional_edition(built)
    left = {line for line in shown_text(page).splitlines() if simplified_characters(edition, line)}
    assert left == set(), page.url


@pytest.mark.browser
def test_the_call_tools_speak_traditional(built, tool_page, edition_url, strings):
    page = tool_page
    page.goto(edition_url + "/zh-Hant/types/product-quality/")
    page.get_by_label("經辦人", exact=True).fill("張敏")
    copy = page.locator(".kesu-letter .kesu-copy").first
    assert copy.inner_text() == strings["copy.button"] == "複製"
    copy.click()
    page.wait_for_function("b => b.textContent === '已複製'", arg=copy.element_handle())
    assert page.locator("#kesu-announce").text_content() == strings["copy.announced"] == "已複製到剪貼簿"
    assert page.evaluate("navigator.clipboard.readText()").startswith("主題：")
    assert_no_simplified(built, page)
    page.locator("form.kesu-fill .kesu-clear").click()
    page.wait_for_function("() => document.getElementById('kesu-announce').textContent === '已清空顧客資訊'")
    assert_no_simplified(built, page)


@pytest.mark.browser
def test_the_quiz_gives_its_feedback_and_score_in_traditional(built, tool_page, edition_url, strings):
    page = tool_page
    page.goto(edition_url + "/zh-Hant/quiz/")
    questions = page.locator("form.kesu-quiz fieldset.kesu-question")
    for index in range(2):
        fieldset = questions.nth(index)
        correct = int(fieldset.get_attribute("data-correct"))
        fieldset.locator("input[type=radio]").nth(correct if index == 0 else (correct + 1) % 2).check()
    assert questions.nth(0).locator(".kesu-feedback strong").inner_text() == strings["quiz.right"] == "回答正確。"
    assert questions.nth(1).locator(".kesu-feedback strong").inner_text() == strings["quiz.wrong"] == "回答錯誤。"
    assert page.locator(".kesu-score").inner_text() == f"已答 2 / {questions.count()} 題"
    assert_no_simplified(built, page)
    page.get_by_role("button", name="重新作答").click()
    page.wait_for_function("() => document.getElementById('kesu-announce').textContent === '已清除本組題目的作答'")
    assert_no_simplified(built, page)


@pytest.mark.browser
def test_the_triage_and_the_deadline_calculator_speak_traditional(built, tool_page, edition_url):
    page = tool_page
    page.goto(edition_url + "/zh-Hant/triage/")
    page.get_by_label(re.compile("火災")).check()
    assert "重大投訴" in page.locator(".kesu-level:not([hidden]) h3").inner_text()
    assert_no_simplified(built, page)
    page.goto(edition_url + "/zh-Hant/deadlines/")
    page.get_by_label("受理時間").fill("2026-01-05T09:00")
    assert "2026-01-05 10:00" in page.locator(".kesu-deadline-table").first.locator(".kesu-due").all_inner_texts()
    type_select = page.locator("#kesu-filter-type")
    type_select.select_option(type_select.locator("option").nth(1).get_attribute("value"))
    assert re.fullmatch(r"顯示 \d+ / \d+ 條時限", page.locator(".kesu-filter-count").inner_text())
    assert_no_simplified(built, page)


@pytest.mark.browser
def test_the_search_box_and_its_suggestions_speak_traditional(built, tool_page, edition_url, strings):
    page = tool_page
    page.goto(edition_url + "/zh-Hant/?q=zzqqxx")
    title = page.locator(".md-search-result__item h1").first
    title.wait_for()
    assert title.inner_text().startswith("建議：")
    assert page.locator('.md-search[role="dialog"]').get_attribute("aria-label") == strings["search.dialog"] == "搜尋"
    assert "按投訴類型查詢" in page.locator(".md-search-result").inner_text()
    assert_no_simplified(built, page)
