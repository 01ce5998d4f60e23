"""Guards on the shipped knowledge base: completeness, declared placeholders, resolving references."""
from __future__ import annotations

import re

import pytest

from conftest import REPO
from generator.load import load_project
from generator.model import CHANNELS, PLACEHOLDER_PATTERN, STAGES
from generator.registry import fixed_paths
from generator.render import render_pages
from generator.settings import Settings

def source_ids(kind: str) -> list[str]:
    """The ids of the shipped sources of a kind, from their file names: known without loading the
    sources, so that a bad source fails the tests that load it instead of their collection."""
    return sorted(path.stem for path in (REPO / "cases" / kind).glob("*.yml"))


TYPES = source_ids("types")
CASES = source_ids("library")


@pytest.fixture(scope="module")
def project():
    return load_project(REPO, Settings(review_days=36500))  # raises on any error: every reference resolves, every placeholder is declared


@pytest.fixture(scope="module")
def pages(project):
    return render_pages(project)


def test_every_shipped_source_is_parametrized(project):
    assert (sorted(project.types), sorted(project.cases)) == (TYPES, CASES)


def test_shipped_sources_have_no_warnings(project):
    assert [str(w) for w in project.warnings] == []


def test_knowledge_base_is_large_enough(project):
    assert len(project.types) >= 16
    assert len(project.cases) >= 20
    assert {"general-flow", "severity-escalation", "phone-channel", "letter-channel", "in-person-channel",
            "online-channel", "follow-up-visit", "records-and-statistics"} <= set(project.procedures)


@pytest.mark.parametrize("type_id", TYPES)
def test_type_is_complete(type_id, project):
    item = project.types[type_id]
    assert len(item.checklist) >= 6
    assert all(step.who and step.deadline is not None for step in item.checklist)
    for channel in CHANNELS:
        assert sorted(item.scripts.get(channel, {})) == sorted(STAGES), f"{channel} lacks stages"
    assert item.letters and len(item.avoid) >= 4 and item.key_phrases
    assert project.cases_of_type(type_id) or item.related_cases, "no related case"


@pytest.mark.parametrize("type_id", TYPES)
def test_every_declared_placeholder_is_used(type_id, project):
    item = project.types[type_id]
    texts = [t for stages in item.scripts.values() for t in stages.values()]
    texts += [part for letter in item.letters for part in (letter.subject, letter.body)]
    used = {name for text in texts for name, _ in PLACEHOLDER_PATTERN.findall(text)}
    assert set(item.placeholders) == used


@pytest.mark.parametrize("case_id", CASES)
def test_case_is_complete(case_id, project):
    item = project.cases[case_id]
    assert len(item.questions) >= 3
    assert item.timeline and item.actions and item.outcome and item.lessons
    assert item.analysis.went_well and item.analysis.went_wrong


def test_learning_path_has_five_modules_and_twenty_questions(project):
    modules = sorted(project.modules.values(), key=lambda m: m.order)
    assert len(modules) >= 5
    assert sum(len(m.questions) for m in modules) >= 20
    assert all(m.questions for m in modules)


def test_documented_ammonia_case_is_shipped_as_a_real_event(project):
    item = project.cases["soho-ammonia-incident"]
    assert item.origin == "真实事件" and item.source


def test_no_generated_page_is_empty(pages):
    def body(text: str) -> str:
        return re.sub(r"\s+", "", re.sub(r"^---\n.*?\n---\n", "", text, flags=re.S))

    assert len(pages) > len(TYPES) + len(CASES)
    assert [page for page, text in sorted(pages.items()) if len(body(text)) <= 100] == []


