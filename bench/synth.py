"""Seeded synthetic case library for performance benchmarks.

`write_synthetic_cases(root, count, seed)` fills cases/library/ of the project at root with
`count` invented case studies, synthetic-0001.yml ... , so that `kesu check`, `kesu generate` and
the MkDocs build can be timed on a library hundreds of times larger than the real one.

The text is the project's own: sentences are harvested at run time from cases/library,
cases/types and cases/procedures and recombined, so the files look like real cases to the
parser, the privacy scan, the templates and the search index (about 1,500 Chinese characters
each). Every case is drawn from its own Random(f"{seed}-{k}"), so the same (count, seed) gives
byte-identical files and a run of 1,000 is exactly the first 1,000 cases of a run of 5,000.

Standard library and PyYAML only: the benchmark must not depend on the code it measures.

    python bench/synth.py ROOT COUNT [--seed N]
"""
from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Iterator

import yaml

FILE_PATTERN = "synthetic-{number:04d}.yml"
SYNTHETIC_PREFIX = "synthetic-"
INVENTED = "教学虚构"  # the origin of every case written for training, see Case.origin

# Budget of CJK characters per file; each case draws its own target inside it.
TARGET_RANGE = (1400, 1650)
CJK_LIMITS = (1300, 1800)

# What a customer of each industry is called, where the complaint happened (for titles and summaries).
PEOPLE = {
    "零售与超市": ("顾客", "超市"), "汽车销售与维修": ("车主", "维修站"), "物业管理": ("业主", "小区"),
    "快递物流": ("用户", "快递网点"), "餐饮": ("食客", "餐厅"), "房地产": ("业主", "楼盘"),
    "电子商务": ("买家", "网店"), "通用": ("顾客", "服务大厅"),
}
# Industries a complaint category plausibly comes from, most likely first (repeats are weights).
INDUSTRIES_BY_CATEGORY = {
    "商品": ("零售与超市", "零售与超市", "电子商务", "通用"),
    "服务": ("零售与超市", "通用", "电子商务", "餐饮", "汽车销售与维修", "物业管理", "快递物流"),
    "安全与环境": ("零售与超市", "餐饮", "物业管理", "房地产", "通用"),
    "物流快递": ("快递物流", "快递物流", "电子商务"),
    "汽车维修": ("汽车销售与维修",),
    "物业": ("物业管理", "物业管理", "房地产"),
    "餐饮": ("餐饮",),
}
# How the complaint reached us, as the verb of the opening sentence.
CHANNEL_VERBS = {"电话": ("打来电话", "来电"), "当面": ("当面找到服务台", "到场"), "书面/网络": ("在网上留言", "留言")}
# How a script line of each channel is introduced in a timeline entry.
SCRIPT_SPEAKERS = {"电话": "经办人在电话里说", "当面": "经办人对顾客说", "书面/网络": "经办人书面回复"}
# A channel procedure is one titled "<channel word>投诉的处理"; which channel each word belongs to.
CHANNEL_WORDS = {"电话": "电话", "当面": "当面", "网络": "书面/网络", "信函": "书面/网络"}
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
LATER_DAYS = ("次日", "第三天", "第四天", "第五天", "一周后")

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_PLACEHOLDER = re.compile(r"\{([^{}|\s]+)(?:\|([^{}]*))?\}")
# Four digits at most, and no digit groups or plate-like codes: that is what the privacy guard looks
# for (phones, IDs, cards, plates), and a source may hold such a line on purpose, e.g. a hotline
# marked allowed in a comment that harvesting does not see.
_LOOKS_PERSONAL = re.compile(
    r"[0-9０-９]{5,}|[0-9０-９][0-9０-９ \-－]{6,}[0-9０-９]|[@＠]|[\u4e00-\u9fff][A-ZＡ-Ｚ][·• ]?[A-Z0-9]{4}")
# Characters that would open a flow collection in YAML, a Markdown link or a table cell.
_UNSAFE = re.compile(r"[\[\]{}|`<>]")
_OPENERS, _CLOSERS = "“（《「", "”）》」"
_STOPS = "。！？；"
_CONNECTIVES = ("以及", "而且", "并且", "或者", "和", "及", "并", "但", "而")


