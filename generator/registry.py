"""The one list of what kesu generates: every output under docs/, its title and what it depends on.

Each `Spec` below declares a page (or asset) once: its path, or a path pattern with one page per
source of a kind (`types/{id}.md`); the folder or file it is generated into (its root: what
`.gitignore`, `kesu clean`, stale-file removal and the tests derive from this module); its title
(what other pages' links call it); its render function (in render.py); and the sources it
depends on. Everything else asks this module: `outputs()` for a project's outputs,
`GENERATED_DIRS`/`GENERATED_FILES` for the roots, `page_titles()`, `site_pages()`.

Dependencies name sources by path: a source file (`cases/library/x.yml`), a whole kind
(`cases/library/`: any case added, removed or changed), `docs/glossary.md`, or `docs/` (the
titles of the hand-written pages). An edit re-renders the outputs whose dependencies, before or
after it, include a changed source (`Generation.stale`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import caselib, catalogue, render, scripts
from .load import THESAURUS, Project
from .model import KINDS, Source
from .settings import Settings

KIND_FOLDERS = {kind: f"cases/{kind}/" for kind in KINDS}
GLOSSARY = "docs/glossary.md"
HAND_WRITTEN_TITLES = "docs/"


@dataclass(frozen=True)
class Output:
    """One generated file of a project: render() gives its text, or None when the project has none.
    A group (e.g. a paged list whose page count depends on the data) writes several files at once:
    its render() gives {path: text}, and its path names the group by its first file."""

    path: str
    title: str | None
    render: Callable[[], str | dict[str, str] | None] = field(compare=False, repr=False)
    sources: frozenset[str]
    origin: str | None = None  # the source file a failure of this output is reported against
    group: bool = False


class Context:
    """What the specs of one project share: the project, the settings and a few derived tables."""

    def __init__(self, project: Project, settings: Settings):
        self.project, self.settings = project, settings

    @cached_property
    def cases_by_type(self) -> dict[str, list]:
        listed: dict[str, list] = {tid: [] for tid in self.project.types}
        for case in render.cases_in_order(self.project):
            for tid in dict.fromkeys(case.types):
                listed.setdefault(tid, []).append(case)
        for item in self.project.types.values():
            named = [self.project.cases[cid] for cid in item.related_cases if cid not in
                     {case.id for case in listed[item.id]}]
            if named:
                listed[item.id] = sorted(listed[item.id] + named, key=lambda c: c.title)
        return listed

    @cached_property
    def page_sources(self) -> dict[str, str]:
        """{docs path: the source file it is generated from} for pages of one source each."""
        return {spec.pattern.format(id=item.id): item.path for spec in SPECS if spec.kind
                for item in KINDS_OF[spec.kind](self.project).values()}

    @cached_property
    def titles(self) -> dict[str, str]:
        generated = {path: title for spec in SPECS for path, title in spec.titles(self) if title}
        return render.hand_written_titles(self.project.root, hand_written_pages(self.project.root)) | generated

    def linked_sources(self, pages: Iterable[str]) -> set[str]:
        """The sources whose titles the links to pages show: a generated page's source, or the hand-written titles."""
        found = set()
        for page in pages:
            if page in self.page_sources:
                found.add(self.page_sources[page])
            elif not page_is_generated(page):
                found.add(HAND_WRITTEN_TITLES)
        return found


@dataclass(frozen=True)
class Spec:
    """pattern: a path under docs/, with {id} for one output per source of kind (a folder under cases/).
    root: where it is generated (a folder ending in / or a file), default its pattern's first folder.
    title, render, depends: functions of (context, source) for per-source specs, of (context) otherwise."""

    pattern: str
    render: Callable
    depends: Callable
    title: str | Callable | None = None
    kind: str | None = None
    root: str = ""
    group: bool = False  # render gives {path: text} for several files under root (see Output)

    @property
    def generated_root(self) -> str:
        if self.root:
            return self.root
        return self.pattern.split("/")[0] + "/" if "/" in self.pattern else self.pattern

    def titles(self, context: Context) -> Iterator[tuple[str, str | None]]:
        if self.kind is None:
            yield self.pattern, self.title(context) if callable(self.title) else self.title
        else:
            for item in KINDS_OF[self.kind](context.project).values():
                yield self.pattern.format(id=item.id), self.title(context, item) if self.title else None

    def outputs(self, context: Context) -> Iterator[Output]:
        if self.kind is None:
            title = self.title(context) if callable(self.title) else self.title
            yield Output(self.pattern, title, lambda: self.render(context),
                         frozenset(self.depends(context)), self._origin(context), self.group)
            return
        for item in KINDS_OF[self.kind](context.project).values():
            yield Output(self.pattern.format(id=item.id), self.title(context, item) if self.title else None,
                         lambda item=item: self.render(context, item),
                         frozenset(self.depends(context, item)) | {item.path}, item.path)

    def _origin(self, context: Context) -> str | None:
        if self.pattern == "triage.md" and (procedure := render.levels_procedure(context.project)):
            return procedure.path
        return None