def test_severity_terms_are_consistent():
    words = re.compile("严重投诉|普通投诉|轻微投诉|一般客诉|重大客诉")
    files = list((REPO / "cases").rglob("*.yml")) + list((REPO / "docs").rglob("*.md"))
    offenders = [str(p.relative_to(REPO)) for p in files if words.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_every_courier_rule_deadline_is_in_the_deadline_calculator(project, pages):
    procedure = project.procedures["courier-outlet-duties"]
    deadlines = [str(step.deadline) if step.deadline is not None else step.when for step in procedure.steps]
    # The network's rules: query answer, reachability, apology, signing wait, receipts kept, feedback,
    # same-day delivery, claims accepted, settled and paid.
    for rule in ("2小时", "15分钟", "24小时", "2分钟", "180天", "17:00", "13:00", "3个工作日", "10个工作日", "1个月"):
        assert any(rule in deadline for deadline in deadlines), f"courier rule {rule} has no step"
    page = pages["deadlines.md"]
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.S)
    for step, deadline in zip(procedure.steps, deadlines):
        assert any(f"<td>{deadline}</td>" in row and "courier-outlet-duties" in row and step.who in row
                   for row in rows), f"{deadline} ({step.who}) missing from /deadlines/"


COURIER_TYPES = ("parcel-lost-damaged", "parcel-delayed", "delivery-refused", "courier-invoice")


@pytest.mark.parametrize("type_id", COURIER_TYPES)
def test_courier_types_follow_the_network_rules(type_id, project):
    item = project.types[type_id]
    assert "courier-outlet-duties" in item.related_procedures
    # A query is answered within 2 hours, and the day's news reaches the customer before 17:00.
    assert any(str(step.deadline) == "2小时" for step in item.checklist)
    assert any("17:00" in step.action for step in item.checklist)
    phone = item.scripts["电话"]
    assert "{工号}" in phone["开场与安抚"] and "再见" in phone["确认与结束"]


# --- severity: one scheme for types, cases and their text ---------------------------------

LEVEL_RANK = {"一般": 0, "重要": 1, "重大": 2}
# A level the narrative assigns: 按重要投诉处理, 定为重大投诉, 升级为重要投诉, 属于重要投诉 ...
STATED_LEVEL = re.compile(r"(?:按|定为|升级为|升为|属于)(?:“)?(一般|重要|重大)投诉")


def levels_allowed_by_types(case, project) -> set[str]:
    """A case may sit at a level some type of it names, and never below the highest type default."""
    types = [project.types[t] for t in case.types]
    floor = max(LEVEL_RANK[t.severity.default] for t in types)
    named = {t.severity.default for t in types} | {r.level for t in types for r in t.severity.raise_when}
    return {level for level in named if LEVEL_RANK[level] >= floor}


@pytest.mark.parametrize("case_id", CASES)
def test_case_level_is_allowed_by_its_types(case_id, project):
    case = project.cases[case_id]
    assert case.severity in levels_allowed_by_types(case, project)


@pytest.mark.parametrize("case_id", CASES)
def test_case_narrative_ends_at_its_level(case_id, project):
    """The highest level the story assigns (summary, timeline, actions, tags) is the case's level."""
    case = project.cases[case_id]
    texts = [case.summary, *(entry.what for entry in case.timeline), *case.actions]
    stated = {m.group(1) for text in texts for m in STATED_LEVEL.finditer(text)}
    stated |= {tag[:2] for tag in case.tags if tag in ("一般投诉", "重要投诉", "重大投诉")}
    if stated:
        assert max(stated, key=LEVEL_RANK.get) == case.severity, stated


def test_consumer_association_alone_is_not_a_major_complaint(project):
    """消协 mediates; naming it raises a complaint to 重要 at least, never by itself to 重大."""
    procedure = project.procedures["severity-escalation"]
    major = next(level for level in procedure.levels if level.level == "重大")
    important = next(level for level in procedure.levels if level.level == "重要")
    assert not any("消协" in c or "消费者协会" in c for c in major.criteria)
    assert any("消费者协会" in c for c in important.criteria)
    for type_id, item in project.types.items():
        for rule in item.severity.raise_when:
            if rule.level == "重大":
                assert "消协" not in rule.when and "消费者协会" not in rule.when, (item.name, rule.when)