@lru_cache(maxsize=1 << 16)  # harvested sentences are counted over and over while cases are sized
def cjk_count(text: str) -> int:
    """Chinese characters in text: the measure of a case's size used by the benchmark."""
    return len(_CJK.findall(text))


# --- harvesting the project's own text --------------------------------------------------

def split_sentences(text: str) -> list[str]:
    """Sentences of text, cut after 。！？； but never inside quotes or brackets.

    Block scalars wrap long sentences across lines; a single line break is joined back, only a
    blank line (a new Markdown paragraph) ends a sentence by itself.
    """
    sentences = []
    for paragraph in re.split(r"\n\s*\n", text.replace("\r", "")):
        current, depth = [], 0
        for char in join_lines(paragraph):
            current.append(char)
            if char in _OPENERS:
                depth += 1
            elif char in _CLOSERS:
                depth = max(depth - 1, 0)
            elif char in _STOPS and depth == 0:
                sentences.append("".join(current))
                current = []
        if current:
            sentences.append("".join(current))
    # A clause cut off at ； that opens with "以及…" cannot stand on its own.
    return [s for s in (clean(s) for s in sentences) if usable(s) and not s.startswith(_CONNECTIVES)]


def join_lines(text: str) -> str:
    """Wrapped lines as one: Chinese needs no space where a line was broken, Latin words do."""
    joined = ""
    for line in (part.strip() for part in text.splitlines()):
        if joined and line and joined[-1].isascii() and joined[-1].isalnum() and line[0].isascii():
            joined += " "
        joined += line
    return joined


def clean(text: str) -> str:
    # Markdown emphasis and list marks belong to the source's layout, not to the sentence.
    return re.sub(r"^[-*>#\s]+", "", text.replace("**", "")).strip()


def usable(text: str) -> bool:
    """Text that can go anywhere in a generated case without tripping a check or the layout."""
    return (cjk_count(text) >= 6 and "待补充" not in text and not _UNSAFE.search(text)
            and not _LOOKS_PERSONAL.search(text) and text.count("“") == text.count("”"))


def is_tag(text: str) -> bool:
    return 2 <= len(text) <= 8 and cjk_count(text) >= 2 and not _UNSAFE.search(text) and not _LOOKS_PERSONAL.search(text)


def with_stop(text: str) -> str:
    """text ending in a full stop, so that another sentence can follow it."""
    return text if text.endswith(tuple(_STOPS)) else text + "。"


def resolve_placeholders(text: str, placeholders: dict) -> str | None:
    """A script with {name|fallback} and {name} filled in as a reader would see it; None if impossible."""
    missing = False

    def fill(match: re.Match) -> str:
        nonlocal missing
        name, fallback = match.group(1), match.group(2)
        if fallback is not None:
            return fallback
        default = (placeholders.get(name) or {}).get("default")
        if default is None:
            missing = True
            return ""
        return str(default)

    filled = _PLACEHOLDER.sub(fill, text)
    return None if missing else filled


