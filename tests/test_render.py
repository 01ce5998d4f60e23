"""Renderer: unit tests of the filters, and golden tests of every page kind."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.load import load_project
from generator.model import Placeholder
from generator.render import deadline_timeline, fill_slots, first_sentence, render_pages
from generator.settings import Settings
from generator.text import markdown, plain

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("KESU_UPDATE_GOLDEN") == "1"


def test_fill_slots_escapes_text_and_prefers_inline_fallback():
    html = fill_slots("<b>{客户称呼}</b>和{差价|差额}", {"客户称呼": Placeholder(default="您"), "差价": Placeholder()})
    assert str(html) == (
        '&#60;b&#62;<span class="kesu-slot" data-slot="客户称呼" data-fallback="您">&#123;客户称呼&#125;</span>'
        '&#60;/b&#62;和<span class="kesu-slot" data-slot="差价" data-fallback="差额">&#123;差价&#125;</span>')


def test_slot_without_any_fallback_has_no_fallback_attribute():
    assert str(fill_slots("{差价}", {"差价": Placeholder()})) == \
        '<span class="kesu-slot" data-slot="差价">&#123;差价&#125;</span>'  # the page script keeps it marked


def test_markdown_fields_keep_markdown_but_not_raw_html():
    assert str(markdown("**重点** <script>alert(1)</script> & > 引用")) == \
        "**重点** &#60;script&#62;alert(1)&#60;/script&#62; &#38; &#62; 引用"


def test_first_sentence_drops_markdown_and_stops_at_chinese_punctuation():
    assert first_sentence("货架价签与收银价格**不一致**。顾客要求退差价。") == "货架价签与收银价格不一致。"


def test_deadline_timeline_orders_durations_then_calendar(fixture_project):
    timeline = deadline_timeline(load_project(fixture_project))
    assert [(e["step"].deadline.text if e["step"].deadline else e["step"].when) for e in timeline] == \
        ["立即", "1小时", "每周二"]


def test_script_tag_in_a_title_reaches_the_page_as_text(fixture_project):
    path = fixture_project / "cases/library/sample-case.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: 收银台的差价", "title: <script>alert(1)</script>"), encoding="utf-8")
    page = render_pages(load_project(fixture_project))["cases/sample-case.md"]
    assert "# ＜script＞alert(1)＜/script＞" in page
    assert "<script>" not in page


def _pages(fixture_project) -> dict[str, str]:
    return render_pages(load_project(fixture_project))


def test_every_page_kind_is_rendered(fixture_project):
    assert sorted(_pages(fixture_project)) == [
        "assets/glossary.js", "assets/javascripts/workers/kesu-search.js", "assets/kesu-dates.js", "assets/kesu-strings.js",
        "callcards/wrong-price.md", "cases/channel/in-person/index.md",
        "cases/channel/phone/index.md", "cases/data/c/0.js", "cases/data/head.js", "cases/data/t/0.js", "cases/data/t/fold.js",
        "cases/documented-case.md", "cases/index.md", "cases/industry/real-estate/index.md",
        "cases/industry/retail/index.md", "cases/origin/documented/index.md", "cases/origin/teaching/index.md",
        "cases/sample-case.md", "cases/severity/general/index.md", "cases/severity/major/index.md",
        "cases/type/wrong-price/index.md", "deadlines.md", "learn/basics.md", "learn/index.md", "learn/roleplay/index.md",
        "learn/roleplay/sample-roleplay.md", "procedures/basic-flow.md",
        "procedures/index.md", "quiz.md", "stats.md", "triage.md", "types/index.md", "types/wrong-price.md"]


@pytest.mark.parametrize("page", [
    "types/wrong-price.md", "callcards/wrong-price.md", "triage.md", "deadlines.md",
    "learn/index.md", "learn/basics.md", "quiz.md", "stats.md", "types/index.md", "procedures/basic-flow.md", "procedures/index.md",
    "cases/sample-case.md", "cases/documented-case.md", "cases/index.md", "cases/type/wrong-price/index.md",
    "cases/severity/major/index.md", "learn/roleplay/index.md", "learn/roleplay/sample-roleplay.md",
])
def test_golden_page(fixture_project, page):
    """Generated Markdown equals tests/golden/<page>; regenerate with KESU_UPDATE_GOLDEN=1 after review."""
    text = _pages(fixture_project)[page]
    golden = GOLDEN / page
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_overdue_review_shows_a_badge_and_the_date(fixture_project):
    from datetime import date
    project = load_project(fixture_project)
    fresh = render_pages(project, Settings(today=date(2026, 12, 1), review_days=365))["cases/sample-case.md"]
    late = render_pages(project, Settings(today=date(2027, 12, 1), review_days=365))["cases/sample-case.md"]
    assert "最近复核：2026-11-01。" in fresh and "待复核" not in fresh
    assert '<span class="kesu-badge kesu-overdue"' in late and ">待复核</span>" in late


def test_links_between_pages_are_relative_for_markdown_and_html():
    from generator.render import html_href, markdown_link
    assert markdown_link("learn/index.md", "skills/listening.md") == "../skills/listening.md"
    assert markdown_link("quiz.md", "learn/index.md") == "learn/index.md"
    assert html_href("quiz.md", "skills/listening.md") == "../skills/listening/"
    assert html_href("learn/basics.md", "types/wrong-price.md") == "../../types/wrong-price/"
    assert html_href("learn/basics.md", "learn/index.md") == "../"
    assert html_href("quiz.md", "index.md") == "../"


def test_pareto_chart_ranks_types_by_case_count_with_cumulative_share(fixture_project):
    from collections import Counter
    from generator.charts import bar_chart, ranked
    bars = ranked(Counter({"价签不符": 3, "收银差错": 1, "服务态度差": 4}))
    assert [(b.label, b.count, round(b.cumulative_share, 3)) for b in bars] == [
        ("服务态度差", 4, 0.5), ("价签不符", 3, 0.875), ("收银差错", 1, 1.0)]
    svg = str(bar_chart("排行", bars, pareto=True))
    assert svg.startswith('<svg class="kesu-chart" role="img"') and svg.endswith("</svg>")
    assert svg.count('<g class="kesu-bar">') == 3
    assert "<title>服务态度差：4</title>" in svg and 'class="kesu-cumulative"' in svg


def test_stats_page_counts_the_fixture_library(fixture_project):
    page = _pages(fixture_project)["stats.md"]
    assert "案例库共有 2 个案例" in page
    assert "<tr><td>价签不符</td><td>2</td><td>100%</td></tr>" in page
    assert "<tr><td>一般</td><td>1</td></tr><tr><td>重要</td><td>0</td></tr><tr><td>重大</td><td>1</td></tr>" in page


def test_section_table_renders_one_escaped_row_per_entry(fixture_project):
    path = fixture_project / "cases/procedures/basic-flow.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "      - 投诉内容\n",
        "      - 投诉内容\n    table:\n      columns: [条款, 罚款]\n"
        "      rows:\n        - [第一条, 100]\n        - ['a|b <script>', \"两行\\n文字\"]\n"), encoding="utf-8")
    page = render_pages(load_project(fixture_project))["procedures/basic-flow.md"]
    assert "- 投诉内容\n\n| 条款 | 罚款 |\n| --- | --- |\n| 第一条 | 100 |\n" in page
    assert f"| {plain('a|b <script>')} | 两行 文字 |\n" in page and "<script>" not in page


def test_case_exercise_shows_the_timeline_up_to_the_decision_then_an_answer_box(fixture_project):
    page = _pages(fixture_project)["cases/sample-case.md"]
    before, after = page.split("## 想一想", 1)
    assert "顾客来到服务台。" in before and "退还差价。" not in before
    box, reveal = after.split("??? abstract", 1)
    assert '<textarea id="kesu-exercise-answer" class="kesu-note" data-note="case:sample-case"' in box
    assert reveal.startswith(' "揭晓：后来的经过"') and "| 10:10 | 退还差价。 |" in reveal


def test_case_without_decision_point_shows_the_whole_timeline_first(fixture_project):
    path = fixture_project / "cases/library/sample-case.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("decision_after: 1\n", ""), encoding="utf-8")
    before = _pages(fixture_project)["cases/sample-case.md"].split("## 想一想", 1)[0]
    assert "退还差价。" in before
    assert "后来的经过" not in _pages(fixture_project)["cases/sample-case.md"]


def test_internal_case_says_it_is_anonymised_and_who_did_it(fixture_project):
    path = fixture_project / "cases/library/sample-case.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "origin: 教学虚构", "origin: 内部案例\nanonymised_by: 客服中心 <b>王主管</b>"), encoding="utf-8")
    pages = _pages(fixture_project)
    assert '!!! note "内部案例"' in pages["cases/sample-case.md"]
    assert f"脱敏整理：{plain('客服中心 <b>王主管</b>')}" in pages["cases/sample-case.md"]
    assert "<b>" not in pages["cases/sample-case.md"]
    assert "教学案例" not in pages["cases/sample-case.md"]
    # In the case library an internal case is a real case: no 教学案例 badge, counted under 真实案例.
    assert "教学案例</span>" not in pages["cases/index.md"]
    assert "真实案例（2）" in pages["cases/index.md"]


def test_role_play_page_hides_the_brief_and_the_expected_moves_and_escapes_text(fixture_project):
    path = fixture_project / "cases/roleplays/sample-roleplay.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "customer: 那差价怎么办？", "customer: <img src=x onerror=alert(1)>"), encoding="utf-8")
    page = _pages(fixture_project)["learn/roleplay/sample-roleplay.md"]
    assert '??? info "扮演者须知（接待员工先不要看）"\n    你赶时间，**员工一道歉**你就缓和。' in page
    assert page.count('??? success "参考做法"') == 2
    assert str(plain("<img src=x onerror=alert(1)>")) in page and "<img" not in page
    assert "| **合计** | **100** | |" in page


def test_a_procedure_shows_what_callers_say_as_quoted_headings(fixture_project):
    path = fixture_project / "cases/procedures/basic-flow.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: ", "customer_says: [我要去消费者协会, '<b>告你们</b>']\ntitle: ", 1), encoding="utf-8")
    page = _pages(fixture_project)["procedures/basic-flow.md"]
    assert "## 来电人常这样说\n\n### “我要去消费者协会” { .kesu-say }\n" in page
    assert "<b>" not in page


LINKED_PAGES = ["index.md", "quiz.md", "quick-reference.md", "cases/index.md", "cases/late-refund.md", "types/x.md",
                "learn/index.md", "learn/basics.md", "learn/roleplay/index.md", "learn/roleplay/angry.md", "a/b/c.md"]


@pytest.mark.parametrize("here", LINKED_PAGES)
def test_links_between_pages_are_the_relative_paths_mkdocs_expects(here):
    import posixpath

    from generator.render import html_href, markdown_link, page_dir

    for target in LINKED_PAGES:
        assert markdown_link(here, target) == posixpath.relpath(target, posixpath.dirname(here) or ".")
        folder = posixpath.relpath(page_dir(target) or ".", page_dir(here) or ".")
        assert html_href(here, target) == ("./" if folder == "." else folder + "/")
