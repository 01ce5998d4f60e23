"""Rendering a validated Project into Markdown pages (path under docs/ -> text).

Every text from YAML reaches a page through a filter of generator/text.py named in the
template for the place it lands in (plain, heading, cell, attr, admonition_title, lines,
mermaid, md ...). The environment refuses to print a str that did not pass one: a template
that forgets the filter fails at once instead of publishing raw text.
"""
from __future__ import annotations

import json
import posixpath
import re
from collections import Counter
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup

from . import caselib, catalogue, charts, text
from .load import Project, review_overdue
from .search import thesaurus_asset
from .settings import Settings
from .model import (
    CATEGORIES, CATEGORY, CHANNEL, CHANNELS, CUSTOMER_WORDS, INDUSTRIES, OPTION_LETTERS, PLACEHOLDER_PATTERN, ROLEPLAY_TOTAL,
    SEVERITY, SEVERITY_LEVELS, STAGE, STAGE_LABELS, STAGES, Case, ComplaintType, Module, Procedure, Roleplay, script_anchor,
)
from .problems import Problem, SourceErrors

_WEEKDAYS = {"日": 0, "天": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}


def slot(name: str, fallback: str | None) -> Markup:
    """One placeholder as an element the call-time script can fill in; readable without JS."""
    fallback_attr = Markup(' data-fallback="{}"').format(text.plain(fallback)) if fallback is not None else ""
    shown = text.plain("{" + name + "}")
    return Markup('<span class="kesu-slot" data-slot="{}"{}>{}</span>').format(text.plain(name), fallback_attr, shown)


def fill_slots(source: str, placeholders: dict) -> Markup:
    """Plain text, line breaks kept, with every {name} or {name|fallback} turned into a slot element."""
    def render_slot(match: re.Match) -> Markup:
        name, inline_fallback = match.group(1), match.group(2)
        declared = placeholders.get(name)
        return slot(name, inline_fallback if inline_fallback is not None else (declared.default if declared else None))

    return text.plain_lines(source, PLACEHOLDER_PATTERN, render_slot)


def paragraphs(lines: Markup) -> Markup:
    """Blank-line separated paragraphs, single newlines kept as line breaks (for scripts and letters)."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", str(lines)) if block.strip()]
    return Markup("\n\n".join(block.replace("\n", "<br>\n") for block in blocks))


def first_sentence(markdown_source: str) -> str:
    """The first sentence of a Markdown field as plain words (for index tables and lists)."""
    words = text.markdown_as_plain(markdown_source).strip().split("\n")[0]
    match = re.match(r"(.+?[。！？])", words)
    return match.group(1) if match else words


def option_letter(index: int) -> Markup:
    return Markup(OPTION_LETTERS[index])


def joined(items, separator: str = "") -> Markup:
    """Jinja's join for escaped items only: `map("plain") | join(...)`, never raw source text."""
    items = list(items)
    if not all(isinstance(item, Markup) for item in items):
        raise TypeError("join needs items that passed a text filter, e.g. map('plain')")
    return Markup(separator).join(items)


def only_escaped(value):
    """Jinja's finalize: what a template prints must have passed a filter of text.py (or be a number)."""
    if isinstance(value, Markup) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    raise TypeError(f"template prints {type(value).__name__} {str(value)[:40]!r} without a text filter")


def used_placeholders(item: ComplaintType) -> list[str]:
    """Declared placeholders in the order they first appear in scripts and letters."""
    texts = [item.scripts[c][s] for c in CHANNELS if c in item.scripts for s in STAGES if s in item.scripts[c]]
    texts += [part for letter in item.letters for part in (letter.subject, letter.body)]
    seen: dict[str, None] = {}
    for script in texts:
        for name, _ in PLACEHOLDER_PATTERN.findall(script):
            seen.setdefault(name, None)
    return list(seen)


@pass_context
def link(context, target: str) -> str:
    """A Markdown link from the page being rendered to another docs page (MkDocs resolves and checks it)."""
    return markdown_link(context["page"], target)


