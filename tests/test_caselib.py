"""The case library (generator/caselib.py): data parts, list and facet pages, relevance order."""
from __future__ import annotations

import json
import re
from datetime import date

import pytest

from conftest import write
from generator import caselib
from generator.load import load_project
from generator.model import CASE_LIBRARY_FOLDERS, CHANNEL, INDUSTRY, SEVERITY, Case
from generator.problems import SourceErrors
from generator.render import render_pages

SAMPLE = "cases/library/sample-case.yml"


def data(text: str):
    """The JSON inside a data file `kesuCasesLoad(<json>)`."""
    assert text.startswith(caselib.WRAPPER) and text.endswith(")\n")
    return json.loads(text[len(caselib.WRAPPER):-2])


def add_cases(root, count: int, **fields) -> None:
    """count copies of the sample case, case-00 ... with titles 案例00 ..., fields replaced."""
    source = (root / SAMPLE).read_text(encoding="utf-8")
    for number in range(count):
        text = source.replace("title: 收银台的差价", f"title: 案例{number:02d}")
        for name, value in fields.items():
            text = re.sub(rf"^{name}: .*$", f"{name}: {value}", text, flags=re.M)
        write(root, f"cases/library/case-{number:02d}.yml", text)


def make_case(title: str, severity: str = "一般", origin: str = "教学虚构", reviewed: date | None = None) -> Case:
    return Case(title=title, industry="通用", types=["wrong-price"], channel="电话", severity=severity,
                origin=origin, source="公开报道" if origin == "真实事件" else "", summary="案情。",
                reviewed=reviewed).bind(title, f"cases/library/{title}.yml")


def test_relevance_puts_severity_then_real_cases_then_recent_reviews_first():
    cases = [
        make_case("a-old-teaching", "重要", reviewed=date(2025, 1, 1)),
        make_case("b-general-real", "一般", origin="真实事件", reviewed=date(2026, 6, 1)),
        make_case("c-new-teaching", "重要", reviewed=date(2026, 1, 1)),
        make_case("d-major", "重大"),
        make_case("e-internal", "重要", origin="内部案例"),
    ]
    assert [c.id for c in caselib.most_relevant(cases, limit=4)] == [
        "d-major", "e-internal", "c-new-teaching", "a-old-teaching"]


def test_head_holds_each_facets_values_and_every_cases_values_as_numbers(fixture_project):
    files = caselib.render_case_library(load_project(fixture_project))
    head = data(files["cases/data/head.js"])
    assert (head["v"], head["n"], head["chunk"], head["chunks"]) == (1, 2, caselib.CHUNK_SIZE, 1)
    assert dict(head["f"]) == {
        "type": [["wrong-price", "价签不符"]], "industry": [["retail", "零售与超市"], ["real-estate", "房地产"]],
        "severity": [["general", "一般投诉"], ["major", "重大投诉"]], "channel": [["phone", "电话"], ["in-person", "当面"]],
        "origin": [["documented", "真实案例"], ["teaching", "教学案例"]]}
    # list order: the 重大 documented case first
    assert head["x"] == {"type": [0, 0], "industry": [1, 0], "severity": [1, 0], "channel": [0, 1], "origin": [0, 1]}
    assert re.fullmatch(r"[0-9a-f]{12}", head["h"])
    assert f'data-version="{head["h"]}"' in files["cases/index.md"]


def test_cases_come_in_chunks_of_ids_and_titles_and_of_searchable_text(fixture_project):
    add_cases(fixture_project, 3)
    files = caselib.render_case_library(load_project(fixture_project), chunk_size=2)
    head = data(files["cases/data/head.js"])
    assert (head["n"], head["chunks"]) == (5, 3)
    chunks = [data(files[f"cases/data/c/{k}.js"]) for k in range(3)]
    texts = [data(files[f"cases/data/t/{k}.js"]) for k in range(3)]
    assert [len(chunk) for chunk in chunks] == [len(text) for text in texts] == [2, 2, 1]
    assert [entry[0] for chunk in chunks for entry in chunk] == [
        "documented-case", "sample-case", "case-00", "case-01", "case-02"]  # same rank: by title
    assert chunks[0][0] == ["documented-case", "有据可查的案例"]
    assert texts[2][0] == "案例02 顾客发现多收了 3 元。 价签"  # title, the summary's words, the tags