@dataclass
class Pools:
    """Harvested text per use; each list holds distinct, usable items."""

    summary: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    outcome: list[str] = field(default_factory=list)
    went_well: list[str] = field(default_factory=list)
    went_wrong: list[str] = field(default_factory=list)
    lessons: list[str] = field(default_factory=list)
    questions: list[tuple[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def add(self, name: str, items) -> None:
        pool = getattr(self, name)
        for item in items:
            if item and item not in pool:
                pool.append(item)


@dataclass
class TypeInfo:
    id: str
    name: str
    category: str
    default_severity: str
    raises: list[tuple[str, str]]  # (when, level)
    says: list[str]
    scripts: dict[str, dict[str, str]]  # channel -> stage -> text, placeholders filled in
    script_events: dict[str, list[str]]  # channel -> timeline entries quoting that channel's scripts
    procedures: list[str]
    pools: Pools


@dataclass
class Vocabulary:
    industries: tuple[str, ...]
    channels: tuple[str, ...]
    severities: tuple[str, ...]
    types: dict[str, TypeInfo]
    common: Pools
    channel_procedures: dict[str, list[str]]  # channel -> procedure ids
    owner: str
    reviewed: date | None


def _load_yaml(path: Path):
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


def _sources(root: Path, kind: str) -> list[tuple[str, dict]]:
    folder = root / "cases" / kind
    found = []
    for path in sorted(folder.glob("*.y*ml")):
        # Earlier synthetic output must not feed the next run, or reruns would drift.
        if path.name.startswith(SYNTHETIC_PREFIX):
            continue
        data = _load_yaml(path)
        if isinstance(data, dict):
            found.append((path.stem, data))
    return found


def _texts(items) -> list[str]:
    return [str(item) for item in items or [] if isinstance(item, str)]


def _sentences(*texts: str) -> list[str]:
    return [s for text in texts if isinstance(text, str) for s in split_sentences(text)]


def _items(texts) -> list[str]:
    """List entries kept whole (one line each), as long as each reads as one point."""
    return [line for line in (clean(join_lines(t)) for t in _texts(texts)) if usable(line) and cjk_count(line) <= 90]


def _closed_lists(root: Path) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Industries, channels and severity levels as the project's case schema allows them."""
    schema = json.loads((root / "cases" / "schema" / "case.schema.json").read_text(encoding="utf-8"))
    properties = schema["properties"]
    if INVENTED not in properties["origin"]["enum"]:
        raise ValueError(f"the case schema no longer has origin {INVENTED}")
    return tuple(properties["industry"]["enum"]), tuple(properties["channel"]["enum"]), tuple(
        properties["severity"]["enum"])


def _type_info(type_id: str, data: dict, channels: tuple[str, ...], severities: tuple[str, ...],
               case_pools: Pools | None) -> TypeInfo:
    placeholders = data.get("placeholders") or {}
    scripts: dict[str, dict[str, str]] = {}
    for channel, stages in (data.get("scripts") or {}).items():
        for stage, text in (stages or {}).items():
            filled = resolve_placeholders(str(text), placeholders)
            if filled and usable(join_lines(filled)) and channel in channels:
                scripts.setdefault(channel, {})[stage] = join_lines(filled)
    avoid = [a for a in data.get("avoid") or [] if isinstance(a, dict)]
    checklist = [c for c in data.get("checklist") or [] if isinstance(c, dict)]
    pools = Pools()
    pools.add("summary", _sentences(data.get("summary", "")))
    steps_done = [f"{str(step.get('who', '')).split('/')[0].strip()}{clean(join_lines(str(step['action'])))}。"
                  for step in checklist if step.get("who") and step.get("action")]
    pools.add("events", [event for event in steps_done if usable(event)])
    script_events = {
        channel: [f"{SCRIPT_SPEAKERS.get(channel, '经办人说')}：“{text}”"
                  for text in stages.values() if cjk_count(text) <= 110]
        for channel, stages in scripts.items()}
    pools.add("actions", _items(step.get("action") for step in checklist))
    pools.add("went_well", _items(step.get("done_when") for step in checklist))
    pools.add("went_wrong", _items(a.get("dont") for a in avoid))
    pools.add("lessons", _items(a.get("instead") for a in avoid) + _items(a.get("why") for a in avoid)
              + _items(data.get("key_phrases")))
    pools.add("questions", _avoid_questions(avoid) + _say_questions(_items(data.get("customer_says")), scripts))
    if case_pools:
        for name in vars(case_pools):
            pools.add(name, getattr(case_pools, name))
    severity = data.get("severity") or {}
    raises = [(clean(str(r["when"])), r["level"]) for r in severity.get("raise_when") or []
              if isinstance(r, dict) and r.get("when") and r.get("level") in severities
              and usable(clean(str(r["when"])))]
    return TypeInfo(
        id=type_id, name=str(data["name"]), category=str(data.get("category", "")),
        default_severity=str(severity.get("default", "")), raises=raises,
        says=_items(data.get("customer_says")), scripts=scripts, script_events=script_events,
        procedures=[str(p) for p in data.get("related_procedures") or []], pools=pools)


def _avoid_questions(avoid: list[dict]) -> list[tuple[str, str]]:
    questions = []
    for rule in avoid:
        dont, instead, why = (join_lines(str(rule.get(key) or "")) for key in ("dont", "instead", "why"))
        if usable(dont) and usable(instead):
            answer = f"{why}\n更好的做法是：{instead}" if usable(why) else f"更好的做法是：{instead}"
            questions.append((f"有员工这样处理：{with_stop(dont)}这样做有什么问题？应该怎么做？", answer))
    return questions


def _say_questions(says: list[str], scripts: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    questions = []
    for index, say in enumerate(says):
        channel_scripts = list(scripts.values())
        if not channel_scripts:
            break
        # A different channel's wording per phrase, so one type's questions do not all read alike.
        stages = channel_scripts[index % len(channel_scripts)]
        answer = "\n".join(stages[s] for s in ("致歉与共情", "了解事实", "提出方案") if s in stages)
        if answer:
            questions.append((f"顾客说：“{say}”如果由你来接待，你会怎样回应？", answer))
    return questions


def _case_pools(data: dict) -> Pools:
    pools = Pools()
    pools.add("summary", _sentences(data.get("summary", "")))
    pools.add("events", _items(entry.get("what") for entry in data.get("timeline") or [] if isinstance(entry, dict)))
    pools.add("actions", _items(data.get("actions")))
    pools.add("outcome", _sentences(data.get("outcome", "")))
    analysis = data.get("analysis") or {}
    pools.add("went_well", _items(analysis.get("went_well")))
    pools.add("went_wrong", _items(analysis.get("went_wrong")))
    pools.add("lessons", _items(data.get("lessons")))
    for q in data.get("questions") or []:
        question, answer = str(q.get("question", "")).strip(), str(q.get("answer", "")).strip()
        if usable(join_lines(question)) and usable(join_lines(answer)) and cjk_count(answer) <= 260:
            pools.add("questions", [(join_lines(question), answer)])
    pools.add("tags", [t for t in _texts(data.get("tags")) if is_tag(t)])
    return pools


def _merge(pools: list[Pools]) -> Pools:
    merged = Pools()
    for pool in pools:
        for name in vars(pool):
            merged.add(name, getattr(pool, name))
    return merged


def harvest(root: Path) -> Vocabulary:
    """Everything the generator writes, read from the project at root (never from synthetic files)."""
    industries, channels, severities = _closed_lists(root)
    cases = [(stem, data) for stem, data in _sources(root, "library")
             # Real events name real people and firms; invented cases must not borrow them.
             if data.get("origin") == INVENTED]
    per_case = {stem: _case_pools(data) for stem, data in cases}
    case_pools_by_type: dict[str, list[Pools]] = {}
    for stem, data in cases:
        for type_id in data.get("types") or []:
            case_pools_by_type.setdefault(str(type_id), []).append(per_case[stem])
    procedures = _sources(root, "procedures")
    common = _merge(list(per_case.values()))
    common.add("actions", _items(step.get("what") for _, data in procedures for step in data.get("steps") or []))
    common.add("lessons", _items(item for _, data in procedures for section in data.get("sections") or []
                                 for item in section.get("items") or []))
    types = {}
    for type_id, data in _sources(root, "types"):
        info = _type_info(type_id, data, channels, severities, _merge(case_pools_by_type.get(type_id, [])))
        if info.says and info.default_severity in severities:
            types[type_id] = info
        common.add("lessons", info.pools.lessons)
        common.add("went_wrong", info.pools.went_wrong)
    if not types:
        raise ValueError(f"no usable complaint types under {root / 'cases' / 'types'}")
    channel_procedures: dict[str, list[str]] = {}
    for procedure_id, data in procedures:
        title = str(data.get("title", ""))
        for word, channel in CHANNEL_WORDS.items():
            if title.endswith("投诉的处理") and word in title:
                channel_procedures.setdefault(channel, []).append(procedure_id)
    owners = Counter(str(data["owner"]) for _, data in cases if data.get("owner"))
    reviewed = Counter(data["reviewed"] for _, data in cases if isinstance(data.get("reviewed"), date))
    return Vocabulary(
        industries=industries, channels=channels, severities=severities, types=types, common=common,
        channel_procedures=channel_procedures,
        owner=owners.most_common(1)[0][0] if owners else "客服中心培训组",
        reviewed=reviewed.most_common(1)[0][0] if reviewed else None)


# --- composing one case -----------------------------------------------------------------

def chinese_number(n: int) -> str:
    """1 -> 一, 15 -> 十五, 1007 -> 一千零七: a case number without a digit run."""
    if not 0 < n < 10**8:
        raise ValueError(f"case number out of range: {n}")
    high, low = divmod(n, 10000)
    if not high:
        text = _below_ten_thousand(low)
    else:
        text = _below_ten_thousand(high) + "万" + ("零" if 0 < low < 1000 else "") + _below_ten_thousand(low)
    return text[1:] if text.startswith("一十") else text


def _below_ten_thousand(n: int) -> str:
    digits, units = "零一二三四五六七八九", ("", "十", "百", "千")
    out, pending_zero = [], False
    for position in (3, 2, 1, 0):
        digit = n // 10**position % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(digits[digit] + units[position])
    return "".join(out)


def draw(rng: random.Random, own: list, common: list, own_share: float = 0.8) -> Iterator:
    """Distinct items, mostly from the case's own type, the rest from the whole project."""
    used: set = set()
    misses = 0
    while misses < 40:
        pool = own if own and (not common or rng.random() < own_share) else common
        if not pool:
            return
        item = rng.choice(pool)
        if item in used:
            misses += 1
            continue
        misses = 0
        used.add(item)
        yield item


def first_clause(text: str, limit: int = 20) -> str:
    clause = re.split(r"[，。！？；,]", text, maxsplit=1)[0].strip("“”")
    return clause if cjk_count(clause) <= limit else clause[:limit]


def choose_industry(rng: random.Random, vocab: Vocabulary, category: str) -> str:
    plausible = [i for i in INDUSTRIES_BY_CATEGORY.get(category, ()) if i in vocab.industries]
    # Now and then any industry, so that every value of the closed list shows up in the indexes.
    if not plausible or rng.random() < 0.1:
        return rng.choice(vocab.industries)
    return rng.choice(plausible)


def choose_severity(rng: random.Random, kind: TypeInfo) -> tuple[str, str | None]:
    """The type's default level, or one of its raise_when levels together with the reason."""
    if kind.raises and rng.random() < 0.45:
        when, level = rng.choice(kind.raises)
        return level, when
    return kind.default_severity, None


def second_type(rng: random.Random, vocab: Vocabulary, kind: TypeInfo) -> TypeInfo | None:
    # Real cases often add a service type (attitude, waiting) to the main one.
    if rng.random() >= 0.35:
        return None
    related = [t for t in vocab.types.values() if t.id != kind.id and t.category in (kind.category, "服务")]
    return rng.choice(related) if related else None


def make_title(rng: random.Random, number: int, kind: TypeInfo, say: str, industry: str, channel: str) -> str:
    person, place = PEOPLE.get(industry, ("顾客", "门店"))
    short_verb = CHANNEL_VERBS.get(channel, ("投诉", "投诉"))[1]
    clause = first_clause(say)
    forms = (
        f"{place}{person}{short_verb}：“{clause}”",
        f"{kind.name}：{person}{short_verb}称“{clause}”",
        f"“{clause}”——{place}的一起{kind.name}投诉",
        f"{person}说“{clause}”，{place}怎样接住这次投诉",
    )
    # The number keeps titles unique; written in words so no digit run reaches the privacy scan.
    return f"{rng.choice(forms)}（案例{chinese_number(number)}）"


def make_timeline(rng: random.Random, events: list[str]) -> list[dict]:
    """Entries with times that only move forward: a weekday and clock, then later days."""
    minutes = rng.randrange(8 * 60, 20 * 60, 5)
    day, entries = 0, []
    for index, what in enumerate(events):
        if index:
            minutes += rng.choice((2, 5, 10, 15, 30, 45, 60, 90, 180, 600))
        if minutes >= 21 * 60 + 30:  # after closing time the story goes on another day
            day, minutes = day + rng.choice((1, 1, 2)), rng.randrange(9 * 60, 11 * 60, 5)
        clock = f"{minutes // 60}:{minutes % 60:02d}"
        if index == 0:
            when = f"{rng.choice(WEEKDAYS)} {clock}"
        elif day and (index == 1 or entries[-1]["day"] != day):
            when = f"{LATER_DAYS[min(day, len(LATER_DAYS)) - 1]} {clock}"
        else:
            when = clock
        entries.append({"when": when, "what": what, "day": day})
    return [{"when": e["when"], "what": e["what"]} for e in entries]


@dataclass
class Draft:
    """A case's growable parts; grown one item at a time until it reaches its size."""

    summary: list[str]
    events: list[str]
    actions: list[str]
    outcome: list[str]
    went_well: list[str]
    went_wrong: list[str]
    lessons: list[str]
    questions: list[tuple[str, str]]
    sources: dict[str, Iterator]
    limits: dict[str, int]

    def grow(self, rng: random.Random) -> int:
        """Add one item to a part that still has room; returns its CJK count (0 when all are full)."""
        parts = [name for name, limit in self.limits.items() if len(getattr(self, name)) < limit]
        while parts:
            name = rng.choice(parts)
            item = next(self.sources[name], None)
            if item is None:
                parts.remove(name)
                self.limits[name] = 0
                continue
            getattr(self, name).append(item)
            return cjk_count(item if isinstance(item, str) else "".join(item))
        return 0

    def shrink(self, rng: random.Random, minimum: dict[str, int]) -> int:
        """Remove the last item of a part above its minimum; returns its CJK count (0 if none)."""
        parts = [name for name in self.limits if len(getattr(self, name)) > minimum[name]]
        if not parts:
            return 0
        item = getattr(self, rng.choice(parts)).pop()
        return cjk_count(item if isinstance(item, str) else "".join(item))


# Items per part: (at least, at most).
PART_SIZES = {"summary": (3, 8), "events": (4, 9), "actions": (3, 8), "outcome": (2, 5), "went_well": (2, 5),
              "went_wrong": (2, 5), "lessons": (2, 6), "questions": (2, 5)}


def make_draft(rng: random.Random, vocab: Vocabulary, kind: TypeInfo, channel: str) -> Draft:
    own, common = kind.pools, vocab.common
    sources = {name: draw(rng, getattr(own, name), getattr(common, name)) for name in PART_SIZES}
    # Case stories from other types would contradict this one's facts: keep them rarer there.
    sources["summary"] = draw(rng, own.summary, common.summary, own_share=0.85)
    # A phone case quotes what was said on the phone, not a letter.
    sources["events"] = draw(rng, own.events + kind.script_events.get(channel, []), common.events, own_share=0.85)
    parts = {name: list(islice(sources[name], low)) for name, (low, _) in PART_SIZES.items()}
    return Draft(**parts, sources=sources, limits={name: high for name, (_, high) in PART_SIZES.items()})


@dataclass
class Facts:
    """What a case is about, decided before any text is drawn."""

    number: int
    kind: TypeInfo
    other: TypeInfo | None
    industry: str
    channel: str
    severity: str
    raised_because: str | None
    say: str
    title: str
    tags: list[str]
    procedures: list[str]


def choose_facts(rng: random.Random, vocab: Vocabulary, number: int) -> Facts:
    kind = rng.choice(sorted(vocab.types.values(), key=lambda t: t.id))
    other = second_type(rng, vocab, kind)
    industry = choose_industry(rng, vocab, kind.category)
    channel = rng.choice(vocab.channels)
    severity, raised_because = choose_severity(rng, kind)
    say = rng.choice(kind.says)
    return Facts(
        number=number, kind=kind, other=other, industry=industry, channel=channel, severity=severity,
        raised_because=raised_because, say=say, title=make_title(rng, number, kind, say, industry, channel),
        tags=make_tags(rng, kind, other, channel, industry),
        procedures=related_procedures(rng, vocab, kind, channel))


def assemble(layout_seed: str, vocab: Vocabulary, facts: Facts, draft: Draft) -> dict:
    """The case's data in file order. Layout randomness has its own seed, so that assembling
    the same draft twice gives the same result while the draft is being sized."""
    rng = random.Random(layout_seed)
    person, _ = PEOPLE.get(facts.industry, ("顾客", "门店"))
    verb = CHANNEL_VERBS.get(facts.channel, ("投诉", "投诉"))[0]
    opening = f"一位{person}{verb}：“{facts.say}”"
    summary = [opening] + draft.summary
    if facts.raised_because:
        summary.append(f"{facts.raised_because}，按分级标准应作为{facts.severity}投诉处理。")
    data = {
        "title": facts.title,
        "industry": facts.industry,
        "types": [facts.kind.id] + ([facts.other.id] if facts.other else []),
        "channel": facts.channel,
        "severity": facts.severity,
        "origin": INVENTED,
        "owner": vocab.owner,
        "reviewed": vocab.reviewed,
        "summary": paragraphs(rng, summary),
        "timeline": make_timeline(rng, [opening] + draft.events),
        "actions": list(draft.actions),
        "outcome": paragraphs(rng, draft.outcome),
        "analysis": {"went_well": list(draft.went_well), "went_wrong": list(draft.went_wrong)},
        "lessons": list(draft.lessons),
        "questions": [{"question": q, "answer": a} for q, a in draft.questions],
        "tags": facts.tags,
        "related_procedures": facts.procedures,
    }
    if data["reviewed"] is None:
        del data["reviewed"]
    return data


def data_cjk(value) -> int:
    """CJK characters in every text of value, i.e. in the file it is written to, minus the header."""
    if isinstance(value, str):
        return cjk_count(value)
    if isinstance(value, dict):
        return sum(data_cjk(v) for v in value.values())
    if isinstance(value, list):
        return sum(data_cjk(v) for v in value)
    return 0


def compose_case(vocab: Vocabulary, number: int, seed: int) -> tuple[str, dict]:
    """(title, data) of case number `number`; depends only on the vocabulary, number and seed."""
    rng = random.Random(f"{seed}-{number}")
    facts = choose_facts(rng, vocab, number)
    draft = make_draft(rng, vocab, facts.kind, facts.channel)
    target = rng.randint(*TARGET_RANGE)
    layout_seed = f"{seed}-{number}-layout"
    fixed = cjk_count(header(facts.title))

    def measure() -> tuple[dict, int]:
        data = assemble(layout_seed, vocab, facts, draft)
        return data, fixed + data_cjk(data)

    data, size = measure()
    # Grow on estimates (cheap), then correct on the exact count of the assembled case.
    while size < target and (added := draft.grow(rng)):
        size += added
    data, size = measure()
    low, high = CJK_LIMITS
    while size > high - 20 and draft.shrink(rng, {name: lo for name, (lo, _) in PART_SIZES.items()}):
        data, size = measure()
    while size < low + 20 and draft.grow(rng):
        data, size = measure()
    return facts.title, data


def paragraphs(rng: random.Random, sentences: list[str]) -> str:
    """Sentences as Markdown text: a few per line, a blank line between paragraphs now and then."""
    lines, current = [], ""
    for sentence in sentences:
        current += sentence
        if cjk_count(current) >= rng.randint(50, 110):
            lines.append(current)
            current = ""
    if current:
        lines.append(current)
    if not lines:
        return ""
    text = lines[0]
    for line in lines[1:]:
        text += ("\n\n" if rng.random() < 0.3 else "\n") + line
    return text


def make_tags(rng: random.Random, kind: TypeInfo, other: TypeInfo | None, channel: str, industry: str) -> list[str]:
    tags = [re.split(r"[、与，]", kind.name)[0]]
    if other:
        tags.append(re.split(r"[、与，]", other.name)[0])
    harvested = [t for t in kind.pools.tags if not t.endswith("投诉")]
    tags += rng.sample(harvested, min(len(harvested), rng.randint(0, 2)))
    tags += [f"{channel.split('/')[-1]}投诉", industry]
    return list(dict.fromkeys(tags))


def related_procedures(rng: random.Random, vocab: Vocabulary, kind: TypeInfo, channel: str) -> list[str]:
    """The type's procedures, with the channel procedures swapped for this case's channel."""
    any_channel = {p for ids in vocab.channel_procedures.values() for p in ids}
    chosen = [p for p in kind.procedures if p not in any_channel]
    if vocab.channel_procedures.get(channel):
        chosen.append(rng.choice(vocab.channel_procedures[channel]))
    return list(dict.fromkeys(chosen))


# --- writing files ----------------------------------------------------------------------

# The files are written by hand instead of yaml.dump, whose Python representer took two thirds of
# the time at 20,000 cases; test_synth checks that they load to the very data composed.
# A single-line text stays plain when nothing in it can read as YAML syntax: it starts with a
# non-ASCII character (so it is never a number, date, boolean or indicator) and holds no ': ' or ' #'.
# Anything else is written as a JSON string, which YAML reads as a double-quoted scalar.
_PLAIN_TEXT = re.compile(r"[^\x00-\x7f\x85\u2028\u2029\ufeff](?:(?!: | #)[^\t\r\n\x85\u2028\u2029\ufeff])*(?<![ :])")
_PLAIN_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+")  # hyphenated ids: never a number or boolean
_BLOCK_LINE = re.compile(r"(?:[^\s\x85\u2028\u2029\ufeff][^\r\x85\u2028\u2029\ufeff]*)?")


def yaml_scalar(value, indent: int) -> str:
    """value as the YAML scalar after `key: ` or `- `; indent: where a block's lines start."""
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise TypeError(f"no YAML form for {value!r}")
    if _PLAIN_TEXT.fullmatch(value) or _PLAIN_ID.fullmatch(value):
        return value
    lines = value.split("\n")
    if len(lines) > 1 and lines[-1] and all(_BLOCK_LINE.fullmatch(line) for line in lines):
        # Multi-line text as a literal block (|-: no final line break), as supervisors write it.
        return "|-" + "".join("\n" + (" " * indent + line if line else "") for line in lines)
    # YAML reads U+0085, U+2028 and U+2029 as line breaks even between quotes: escape them there.
    return json.dumps(value, ensure_ascii=False).translate({0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"})


def yaml_lines(data: dict, indent: int = 0) -> list[str]:
    """A mapping of texts, dates, lists and mappings in block style (lists not indented under their key)."""
    pad, out = " " * indent, []
    for key, value in data.items():
        if isinstance(value, dict):
            out += [f"{pad}{key}:", *yaml_lines(value, indent + 2)]
        elif isinstance(value, list) and value:
            out.append(f"{pad}{key}:")
            for item in value:
                if isinstance(item, dict):
                    first, *rest = yaml_lines(item, indent + 2)
                    out += [f"{pad}- {first[indent + 2:]}", *rest]
                else:
                    out.append(f"{pad}- {yaml_scalar(item, indent + 2)}")
        else:
            out.append(f"{pad}{key}: " + ("[]" if value == [] else yaml_scalar(value, indent + 2)))
    return out


def header(title: str) -> str:
    return f"# 合成案例（bench/synth.py 生成的性能基准数据，不是真实投诉）：{title}\n"


def case_yaml(title: str, data: dict) -> str:
    return header(title) + "\n".join(yaml_lines(data)) + "\n"


def write_synthetic_cases(root: Path, count: int, seed: int = 7) -> list[Path]:
    """Write `count` case files cases/library/synthetic-NNNN.yml (NNNN zero-padded to 4 digits, 0001..count) into the project at root; returns their paths.

    Synthetic files numbered above `count` from an earlier, larger run are removed, so that the
    library then holds exactly `count` synthetic cases next to the real ones.
    """
    root = Path(root)
    if count < 0:
        raise ValueError("count must not be negative")
    vocab = harvest(root)
    library = root / "cases" / "library"
    library.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(1, count + 1):
        title, data = compose_case(vocab, number, seed)
        path = library / FILE_PATTERN.format(number=number)
        path.write_bytes(case_yaml(title, data).encode("utf-8"))
        paths.append(path)
    remove_stale(library, count)
    return paths


def remove_stale(library: Path, count: int) -> None:
    for path in library.glob(f"{SYNTHETIC_PREFIX}*.yml"):
        number = path.stem[len(SYNTHETIC_PREFIX):]
        if number.isdigit() and int(number) > count:
            path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write synthetic case studies for the performance benchmark.")
    parser.add_argument("root", type=Path, help="project folder (the one holding cases/)")
    parser.add_argument("count", type=int, help="number of cases to write")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args(argv)
    paths = write_synthetic_cases(args.root, args.count, args.seed)
    print(f"wrote {len(paths)} synthetic case(s) to {args.root / 'cases' / 'library'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
