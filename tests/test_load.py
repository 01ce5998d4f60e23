"""Loader and validation: valid input, and every kind of bad input with its exact message."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write
from generator.load import load_project
from generator.problems import SourceErrors
from generator.settings import Settings

CASE = "cases/library/sample-case.yml"
TYPE = "cases/types/wrong-price.yml"
MODULE = "cases/modules/basics.yml"


def problems_of(root: Path) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load_project(root)
    return [str(p) for p in caught.value.problems]


def replace_in(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_valid_project_loads_with_ids_paths_and_durations(fixture_project):
    project = load_project(fixture_project)
    assert sorted(project.types) == ["wrong-price"]
    assert sorted(project.cases) == ["documented-case", "sample-case"]
    item = project.types["wrong-price"]
    assert item.path == TYPE
    assert [step.deadline.minutes for step in item.checklist] == [0, 30]
    assert project.cases["sample-case"].timeline[0].when == "10:05"  # not YAML 1.1's 605
    assert [c.id for c in project.cases_of_type("wrong-price")] == ["documented-case", "sample-case"]


def test_missing_script_stages_are_warnings_not_errors(fixture_project):
    assert [str(w) for w in load_project(fixture_project).warnings] == [
        f"{TYPE}:30: warning: field 'scripts.书面/网络': no script yet for 开场与安抚, 致歉与共情, 了解事实, 提出方案, "
        "确认与结束, 回访",
        f"{TYPE}:31: warning: field 'scripts.电话': no script yet for 致歉与共情, 了解事实, 确认与结束, 回访",
        f"{TYPE}:34: warning: field 'scripts.当面': no script yet for 致歉与共情, 了解事实, 提出方案, 确认与结束, 回访",
    ]


def test_a_misspelt_required_key_is_one_problem_on_its_own_line(fixture_project):
    replace_in(fixture_project, CASE, "channel: 当面", "chanel: 当面")
    assert problems_of(fixture_project) == [f"{CASE}:5: field 'chanel': unknown field; did you mean 'channel'?"]


def test_a_missing_field_and_an_unrelated_unknown_one_are_two_problems(fixture_project):
    replace_in(fixture_project, CASE, "channel: 当面", "remark: 当面")
    assert problems_of(fixture_project) == [
        f"{CASE}:2: field 'channel': required field is missing",
        f"{CASE}:5: field 'remark': unknown field",
    ]


def test_closed_list_names_every_choice_and_the_value_received(fixture_project):
    replace_in(fixture_project, CASE, "channel: 当面", "channel: 店面")
    assert problems_of(fixture_project) == [
        f"{CASE}:5: field 'channel': expected one of 电话, 当面, 书面/网络, got '店面'"]


def test_unknown_script_channel_and_stage(fixture_project):
    replace_in(fixture_project, TYPE, "  当面:\n    开场与安抚:", "  门店:\n    开场:")
    assert problems_of(fixture_project) == [
        f"{TYPE}:34: field 'scripts.门店': expected one of 电话, 当面, 书面/网络, got '门店'; did you mean '当面'?",
        f"{TYPE}:35: field 'scripts.门店.开场': expected one of 开场与安抚, 致歉与共情, 了解事实, 提出方案, "
        "确认与结束, 回访, got '开场'; did you mean '开场与安抚'?",
    ]


def test_wrong_type_says_what_was_expected_and_received(fixture_project):
    replace_in(fixture_project, CASE, "tags: [价签]", "tags: 价签")
    replace_in(fixture_project, CASE, "title: 收银台的差价", "title: [收银台, 差价]")
    assert problems_of(fixture_project) == [
        f"{CASE}:2: field 'title': expected text, got a list",
        f"{CASE}:25: field 'tags': expected a list, got text '价签'",
    ]


def test_bad_duration_lists_the_accepted_forms(fixture_project):
    replace_in(fixture_project, TYPE, "deadline: 30分钟", "deadline: 半小时")
    assert problems_of(fixture_project) == [
        f"{TYPE}:26: field 'checklist[1].deadline': expected a duration such as 立即, 30分钟, 1小时, 24小时 or 2天, "
        "got '半小时'; did you mean 30分钟?"]


@pytest.mark.parametrize("written, meant", [("马上", "立即"), ("30 分钟内", "30分钟"), ("1h", "1小时"),
                                            ("24小时以内", "24小时"), ("两天", "2天"), ("二十四小时", "24小时")])
def test_a_deadline_written_another_way_gets_the_form_it_means(fixture_project, written, meant):
    replace_in(fixture_project, TYPE, "deadline: 30分钟", f"deadline: {written}")
    assert problems_of(fixture_project) == [
        f"{TYPE}:26: field 'checklist[1].deadline': expected a duration such as 立即, 30分钟, 1小时, 24小时 or 2天, "
        f"got '{written}'; did you mean {meant}?"]


@pytest.mark.parametrize("written", ["｛客户称呼｝", "【客户称呼】"])
def test_a_placeholder_in_full_width_brackets_is_refused(fixture_project, written):
    replace_in(fixture_project, TYPE, '"{客户称呼}您好，请这边坐。"', f'"{written}您好，请这边坐。"')
    assert problems_of(fixture_project) == [
        f"{TYPE}:35: field 'scripts.当面.开场与安抚': '{written}' is shown as written, not filled in: write {{客户称呼}} "
        f"with ASCII braces"]


def test_brackets_around_other_words_stay_text(fixture_project):
    replace_in(fixture_project, TYPE, '"{客户称呼}您好，请这边坐。"', '"【提示】{客户称呼}您好，请这边坐。"')
    assert load_project(fixture_project).types["wrong-price"]


def test_empty_required_text_and_list(fixture_project):
    replace_in(fixture_project, CASE, "title: 收银台的差价", "title: ''")
    replace_in(fixture_project, CASE, "types: [wrong-price]", "types: []")
    assert problems_of(fixture_project) == [
        f"{CASE}:2: field 'title': must not be empty",
        f"{CASE}:4: field 'types': needs at least 1 item(s), got 0",
    ]


def test_documented_case_needs_a_source(fixture_project):
    replace_in(fixture_project, "cases/library/documented-case.yml", "source: 公开报道\n", "")
    assert problems_of(fixture_project) == [
        "cases/library/documented-case.yml:2: field 'source': "
        "required when origin is 真实事件: name where the facts come from"]


def test_unknown_reference_suggests_the_closest_id(fixture_project):
    replace_in(fixture_project, CASE, "types: [wrong-price]", "types: [wrong-prise]")
    replace_in(fixture_project, CASE, "related_procedures: [basic-flow]", "related_procedures: [nothing-like-it]")
    assert problems_of(fixture_project) == [
        f"{CASE}:4: field 'types[0]': unknown type 'wrong-prise'; did you mean 'wrong-price'?",
        f"{CASE}:26: field 'related_procedures[0]': unknown procedure 'nothing-like-it'",
    ]


def test_a_reference_by_the_files_chinese_name_stands_for_its_id(fixture_project):
    """Supervisors know a type by its name: 价签不符 (or 價簽不符) is wrong-price; a procedure by its title."""
    replace_in(fixture_project, CASE, "types: [wrong-price]", "types: [價簽不符, wrong-price]")
    replace_in(fixture_project, CASE, "related_procedures: [basic-flow]", "related_procedures: [ 基本流程 ]")
    case = load_project(fixture_project).cases["sample-case"]
    assert case.types == ["wrong-price"] and case.related_procedures == ["basic-flow"]


def test_a_name_near_a_files_name_is_unknown_and_says_which_id_was_meant(fixture_project):
    replace_in(fixture_project, CASE, "types: [wrong-price]", "types: [价格标签不符]")
    assert problems_of(fixture_project) == [
        f"{CASE}:4: field 'types[0]': unknown type '价格标签不符'; did you mean 'wrong-price' (价签不符)?"]


def test_reference_to_a_file_with_its_own_errors_is_not_reported_twice(fixture_project):
    replace_in(fixture_project, TYPE, "category: 商品", "category: 货品")
    assert problems_of(fixture_project) == [
        f"{TYPE}:3: field 'category': expected one of 商品, 服务, 安全与环境, 物流快递, 汽车维修, 物业, 餐饮, got '货品'; did you mean '商品'?"]


def test_undeclared_placeholder_is_an_error_with_a_suggestion(fixture_project):
    replace_in(fixture_project, TYPE, '开场与安抚: "{客户称呼}您好，谢谢', '开场与安抚: "{客户称谓}您好，谢谢')
    assert problems_of(fixture_project) == [
        f"{TYPE}:32: field 'scripts.电话.开场与安抚': placeholder {{客户称谓}} is not declared under "
        "'placeholders'; did you mean '客户称呼'?"]


def test_duplicate_ids_and_invalid_file_names(fixture_project):
    (fixture_project / "cases/library/sample-case.yaml").write_bytes((fixture_project / CASE).read_bytes())
    (fixture_project / "cases/library/Sample Case.yml").write_bytes((fixture_project / CASE).read_bytes())
    assert problems_of(fixture_project) == [
        "cases/library/Sample Case.yml:1: file name 'Sample Case.yml' is not a valid id: use lowercase letters, "
        "digits and hyphens, e.g. 'wrong-price.yml'",
        "cases/library/sample-case.yml:1: duplicate id 'sample-case': cases/library/sample-case.yaml has the same file name",
    ]


CORPUS = Path(__file__).resolve().parent / "corpus"
CORPUS_EXPECTED = [line.split("\t") for line in (CORPUS / "expected.tsv").read_text(encoding="utf-8").splitlines()
                   if line and not line.startswith("#")]


@pytest.mark.parametrize("name, line, message", CORPUS_EXPECTED, ids=[row[0] for row in CORPUS_EXPECTED])
def test_corpus_of_bad_files_gets_one_clear_line_each(fixture_project, name, line, message):
    """tests/corpus/ holds the bad files supervisors really produce; expected.tsv says what kesu prints."""
    write(fixture_project, f"cases/library/{name}", (CORPUS / name).read_bytes())
    assert problems_of(fixture_project) == [f"cases/library/{name}:{line}: {message}"]


def test_gbk_file_is_refused_with_how_to_convert(fixture_project):
    write(fixture_project, "cases/library/bad.yml", "title: 价签\n".encode("gbk"))
    assert problems_of(fixture_project) == [
        "cases/library/bad.yml:1: file is saved as GBK/GB18030, not UTF-8; in your editor choose "
        "'Save with encoding' > UTF-8 (or run: iconv -f GB18030 -t UTF-8)"]


def test_binary_and_oversized_files_are_refused(fixture_project):
    write(fixture_project, "cases/library/binary.yml", b"\x89PNG\r\n\x1a\n\x00\x00")
    write(fixture_project, "cases/library/huge.yml", b"title: x\n" + b"#" * (600 * 1024))
    assert problems_of(fixture_project) == [
        "cases/library/binary.yml:1: file is binary, not YAML text",
        "cases/library/huge.yml:1: file is 600 KiB; the limit is 512 KiB",
    ]


def test_utf8_bom_is_accepted(fixture_project):
    path = fixture_project / CASE
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_project(fixture_project).cases["sample-case"].title == "收银台的差价"


def test_every_problem_of_every_file_in_one_run(fixture_project):
    replace_in(fixture_project, CASE, "severity: 一般", "severity: 严重")
    replace_in(fixture_project, TYPE, "category: 商品", "category: 货品")
    write(fixture_project, "cases/procedures/empty.yml", "")
    assert len(problems_of(fixture_project)) == 3


def test_overdue_and_missing_reviews_are_warnings(fixture_project):
    from datetime import date
    replace_in(fixture_project, CASE, "reviewed: 2026-11-01\n", "")
    warnings = [str(w) for w in load_project(fixture_project, Settings(today=date(2027, 12, 1), review_days=365)).warnings
                if "review" in w.message]
    assert warnings == [
        "cases/library/documented-case.yml:11: warning: field 'reviewed': last reviewed 2026-11-01, "
        "more than 365 days ago: check the content and update it",
        f"{CASE}:2: warning: field 'reviewed': no review date: add reviewed: YYYY-MM-DD after checking the content",
        f"{MODULE}:28: warning: field 'reviewed': last reviewed 2026-11-01, more than 365 days ago: check the "
        "content and update it",
        "cases/roleplays/sample-roleplay.yml:26: warning: field 'reviewed': last reviewed 2026-11-01, "
        "more than 365 days ago: check the content and update it",
        f"{TYPE}:51: warning: field 'reviewed': last reviewed 2026-11-01, more than 365 days ago: check the content "
        "and update it",
    ]


def test_unfinished_scaffold_text_is_a_warning(fixture_project):
    replace_in(fixture_project, CASE, "outcome: 顾客满意。", "outcome: 待补充：处理结果")
    assert f"{CASE}:16: warning: field 'outcome': still says 待补充: fill it in" in [
        str(w) for w in load_project(fixture_project).warnings]


def test_windows_line_endings_are_accepted_with_right_line_numbers(fixture_project):
    path = fixture_project / CASE
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n").replace(b"channel: \xe5\xbd\x93\xe9\x9d\xa2",
                                                                       "channel: 店面".encode()))
    assert problems_of(fixture_project) == [
        f"{CASE}:5: field 'channel': expected one of 电话, 当面, 书面/网络, got '店面'"]


def test_personal_data_in_a_case_fails_check_with_line_and_kind(fixture_project):
    replace_in(fixture_project, CASE, "summary: 顾客发现多收了 3 元。",
               "summary: 顾客（电话 13800138000）发现多收了 3 元。")
    replace_in(fixture_project, CASE, "  - 当场核对并退款", "  - 当场核对并退款，记下车牌京A12345")
    assert problems_of(fixture_project) == [
        f"{CASE}:8: field 'summary': personal data (手机号 '13*******00', shown masked): remove or mask it "
        "(e.g. 138****8000); if it is not a real person's, end the line with the comment "
        "'# kesu: allow-personal-data'",
        f"{CASE}:15: field 'actions[0]': personal data (车牌号 '京A****5', shown masked): remove or mask it "
        "(e.g. 京A·***45); if it is not a real person's, end the line with the comment "
        "'# kesu: allow-personal-data'",
    ]


def test_allow_marker_and_placeholders_pass_the_privacy_guard(fixture_project):
    replace_in(fixture_project, CASE, "summary: 顾客发现多收了 3 元。",
               "summary: 门店热线 010-12345678 # kesu: allow-personal-data")
    assert load_project(fixture_project).cases["sample-case"].summary == "门店热线 010-12345678"


def test_links_out_of_the_folder_are_refused(fixture_project, tmp_path):
    outside = write(tmp_path, "elsewhere.yml", "title: x\n")
    (fixture_project / "cases/library/linked.yml").symlink_to(outside)
    assert problems_of(fixture_project) == [
        "cases/library/linked.yml:1: file is a link to another file; put the content itself here"]



def test_quiz_question_needs_exactly_one_correct_option(fixture_project):
    replace_in(fixture_project, MODULE, "      - text: 当场退还\n        correct: true\n", "      - text: 当场退还\n")
    replace_in(fixture_project, MODULE, "      - text: 让顾客找厂家\n", "      - text: 让顾客找厂家\n        correct: true\n")
    assert problems_of(fixture_project) == [
        f"{MODULE}:13: field 'questions[0].options': exactly one option must have correct: true, found 2",
        f"{MODULE}:22: field 'questions[1].options': exactly one option must have correct: true, found 0",
    ]


def test_quiz_question_needs_an_explanation(fixture_project):
    replace_in(fixture_project, MODULE, "    explanation: 越快退还，顾客越容易消气。\n", "")
    assert problems_of(fixture_project) == [
        f"{MODULE}:20: field 'questions[1].explanation': required field is missing"]


def test_module_links_must_name_pages_of_the_site(fixture_project):
    replace_in(fixture_project, MODULE, "learn_more: types/wrong-price.md", "learn_more: types/wrong-prise.md")
    replace_in(fixture_project, MODULE, "  - page: cases/sample-case.md", "  - page: skills/nowhere.md")
    assert problems_of(fixture_project) == [
        f"{MODULE}:10: field 'read[1].page': no page 'skills/nowhere.md' in the site",
        f"{MODULE}:19: field 'questions[0].learn_more': no page 'types/wrong-prise.md' in the site; "
        "did you mean 'types/wrong-price.md'?",
    ]


def test_module_order_numbers_are_unique(fixture_project):
    (fixture_project / "cases/modules/again.yml").write_bytes((fixture_project / MODULE).read_bytes())
    assert problems_of(fixture_project) == [
        "cases/modules/basics.yml:3: field 'order': order 1 is already used by cases/modules/again.yml"]


def test_a_source_edited_between_two_loads_is_read_again(fixture_project):
    from generator.load import load_project

    case = next((fixture_project / "cases/library").glob("*.yml"))
    first = load_project(fixture_project)
    source = case.read_text(encoding="utf-8")
    title = next(line for line in source.splitlines() if line.startswith("title:"))
    # Same length, written at once: nothing but the bytes tells the two versions apart.
    case.write_text(source.replace(title, title[:-1] + ("甲" if title[-1] != "甲" else "乙")), encoding="utf-8")
    second = load_project(fixture_project)
    assert first.cases[case.stem].title != second.cases[case.stem].title
    assert second.cases[case.stem].title == title[len("title: "):-1] + ("甲" if title[-1] != "甲" else "乙")


def test_table_row_with_the_wrong_number_of_cells(fixture_project):
    replace_in(fixture_project, "cases/procedures/basic-flow.yml", "      - 投诉内容\n",
               "      - 投诉内容\n    table:\n      columns: [条款, 罚款]\n      rows:\n        - [第一条]\n")
    assert problems_of(fixture_project) == [
        "cases/procedures/basic-flow.yml:32: field 'sections[0].table.rows': row 1 has 1 cells, "
        "expected 2 (one per column)"]


def test_decision_point_must_lie_inside_the_timeline(fixture_project):
    replace_in(fixture_project, CASE, "decision_after: 1", "decision_after: 3")
    assert problems_of(fixture_project) == [
        f"{CASE}:29: field 'decision_after': expected at most 2 (the timeline has 2 entries), got 3"]


def test_decision_point_counts_from_one(fixture_project):
    replace_in(fixture_project, CASE, "decision_after: 1", "decision_after: 0")
    assert problems_of(fixture_project) == [
        f"{CASE}:29: field 'decision_after': expected 1 or more, got a number (0)"]


def test_internal_case_needs_no_public_source(fixture_project):
    replace_in(fixture_project, CASE, "origin: 教学虚构", "origin: 内部案例\nanonymised_by: 客服中心 王主管")
    item = load_project(fixture_project).cases["sample-case"]
    assert (item.origin, item.source, item.anonymised_by) == ("内部案例", "", "客服中心 王主管")


def test_only_internal_cases_name_who_anonymised_them(fixture_project):
    replace_in(fixture_project, CASE, "origin: 教学虚构", "origin: 教学虚构\nanonymised_by: 王主管")
    assert problems_of(fixture_project) == [
        f"{CASE}:8: field 'anonymised_by': only for origin 内部案例, got origin 教学虚构"]


def test_unknown_origin_lists_the_three_labels(fixture_project):
    replace_in(fixture_project, CASE, "origin: 教学虚构", "origin: 内部")
    assert problems_of(fixture_project) == [
        f"{CASE}:7: field 'origin': expected one of 真实事件, 教学虚构, 内部案例, got '内部'; did you mean '内部案例'?"]


ROLEPLAY = "cases/roleplays/sample-roleplay.yml"


def test_role_play_loads_with_its_turns_and_scoring(fixture_project):
    item = load_project(fixture_project).roleplays["sample-roleplay"]
    assert [turn.expected for turn in item.turns] == [["先致歉", "陪顾客去货架核对"], ["按低价结算，退还差价"]]
    assert sum(score.points for score in item.scoring) == 100


def test_role_play_scores_must_add_up_to_one_hundred(fixture_project):
    replace_in(fixture_project, ROLEPLAY, "points: 40", "points: 30")
    assert problems_of(fixture_project) == [f"{ROLEPLAY}:17: field 'scoring': points must add up to 100, got 90"]


def test_role_play_turn_needs_an_expected_move(fixture_project):
    replace_in(fixture_project, ROLEPLAY, "    expected: [按低价结算，退还差价]\n", "    expected: []\n")
    assert problems_of(fixture_project) == [f"{ROLEPLAY}:16: field 'turns[1].expected': needs at least 1 item(s), got 0"]


def test_role_play_needs_two_turns(fixture_project):
    replace_in(fixture_project, ROLEPLAY, "  - customer: 那差价怎么办？\n    expected: [按低价结算，退还差价]\n", "")
    assert problems_of(fixture_project) == [f"{ROLEPLAY}:10: field 'turns': needs at least 2 item(s), got 1"]


def test_role_play_with_unknown_field_type_and_case_says_each(fixture_project):
    replace_in(fixture_project, ROLEPLAY, "types: [wrong-price]", "types: [wrong-prise]")
    replace_in(fixture_project, ROLEPLAY, "related_cases: [sample-case]", "related_cases: [sample-cse]")
    assert problems_of(fixture_project) == [
        f"{ROLEPLAY}:4: field 'types[0]': unknown type 'wrong-prise'; did you mean 'wrong-price'?",
        f"{ROLEPLAY}:24: field 'related_cases[0]': unknown case 'sample-cse'; did you mean 'sample-case'?"]


def test_role_play_with_a_misspelt_field_suggests_the_right_one(fixture_project):
    replace_in(fixture_project, ROLEPLAY, "customer_brief:", "customer_breif:")
    problems = problems_of(fixture_project)
    assert f"{ROLEPLAY}:8: field 'customer_breif': unknown field; did you mean 'customer_brief'?" in problems


def test_a_module_may_not_take_the_role_play_folder_name(fixture_project):
    (fixture_project / "cases/modules/roleplay.yml").write_bytes(
        (fixture_project / MODULE).read_bytes().replace(b"order: 1", b"order: 9"))
    assert problems_of(fixture_project) == [
        "cases/modules/roleplay.yml:1: the id 'roleplay' is taken by the role-play pages (/learn/roleplay/): "
        "rename the file"]


def test_a_number_with_a_leading_zero_stays_text_as_written(fixture_project):
    # Not octal, not stripped: 0123 is a code, 01062345678 a phone number the privacy guard must see.
    replace_in(fixture_project, CASE, "title: 收银台的差价", "title: 0123")
    assert load_project(fixture_project).cases["sample-case"].title == "0123"
    replace_in(fixture_project, CASE, "title: 0123", "title: 01062345678")
    assert problems_of(fixture_project)[0].startswith(f"{CASE}:2: field 'title': personal data (固定电话")


# --- the search thesaurus (cases/search/synonyms.yml) ----------------------------------------

THESAURUS = "cases/search/synonyms.yml"
GOOD_THESAURUS = """\
groups:
  - terms: [丢失]
    callers_say: [被人拿走, 找不着]
  - terms: [破损, 损坏]
    callers_say: [碎了]