@pass_context
def href(context, target: str) -> str:
    """A URL for raw HTML from the page being rendered to another docs page (MkDocs leaves it alone)."""
    return html_href(context["page"], target)


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The pages' environment, shared by every render: nothing may change it after it is made."""
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        finalize=only_escaped,
    )
    # One filter per place; several share an implementation, the name says where the text lands.
    env.filters.update(
        plain=text.plain, cell=text.plain, attr=text.plain, heading=text.heading,
        admonition_title=text.admonition_title, lines=text.plain_lines, md=text.markdown,
        mermaid=text.mermaid_label, code=text.code, url=text.url_path,
        slots=fill_slots, paragraphs=paragraphs, first_sentence=first_sentence, letter=option_letter,
        page_title=lambda page, titles: titles.get(page, page), one_line=text.one_line, join=joined,
    )
    # Filters that would mark raw text as safe, or escape it for HTML only, are not for templates here.
    for name in ("safe", "e", "escape", "forceescape", "urlize", "xmlattr"):
        env.filters.pop(name, None)
    env.tests["contains"] = lambda sequence, value: value in sequence
    # link()/href() need the context variable `page` (the docs path being rendered): render_template sets it.
    env.globals.update(
        link=link, href=href, CHANNELS=CHANNELS, STAGES=STAGES, STAGE_LABELS=STAGE_LABELS, script_anchor=script_anchor, CATEGORIES=CATEGORIES,
        INDUSTRIES=INDUSTRIES, SEVERITY_LEVELS=SEVERITY_LEVELS, t=catalogue.t,
        # The closed lists: CHANNEL.id_of(label) is the machine value of a label (data-*, value, URLs).
        CATEGORY=CATEGORY, CHANNEL=CHANNEL, STAGE=STAGE, SEVERITY=SEVERITY,
    )
    return env


def render_template(name: str, page: str, settings: Settings | None = None, **context) -> str:
    """Template `name` rendered as docs page `page`; settings give the 待复核 badge its date and age."""
    settings = settings or Settings()
    def overdue(item) -> bool:
        return review_overdue(item, settings.today, settings.review_days)
    return environment().get_template(name).render(page=page, overdue=overdue, **context)


def calendar_rule(when: str) -> dict:
    """每周二 -> {"weekday": 2}; 每月4日 -> {"monthday": 4}; other text -> {} (shown as written)."""
    if match := re.search(r"每周([一二三四五六日天])", when):
        return {"weekday": _WEEKDAYS[match.group(1)]}
    if match := re.search(r"每月(\d{1,2})日", when):
        return {"monthday": int(match.group(1))}
    return {}


def deadline_timeline(project: Project) -> list[dict]:
    """Every step with a duration deadline, earliest first, then calendar rhythms."""
    timed, calendar = [], []
    for procedure in sorted(project.procedures.values(), key=lambda p: p.id):
        for step in procedure.steps:
            entry = {"procedure": procedure, "step": step, "rule": calendar_rule(step.when)}
            if step.deadline is not None:
                timed.append(entry)
            elif step.when:
                calendar.append(entry)
    timed.sort(key=lambda e: e["step"].deadline.minutes)
    return timed + calendar


def types_by_procedure(project: Project) -> dict[str, list[str]]:
    """The types each procedure serves, linked from either side, for the deadline filter."""
    served = {pid: set(procedure.related_types) for pid, procedure in project.procedures.items()}
    for item in project.types.values():
        for pid in item.related_procedures:
            served.setdefault(pid, set()).add(item.id)
    return {pid: sorted(ids) for pid, ids in served.items()}


def types_in_order(project: Project) -> list[ComplaintType]:
    return sorted(project.types.values(), key=lambda t: (CATEGORIES.index(t.category), t.name))


def cases_in_order(project: Project) -> list[Case]:
    return sorted(project.cases.values(), key=lambda c: c.title)


def modules_in_order(project: Project) -> list[Module]:
    return sorted(project.modules.values(), key=lambda m: m.order)


def roleplays_in_order(project: Project) -> list[Roleplay]:
    return sorted(project.roleplays.values(), key=lambda r: (INDUSTRIES.index(r.industry), r.title))


def cases_listed_on_type(project: Project, item: ComplaintType) -> list[Case]:
    """The cases a type page lists: those of the type and those the type names, by title."""
    related = {case.id: case for case in project.cases_of_type(item.id)}
    related.update({cid: project.cases[cid] for cid in item.related_cases})
    return sorted(related.values(), key=lambda c: c.title)


def render_type(project: Project, item: ComplaintType, settings: Settings | None = None,
                cases: list[Case] | None = None) -> str:
    """/types/<id>/; cases: the type's cases, when the caller has them (cases_listed_on_type); the page
    shows the most relevant few and links to the case library filtered by the type for the rest."""
    listed = cases_listed_on_type(project, item) if cases is None else cases
    return render_template(
        "type.md.j2", f"types/{item.id}.md", settings, item=item, slots_used=used_placeholders(item),
        cases=caselib.most_relevant(listed), case_total=len(listed),
        procedures=[project.procedures[pid] for pid in item.related_procedures],
    )


