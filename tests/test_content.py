"""Guards on the shipped knowledge base: completeness, declared placeholders, resolving references."""
from __future__ import annotations

import re

import pytest

from conftest import REPO
from generator.load import load_project
from generator.model import CHANNELS, PLACEHOLDER_PATTERN, STAGES
from generator.render import render_pages

PROJECT = load_project(REPO, review_days=36500)  # raises on any error: every reference resolves, every placeholder is declared
TYPES = sorted(PROJECT.types)
CASES = sorted(PROJECT.cases)


def test_shipped_sources_have_no_warnings():
    assert [str(w) for w in PROJECT.warnings] == []


def test_knowledge_base_is_large_enough():
    assert len(PROJECT.types) >= 16
    assert len(PROJECT.cases) >= 20
    assert {"general-flow", "severity-escalation", "phone-channel", "letter-channel", "in-person-channel",
            "online-channel", "follow-up-visit", "records-and-statistics"} <= set(PROJECT.procedures)


@pytest.mark.parametrize("type_id", TYPES)
def test_type_is_complete(type_id):
    item = PROJECT.types[type_id]
    assert len(item.checklist) >= 6
    assert all(step.who and step.deadline is not None for step in item.checklist)
    for channel in CHANNELS:
        assert sorted(item.scripts.get(channel, {})) == sorted(STAGES), f"{channel} lacks stages"
    assert item.letters and len(item.avoid) >= 4 and item.key_phrases
    assert PROJECT.cases_of_type(type_id) or item.related_cases, "no related case"


@pytest.mark.parametrize("type_id", TYPES)
def test_every_declared_placeholder_is_used(type_id):
    item = PROJECT.types[type_id]
    texts = [t for stages in item.scripts.values() for t in stages.values()]
    texts += [part for letter in item.letters for part in (letter.subject, letter.body)]
    used = {name for text in texts for name, _ in PLACEHOLDER_PATTERN.findall(text)}
    assert set(item.placeholders) == used


@pytest.mark.parametrize("case_id", CASES)
def test_case_is_complete(case_id):
    item = PROJECT.cases[case_id]
    assert len(item.questions) >= 3
    assert item.timeline and item.actions and item.outcome and item.lessons
    assert item.analysis.went_well and item.analysis.went_wrong


def test_learning_path_has_five_modules_and_twenty_questions():
    modules = sorted(PROJECT.modules.values(), key=lambda m: m.order)
    assert len(modules) >= 5
    assert sum(len(m.questions) for m in modules) >= 20
    assert all(m.questions for m in modules)


def test_documented_ammonia_case_is_shipped_as_a_real_event():
    item = PROJECT.cases["soho-ammonia-incident"]
    assert item.origin == "真实事件" and item.source


@pytest.mark.parametrize("page, text", sorted(render_pages(PROJECT).items()))
def test_no_generated_page_is_empty(page, text):
    body = re.sub(r"^---\n.*?\n---\n", "", text, flags=re.S)
    assert len(re.sub(r"\s+", "", body)) > 100, page


def test_severity_terms_are_consistent():
    words = re.compile("严重投诉|普通投诉|轻微投诉|一般客诉|重大客诉")
    files = list((REPO / "cases").rglob("*.yml")) + list((REPO / "docs").rglob("*.md"))
    offenders = [str(p.relative_to(REPO)) for p in files if words.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_quick_reference_is_linked_from_every_type_page_and_call_card():
    pages = render_pages(PROJECT)
    unlinked = [page for page, text in pages.items()
                if page.startswith(("types/", "callcards/")) and page != "types/index.md"
                and 'href="../../quick-reference/"' not in text]
    assert (REPO / "docs/quick-reference.md").is_file()
    assert unlinked == []


def test_quick_reference_names_each_law_with_its_article():
    text = (REPO / "docs/quick-reference.md").read_text(encoding="utf-8")
    for citation in ("《消费者权益保护法》第二十五条", "《消费者权益保护法》第五十五条", "《食品安全法》第一百四十八条",
                     "《邮政法》第四十七条", "《快递暂行条例》", "《部分商品修理更换退货责任规定》", "不是法律意见"):
        assert citation in text, citation


def _quiz_answers() -> list[tuple[list[int], int]]:
    """(option lengths, index of the correct option) of every quiz question."""
    return [([len(o.text) for o in q.options], next(i for i, o in enumerate(q.options) if o.correct))
            for module in PROJECT.modules.values() for q in module.questions]


def test_quiz_answers_cannot_be_guessed_by_length_or_position():
    answers = _quiz_answers()

    def answer_alone_at(extreme) -> int:
        """Questions whose correct option is the only one of the extreme (longest or shortest) length."""
        return sum(lengths[correct] == extreme(lengths) and lengths.count(extreme(lengths)) == 1
                   for lengths, correct in answers)

    assert answer_alone_at(max) <= len(answers) / 4
    assert answer_alone_at(min) <= len(answers) / 4
    positions = [correct for _, correct in answers]
    assert max(positions.count(p) for p in set(positions)) <= len(answers) / 2


def test_each_main_industry_has_at_least_two_role_plays():
    industries = [item.industry for item in PROJECT.roleplays.values()]
    main = ("零售与超市", "汽车销售与维修", "物业管理", "快递物流", "餐饮")
    assert {industry: industries.count(industry) >= 2 for industry in main} == dict.fromkeys(main, True)