def test_old_regulator_names_are_not_used():
    """质监 and 工商 are now 市场监管; the old names appear only where the merger is explained (并入).

    The thesaurus is exempt: callers still say 工商局 and 质监局, and search must understand them."""
    # 质量监督员 is a company's own inspector (seed-004), not the regulator.
    words = re.compile("质监|质量技术监督|质量监督(?!员)|工商局")
    files = [p for p in (REPO / "cases").rglob("*.yml") if "search" not in p.parts] + [REPO / "docs" / "glossary.md"]
    offenders = [f"{p.relative_to(REPO)}:{n}" for p in files
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if words.search(line) and "并入" not in line and "（原" not in line]
    assert offenders == []


# Words that, said of what happened, meet a 重大 rule wherever a type's rule names them.
MAJOR_TRIGGERS = {"刹车": "制动", "制动": "制动", "转向": "转向", "安全气囊": "安全气囊", "起火": "起火", "冒烟": "冒烟",
                  "燃气": "燃气", "漏电": "漏电", "受伤": "受伤", "就医": "就医", "起诉": "起诉", "律师": "律师",
                  "媒体": "媒体"}
NEGATED = re.compile(r"(?:没有人?|无人|未|不|并非)\S{0,3}$")


def major_triggers_in(text: str) -> set[str]:
    """Trigger words stated as facts: 'SUV 刹车异响' counts, '没有人受伤' does not."""
    return {rule_word for word, rule_word in MAJOR_TRIGGERS.items() for m in re.finditer(word, text)
            if not NEGATED.search(text[max(0, m.start() - 6):m.start()])}


@pytest.mark.parametrize("case_id", CASES)
def test_case_meeting_a_major_rule_of_its_type_is_major(case_id, project):
    case = project.cases[case_id]
    major_rules = " ".join(r.when for t in case.types for r in project.types[t].severity.raise_when if r.level == "重大")
    met = {word for word in major_triggers_in(case.title + case.summary) if word in major_rules}
    assert not met or case.severity == "重大", met


# --- scripts a trained agent would say ------------------------------------------------------

# Fault stated as a fact; fine after a condition in the same sentence (如果、经核实、查实 ...).
ADMISSION = re.compile(r"是我们的(?:错|责任|不对|失误|问题)|我们(?:搞|弄)错了|我们(?:的)?失误|这是我们的问题"
                       r"|是我们(?:的)?\S{0,6}?(?:没有?(?:做好|做到位|管好|服务好|照顾好|安排好|干好|处理好)|不到位|疏忽)")
CONDITION = re.compile(r"如果|假如|若|一旦|只要|凡是|经核实|核实|查实|查明|确认|确属|属于")


def admissions(text: str) -> list[str]:
    """Sentences that admit fault without a condition before the admission."""
    found = []
    for sentence in re.split(r"(?<=[。！？])", text):
        for m in ADMISSION.finditer(sentence):
            if not CONDITION.search(sentence[:m.start()]):
                found.append(sentence.strip())
    return found


@pytest.mark.parametrize("type_id", TYPES)
def test_apology_does_not_admit_fault_before_the_facts(type_id, project):
    item = project.types[type_id]
    texts = [stages[s] for stages in item.scripts.values() for s in ("开场与安抚", "致歉与共情") if s in stages]
    assert [a for text in texts + item.key_phrases for a in admissions(text)] == []


def test_admission_patterns_catch_a_confession_but_not_a_condition():
    assert admissions("给您添麻烦了。这是我们的工作没做到位。")
    assert admissions("是我们没做好，非常抱歉。")
    assert admissions("这是我们的活儿没干好，后面的事我来跟。")
    assert not admissions("经核实是我们的责任，我们一定承担。")
    assert not admissions("如果查下来是我们的问题，费用由我们承担。")