def test_searchable_text_is_folded_like_a_query_and_drops_markdown(fixture_project):
    path = fixture_project / SAMPLE
    path.write_text(path.read_text(encoding="utf-8").replace(
        "summary: 顾客发现多收了 3 元。", "summary: |\n  **ＶＩＰ** 顾客\n  [发票](https://example.com) 问题"), encoding="utf-8")
    files = caselib.render_case_library(load_project(fixture_project))
    assert data(files["cases/data/t/0.js"])[1] == "收银台的差价 vip 顾客 发票 问题 价签"
    assert "cases/data/c/3.js" not in files


def test_searchable_text_is_folded_to_simplified_with_the_pairs_a_query_needs(fixture_project):
    path = fixture_project / SAMPLE
    path.write_text(path.read_text(encoding="utf-8").replace("summary: 顾客发现多收了 3 元。", "summary: 快遞遺失"),
                    encoding="utf-8")
    files = caselib.render_case_library(load_project(fixture_project))
    assert "快递遗失" in data(files["cases/data/t/0.js"])[1]
    pairs = data(files["cases/data/t/fold.js"])
    folded = dict(zip(pairs[0::2], pairs[1::2]))
    assert folded["遞"] == "递" and folded["價"] == "价"  # the Traditional forms of the texts' characters
    assert "龍" not in folded  # 龙 is in no text: nothing to fold it onto


def test_a_script_in_a_title_is_data_in_the_chunk_and_text_on_the_page(fixture_project):
    path = fixture_project / SAMPLE
    title = "</script><img src=x onerror=alert(1)>"
    path.write_text(path.read_text(encoding="utf-8").replace("title: 收银台的差价", f"title: '{title}'"),
                    encoding="utf-8")
    files = caselib.render_case_library(load_project(fixture_project))
    assert [entry[1] for entry in data(files["cases/data/c/0.js"])][1] == title
    assert "<img" not in files["cases/index.md"] and "&#60;img src=x" in files["cases/index.md"]


def test_the_list_is_paged_with_links_to_first_previous_next_and_last(fixture_project):
    add_cases(fixture_project, 3)
    files = caselib.render_case_library(load_project(fixture_project), page_size=2)
    assert {"cases/index.md", "cases/page/2/index.md", "cases/page/3/index.md"} <= set(files)
    assert "cases/page/4/index.md" not in files
    middle = files["cases/page/2/index.md"]
    assert '<a href="../../">首页</a> <a href="../../" rel="prev">上一页</a> <span>第 2 / 3 页</span> ' \
           '<a href="../3/" rel="next">下一页</a> <a href="../3/">末页</a>' in middle
    assert '<ol id="kesu-case-results" class="kesu-case-list" start="3" data-count="5">' in middle
    assert middle.count("<li>") == 2 and '<a href="../../case-00/">案例00</a>' in middle
    assert "exclude: true" in middle and "<form" not in middle  # the filter lives on /cases/ only
    first = files["cases/index.md"]
    assert '<span>第 1 / 3 页</span> <a href="page/2/" rel="next">下一页</a> <a href="page/3/">末页</a>' in first
    assert "首页" not in first


def test_each_facet_value_has_its_own_paged_list(fixture_project):
    add_cases(fixture_project, 3, severity="重要")
    files = caselib.render_case_library(load_project(fixture_project), page_size=2)
    assert sorted(path for path in files if path.startswith("cases/severity/")) == [
        "cases/severity/general/index.md", "cases/severity/important/index.md", "cases/severity/important/page/2/index.md",
        "cases/severity/major/index.md"]
    important = files["cases/severity/important/index.md"]
    assert "# 案例库：重要投诉" in important
    assert '<a href="../../?severity=important">在案例库中筛选</a>' in important
    assert '<a href="page/2/" rel="next">下一页</a>' in important
    assert '<a href="severity/important/" data-filter-name="severity" data-filter-value="important">重要投诉（3）</a>' \
        in files["cases/index.md"]
    # The label, and the other names of the value, still filter in a URL: ?severity=重要 from older links.
    assert '<option value="important" data-aliases="重要|重要投诉">重要投诉（3）</option>' in files["cases/index.md"]


def test_a_types_related_cases_are_its_cases_in_the_library(fixture_project):
    """A case the type names in related_cases is listed under the type, as on the type page."""
    add_cases(fixture_project, 1, types="[other-type]")
    type_source = (fixture_project / "cases/types/wrong-price.yml").read_text(encoding="utf-8")
    other = type_source.replace("name: 价签不符", "name: 另一类型")
    write(fixture_project, "cases/types/other-type.yml", other)
    write(fixture_project, "cases/types/wrong-price.yml", type_source + "related_cases: [case-00]\n")
    files = caselib.render_case_library(load_project(fixture_project))
    assert "价签不符（3）" in files["cases/index.md"] and "另一类型（1）" in files["cases/index.md"]
    assert "案例00" in files["cases/type/wrong-price/index.md"]