def render_callcard(project: Project, item: ComplaintType, settings: Settings | None = None) -> str:
    return render_template("callcard.md.j2", f"callcards/{item.id}.md", settings, item=item)


def render_procedure(project: Project, item: Procedure, settings: Settings | None = None) -> str:
    return render_template("procedure.md.j2", f"procedures/{item.id}.md", settings, item=item,
                           types=[project.types[t] for t in item.related_types])


def render_case(project: Project, item: Case, settings: Settings | None = None) -> str:
    return render_template("case.md.j2", f"cases/{item.id}.md", settings, item=item,
                           types=[project.types[t] for t in item.types],
                           procedures=[project.procedures[p] for p in item.related_procedures])


def render_types_index(project: Project, settings: Settings | None = None) -> str:
    return render_template("types_index.md.j2", "types/index.md", settings, types=types_in_order(project))


def render_procedures_index(project: Project, settings: Settings | None = None) -> str:
    return render_template(
        "procedures_index.md.j2", "procedures/index.md", settings,
        procedures=sorted(project.procedures.values(), key=lambda p: p.title), timeline=deadline_timeline(project))


def render_deadlines(project: Project, settings: Settings | None = None) -> str:
    return render_template("deadlines.md.j2", "deadlines.md", settings, timeline=deadline_timeline(project),
                           types=types_in_order(project), procedure_types=types_by_procedure(project))


def page_dir(page: str) -> str:
    """The URL folder of a docs page: quiz.md -> quiz, learn/index.md -> learn, index.md -> ''."""
    stem = page[:-3] if page.endswith(".md") else page
    return "" if stem == "index" else stem[: -len("/index")] if stem.endswith("/index") else stem


def relative_path(from_folder: str, target: str) -> str:
    """target relative to from_folder, both relative to docs/ ('' is docs/ itself): posixpath.relpath
    without its look at the working folder, which cost a second per 5,000 links."""
    here, there = from_folder.split("/") if from_folder else [], target.split("/") if target else []
    common = 0
    while common < len(here) and common < len(there) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."


def markdown_link(from_page: str, target: str) -> str:
    """A Markdown link from one docs page to another (MkDocs resolves and checks it)."""
    return relative_path(posixpath.dirname(from_page), target)


def html_href(from_page: str, target: str) -> str:
    """A URL for raw HTML, where MkDocs does not rewrite links: relative, ending in a slash."""
    relative = relative_path(page_dir(from_page), page_dir(target))
    return "./" if relative == "." else relative + "/"


def hand_written_titles(root, pages: list[str]) -> dict[str, str]:
    """{docs path: first heading} of hand-written pages (registry.hand_written_pages names them)."""
    titles = {}
    for page in pages:
        match = re.search(r"^# (.+)$", (root / "docs" / page).read_text(encoding="utf-8"), re.M)
        titles[page] = match.group(1).strip() if match else page.rsplit("/", 1)[-1][:-3]
    return titles


def page_titles(project: Project) -> dict[str, str]:
    """Titles of the pages modules link to: generated pages' from the registry, hand-written pages' first heading."""
    from . import registry

    return registry.page_titles(project)


def render_learn_index(project: Project, titles: dict[str, str], settings: Settings | None = None) -> str:
    """/learn/: the modules in order; titles names the pages they link ({docs path: title})."""
    return render_template("learn_index.md.j2", "learn/index.md", settings, modules=modules_in_order(project),
                           titles=titles)


def render_learn_module(project: Project, item: Module, titles: dict[str, str], settings: Settings | None = None) -> str:
    """/learn/<id>/: one module, numbered by its place in the path."""
    number = modules_in_order(project).index(item) + 1
    return render_template("learn_module.md.j2", f"learn/{item.id}.md", settings, item=item, number=number,
                           titles=titles)


def render_quiz(project: Project, settings: Settings | None = None) -> str:
    return render_template("quiz.md.j2", "quiz.md", settings, modules=modules_in_order(project))


def render_roleplay_index(project: Project, settings: Settings | None = None) -> str:
    """/learn/roleplay/, grouped by industry."""
    by_industry: dict[str, list] = {}
    for item in roleplays_in_order(project):
        by_industry.setdefault(item.industry, []).append(item)
    return render_template("roleplay_index.md.j2", "learn/roleplay/index.md", settings, by_industry=by_industry)