def doubled_fallbacks(text: str, placeholders: dict) -> list[str]:
    """Places where the words next to a placeholder repeat its fallback, e.g. 客户经理{经办人|客户经理}."""
    found = []
    for m in PLACEHOLDER_PATTERN.finditer(text):
        name, inline = m.group(1), m.group(2)
        fallback = inline if inline is not None else (placeholders[name].default or "")
        before, after = text[:m.start()], text[m.end():]
        # the same character on both sides of the seam (您{..|您}好), or two or more characters of the
        # fallback already standing next to it (订单{订单号|您的订单}, 您反映的{..|您反映的问题})
        seam = fallback and (before.endswith(fallback[0]) or after.startswith(fallback[-1]))
        near = any(len(part) == 2 and part in fallback for part in (before[-2:], after[:2]))
        if seam or near:
            found.append(text[max(0, m.start() - 6):m.end() + 6])
    return found


def test_doubled_fallback_is_found():
    placeholders = {"经办人": type("P", (), {"default": "客户经理"}), "车型": type("P", (), {"default": "您的车"})}
    assert doubled_fallbacks("我是客户经理{经办人}。", placeholders)
    assert doubled_fallbacks("关于您的{车型}返修", placeholders)
    assert doubled_fallbacks("订单{车型}", {"车型": type("P", (), {"default": "您的订单"})})
    assert not doubled_fallbacks("我是客户经理{经办人|}。", placeholders)
    assert not doubled_fallbacks("关于{车型}的返修", placeholders)


@pytest.mark.parametrize("type_id", TYPES)
def test_no_fallback_is_doubled_by_its_surroundings(type_id, project):
    item = project.types[type_id]
    texts = [t for stages in item.scripts.values() for t in stages.values()]
    texts += [part for letter in item.letters for part in (letter.subject, letter.body)]
    assert [d for text in texts for d in doubled_fallbacks(text, item.placeholders)] == []


@pytest.mark.parametrize("type_id", TYPES)
def test_phone_call_opens_with_company_and_staff_number_and_ends_with_goodbye(type_id, project):
    phone = project.types[type_id].scripts["电话"]
    names = [name for name, _ in PLACEHOLDER_PATTERN.findall(phone["开场与安抚"])]
    assert phone["开场与安抚"].startswith("您好") and "工号" in names
    assert {"公司名称", "门店名称", "管理处名称"} & set(names), "the opening names no company"
    assert "再见" in phone["确认与结束"]


def test_every_type_has_eight_distinct_customer_phrases(project):
    thin = {t: len(set(project.types[t].customer_says)) for t in TYPES if len(set(project.types[t].customer_says)) < 8}
    assert thin == {}


def _colloquial_pages(entry):
    return [entry["expect"]] if isinstance(entry["expect"], str) else entry["expect"]


def test_colloquial_queries_expect_pages_that_exist_and_cover_every_type(project):
    import yaml

    entries = yaml.safe_load((REPO / "bench" / "colloquial.yml").read_text(encoding="utf-8"))
    assert len(entries) >= 120
    known = {f"types/{t}/" for t in project.types} | {f"procedures/{p}/" for p in project.procedures}
    known |= {re.sub(r"(index)?\.md$", "", page).rstrip("/") + "/" for page in fixed_paths() if page.endswith(".md")}
    expected = [page for entry in entries for page in _colloquial_pages(entry)]
    assert [page for page in expected if page not in known] == []
    assert all(set(entry) == {"query", "expect"} and entry["query"].strip() for entry in entries)
    assert {f"types/{t}/" for t in TYPES} <= set(expected)


def test_quick_reference_is_linked_from_every_type_page_and_call_card(pages):
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


def _quiz_answers(project) -> list[tuple[list[int], int]]:
    """(option lengths, index of the correct option) of every quiz question."""
    return [([len(o.text) for o in q.options], next(i for i, o in enumerate(q.options) if o.correct))
            for module in project.modules.values() for q in module.questions]