KINDS_OF: dict[str, Callable[[Project], dict[str, Source]]] = {
    "types": lambda p: p.types, "procedures": lambda p: p.procedures, "library": lambda p: p.cases,
    "modules": lambda p: p.modules, "roleplays": lambda p: p.roleplays,
}


def _paths(items: Iterable[Source]) -> set[str]:
    return {item.path for item in items}


def _type_page_sources(c: Context, item) -> set[str]:
    return _paths(c.cases_by_type.get(item.id, [])) | _paths(c.project.procedures[p] for p in item.related_procedures)


def _module_sources(c: Context, item) -> set[str]:
    # The page's number and its links' titles (other modules' numbers) come from every module.
    pages = [reading.page for reading in item.read] + [q.learn_more for q in item.questions]
    return {KIND_FOLDERS["modules"]} | c.linked_sources(pages)


def _learn_index_sources(c: Context) -> set[str]:
    pages = [reading.page for module in c.project.modules.values() for reading in module.read]
    return {KIND_FOLDERS["modules"]} | c.linked_sources(pages)


def _all(*kinds: str) -> Callable[..., set[str]]:
    return lambda *_: {KIND_FOLDERS[kind] for kind in kinds}


def _own(*_) -> set[str]:
    return set()  # a per-source output always depends on its own source


SPECS: tuple[Spec, ...] = (
    Spec("types/index.md", lambda c: render.render_types_index(c.project, c.settings), _all("types"), "投诉类型"),
    Spec("types/{id}.md", lambda c, t: render.render_type(c.project, t, c.settings, c.cases_by_type.get(t.id, [])),
         _type_page_sources, lambda c, t: t.name, kind="types"),
    Spec("callcards/{id}.md", lambda c, t: render.render_callcard(c.project, t, c.settings), _own,
         lambda c, t: f"通话卡：{t.name}", kind="types"),
    Spec("procedures/index.md", lambda c: render.render_procedures_index(c.project, c.settings),
         _all("procedures"), "处理流程"),
    Spec("procedures/{id}.md", lambda c, p: render.render_procedure(c.project, p, c.settings),
         lambda c, p: _paths(c.project.types[t] for t in p.related_types), lambda c, p: p.title, kind="procedures"),
    Spec("deadlines.md", lambda c: render.render_deadlines(c.project, c.settings), _all("procedures", "types"),
         "时限计算"),
    Spec("triage.md", lambda c: render.render_triage(c.project, c.settings), _all("procedures"), "投诉分级判断"),
    # The case library: /cases/, its list pages, facet pages and the filter's data, one group.
    Spec("cases/index.md", lambda c: caselib.render_case_library(c.project, c.settings), _all("library", "types"),
         "案例库", group=True),
    Spec("cases/{id}.md", lambda c, k: render.render_case(c.project, k, c.settings),
         lambda c, k: _paths(c.project.types[t] for t in k.types) |
         _paths(c.project.procedures[p] for p in k.related_procedures), lambda c, k: k.title, kind="library"),
    Spec("learn/index.md", lambda c: render.render_learn_index(c.project, c.titles, c.settings),
         _learn_index_sources, "学习路径"),
    Spec("learn/{id}.md", lambda c, m: render.render_learn_module(c.project, m, c.titles, c.settings),
         _module_sources, lambda c, m: f"第 {render.modules_in_order(c.project).index(m) + 1} 步：{m.title}",
         kind="modules"),
    Spec("quiz.md", lambda c: render.render_quiz(c.project, c.settings), _all("modules"), "自测题"),
    Spec("learn/roleplay/index.md", lambda c: render.render_roleplay_index(c.project, c.settings),
         _all("roleplays"), "角色扮演练习"),
    Spec("learn/roleplay/{id}.md", lambda c, r: render.render_roleplay(c.project, r, c.settings),
         lambda c, r: _paths(c.project.types[t] for t in r.types) |
         _paths(c.project.cases[k] for k in r.related_cases), lambda c, r: f"角色扮演：{r.title}", kind="roleplays"),
    Spec("stats.md", lambda c: render.render_stats(c.project, c.settings), _all("library", "types"), "案例统计"),
    Spec("assets/glossary.js", lambda c: render.glossary_script(c.project.root), lambda c: {GLOSSARY},
         root="assets/glossary.js"),
    # The interface strings for the page scripts (generator/strings/zh-Hans.yml): part of kesu's code.
    Spec(catalogue.CLIENT_ASSET, lambda c: catalogue.client_script(), lambda c: set(), root=catalogue.CLIENT_ASSET),
    Spec("assets/kesu-thesaurus.json", lambda c: render.render_thesaurus(c.project), lambda c: {THESAURUS},
         root="assets/kesu-thesaurus.json"),
    # Classic-script copies of the ES modules in generator/js/: made from kesu's code, not from a source.
    *(Spec(path, lambda c, path=path: scripts.classic_copy(path), lambda c: set(), root=path)
      for path in scripts.CLASSIC_COPIES),
)