def test_type_page_shows_its_five_most_relevant_cases_and_links_to_all(fixture_project):
    add_cases(fixture_project, 6)
    page = render_pages(load_project(fixture_project))["types/wrong-price.md"]
    listed = re.findall(r"^- \[(.+?)\]", page.split("## 相关案例", 1)[1].split("## 相关流程")[0], re.M)
    assert listed[:3] == ["有据可查的案例", "收银台的差价", "案例00"] and len(listed) == caselib.TYPE_PAGE_CASES
    assert '<a href="../../cases/type/wrong-price/" data-kesu-list="../../cases/?type=wrong-price">查看全部 8 个案例</a>' \
        in page


def test_type_page_with_few_cases_lists_them_all_without_a_link(fixture_project):
    page = render_pages(load_project(fixture_project))["types/wrong-price.md"]
    assert "查看全部" not in page


def test_every_facet_folder_is_a_reserved_case_id():
    assert {*caselib.FACETS, "page", caselib.DATA_DIR.split("/")[1]} == set(CASE_LIBRARY_FOLDERS)
    # A facet's static pages live in folders named by the values' ids: URL-safe without escaping.
    assert all(re.fullmatch(r"[a-z0-9-]+", choice.id) for values in (INDUSTRY, SEVERITY, CHANNEL) for choice in values)


@pytest.mark.parametrize("case_id", CASE_LIBRARY_FOLDERS)
def test_a_case_cannot_take_a_folder_of_the_case_library(fixture_project, case_id):
    write(fixture_project, f"cases/library/{case_id}.yml", (fixture_project / SAMPLE).read_text(encoding="utf-8"))
    with pytest.raises(SourceErrors) as caught:
        load_project(fixture_project)
    assert [str(p) for p in caught.value.problems] == [
        f"cases/library/{case_id}.yml:1: id '{case_id}' is reserved: /cases/{case_id}/ holds the case library's "
        f"list pages; choose another name"]


def test_other_kinds_may_use_the_case_librarys_folder_names(fixture_project):
    type_source = (fixture_project / "cases/types/wrong-price.yml").read_text(encoding="utf-8")
    write(fixture_project, "cases/types/page.yml", type_source.replace("name: 价签不符", "name: 页面"))
    assert "page" in load_project(fixture_project).types


def test_an_empty_library_has_a_first_page_and_a_head_without_chunks(fixture_project):
    for kind in ("library", "modules", "roleplays"):  # the others link to the cases
        for path in (fixture_project / "cases" / kind).glob("*.yml"):
            path.unlink()
    project = load_project(fixture_project)
    files = caselib.render_case_library(project)
    assert sorted(files) == ["cases/data/head.js", "cases/index.md"]
    assert data(files["cases/data/head.js"])["chunks"] == 0
    assert "案例库里还没有案例。" in files["cases/index.md"]


def edit(root, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("change", ["title", "added", "removed", "type-name"])
def test_pages_kept_from_the_last_render_are_those_a_fresh_render_writes(fixture_project, monkeypatch, change):
    """`kesu serve` renders again only the list pages whose inputs changed (caselib.ListMemo): after
    each kind of edit, the library is what a process that never rendered it before writes."""
    add_cases(fixture_project, 7)
    before = caselib.render_case_library(load_project(fixture_project), page_size=2)
    if change == "title":  # moves the case from the last page to the first
        edit(fixture_project, "cases/library/case-06.yml", "title: 案例06", "title: 一个改过标题的案例")
    elif change == "added":
        add_cases(fixture_project, 8)
    elif change == "removed":
        (fixture_project / "cases/library/case-00.yml").unlink()
    else:
        edit(fixture_project, "cases/types/wrong-price.yml", "name: 价签不符", "name: 标价不符")
    after = caselib.render_case_library(load_project(fixture_project), page_size=2)
    monkeypatch.setattr(caselib, "_list_memo", caselib.ListMemo())
    assert after == caselib.render_case_library(load_project(fixture_project), page_size=2)
    assert after != before
    unchanged = [path for path in after if path in before and after[path] == before[path]]
    assert unchanged  # some pages are the same and come from the memo
