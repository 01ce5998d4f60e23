"""Typed models of the YAML kinds under cases/, and the closed lists they use.

Every closed list (categories, industries, channels, stages, severity levels, origins) is defined
here once, as a table of stable ASCII ids and Simplified labels (ClosedList): the sources and their
error messages use the labels, every machine value (URL, anchor, data-* attribute, form value, JSON
data) the ids, and each edition shows the labels in its own script. Validation messages, templates,
scaffolds and tests all read them from this module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, WithJsonSchema,
                      field_validator, model_validator)
from pydantic_core import PydanticCustomError

from .characters import shorten


@dataclass(frozen=True)
class Choice:
    """One value of a closed list.

    id: stable ASCII, the machine value everywhere (URLs and their parameters, anchors, data-*
    attributes, form values, JSON data); never changes once published.
    label: Simplified Chinese, what supervisors type in the sources and what the main site shows.
    aliases: other Simplified names a lookup accepts (a URL parameter typed by hand or from an older link).
    traditional: {region: label} where OpenCC's conversion of label is wrong for that region; otherwise
    the Traditional edition shows the label as its converter turns it (edition.py).
    """

    id: str
    label: str
    aliases: tuple[str, ...] = ()
    traditional: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


class ClosedList:
    """The values of one closed list, in the order pages show them."""

    def __init__(self, name: str, *choices: Choice):
        self.name, self.choices = name, choices
        self.labels: tuple[str, ...] = tuple(choice.label for choice in choices)
        self.ids: tuple[str, ...] = tuple(choice.id for choice in choices)
        self._by_label = {choice.label: choice for choice in choices}
        self._by_id = {choice.id: choice for choice in choices}
        self._by_name = {name: choice for choice in choices for name in (choice.id, choice.label, *choice.aliases)}

    def __iter__(self):
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)

    def id_of(self, label: str) -> str:
        """The id of a value as the sources write it (its Simplified label)."""
        return self._by_label[label].id

    def label_of(self, id_: str) -> str:
        return self._by_id[id_].label

    def lookup(self, name: str) -> Choice | None:
        """The value an id, a label or an alias names; None for anything else."""
        return self._by_name.get(name.strip())


CATEGORY = ClosedList(
    "category",
    Choice("product", "商品"), Choice("service", "服务"), Choice("safety", "安全与环境"),
    Choice("logistics", "物流快递"), Choice("auto-repair", "汽车维修"), Choice("property", "物业"),
    Choice("restaurant", "餐饮"))
INDUSTRY = ClosedList(
    "industry",
    Choice("retail", "零售与超市", ("零售", "超市")), Choice("auto", "汽车销售与维修", ("汽车",)),
    Choice("property", "物业管理", ("物业",)), Choice("courier", "快递物流", ("快递",)), Choice("restaurant", "餐饮"),
    Choice("real-estate", "房地产"), Choice("ecommerce", "电子商务", ("电商",)), Choice("general", "通用"))
CHANNEL = ClosedList(
    "channel",
    Choice("phone", "电话", ("来电",)), Choice("in-person", "当面", ("现场",)),
    Choice("written", "书面/网络", ("书面", "网络", "网上")))
# 了解: s2hk writes 瞭解, which Hong Kong readers know from Taiwan; their own usage is 了解.
STAGE = ClosedList(
    "stage",
    Choice("opening", "开场与安抚"), Choice("apology", "致歉与共情"),
    Choice("facts", "了解事实", ("了解事实（4W1H）",), traditional={"hk": "了解事實"}),
    Choice("solution", "提出方案"), Choice("closing", "确认与结束"), Choice("follow-up", "回访"))
SEVERITY = ClosedList(
    "severity",
    Choice("general", "一般", ("一般投诉",)), Choice("important", "重要", ("重要投诉",)),
    Choice("major", "重大", ("重大投诉",)))
# 真实事件: from public sources (source required); 教学虚构: written for training;
# 内部案例: one of the company's own complaints, anonymised before it reaches the site.
ORIGIN = ClosedList(
    "origin",
    Choice("public", "真实事件"), Choice("invented", "教学虚构"), Choice("internal", "内部案例"))
CLOSED_LISTS = (CATEGORY, INDUSTRY, CHANNEL, STAGE, SEVERITY, ORIGIN)

# The YAML fields take the Simplified labels: validation errors list them, as supervisors type them.
Category = Literal[CATEGORY.labels]
Industry = Literal[INDUSTRY.labels]
Channel = Literal[CHANNEL.labels]
Stage = Literal[STAGE.labels]
SeverityLevel = Literal[SEVERITY.labels]
Origin = Literal[ORIGIN.labels]

CATEGORIES: tuple[str, ...] = CATEGORY.labels
INDUSTRIES: tuple[str, ...] = INDUSTRY.labels
CHANNELS: tuple[str, ...] = CHANNEL.labels
STAGES: tuple[str, ...] = STAGE.labels
SEVERITY_LEVELS: tuple[str, ...] = SEVERITY.labels
ORIGINS: tuple[str, ...] = ORIGIN.labels

# How a stage is shown to people; the key stays short so that YAML stays easy to type.
STAGE_LABELS = {stage: stage for stage in STAGES} | {"了解事实": "了解事实（4W1H）"}

# Folders under /cases/ that hold the case library's list pages and data: no case may take
# one of these ids (its page /cases/<id>/ would share the folder).
CASE_LIBRARY_FOLDERS = ("page", "type", "industry", "severity", "channel", "origin", "data")


def script_anchor(channel: str, stage: str) -> str:
    """The anchor of a script stage on a type page (#script-phone-opening): search results lead there."""
    return f"script-{CHANNEL.id_of(channel)}-{STAGE.id_of(stage)}"


ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# {客户称呼} or {客户称呼|您}: a named placeholder with an optional inline fallback.
PLACEHOLDER_PATTERN = re.compile(r"\{([^{}|\s]+)(?:\|([^{}]*))?\}")


@dataclass(frozen=True)
class Duration:
    """A deadline such as 1小时 or 2天, kept as written and as minutes for arithmetic."""

    text: str
    minutes: int

    def __str__(self) -> str:
        return self.text


_DURATION_UNITS = {"分钟": 1, "小时": 60, "天": 24 * 60}
_DURATION_PATTERN = re.compile(r"^(\d+)\s*(分钟|小时|天)$")
DURATION_EXAMPLES = "立即, 30分钟, 1小时, 24小时 or 2天"


def parse_duration(value: Any) -> Duration:
    if isinstance(value, Duration):
        return value
    text = str(value).strip() if isinstance(value, (str, int)) else None
    if text == "立即":
        return Duration(text, 0)
    match = _DURATION_PATTERN.match(text or "")
    if not match:
        raise PydanticCustomError(
            "duration", "expected a duration such as {examples}, got {got}",
            {"examples": DURATION_EXAMPLES, "got": repr(shorten(value) if isinstance(value, str) else value)},
        )
    return Duration(text, int(match.group(1)) * _DURATION_UNITS[match.group(2)])


DurationField = Annotated[
    Duration, BeforeValidator(parse_duration),
    WithJsonSchema({"type": "string", "pattern": r"^(立即|\d+\s*(分钟|小时|天))$",
                    "description": f"时限，例如 {DURATION_EXAMPLES}"}),
]


@dataclass(frozen=True)
class TextKind:
    """How a string from a source file reaches a page (generator/text.py does the work).

    plain: text only, escaped for the place it lands in (heading, cell, attribute ...).
    markdown: a safe Markdown subset: emphasis, lists, line breaks, http/https/relative links.
    Every str in every model below carries one; tests/test_text.py fails on a str without.
    """

    name: str


PLAIN, MARKDOWN = TextKind("plain"), TextKind("markdown")
Plain = Annotated[str, PLAIN]
Markdown = Annotated[str, MARKDOWN]
Text = Annotated[Plain, Field(min_length=1)]
MarkdownText = Annotated[Markdown, Field(min_length=1)]
Id = Plain  # a reference to another source's id; resolved by load.check_references


def each_once(items: list[str]) -> list[str]:
    """A list of references or tags names each once: a pasted line twice shows a link twice."""
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if item in seen:
            raise PydanticCustomError(
                "listed_twice", "{got} is already listed as item {first}; list each once",
                {"got": repr(shorten(item)), "first": seen[item] + 1, "field": index})
        seen[item] = index
    return items


Ids = Annotated[list[Id], AfterValidator(each_once)]
# A quiz option is named by a letter on the page.
OPTION_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _date_as_text(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [item.isoformat() if isinstance(item, date) else item for item in value]
    return value


def whole_number(value: Any) -> Any:
    # pydantic reads true as 1: a count or an order written true is a slip.
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "expected a whole number, got {got}", {"got": value})
    return value


def date_not_number(value: Any) -> Any:
    # pydantic reads a number as seconds since 1970: `reviewed: 20260301` would be a day in August 1970.
    if isinstance(value, (bool, int, float)):
        raise PydanticCustomError("date_type", "expected a date, got {got}", {"got": value})
    return value


class Strict(BaseModel):
    """Base of every YAML model: unknown keys are errors, text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, arbitrary_types_allowed=True,
                              coerce_numbers_to_str=True)

    @model_validator(mode="before")
    @classmethod
    def dates_in_text_stay_text(cls, data: Any) -> Any:
        """YAML reads `when: 2026-03-01` as a date; outside `reviewed` (the one date field) it is text."""
        if not isinstance(data, dict):
            return data
        return {key: value if key == "reviewed" else _date_as_text(value) for key, value in data.items()}

    @model_validator(mode="before")
    @classmethod
    def blank_optional_fields_take_their_default(cls, data: Any) -> Any:
        """`source:` with nothing after it is no source, as `source: ""` is; a required field stays required."""
        if not isinstance(data, dict):
            return data
        fields = cls.model_fields
        return {key: value for key, value in data.items()
                if not (value is None and key in fields and not fields[key].is_required())}


class Source(Strict):
    """A whole YAML file. Its id is the file stem, never written inside the file."""

    _id: str = PrivateAttr("")
    _path: str = PrivateAttr("")

    owner: Plain = ""
    reviewed: date | None = None

    _reviewed_is_a_date = field_validator("reviewed", mode="before")(date_not_number)

    # Read from pydantic's private store directly: `self._id` goes through BaseModel.__getattr__,
    # and the registry and the case library ask a few hundred thousand times per generation.
    @property
    def id(self) -> str:
        return self.__pydantic_private__["_id"]

    @property
    def path(self) -> str:
        return self.__pydantic_private__["_path"]

    def bind(self, id_: str, path: str) -> "Source":
        self._id, self._path = id_, path
        return self


# --- complaint types (cases/types/<id>.yml) ---------------------------------------------

class Placeholder(Strict):
    hint: Plain = ""
    default: Plain | None = None


class SeverityRaise(Strict):
    when: Text
    level: SeverityLevel


class SeverityHints(Strict):
    default: SeverityLevel
    raise_when: list[SeverityRaise] = []


class ChecklistStep(Strict):
    action: Text
    who: Text
    deadline: DurationField
    done_when: Text


class Letter(Strict):
    title: Text
    subject: Text
    body: Text


class Avoid(Strict):
    dont: Text
    instead: Text
    why: Plain = ""


def placeholder_name(name: str) -> str:
    # Scripts write {经办人}; the declaration is the bare name. Braces here would leave every use undeclared.
    if re.search(r"[{}｛｝|｜\s]", name):
        raise PydanticCustomError(
            "placeholder_name", "a placeholder is declared by its name alone, without braces or spaces: '{bare}:'",
            {"bare": re.sub(r"[{}｛｝\s]", "", re.split(r"[|｜]", name)[0]) or "name"})
    return name


PlaceholderName = Annotated[Plain, AfterValidator(placeholder_name)]


class ComplaintType(Source):
    name: Text
    category: Category
    summary: MarkdownText
    customer_says: list[Text] = Field(min_length=1)
    severity: SeverityHints
    checklist: list[ChecklistStep] = Field(min_length=1)
    # Short phrases for the one-screen call card, e.g. 给您添麻烦了，这件事我负责跟进到底。
    key_phrases: list[Text] = []
    placeholders: dict[PlaceholderName, Placeholder] = {}
    scripts: dict[Channel, dict[Stage, Text]] = {}
    letters: list[Letter] = []
    avoid: list[Avoid] = []
    related_cases: Ids = []
    related_procedures: Ids = []


# --- handling procedures (cases/procedures/<id>.yml) ------------------------------------

class Role(Strict):
    name: Text
    duties: list[Text] = Field(min_length=1)


class ProcedureStep(Strict):
    who: Text
    what: Text
    deadline: DurationField | None = None
    # A deadline that is not a duration from receipt, e.g. 每月4日 or 每周二.
    when: Plain = ""
    note: Plain = ""
    # The severity levels this step is for; empty means every level.
    levels: list[SeverityLevel] = []


class LevelDefinition(Strict):
    level: SeverityLevel
    criteria: list[Text] = []
    escalate_to: list[Text] = Field(min_length=1)
    handling: Plain = ""


class Table(Strict):
    """A small table in a procedure section, e.g. a network's fine schedule; cells are plain text."""

    columns: list[Text] = Field(min_length=1)
    rows: list[list[Plain]] = Field(min_length=1)

    @model_validator(mode="after")
    def rows_fit_the_columns(self) -> "Table":
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise PydanticCustomError(
                    "row_width", "row {number} has {found} cells, expected {expected} (one per column)",
                    {"number": number, "found": len(row), "expected": len(self.columns), "field": "rows"})
        return self


class Section(Strict):
    """Further structured content of a procedure: a record form's fields, rules, practices."""

    title: Text
    body: Markdown = ""
    items: list[Text] = []
    table: Table | None = None


class Procedure(Source):
    title: Text
    summary: MarkdownText
    # What callers say that should lead staff here (threats that call for escalation, say): shown
    # and indexed like a complaint type's customer_says.
    customer_says: list[Text] = []
    roles: list[Role] = []
    steps: list[ProcedureStep] = []
    levels: list[LevelDefinition] = []
    sections: list[Section] = []
    related_types: Ids = []


# --- case studies (cases/library/<id>.yml) ----------------------------------------------

class TimelineEntry(Strict):
    when: Text
    what: Text


class Analysis(Strict):
    went_well: list[Text] = []
    went_wrong: list[Text] = []


class Question(Strict):
    question: Text
    answer: MarkdownText


# A tag or a caller's phrase is one word or phrase: 收银差错，当面投诉 is two typed with a Chinese comma.
_ITEM_SEPARATORS = re.compile(r"[、，,；;]")


def one_item(text: str) -> str:
    if _ITEM_SEPARATORS.search(text):
        raise PydanticCustomError(
            "one_item", "{got} looks like several items: separate them with ASCII commas inside [ ], or write "
                        "each on its own line starting with '- '", {"got": repr(shorten(text))})
    return text


OneItem = Annotated[Text, AfterValidator(one_item)]


class Case(Source):
    title: Text
    industry: Industry
    types: Ids = Field(min_length=1)
    channel: Channel
    severity: SeverityLevel
    origin: Origin
    source: Plain = ""
    # For 内部案例: who removed the names and details that identify the customer and staff.
    anonymised_by: Plain = ""
    summary: MarkdownText
    # How many timeline entries lead up to the decision the exercise asks about; the rest are
    # shown only with the answer. None shows the whole timeline before the exercise.
    decision_after: int | None = Field(None, ge=1)
    _decision_after_is_a_number = field_validator("decision_after", mode="before")(whole_number)
    timeline: list[TimelineEntry] = []
    actions: list[Text] = []
    outcome: Markdown = ""
    analysis: Analysis = Analysis()
    lessons: list[Text] = []
    questions: list[Question] = []
    tags: Annotated[list[OneItem], AfterValidator(each_once)] = []
    related_procedures: Ids = []

    @model_validator(mode="after")
    def documented_cases_name_their_source(self) -> "Case":
        if self.origin == "真实事件" and not self.source:
            raise PydanticCustomError(
                "source_required", "required when origin is 真实事件: name where the facts come from",
                {"field": "source"})
        if self.anonymised_by and self.origin != "内部案例":
            raise PydanticCustomError(
                "anonymised_by_internal", "only for origin 内部案例, got origin {origin}",
                {"origin": self.origin, "field": "anonymised_by"})
        return self

    @model_validator(mode="after")
    def decision_point_is_inside_the_timeline(self) -> "Case":
        if self.decision_after is not None and self.decision_after > len(self.timeline):
            raise PydanticCustomError(
                "decision_after", "expected at most {count} (the timeline has {count} entries), got {got}",
                {"count": len(self.timeline), "got": self.decision_after, "field": "decision_after"})
        return self

    @property
    def timeline_before_decision(self) -> list[TimelineEntry]:
        return self.timeline if self.decision_after is None else self.timeline[: self.decision_after]

    @property
    def timeline_after_decision(self) -> list[TimelineEntry]:
        return [] if self.decision_after is None else self.timeline[self.decision_after:]


# --- learning modules with their quizzes (cases/modules/<id>.yml) -----------------------

class Option(Strict):
    text: Text
    correct: bool = False


class QuizQuestion(Strict):
    question: Text
    options: list[Option] = Field(min_length=2, max_length=len(OPTION_LETTERS))
    explanation: Text
    # The page that teaches the answer, as a path under docs/: skills/listening.md, types/product-quality.md
    learn_more: Text

    @model_validator(mode="after")
    def exactly_one_correct_option(self) -> "QuizQuestion":
        correct = sum(option.correct for option in self.options)
        if correct != 1:
            raise PydanticCustomError(
                "one_correct", "exactly one option must have correct: true, found {found}",
                {"found": correct, "field": "options"})
        return self


class Reading(Strict):
    page: Text  # a path under docs/, like learn_more
    note: Plain = ""


class Module(Source):
    title: Text
    order: int
    _order_is_a_number = field_validator("order", mode="before")(whole_number)
    summary: MarkdownText
    goals: list[Text] = Field(min_length=1)
    read: list[Reading] = Field(min_length=1)
    questions: list[QuizQuestion] = []


# --- search thesaurus (cases/search/synonyms.yml) ----------------------------------------

class SynonymGroup(Strict):
    terms: list[OneItem] = Field(min_length=1)  # words the site uses, e.g. 丢失
    callers_say: list[OneItem] = Field(min_length=1)  # what callers say for them, e.g. 被人拿走


class Thesaurus(Source):
    """What callers say, mapped to the words the site uses; search expands a caller's phrase
    to its group's terms at query time (load.check_thesaurus refuses repeats)."""

    groups: list[SynonymGroup] = Field(min_length=1)


# --- role-play exercises (cases/roleplays/<id>.yml) -------------------------------------

class RoleplayTurn(Strict):
    customer: Text  # what the person playing the customer says
    expected: list[Text] = Field(min_length=1)  # what the agent should do or say next


class ScoreItem(Strict):
    criterion: Text
    points: int = Field(ge=1, le=100)
    _points_are_a_number = field_validator("points", mode="before")(whole_number)


ROLEPLAY_TOTAL = 100

# What each industry calls the person who complains (see the glossary); 顾客 elsewhere.
CUSTOMER_WORDS = {"物业管理": "业主", "汽车销售与维修": "客户", "快递物流": "客户"}


class Roleplay(Source):
    """A role-play for three trainees: customer, agent and an observer who scores."""

    title: Text
    industry: Industry
    types: Ids = Field(min_length=1)
    channel: Channel
    severity: SeverityLevel
    scenario: MarkdownText  # what both players know before they start
    customer_brief: MarkdownText  # only for the customer's player (mood, demand, what calms them)
    turns: list[RoleplayTurn] = Field(min_length=2)
    scoring: list[ScoreItem] = Field(min_length=3)
    related_cases: Ids = []

    @model_validator(mode="after")
    def scores_add_up_to_the_total(self) -> "Roleplay":
        total = sum(item.points for item in self.scoring)
        if total != ROLEPLAY_TOTAL:
            raise PydanticCustomError(
                "score_total", "points must add up to {expected}, got {got}",
                {"expected": ROLEPLAY_TOTAL, "got": total, "field": "scoring"})
        return self


KINDS: dict[str, type[Source]] = {"types": ComplaintType, "procedures": Procedure, "library": Case, "modules": Module,
                                  "roleplays": Roleplay}
