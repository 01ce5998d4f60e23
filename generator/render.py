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
from contextvars import ContextVar
from datetime import date
from functools import lru_cache, partial
from typing import Callable

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from . import caselib, charts, text
from .load import Project, review_days_setting, review_overdue
from .search import THESAURUS_ASSET
from .model import (
    CATEGORIES, CHANNELS, CUSTOMER_WORDS, INDUSTRIES, OPTION_LETTERS, PLACEHOLDER_PATTERN, ROLEPLAY_TOTAL,
    SEVERITY_LEVELS, STAGE_LABELS, STAGES, ComplaintType, Source, script_anchor,
)
from .problems import Problem, SourceErrors

# (today, review_days) of the render in progress, for the 待复核 badge.
_review_clock: ContextVar[tuple[date, int]] = ContextVar("review_clock")

GENERATED_DIRS = ("types", "procedures", "cases", "callcards", "learn")
GENERATED_FILES = ("triage.md", "deadlines.md", "quiz.md", "stats.md", "assets/glossary.js", THESAURUS_ASSET)

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


@pass_eval_context
def joined(eval_ctx: EvalContext, items, separator: str = "") -> Markup | str:
    """Jinja's join for escaped items only: `map("plain") | join(...)`, never raw source text.
    (Scaffolds render YAML without autoescape through the same environment.)"""
    items = list(items)
    if not eval_ctx.autoescape:
        return separator.join(map(str, items))
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
    for text in texts:
        for name, _ in PLACEHOLDER_PATTERN.findall(text):
            seen.setdefault(name, None)
    return list(seen)


@lru_cache(maxsize=1)
def environment() -> Environment:
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
    env.globals["overdue"] = lambda item: review_overdue(item, *_review_clock.get())
    env.globals.update(
        CHANNELS=CHANNELS, STAGES=STAGES, STAGE_LABELS=STAGE_LABELS, script_anchor=script_anchor, CATEGORIES=CATEGORIES,
        INDUSTRIES=INDUSTRIES, SEVERITY_LEVELS=SEVERITY_LEVELS,
    )
    return env


def render_template(name: str, **context) -> str:
    return environment().get_template(name).render(**context)


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


def render_type(project: Project, item: ComplaintType) -> str:
    related = {case.id: case for case in project.cases_of_type(item.id)}
    related.update({cid: project.cases[cid] for cid in item.related_cases})
    return render_template(
        "type.md.j2", item=item, slots_used=used_placeholders(item),
        cases=caselib.most_relevant(related.values()), case_total=len(related),
        procedures=[project.procedures[pid] for pid in item.related_procedures],
    )


def page_dir(page: str) -> str:
    """The URL folder of a docs page: quiz.md -> quiz, learn/index.md -> learn, index.md -> ''."""
    stem = page[:-3] if page.endswith(".md") else page
    return "" if stem == "index" else stem[: -len("/index")] if stem.endswith("/index") else stem


def markdown_link(from_page: str, target: str) -> str:
    """A Markdown link from one docs page to another (MkDocs resolves and checks it)."""
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")


def html_href(from_page: str, target: str) -> str:
    """A URL for raw HTML, where MkDocs does not rewrite links: relative, ending in a slash."""
    relative = posixpath.relpath(page_dir(target) or ".", page_dir(from_page) or ".")
    return "./" if relative == "." else relative + "/"


def page_titles(project: Project) -> dict[str, str]:
    """Titles of the pages modules link to: sources' names, and the first heading of hand-written pages."""
    titles = {f"types/{t.id}.md": t.name for t in project.types.values()}
    titles |= {f"callcards/{t.id}.md": f"通话卡：{t.name}" for t in project.types.values()}
    titles |= {f"procedures/{p.id}.md": p.title for p in project.procedures.values()}
    titles |= {f"cases/{c.id}.md": c.title for c in project.cases.values()}
    titles |= {f"learn/roleplay/{r.id}.md": f"角色扮演：{r.title}" for r in project.roleplays.values()}
    titles |= {"types/index.md": "投诉类型", "procedures/index.md": "处理流程", "cases/index.md": "案例库",
               "triage.md": "投诉分级判断", "deadlines.md": "时限计算", "learn/roleplay/index.md": "角色扮演练习"}
    docs = project.root / "docs"
    for path in docs.rglob("*.md") if docs.is_dir() else []:
        match = re.search(r"^# (.+)$", path.read_text(encoding="utf-8"), re.M)
        titles.setdefault(path.relative_to(docs).as_posix(), match.group(1).strip() if match else path.stem)
    return titles


def render_learning(project: Project) -> dict[str, str]:
    """/learn/, /learn/<id>/ and /quiz/ from the modules."""
    modules = sorted(project.modules.values(), key=lambda m: m.order)
    titles = page_titles(project)
    pages = {"learn/index.md": render_template(
        "learn_index.md.j2", modules=modules, titles=titles, url=lambda t: markdown_link("learn/index.md", t))}
    for number, item in enumerate(modules, start=1):
        here = f"learn/{item.id}.md"
        pages[here] = render_template(
            "learn_module.md.j2", item=item, number=number, titles=titles,
            url=lambda t, here=here: markdown_link(here, t), href=lambda t, here=here: html_href(here, t))
    pages["quiz.md"] = render_template("quiz.md.j2", modules=modules, href=lambda t: html_href("quiz.md", t))
    return pages


