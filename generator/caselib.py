"""The case library: /cases/ as one filterable, paged list that scales to thousands of cases.

Without JavaScript the library is a set of static pages: /cases/ shows the first PAGE_SIZE cases,
/cases/page/<n>/ the next ones, and each facet value has its own paged list
(/cases/type/<id>/, /cases/industry/<id>/, /cases/severity/<id>/, /cases/channel/<id>/,
/cases/origin/<id>/, each continued at .../page/<n>/: the values' stable ids from model.py). The folder names are reserved case ids
(model.CASE_LIBRARY_FOLDERS), so no case page can take their place.

docs/assets/kesu-cases.js turns /cases/ into a filter in place. It reads compact data written here,
in parts, so that the first view moves little and a filter loads only what it shows:
- cases/data/head.js: facet values (ids) and labels, and every case's facet values as small numbers
  (enough to filter and count without any other file);
- cases/data/c/<k>.js: CHUNK_SIZE cases each, [id, title] in list order (the rows shown);
- cases/data/t/<k>.js: the same cases' searchable text (title, summary, tags), loaded for free text only,
  folded to Simplified characters; t/fold.js: the fold pairs of those characters, with which the script
  folds a query typed in Traditional ones (the same text in both editions).
Each file is `kesuCasesLoad(<json>)`, like the search index: fetch() reads the JSON inside, and a
<script> tag loads the same file on pages opened from file://.
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Iterable

from . import text
from .fold import fold, pairs_for
from .model import CATEGORIES, CHANNEL, INDUSTRY, SEVERITY, SEVERITY_LEVELS, Case, Choice, ClosedList

if TYPE_CHECKING:
    from .load import Project

PAGE_SIZE = 50
CHUNK_SIZE = 500
# How many cases a complaint type's page shows before its link to the whole filtered list.
TYPE_PAGE_CASES = 5
DATA_DIR = "cases/data"
DATA_FORMAT = 1
WRAPPER = "kesuCasesLoad("
FACETS = ("type", "industry", "severity", "channel", "origin")
FACET_LABELS = {"type": "投诉类型", "industry": "行业", "severity": "级别", "channel": "渠道", "origin": "来源"}
# Readers ask whether a case really happened, not which of the three origins it has:
# 真实事件 (public sources) and 内部案例 (our own, anonymised) are both real cases.
ORIGIN_GROUP = ClosedList("origin", Choice("documented", "真实案例", ("真实事件", "内部案例")),
                          Choice("teaching", "教学案例", ("教学虚构",)))
ORIGIN_GROUPS = {"documented": ("真实事件", "内部案例"), "teaching": ("教学虚构",)}


def origin_group(case: Case) -> str:
    """The id of the case's origin group: documented or teaching."""
    return next(group for group, origins in ORIGIN_GROUPS.items() if case.origin in origins)


def relevance_key(case: Case) -> tuple:
    """The order of every case list: the most instructive first.

    Higher severity first (重大 cases teach escalation and carry the most risk); then real cases
    before invented ones (what happened weighs more than what could); then the most recently
    reviewed (current rules and wording); then by title, so that the order is stable.
    """
    reviewed = case.reviewed.toordinal() if isinstance(case.reviewed, date) else 0
    return (-SEVERITY_LEVELS.index(case.severity), origin_group(case) != "documented", -reviewed, case.title, case.id)


def case_types(project: Project) -> dict[str, list[str]]:
    """The types of each case, linked from either side: a type's related_cases count as its cases."""
    linked = {case.id: list(case.types) for case in project.cases.values()}
    for item in project.types.values():
        for case_id in item.related_cases:
            if item.id not in linked.setdefault(case_id, []):
                linked[case_id].append(item.id)
    return linked


def most_relevant(cases: Iterable[Case], limit: int = TYPE_PAGE_CASES) -> list[Case]:
    return sorted(cases, key=relevance_key)[:limit]


class Facet:
    """One filter: its values in display order, each with a label, the names a URL may also use and its cases."""

    def __init__(self, name: str, values: list[tuple[str, str, tuple[str, ...]]], of_case):
        self.name, self.label = name, FACET_LABELS[name]
        # (id: the value in URLs, the form, the data and the folder of its static pages; label;
        # aliases: Simplified names a URL may use instead of the id, such as the labels of older links)
        self.values = values
        self.of_case = of_case  # case -> list of ids

    def index(self) -> dict[str, int]:
        return {value: number for number, (value, _, _) in enumerate(self.values)}


def closed_facet(name: str, values: ClosedList, field: str, cases: list[Case], label=lambda choice: choice.label) -> Facet:
    """A filter over a closed list of the model: the values some case has, by id."""
    present = {getattr(case, field) for case in cases}
    return Facet(name, [(choice.id, label(choice), (choice.label, *choice.aliases)) for choice in values
                        if choice.label in present], lambda case: [values.id_of(getattr(case, field))])


