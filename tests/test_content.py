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


def test_every_courier_rule_deadline_is_in_the_deadline_calculator():
    procedure = PROJECT.procedures["courier-outlet-duties"]
    deadlines = [str(step.deadline) if step.deadline is not None else step.when for step in procedure.steps]
    # The network's rules: query answer, reachability, apology, signing wait, receipts kept, feedback,
    # same-day delivery, claims accepted, settled and paid.
    for rule in ("2小时", "15分钟", "24小时", "2分钟", "180天", "17:00", "13:00", "3个工作日", "10个工作日", "1个月"):
        assert any(rule in deadline for deadline in deadlines), f"courier rule {rule} has no step"
    page = render_pages(PROJECT)["deadlines.md"]
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.S)
    for step, deadline in zip(procedure.steps, deadlines):
        assert any(f"<td>{deadline}</td>" in row and "courier-outlet-duties" in row and step.who in row
                   for row in rows), f"{deadline} ({step.who}) missing from /deadlines/"


COURIER_TYPES = ("parcel-lost-damaged", "parcel-delayed", "delivery-refused", "courier-invoice")


@pytest.mark.parametrize("type_id", COURIER_TYPES)
def test_courier_types_follow_the_network_rules(type_id):
    item = PROJECT.types[type_id]
    assert "courier-outlet-duties" in item.related_procedures
    # A query is answered within 2 hours, and the day's news reaches the customer before 17:00.
    assert any(str(step.deadline) == "2小时" for step in item.checklist)
    assert any("17:00" in step.action for step in item.checklist)
    phone = item.scripts["电话"]
    assert "{工号}" in phone["开场与安抚"] and "再见" in phone["确认与结束"]


# Short, distinctive facts of the five references (shared/reference/), each of which the site must state
# somewhere: deadlines, roles, record forms, named techniques and the public cases.
KEY_REFERENCE_FACTS = (
    # seed-000: the auto-repair company's procedure and rules
    "1小时", "24小时", "48小时", "4小时", "8小时", "每周二", "每月2日", "每月4日", "客户信息反馈处理单",
    "车牌号", "文明生产", "工期延误", "过失处理意见", "协商意见", "次要责任人", "暂停回访",
    "未了事宜台账", "处理尺度", "心服口服",
    # seed-002: the car maker's dealer training
    "前台主管", "销售主管", "营业活动", "服务与宣传",
    # seed-003: the property-management deck, its ammonia case and 碧桂园's points
    "80:20", "铃响三声", "三分钟", "7×24小时", "双倍利息", "尿素", "甲醛",
    "细心细致、公平公正、实事求是、依法合理", "谁受理、谁跟进、谁回复", "闻过则喜", "沙盘",
    # seed-004: a company's complaint system and the courier network's rules
    "申诉和投诉处理登记表", "质量监督员", "质量负责人", "总经办", "降低投诉率", "四步法",
    "平息情绪", "17:00", "15分钟", "180天", "13:00", "10个工作日",
    # seed-001: articles on handling steps, techniques, channels and the supermarket chain's chapter
    "4W1H", "委婉否认法", "是……而……", "除非……", "转化法", "一听、二表态、三承诺", "移情换位", "处理协议",
    "批号", "结束的期限", "派出所", "消费者协会", "顾客抱怨记录表", "副店长",
)


def test_key_reference_facts_are_stated_on_the_site():
    pages = list(render_pages(PROJECT).values())
    pages += [p.read_text(encoding="utf-8") for folder in ("docs", "docs/skills") for p in (REPO / folder).glob("*.md")]
    site = "\n".join(pages)
    assert [fact for fact in KEY_REFERENCE_FACTS if fact not in site] == []