def test_quiz_answers_cannot_be_guessed_by_length_or_position(project):
    answers = _quiz_answers(project)

    def answer_alone_at(extreme) -> int:
        """Questions whose correct option is the only one of the extreme (longest or shortest) length."""
        return sum(lengths[correct] == extreme(lengths) and lengths.count(extreme(lengths)) == 1
                   for lengths, correct in answers)

    assert answer_alone_at(max) <= len(answers) / 4
    assert answer_alone_at(min) <= len(answers) / 4
    positions = [correct for _, correct in answers]
    assert max(positions.count(p) for p in set(positions)) <= len(answers) / 2


def test_each_main_industry_has_at_least_two_role_plays(project):
    industries = [item.industry for item in project.roleplays.values()]
    main = ("零售与超市", "汽车销售与维修", "物业管理", "快递物流", "餐饮")
    assert {industry: industries.count(industry) >= 2 for industry in main} == dict.fromkeys(main, True)


# Short, distinctive facts of the five references (shared/reference/), each of which the site must state
# somewhere: deadlines, roles, record forms, named techniques and the public cases.
KEY_REFERENCE_FACTS = (
    # seed-000: the auto-repair company's procedure and rules
    "1小时", "24小时", "48小时", "4小时", "8小时", "每周二", "每月2日", "每月4日", "客户信息反馈处理单",
    "车牌号", "文明生产", "工期延误", "过失处理意见", "协商意见", "次要责任人", "暂停回访",
    "未了事宜台账", "处理尺度", "心服口服", "主管总经理", "配件延时", "工时费", "免费检查",
    # seed-002: the car maker's dealer training
    "前台主管", "销售主管", "营业活动", "服务与宣传", "置换", "安全部位", "火灾",
    # seed-003: the property-management deck, its ammonia case and 碧桂园's points
    "80:20", "铃响三声", "三分钟", "7×24小时", "双倍利息", "尿素", "甲醛",
    "细心细致、公平公正、实事求是、依法合理", "谁受理、谁跟进、谁回复", "闻过则喜", "沙盘",
    "1008", "春节前", "20 多家",
    # seed-004: a company's complaint system and the courier network's rules
    "申诉和投诉处理登记表", "质量监督员", "质量负责人", "总经办", "降低投诉率", "四步法",
    "平息情绪", "17:00", "15分钟", "180天", "13:00", "10个工作日", "3个工作日", "2010年1月1日",
    "5000", "3000", "2分钟", "身份证号", "只能扩大、不能缩小", "封口条", "善意处理", "网点管理中心",
    # seed-001: articles on handling steps, techniques, channels and the supermarket chain's chapter
    "4W1H", "委婉否认法", "是……而……", "除非……", "转化法", "一听、二表态、三承诺", "移情换位", "处理协议",
    "批号", "结束的期限", "派出所", "消费者协会", "顾客抱怨记录表", "副店长", "6 到 16 人", "亲笔", "POP",
    "商圈顾问团",
)


def test_key_reference_facts_are_stated_on_the_site(pages):
    texts = list(pages.values())
    texts += [p.read_text(encoding="utf-8") for folder in ("docs", "docs/skills") for p in (REPO / folder).glob("*.md")]
    site = "\n".join(texts)
    assert [fact for fact in KEY_REFERENCE_FACTS if fact not in site] == []


def test_the_complaint_lead_is_never_called_the_general_manager(pages):
    """In the dealer training the 投诉对应总负责人 sits under the 总经理 and reports important
    complaints to him, so no page may name the general manager as the lead."""
    texts = list(pages.values())
    texts += [p.read_text(encoding="utf-8") for folder in ("docs", "docs/skills") for p in (REPO / folder).glob("*.md")]
    assert [text for text in texts if "店长或总经理" in text] == []