"""


def test_a_valid_thesaurus_is_loaded_and_a_project_may_have_none(fixture_project):
    assert load_project(fixture_project).thesaurus is None
    write(fixture_project, THESAURUS, GOOD_THESAURUS)
    groups = load_project(fixture_project).thesaurus.groups
    assert [(g.terms, g.callers_say) for g in groups] == [(["丢失"], ["被人拿走", "找不着"]), (["破损", "损坏"], ["碎了"])]


@pytest.mark.parametrize("old, new, message", [
    ("    callers_say: [碎了]", "    callers_say: [碎了]\n    says: [摔了]",
     "6: field 'groups[1].says': unknown field"),
    ("    callers_say: [碎了]", "    callers_say: []", "5: field 'groups[1].callers_say': needs at least 1 item(s), got 0"),
    ("  - terms: [破损, 损坏]", "  - terms: []", "4: field 'groups[1].terms': needs at least 1 item(s), got 0"),
    ("    callers_say: [碎了]", "    callers_say: [碎了, '']", "5: field 'groups[1].callers_say[1]': must not be empty"),
    ("    callers_say: [碎了]", "    callers_say: [找不着]",
     "5: field 'groups[1].callers_say[0]': '找不着' is already listed at line 3 (groups[0].callers_say[1]); "
     "list each phrase in one group only"),
    ("    callers_say: [碎了]", "    callers_say: [碎了, 碎了]",
     "5: field 'groups[1].callers_say[1]': '碎了' is already listed at line 5 (groups[1].callers_say[0]); "
     "list each phrase in one group only"),
    ("    callers_say: [碎了]", "    callers_say: [碎了，摔坏了]",
     "5: field 'groups[1].callers_say[0]': '碎了，摔坏了' looks like several items: separate them with ASCII commas "
     "inside [ ], or write each on its own line starting with '- '"),
    ("    callers_say: [碎了]", "    callers_say: [碎了, 损坏]",
     "5: field 'groups[1].callers_say[1]': '损坏' is one of this group's terms; list only what callers say instead"),
])
def test_each_bad_thesaurus_entry_gets_one_line_with_file_and_line(fixture_project, old, new, message):
    write(fixture_project, THESAURUS, GOOD_THESAURUS.replace(old, new, 1))
    assert problems_of(fixture_project) == [f"{THESAURUS}:{message}"]


def test_a_misspelt_thesaurus_key_suggests_the_right_one(fixture_project):
    write(fixture_project, THESAURUS, GOOD_THESAURUS.replace("groups:", "group:"))
    assert problems_of(fixture_project) == [f"{THESAURUS}:1: field 'group': unknown field; did you mean 'groups'?"]


def test_a_thesaurus_that_is_not_a_mapping_is_refused(fixture_project):
    write(fixture_project, THESAURUS, "- terms: [丢失]\n")
    assert problems_of(fixture_project) == [f"{THESAURUS}:1: expected a mapping of fields at the top level, got a list"]


# --- careless values that are fine, or that pydantic alone would read wrongly ----------------------

def test_a_date_in_a_text_field_stays_text(fixture_project):
    replace_in(fixture_project, CASE, "  - when: 10:05", "  - when: 2026-03-01")
    assert load_project(fixture_project).cases["sample-case"].timeline[0].when == "2026-03-01"


@pytest.mark.parametrize("value, got", [("0", "a number (0)"), ("86400", "a number (86400)"),
                                        ("true", "true/false (true)")])
def test_a_review_date_written_as_a_number_is_not_a_day_in_1970(fixture_project, value, got):
    replace_in(fixture_project, CASE, "reviewed: 2026-11-01", f"reviewed: {value}")
    assert problems_of(fixture_project) == [
        f"{CASE}:28: field 'reviewed': expected a date such as 2026-01-31, got {got}"]


@pytest.mark.parametrize("rel, old, line, field", [
    (MODULE, "order: 1", 3, "order"), (ROLEPLAY, "points: 30", 19, "scoring[0].points")])
def test_true_is_not_a_number(fixture_project, rel, old, line, field):
    replace_in(fixture_project, rel, old, old.split(":")[0] + ": true")
    assert problems_of(fixture_project) == [
        f"{rel}:{line}: field '{field}': expected a whole number such as 2, got true/false (true)"]


def test_a_case_copied_with_its_title_is_a_warning_on_the_copy(fixture_project):
    write(fixture_project, "cases/library/zz-copy.yml", (fixture_project / CASE).read_bytes())
    warnings = [str(w) for w in load_project(fixture_project).warnings]
    assert "cases/library/zz-copy.yml:2: warning: field 'title': '收银台的差价' is also the title of " \
           "cases/library/sample-case.yml: give each case its own title (was this file copied?)" in warnings
    assert not [w for w in warnings if w.startswith(CASE)]


@pytest.mark.parametrize("written, meant", [("是", "true"), ("√", "true"), ("错", "false")])
def test_a_quiz_answer_marked_in_chinese_gets_true_or_false(fixture_project, written, meant):
    replace_in(fixture_project, MODULE, "        correct: true", f"        correct: {written}")
    assert problems_of(fixture_project) == [
        f"{MODULE}:16: field 'questions[0].options[1].correct': expected true or false, got '{written}'; "
        f"did you mean {meant}?"]


# --- text that would not look on the page as it was meant: warnings, the case is still published ----

@pytest.mark.parametrize("old, new, message", [
    ("title: 收银台的差价", "title: 收银台<b>差价</b>", "2: warning: field 'title': HTML '<b>' shows as written on the "
                                                  "page; tags are not applied"),
    ("title: 收银台的差价", "title: '**收银台**的差价'", "2: warning: field 'title': '**收银台**' shows as written: this "
                                                  "field is plain text, Markdown is not applied"),
    ("outcome: 顾客满意。", "outcome: '[详情](javascript:alert(1))'", "16: warning: field 'outcome': the link to "
     "'javascript:alert(1' is shown as text: a link goes to http://, https:// or a site page"),
    ("outcome: 顾客满意。", "outcome: 顾客满意 #好评", "16: warning: '#好评' is read as a comment and left out of the page; "
                                               "to keep it, put the whole value in quotes"),
])
def test_markup_and_cut_text_are_warnings_with_their_line(fixture_project, old, new, message):
    replace_in(fixture_project, CASE, old, new)
    assert f"{CASE}:{message}" in [str(w) for w in load_project(fixture_project).warnings]


def test_markdown_in_a_markdown_field_and_a_spaced_comment_are_no_warning(fixture_project):
    replace_in(fixture_project, CASE, "outcome: 顾客满意。", "outcome: '**顾客满意**' # 结果")
    assert not [w for w in load_project(fixture_project).warnings if w.path == CASE]


def test_a_title_as_long_as_a_paragraph_is_a_warning(fixture_project):
    replace_in(fixture_project, CASE, "title: 收银台的差价", "title: " + "顾客发现多收了三元钱，" * 7)
    assert f"{CASE}:2: warning: field 'title': 77 characters long: a title is one short line (at most 60); it heads " \
           f"the page and every list" in [str(w) for w in load_project(fixture_project).warnings]


def test_an_optional_field_left_blank_takes_its_default(fixture_project):
    replace_in(fixture_project, CASE, "tags: [价签]", "tags:\nsource:")
    replace_in(fixture_project, CASE, "outcome: 顾客满意。", "outcome:")
    case = load_project(fixture_project).cases["sample-case"]
    assert (case.tags, case.source, case.outcome) == ([], "", "")


def test_a_required_field_left_blank_is_still_an_error(fixture_project):
    replace_in(fixture_project, CASE, "title: 收银台的差价", "title:")
    assert problems_of(fixture_project) == [f"{CASE}:2: field 'title': expected text, got an empty value"]


def test_an_id_in_the_wrong_list_says_which_list_it_belongs_in(fixture_project):
    replace_in(fixture_project, CASE, "types: [wrong-price]", "types: [basic-flow]")
    replace_in(fixture_project, CASE, "related_procedures: [basic-flow]", "related_procedures: [wrong-price]")
    assert problems_of(fixture_project) == [
        f"{CASE}:4: field 'types[0]': unknown type 'basic-flow'; 'basic-flow' is a procedure: list it under "
        f"related_procedures",
        f"{CASE}:26: field 'related_procedures[0]': unknown procedure 'wrong-price'; 'wrong-price' is a type: "
        f"list it under types"]


def test_a_case_saved_among_the_types_is_one_line_that_says_where_it_goes(fixture_project):
    write(fixture_project, "cases/types/late-refund.yml", (fixture_project / CASE).read_bytes())
    assert problems_of(fixture_project) == [
        "cases/types/late-refund.yml:1: the fields (actions, analysis, channel ...) are a case's: a case goes in "
        "cases/library/; move the file there"]


def test_fields_nested_under_one_key_are_one_line(fixture_project):
    source = (fixture_project / CASE).read_text(encoding="utf-8").splitlines()
    write(fixture_project, CASE, "\n".join([source[0], "case:"] + ["  " + line for line in source[1:]]) + "\n")
    assert problems_of(fixture_project) == [
        f"{CASE}:2: the fields are nested under 'case:': remove that line and start the fields at the beginning of "
        f"their lines"]


@pytest.mark.parametrize("declared", ["{客户称呼}", "'{客户称呼}'", "｛客户称呼｝"])
def test_a_placeholder_declared_with_braces_is_one_line_at_the_declaration(fixture_project, declared):
    replace_in(fixture_project, TYPE, "  客户称呼:", f"  {declared}:")
    key = declared.strip("'")
    assert problems_of(fixture_project) == [
        f"{TYPE}:14: field 'placeholders.{key}': a placeholder is declared by its name alone, without braces or "
        f"spaces: '客户称呼:'"]


@pytest.mark.parametrize("key", ["id", "编号"])
def test_an_id_written_in_the_file_is_told_it_is_the_file_name(fixture_project, key):
    replace_in(fixture_project, CASE, "title: 收银台的差价", f"{key}: sample-case\ntitle: 收银台的差价")
    assert problems_of(fixture_project) == [
        f"{CASE}:2: field '{key}': unknown field: a source's id is its file name (late-refund.yml is "
        f"/cases/late-refund/); remove this line"]


def test_a_pasted_page_in_one_field_is_quoted_short(fixture_project):
    replace_in(fixture_project, CASE, "channel: 当面", "channel: " + "店面" * 5000)
    assert problems_of(fixture_project) == [
        f"{CASE}:5: field 'channel': expected one of 电话, 当面, 书面/网络, got '{'店面' * 40}…'"]


def test_a_hash_inside_quotes_is_text_not_a_cut(fixture_project):
    replace_in(fixture_project, CASE, "  - 变价后立即换签", "  - '变价后立即换签 #1'")
    replace_in(fixture_project, CASE, "  - when: 10:05", "  - when: '10:05 #A'")
    assert not [w for w in load_project(fixture_project).warnings if w.path == CASE]