def facets(project: Project, cases: list[Case], linked: dict[str, list[str]] | None = None) -> list[Facet]:
    """The five filters, each with only the values some case has; linked: case_types(project)."""
    linked = case_types(project) if linked is None else linked
    types = sorted(project.types.values(), key=lambda t: (CATEGORIES.index(t.category), t.name))
    used = {type_id for case in cases for type_id in linked[case.id]}
    groups = {origin_group(case) for case in cases}
    return [
        Facet("type", [(t.id, t.name, (t.name,)) for t in types if t.id in used], lambda c: linked[c.id]),
        closed_facet("industry", INDUSTRY, "industry", cases),
        closed_facet("severity", SEVERITY, "severity", cases, lambda choice: f"{choice.label}投诉"),
        closed_facet("channel", CHANNEL, "channel", cases),
        Facet("origin", [(g.id, g.label, (g.label, *g.aliases)) for g in ORIGIN_GROUP if g.id in groups],
              lambda c: [origin_group(c)]),
    ]


# --- data for the script -------------------------------------------------------------------

def wrapped(data) -> str:
    return WRAPPER + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ")\n"


def facet_column(facet: Facet, cases: list[Case]) -> list:
    """Each case's values of the facet as numbers: one number, or a list when it has several."""
    numbers = facet.index()
    column = []
    for case in cases:
        values = [numbers[value] for value in facet.of_case(case)]
        column.append(values[0] if len(values) == 1 else values)
    return column


def search_text(case: Case) -> str:
    """What free text is matched against: title, the summary's words and the tags, folded as the
    script folds a query (NFKC, lower case), so that the browser compares without converting."""
    return _folded_search_text(case.title, case.summary, tuple(case.tags))


@functools.lru_cache(maxsize=65536)  # `kesu serve`: after an edit, only the edited case's text is made again
def _folded_search_text(title: str, summary: str, tags: tuple[str, ...]) -> str:
    words = " ".join([title, text.markdown_as_plain(summary), *tags])
    return fold(" ".join(unicodedata.normalize("NFKC", words).lower().split()))


def data_version(parts: dict[str, str]) -> str:
    """A hash of the chunk files: the script asks for c/0.js?h=<hash>, so that a cache never mixes
    the parts of two builds."""
    return hashlib.sha256("".join(parts[name] for name in sorted(parts)).encode("utf-8")).hexdigest()[:12]


def data_files(cases: list[Case], facet_list: list[Facet], chunk_size: int = CHUNK_SIZE) -> dict[str, str]:
    """The script's data under cases/data/ (see the module's docstring); cases in list order."""
    chunks = range(math.ceil(len(cases) / chunk_size))
    files = {}
    for number in chunks:
        part = cases[number * chunk_size:(number + 1) * chunk_size]
        files[f"{DATA_DIR}/c/{number}.js"] = wrapped([[case.id, case.title] for case in part])
        files[f"{DATA_DIR}/t/{number}.js"] = wrapped([search_text(case) for case in part])
    # The pairs that fold a query typed in either script onto these texts (loaded with them).
    if cases:
        files[f"{DATA_DIR}/t/fold.js"] = wrapped(pairs_for({char for name, data in files.items() if "/t/" in name
                                                            for char in data}))
    head = {
        "v": DATA_FORMAT, "n": len(cases), "chunk": chunk_size, "chunks": len(chunks), "h": data_version(files),
        "f": [[facet.name, [[value, label] for value, label, _ in facet.values]] for facet in facet_list],
        "x": {facet.name: facet_column(facet, cases) for facet in facet_list},
    }
    files[f"{DATA_DIR}/head.js"] = wrapped(head)
    return files


# --- static pages --------------------------------------------------------------------------

def list_page_path(folder: str, number: int) -> str:
    """cases/ and 1 -> cases/index.md; cases/type/x/ and 3 -> cases/type/x/page/3.md."""
    # Every page an index.md of its own folder: Zensical reads raw HTML links relative to the Markdown
    # file, MkDocs relative to the page's URL; the two agree only where the file is its folder's index.
    return f"{folder}index.md" if number == 1 else f"{folder}page/{number}/index.md"


def row(case: Case, type_names: list[str]) -> dict:
    return {"case": case, "types": type_names, "teaching": origin_group(case) == "teaching"}


def list_pages(folder: str, cases: list[Case], page_size: int, render_page) -> dict[str, str]:
    """A paged list: every page of `cases` under folder, as render_page(paths, number, cases on it)."""
    paths = [list_page_path(folder, number) for number in range(1, max(1, math.ceil(len(cases) / page_size)) + 1)]
    return {path: render_page(paths, number, cases[(number - 1) * page_size:number * page_size])
            for number, path in enumerate(paths, start=1)}