def render_roleplay(project: Project, item: Roleplay, settings: Settings | None = None) -> str:
    return render_template(
        "roleplay.md.j2", f"learn/roleplay/{item.id}.md", settings, item=item,
        types=[project.types[t] for t in item.types], cases=[project.cases[c] for c in item.related_cases],
        total=ROLEPLAY_TOTAL, customer=CUSTOMER_WORDS.get(item.industry, "顾客"))


def render_stats(project: Project, settings: Settings | None = None) -> str:
    cases = list(project.cases.values())
    # Chart labels go into raw SVG inside the page's Markdown: escaped by Markup, kept on one line here.
    by_type = Counter(text.one_line(project.types[t].name) for case in cases for t in case.types)
    label = catalogue.text
    chart_specs = [
        (label("chart.type_title"), label("chart.type"), charts.ranked(by_type), True, label("chart.type_note")),
        (label("chart.severity_title"), label("chart.severity"),
         charts.ranked(Counter(c.severity for c in cases), SEVERITY_LEVELS), False, ""),
        (label("chart.channel_title"), label("chart.channel"),
         charts.ranked(Counter(c.channel for c in cases), CHANNELS), False, ""),
        (label("chart.industry_title"), label("chart.industry"),
         charts.ranked(Counter(c.industry for c in cases)), False, ""),
    ]
    return render_template(
        "stats.md.j2", "stats.md", settings, total=len(cases), bar_chart=charts.bar_chart, data_table=charts.data_table,
        charts=[{"title": t, "heading": h, "bars": b, "pareto": p, "note": n} for t, h, b, p, n in chart_specs])


def glossary_script(root) -> str:
    """assets/glossary.js: the glossary's `*[term]: definition` lines as data for hover tooltips.

    Python-Markdown's abbreviations only match between word boundaries, which Chinese text does
    not have; the page script marks the terms in the browser instead.
    """
    path = root / "docs" / "glossary.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    terms = dict(re.findall(r"^\*\[([^\]]+)\]:\s*(.+)$", text, re.M))
    return "window.KESU_GLOSSARY = " + json.dumps(terms, ensure_ascii=False, sort_keys=True) + ";\n"


def levels_procedure(project: Project):
    """The one procedure that defines the severity levels (load.py guarantees at most one)."""
    return next((p for p in project.procedures.values() if p.levels), None)


def render_triage(project: Project, settings: Settings | None = None) -> str | None:
    procedure = levels_procedure(project)
    if procedure is None:
        return None
    levels = sorted(procedure.levels, key=lambda level: SEVERITY_LEVELS.index(level.level))
    def applies(step, level) -> bool:
        return (step.deadline is not None or bool(step.when)) and (not step.levels or level in step.levels)

    steps_by_level = {
        level.level: sorted((step for step in procedure.steps if applies(step, level.level)),
                            key=lambda step: step.deadline.minutes if step.deadline else 10**9)
        for level in levels}
    return render_template("triage.md.j2", "triage.md", settings, procedure=procedure, levels=levels,
                           steps_by_level=steps_by_level)


def render_thesaurus(project: Project) -> str | None:
    """The thesaurus as data for the search index, which is written from the built site."""
    if not project.thesaurus:
        return None
    return thesaurus_asset([(g.terms, g.callers_say) for g in project.thesaurus.groups])


def render_outputs(outputs) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """{output path: {file: text}} for each registry output that renders (a group gives several files,
    None gives none: e.g. no triage.md), and one problem (naming the source) per output that does not."""
    files: dict[str, dict[str, str]] = {}
    problems = []
    for output in outputs:
        try:
            result = output.render()
        except Exception as error:  # any failure of a template or filter is reported, never raised
            reason = " ".join(f"{type(error).__name__}: {error}".split())[:200]
            problems.append(Problem(output.origin or "cases/", 1, "", f"page {output.path} cannot be generated: {reason}"))
            continue
        files[output.path] = result if isinstance(result, dict) else {} if result is None else {output.path: result}
    return files, problems


def merged(files: dict[str, dict[str, str]]) -> dict[str, str]:
    return {path: text for group in files.values() for path, text in group.items()}


def render_pages(project: Project, settings: Settings | None = None) -> dict[str, str]:
    """All generated outputs, keyed by their path relative to docs/; SourceErrors if any cannot be rendered."""
    from . import registry

    files, problems = render_outputs(registry.outputs(project, settings or Settings()))
    if problems:
        raise SourceErrors(problems)
    return merged(files)