def render_roleplays(project: Project) -> dict[str, str]:
    """/learn/roleplay/ (grouped by industry) and /learn/roleplay/<id>/."""
    roleplays = sorted(project.roleplays.values(), key=lambda r: (INDUSTRIES.index(r.industry), r.title))
    by_industry: dict[str, list] = {}
    for item in roleplays:
        by_industry.setdefault(item.industry, []).append(item)
    pages = {"learn/roleplay/index.md": render_template("roleplay_index.md.j2", by_industry=by_industry)}
    for item in roleplays:
        here = f"learn/roleplay/{item.id}.md"
        pages[here] = render_template(
            "roleplay.md.j2", item=item, types=[project.types[t] for t in item.types],
            cases=[project.cases[c] for c in item.related_cases], total=ROLEPLAY_TOTAL,
            customer=CUSTOMER_WORDS.get(item.industry, "顾客"), url=lambda t, here=here: markdown_link(here, t))
    return pages


def render_stats(project: Project) -> str:
    cases = list(project.cases.values())
    # Chart labels go into raw SVG inside the page's Markdown: escaped by Markup, kept on one line here.
    by_type = Counter(text.one_line(project.types[t].name) for case in cases for t in case.types)
    chart_specs = [
        ("投诉类型排行（帕累托图）", "投诉类型", charts.ranked(by_type), True,
         "按案例数从多到少排列，折线为累计占比。处理和预防的投入，优先放在排在前面、累计约占八成的几类投诉上。"),
        ("级别分布", "级别", charts.ranked(Counter(c.severity for c in cases), SEVERITY_LEVELS), False, ""),
        ("渠道分布", "渠道", charts.ranked(Counter(c.channel for c in cases), CHANNELS), False, ""),
        ("各行业案例数", "行业", charts.ranked(Counter(c.industry for c in cases)), False, ""),
    ]
    return render_template(
        "stats.md.j2", total=len(cases), bar_chart=charts.bar_chart, data_table=charts.data_table,
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


def render_triage(project: Project) -> str | None:
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
    return render_template("triage.md.j2", procedure=procedure, levels=levels, steps_by_level=steps_by_level)


def page_jobs(project: Project) -> list[tuple[str, Source | None, Callable[[], str | None]]]:
    """Every generated page as (path under docs/, the source it comes from or None, render function)."""
    types_sorted = sorted(project.types.values(), key=lambda t: (CATEGORIES.index(t.category), t.name))
    cases_sorted = sorted(project.cases.values(), key=lambda c: c.title)
    timeline = deadline_timeline(project)
    jobs = [("types/index.md", None, lambda: render_template("types_index.md.j2", types=types_sorted))]
    for item in types_sorted:
        jobs += [(f"types/{item.id}.md", item, partial(render_type, project, item)),
                 (f"callcards/{item.id}.md", item, partial(render_template, "callcard.md.j2", item=item))]
    jobs += [
        ("procedures/index.md", None, lambda: render_template(
            "procedures_index.md.j2", procedures=sorted(project.procedures.values(), key=lambda p: p.title),
            timeline=timeline)),
        ("deadlines.md", None, lambda: render_template(
            "deadlines.md.j2", timeline=timeline, types=types_sorted, procedure_types=types_by_procedure(project))),
        ("triage.md", levels_procedure(project), lambda: render_triage(project)),
        ("learning", None, lambda: render_learning(project)),
        ("roleplays", None, lambda: render_roleplays(project)),
        ("stats.md", None, lambda: render_stats(project)),
        ("assets/glossary.js", None, lambda: glossary_script(project.root)),
    ]
    jobs += [(f"procedures/{item.id}.md", item, partial(
        render_template, "procedure.md.j2", item=item, types=[project.types[t] for t in item.related_types]))
        for item in project.procedures.values()]
    jobs.append(("case library", None, lambda: caselib.render_case_library(project)))
    jobs += [(f"cases/{item.id}.md", item, partial(
        render_template, "case.md.j2", item=item, types=[project.types[t] for t in item.types],
        procedures=[project.procedures[p] for p in item.related_procedures])) for item in cases_sorted]
    return jobs


def _set_review_clock(today: date | None, review_days: int | None) -> None:
    _review_clock.set((today or date.today(), review_days or review_days_setting()))


def _render_all(project: Project) -> tuple[dict[str, str], list[Problem]]:
    """Every page that renders, and one problem (naming the source) for each page that does not."""
    pages: dict[str, str] = {}
    problems = []
    for page, source, render in page_jobs(project):
        try:
            result = render()
        except Exception as error:  # any failure of a template or filter is reported, never raised
            reason = " ".join(f"{type(error).__name__}: {error}".split())[:200]
            path = source.path if source is not None else "cases/"
            problems.append(Problem(path, 1, "", f"page {page} cannot be generated: {reason}"))
            continue
        if isinstance(result, dict):  # the learning path, role-plays and case library render several pages at once
            pages |= result
        elif result is not None:
            pages[page] = result
    return pages, problems


def render_pages(project: Project, today: date | None = None, review_days: int | None = None) -> dict[str, str]:
    """All generated pages, keyed by their path relative to docs/; SourceErrors if any cannot be rendered."""
    _set_review_clock(today, review_days)
    pages, problems = _render_all(project)
    if problems:
        raise SourceErrors(problems)
    return pages