class ListRenderer:
    """Renders the pages of one paged list with a template; rows show each case's type names.

    key: what else the pages show (a facet's value and label); first_page_key: what page 1 alone
    shows (the filter's counts and data version). A page whose inputs are those of a page rendered
    by the last render_case_library is taken from `memo` (see ListMemo)."""

    def __init__(self, names: dict[str, str], linked: dict[str, list[str]], settings, page_size: int, template: str,
                 memo: "ListMemo", total: int, key: tuple = (), first_page_key: tuple = (), **context):
        self.names, self.linked, self.memo = names, linked, memo
        self.settings, self.page_size, self.template, self.context = settings, page_size, template, context
        self.total, self.key, self.first_page_key = total, key, first_page_key

    def __call__(self, paths: list[str], number: int, part: list[Case]) -> str:
        types = [[self.names[t] for t in self.linked[case.id]] for case in part]
        key = (self.template, paths[number - 1], len(paths), self.page_size, self.total, self.settings, self.key,
               self.first_page_key if number == 1 else (), tuple(map(id, part)), repr(types))
        return self.memo.get(key, part, lambda: self.render(paths, number, part, types))

    def render(self, paths: list[str], number: int, part: list[Case], types: list[list[str]]) -> str:
        from .render import render_template

        return render_template(
            self.template, paths[number - 1], self.settings, number=number, count=len(paths), first=(number - 1) * self.page_size + 1,
            rows=[row(case, names) for case, names in zip(part, types)],
            first_page=paths[0], last_page=paths[-1], previous=paths[number - 2] if number > 1 else None,
            following=paths[number] if number < len(paths) else None, total=self.total, **self.context)


class ListMemo:
    """The list pages of the last render_case_library, by their inputs.

    At 5,000 cases the library is some 700 list pages; an edit of one case changes the few that show
    it, and `kesu serve` renders only those again. A page's cases are part of its key by identity:
    the loader keeps the object of every source file whose bytes did not change (load.py), so an
    edited case is a new object, whatever field of it a template shows. The cases are kept with the
    page, so that no identity of the key is reused while the entry lives; entries not used by the
    latest render are dropped.
    """

    def __init__(self):
        self.pages: dict[tuple, tuple[list[Case], str]] = {}
        self.used: dict[tuple, tuple[list[Case], str]] = {}

    def get(self, key: tuple, part: list[Case], render) -> str:
        entry = self.pages.get(key) or self.used.get(key) or (list(part), render())
        self.used[key] = entry
        return entry[1]

    def finish(self) -> None:
        self.pages, self.used = self.used, {}


_list_memo = ListMemo()


def facet_members(facet_list: list[Facet], cases: list[Case]) -> dict[str, list[tuple[str, str, str, list[Case]]]]:
    """{facet name: [(value, label, aliases, its cases in list order)]}."""
    members = {}
    for facet in facet_list:
        groups: dict[str, list[Case]] = {value: [] for value, _, _ in facet.values}
        for case in cases:
            for value in dict.fromkeys(facet.of_case(case)):
                groups[value].append(case)
        members[facet.name] = [(value, label, aliases, groups[value]) for value, label, aliases in facet.values]
    return members


def render_case_library(project: Project, settings=None, page_size: int = PAGE_SIZE,
                        chunk_size: int = CHUNK_SIZE) -> dict[str, str]:
    """/cases/ with its list pages, the facet pages and the script's data: {path under docs/: text}."""
    cases = sorted(project.cases.values(), key=relevance_key)
    linked = case_types(project)
    names = {type_id: item.name for type_id, item in project.types.items()}
    facet_list = facets(project, cases, linked)
    files = data_files(cases, facet_list, chunk_size)
    members = facet_members(facet_list, cases)
    version = data_version({name: text for name, text in files.items() if not name.endswith("/head.js")})
    counts = repr([(facet.name, facet.label, [(value, label, aliases, len(group)) for value, label, aliases, group in
                                              members[facet.name]]) for facet in facet_list])
    try:
        files |= list_pages("cases/", cases, page_size, ListRenderer(
            names, linked, settings, page_size, "cases_index.md.j2", _list_memo, first_page_key=(version, counts),
            total=len(cases), facets=facet_list, members=members, data_version=version))
        for facet in facet_list:
            for value, label, _, group in members[facet.name]:
                files |= list_pages(f"cases/{facet.name}/{value}/", group, page_size, ListRenderer(
                    names, linked, settings, page_size, "case_facet.md.j2", _list_memo,
                    key=(facet.name, facet.label, value, label), total=len(group), facet=facet, value=value, label=label))
    finally:
        _list_memo.finish()
    return files