# What is generated into docs/: folders (ending in /) and single files. Nothing else in docs/ is.
GENERATED_ROOTS: tuple[str, ...] = tuple(dict.fromkeys(spec.generated_root for spec in SPECS))
GENERATED_DIRS: tuple[str, ...] = tuple(root.rstrip("/") for root in GENERATED_ROOTS if root.endswith("/"))
GENERATED_FILES: tuple[str, ...] = tuple(root for root in GENERATED_ROOTS if not root.endswith("/"))


def fixed_paths() -> set[str]:
    """The outputs that do not come one per source (indexes, triage, the quiz ...)."""
    return {spec.pattern for spec in SPECS if spec.kind is None}


def page_is_generated(page: str) -> bool:
    """Whether a path under docs/ is kesu's to write (and to remove), rather than hand-written."""
    return page in GENERATED_FILES or page.split("/")[0] in GENERATED_DIRS


def generated_copy_filter(docs: Path) -> Callable[[str, list[str]], set[str]]:
    """An `ignore` for shutil.copytree(docs, ...): leaves out what kesu generates (and __pycache__)."""
    def ignored(folder: str, names: list[str]) -> set[str]:
        rel = Path(folder).relative_to(docs).as_posix()
        return {name for name in names
                if name == "__pycache__" or page_is_generated(name if rel == "." else f"{rel}/{name}")}
    return ignored


def outputs(project: Project, settings: Settings | None = None) -> list[Output]:
    """Every output of the project, in the order of SPECS."""
    context = Context(project, settings or Settings())
    return [output for spec in SPECS for output in spec.outputs(context)]


def page_titles(project: Project, settings: Settings | None = None) -> dict[str, str]:
    return Context(project, settings or Settings()).titles


def source_file_of(page: str) -> str | None:
    """The source file a page of one source comes from, as the loader names it: cases/x.md ->
    cases/library/x.yml (ids are file stems; .yml is the usual suffix), or None."""
    for spec in SPECS:
        if spec.kind is not None:
            before, after = spec.pattern.split("{id}")
            id_ = page[len(before): len(page) - len(after)]
            if page.startswith(before) and page.endswith(after) and id_ and "/" not in id_ and id_ != "index":
                return f"{KIND_FOLDERS[spec.kind]}{id_}.yml"
    return None


def hand_written_pages(root: Path) -> list[str]:
    """The docs/*.md pages kesu does not generate (its folders are not walked: they may hold thousands)."""
    docs, found = root / "docs", []
    for folder, subfolders, files in os.walk(docs):
        rel = Path(folder).relative_to(docs).as_posix()
        if rel == ".":
            subfolders[:] = [name for name in subfolders if name not in GENERATED_DIRS]
        found += [name if rel == "." else f"{rel}/{name}" for name in files if name.endswith(".md")]
    return sorted(page for page in found if not page_is_generated(page))


def site_pages(root: Path, ids: dict[str, set[str]]) -> set[str]:
    """Every page path under docs/ that the built site will have, given the source ids per kind.

    Computed before the sources are fully loaded (modules' links are checked with it): from ids alone.
    """
    pages = set(hand_written_pages(root)) | {path for path in fixed_paths() if path.endswith(".md")}
    for spec in SPECS:
        if spec.kind is not None and spec.pattern.endswith(".md"):
            pages |= {spec.pattern.format(id=id_) for id_ in ids[spec.kind]}
    return pages


# --- incremental generation ------------------------------------------------------------------------


def source_versions(project: Project) -> dict[str, object]:
    """{source key: its current value}. The loader reuses the object of a file whose bytes did not
    change, so comparing by identity first is cheap; the model's equality decides otherwise."""
    versions: dict[str, object] = {}
    for kind, items in KINDS_OF.items():
        for item in items(project).values():
            versions[item.path] = item
    versions[THESAURUS] = project.thesaurus
    glossary = project.root / GLOSSARY
    versions[GLOSSARY] = glossary.read_bytes() if glossary.is_file() else None
    versions[HAND_WRITTEN_TITLES] = render.hand_written_titles(project.root, hand_written_pages(project.root))
    return versions


def changed_sources(before: dict[str, object], after: dict[str, object]) -> set[str]:
    """The keys whose value differs, plus the kind folder of every source file added, removed or changed."""
    changed = {key for key in before.keys() | after.keys()
               if key not in before or key not in after or
               (before[key] is not after[key] and before[key] != after[key])}
    for key in list(changed):
        for folder in KIND_FOLDERS.values():
            if key.startswith(folder):
                changed.add(folder)
    return changed


@dataclass
class Generation:
    """What one generation wrote: the inputs it saw and each output's dependencies, for the next one."""

    settings: Settings
    versions: dict[str, object]
    sources: dict[str, frozenset[str]]  # output path -> the sources it depends on
    files: dict[str, frozenset[str]] = field(default_factory=dict)  # output path -> the files it wrote

    def stale(self, settings: Settings, versions: dict[str, object], current: list[Output]) -> list[Output]:
        """The outputs to render again after the sources became `versions`."""
        if settings != self.settings:
            return list(current)
        changed = changed_sources(self.versions, versions)
        return [output for output in current
                if output.path not in self.sources or (output.sources | self.sources[output.path]) & changed]

    def all_files(self) -> set[str]:
        return set().union(*self.files.values())