# Numbers of the references, each of which must read the same wherever a page states it
# (quiz distractors in cases/modules/ are wrong on purpose and not read).
COURIER_NUMBERS = {
    r"(\d+)\s*个工作日": {"3", "10"},             # claims: accepted, settled
    r"保存\W*(\d+)\s*天": {"180"},                # signed receipts kept
    r"(\d+)\s*分钟内\W*(?:必须)?(?:接通|打通|打不通)": {"15"},  # head office gets through
    r"停留\s*(\d+)\s*分钟": {"2"},                # courier waits after signing
}
FLOW_NUMBERS = {
    r"(\d+)\s*小时内复核": {"4"},                  # the management office reviews
    r"(\d+)\s*小时内(?:实施追究|完成追责|完成责任追究)": {"8"},
    r"(\d+)\s*小时内回访": {"24"},
    r"([一二三四五六七八九十\d]+)分钟内(?:到场|赶到|到达)": {"三"},  # property staff on site
    r"铃响([一二三四五六七八九十\d]+)声": {"三"},   # the complaint line answered
    r"([一二三四五六七八九十\d]+)声铃响": {"三"},
}


@pytest.mark.parametrize("expected", [COURIER_NUMBERS, FLOW_NUMBERS], ids=["courier", "flow"])
def test_the_references_numbers_agree_on_every_page(expected):
    sources = [*(REPO / "cases").rglob("*.yml"), *(REPO / "docs").rglob("*.md")]
    text = "\n".join(path.read_text(encoding="utf-8") for path in sources if "modules" not in path.parts)
    stated = {pattern: set(re.findall(pattern, text)) for pattern in expected}
    assert {pattern: numbers for pattern, numbers in stated.items() if numbers != expected[pattern]} == {}


REFERENCE = REPO.parent / "shared" / "reference"
HAN_CHARS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
COPIED_RUN = 20


def han_only(text: str) -> str:
    return "".join(HAN_CHARS.findall(text))


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="the reference documents are not beside this checkout")
def test_no_run_of_twenty_han_characters_is_copied_from_the_references():
    """Facts come from the references; every sentence is our own. Punctuation is ignored on both
    sides, so re-punctuating a copied sentence does not hide it."""
    references = [han_only(path.read_text(encoding="utf-8")) for path in sorted(REFERENCE.glob("seed-*.txt"))]
    copied = {text[i:i + COPIED_RUN] for text in references for i in range(len(text) - COPIED_RUN + 1)}
    sources = [*(REPO / "cases").rglob("*.yml"), *(REPO / "docs").rglob("*.md")]
    found = [f"{path.relative_to(REPO)}: {run}" for path in sources
             for text in [han_only(path.read_text(encoding="utf-8"))]
             for run in {text[i:i + COPIED_RUN] for i in range(len(text) - COPIED_RUN + 1)} & copied]
    assert found == []


@pytest.mark.parametrize("queries", ["bench/colloquial.yml", "bench/colloquial-independent.yml"])
def test_every_page_a_colloquial_query_expects_is_a_page_of_the_site(queries):
    """A query set that names a page the site does not have (a renamed type) would count a miss forever."""
    import yaml

    from generator.registry import site_pages

    ids = {kind: {path.stem for path in (REPO / "cases" / folder).glob("*.yml")}
           for kind, folder in [("types", "types"), ("procedures", "procedures"), ("library", "library"),
                                ("modules", "modules"), ("roleplays", "roleplays")]}
    urls = {re.sub(r"(index)?\.md$", "", page) + ("" if page.endswith("index.md") else "/")
            for page in site_pages(REPO, ids)}
    entries = yaml.safe_load((REPO / queries).read_text(encoding="utf-8"))
    expected = [url for entry in entries for url in
                (entry["expect"] if isinstance(entry["expect"], list) else [entry["expect"]])]
    assert len(entries) >= 150 and [url for url in expected if url not in urls] == []
