"""Loading and validating every source under cases/ in one place.

`load_project(root)` returns a Project, or raises SourceErrors listing every problem of
the run (file-level, field-level and cross-file), each with its path and line.
"""
from __future__ import annotations

import os
import unicodedata
import types as pytypes
import typing
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .model import (
    CASE_LIBRARY_FOLDERS, CHANNELS, ID_PATTERN, KINDS, PLACEHOLDER_PATTERN, STAGES, Case, ComplaintType, Module,
    Procedure, Roleplay, Source, Thesaurus,
)
from .privacy import ALLOW_MARKER, MASKED_EXAMPLES, find_personal_data_in_values
from .characters import shorten, unsafe_character, visible
from .meant import LIST_SEPARATORS, fold, meant_id
from .problems import Loc, Problem, SourceErrors, field_path, problems_from_validation, suggest
from .settings import Settings
from .slips import (comment_in_value_warnings, full_width_block_problems, full_width_placeholders, long_title_warnings,
                    markup_warnings, misplaced_file_problem, repeated_title_warnings)
from .yamlsource import YamlDocument, YamlFileError, careless_line, decode, parse, walk_text

SUFFIXES = (".yml", ".yaml")
# Text a scaffold leaves for the supervisor to replace; it passes validation but is reported.
UNFINISHED = "待补充"
THESAURUS = "cases/search/synonyms.yml"


def review_overdue(item: Source, today: date, review_days: int) -> bool:
    return item.reviewed is not None and (today - item.reviewed).days > review_days


@dataclass
class Project:
    root: Path
    types: dict[str, ComplaintType] = field(default_factory=dict)
    procedures: dict[str, Procedure] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    modules: dict[str, Module] = field(default_factory=dict)
    roleplays: dict[str, Roleplay] = field(default_factory=dict)
    thesaurus: Thesaurus | None = None
    warnings: list[Problem] = field(default_factory=list)
    # Where each value sits in its file, for cross-file messages: {path: document}
    documents: dict[str, YamlDocument] = field(default_factory=dict, repr=False)

    def cases_of_type(self, type_id: str) -> list[Case]:
        return [case for case in self.cases.values() if type_id in case.types]


def _unwrap(annotation):
    """The model class a field holds, looking through list[...], dict[..., X] and X | None."""
    origin = typing.get_origin(annotation)
    if origin in (list, tuple):
        return _unwrap(typing.get_args(annotation)[0])
    if origin is dict:
        return _unwrap(typing.get_args(annotation)[1])
    if origin in (typing.Union, pytypes.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                return _unwrap(arg)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation


def model_keys_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names allowed at loc inside model, for 'did you mean' suggestions."""
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part)
            if info is None:
                return []
            current = _unwrap(info.annotation)
        else:  # inside a dict with free keys: its values' model
            continue
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def source_files(root: Path, kind: str) -> list[Path]:
    folder = root / "cases" / kind
    if not folder.is_dir():
        return []
    # Names, not Paths, are compared and sorted: kesu serve lists 5,000 cases after every edit.
    with os.scandir(folder) as entries:
        names = sorted(entry.name for entry in entries if entry.name.endswith(SUFFIXES) and entry.is_file())
    return [folder / name for name in names]


# Ids whose page would take the place of a generated index: cases/library/index.yml -> /cases/.
RESERVED_IDS = {"index"}
KIND_INDEX_PAGES = {"types": "/types/", "procedures": "/procedures/", "library": "/cases/", "modules": "/learn/",
                    "roleplays": "/learn/roleplay/"}


def valid_id(id_: str) -> bool:
    # fullmatch: ID_PATTERN's '$' would also accept an id ending in a line break.
    return bool(ID_PATTERN.fullmatch(id_))


def reserved_id_reason(kind: str, id_: str) -> str | None:
    if kind == "library" and id_ in CASE_LIBRARY_FOLDERS:
        return f"id '{id_}' is reserved: /cases/{id_}/ holds the case library's list pages; choose another name"
    if id_ not in RESERVED_IDS:
        return None
    return f"id '{id_}' is reserved: its page would replace the {KIND_INDEX_PAGES[kind]} index; choose another name"


# Folders under cases/ that hold something other than sources of a kind.
OTHER_FOLDERS = {"schema", "search", "editions"}


def unread_folder_warnings(root: Path) -> list[Problem]:
    """YAML files in cases/ itself or in a folder kesu does not read (cases/librar/ for cases/library/)."""
    warnings = []
    for path in sorted((root / "cases").glob("*")):
        if path.is_dir() and path.name not in KINDS and path.name not in OTHER_FOLDERS:
            if any(p.suffix.lower() in SUFFIXES for p in path.rglob("*")):
                warnings.append(Problem(_relative(root, path) + "/", 1, "", f"folder is not read: sources go in "
                                        f"cases/{'/, cases/'.join(KINDS)}/{suggest(path.name, list(KINDS))}",
                                        warning=True))
        elif path.is_file() and path.suffix.lower() in SUFFIXES:
            warnings.append(Problem(_relative(root, path), 1, "", "not read: a case goes in cases/library/, a type in "
                                    "cases/types/, a procedure in cases/procedures/, a module in cases/modules/",
                                    warning=True))
    return warnings


def stray_file_problems(root: Path, kind: str) -> list[Problem]:
    """YAML files kesu would not read: a .YML extension, or a subfolder of cases/<kind>/."""
    folder = root / "cases" / kind
    if not folder.is_dir():
        return []
    problems = []
    for path in _unread_yaml_files(folder):
        rel = _relative(root, path)
        if path.parent != folder:
            problems.append(Problem(rel, 1, "", f"files in subfolders are not read: move it to cases/{kind}/ to "
                                                f"publish it, or out of cases/ to keep it as a draft", warning=True))
        elif path.name == f"{path.stem}{path.suffix}" and path.suffix.lower() in SUFFIXES:
            problems.append(Problem(rel, 1, "", f"extension '{path.suffix}' is not read: rename the file to "
                                                f"'{path.stem}{path.suffix.lower()}'"))
        else:
            problems.append(Problem(rel, 1, "", f"file name {path.name!r} is not read: rename the file to "
                                                f"'{_readable_name(path.name)}'"))
    return problems


# What an editor adds to a name: Notepad's .txt (late-refund.yml.txt), a space typed after the name.
_ADDED_SUFFIXES = (".txt",)


def _readable_name(name: str) -> str:
    """The name kesu reads that a YAML file's name was meant to be: 'x.YML' -> 'x.yml', 'x.yml.txt' -> 'x.yml'."""
    base = name.strip()
    for added in _ADDED_SUFFIXES:
        if base.lower().endswith(added) and os.path.splitext(base[: -len(added)])[1].lower() in SUFFIXES:
            base = base[: -len(added)].rstrip()
    stem, suffix = os.path.splitext(base)
    return stem + suffix.lower()


def _unread_yaml_files(folder: Path) -> list[Path]:
    """YAML files (.yml or .yaml in any case; hidden ones left out) in subfolders of folder, or in folder
    with a name kesu does not read (.YML, .yml.txt). Strings, not Paths: kesu serve looks after every edit."""
    found = []
    for parent, _, names in os.walk(folder):
        for name in names:
            readable = _readable_name(name)
            if not name.startswith(".") and os.path.splitext(readable)[1] in SUFFIXES and \
                    (parent != os.fspath(folder) or readable != name):
                found.append(os.path.join(parent, name))
    return [Path(path) for path in sorted(found) if os.path.isfile(path)]


def _relative(root: Path, path: Path) -> str:
    root_text, path_text = os.fspath(root), os.fspath(path)
    if path_text.startswith(root_text + os.sep):  # the usual case, without Path.relative_to's parsing
        return path_text[len(root_text) + 1:].replace(os.sep, "/")
    return path.relative_to(root).as_posix()


# `kesu serve` loads every source again after each edit: a file whose bytes are unchanged is
# not parsed and validated again (within one process only). Bytes, not modification times:
# two saves within one tick of the file system's clock must not look alike.
_loaded: dict[tuple[Path, type, str], tuple[bytes, tuple]] = {}


def load_file_cached(root: Path, path: Path, model: type[Source]):
    try:
        raw = None if path.is_symlink() else path.read_bytes()
    except OSError:
        raw = None
    if raw is None:
        return load_file(root, path, model)
    key = (os.fspath(path), model, _relative(root, path))
    cached = _loaded.get(key)
    if cached is not None and cached[0] == raw:
        return cached[1]
    result = load_file(root, path, model, raw)
    _loaded[key] = (raw, result)
    return result


def load_file(root: Path, path: Path, model: type[Source],
              raw: bytes | None = None) -> tuple[Source | None, list[Problem], YamlDocument | None]:
    """One source file, validated; raw is its bytes when the caller has read them already."""
    rel = _relative(root, path)
    problems: list[Problem] = []
    if not valid_id(path.stem):
        problems.append(Problem(rel, 1, "", f"file name '{path.name}' is not a valid id: use lowercase "
                                            f"letters, digits and hyphens, e.g. 'wrong-price{path.suffix}'"))
    elif reason := reserved_id_reason(path.parent.name, path.stem):
        problems.append(Problem(rel, 1, "", reason))
    if path.is_symlink():
        # A link could pull in any file on the machine; sources live in their own folder.
        return None, problems + [Problem(rel, 1, "", "file is a link to another file; put the content itself here")], None
    try:
        text = decode(raw if raw is not None else path.read_bytes())
        document = parse(text)
        problems += _privacy_problems(rel, text, document)
    except YamlFileError as error:
        return None, problems + [Problem(rel, error.line, error.field, error.message)], None
    except OSError as error:
        return None, problems + [Problem(rel, 1, "", f"cannot read file: {error.strerror}")], None
    if not isinstance(document.data, dict):
        lines = text.splitlines()
        if isinstance(document.data, str) and (slip := careless_line(lines, range(1, len(lines) + 1))):
            return None, problems + [Problem(rel, slip[0], "", slip[1])], None  # 标题：… lines read as one text
        got = "a list" if isinstance(document.data, list) else "a single value"
        return None, problems + [Problem(rel, 1, "", f"expected a mapping of fields at the top level, got {got}")], None
    if hidden := hidden_character_problems(rel, document, text) + full_width_block_problems(rel, document, text):
        return None, problems + hidden, document
    try:
        item = model.model_validate(document.data)
    except ValidationError as error:
        if misplaced := misplaced_file_problem(rel, model, document):
            return None, problems + [misplaced], document
        return None, problems + problems_from_validation(
            error, rel, document.line_of, lambda loc: model_keys_at(model, loc)), document
    # Found here rather than in load_project: this runs again only when the file's bytes change.
    unfinished = unfinished_text_warnings(rel, document) + markup_warnings(rel, item, document) + \
        comment_in_value_warnings(rel, text) + long_title_warnings(rel, item, document) \
        if model in KINDS.values() else []
    return item.bind(path.stem, rel), problems + unfinished, document


def unfinished_text_warnings(rel: str, document: YamlDocument) -> list[Problem]:
    """Text a scaffold left for the supervisor to replace."""
    return [Problem(rel, document.line_of(loc), field_path(loc), "still says 待补充: fill it in", warning=True)
            for loc, text in walk_text(document.data) if text.strip().startswith(UNFINISHED)]


def hidden_character_problems(rel: str, document: YamlDocument, text: str) -> list[Problem]:
    """Control, direction and zero-width characters, refused in every key and value (see characters.py)."""
    problems = []
    for loc, value in walk_text(document.data, keys=True):
        found = unsafe_character(value)
        if found is None:
            continue
        index, reason = found
        problems.append(Problem(rel, _line_of_character(text, value[index], document.line_of(loc)),
                                field_path(loc), f"{reason}; found in {visible(repr(_around(value, index)))}"))
    return problems


def _line_of_character(text: str, char: str, value_line: int) -> int:
    """The line where char is written, when it is written as itself (not as a YAML escape) at or after value_line."""
    start = 0
    for _ in range(value_line - 1):
        start = text.find("\n", start) + 1
    found = text.find(char, start)
    return value_line if found < 0 else text.count("\n", 0, found) + 1


def _around(value: str, index: int, width: int = 12) -> str:
    start = max(0, index - width)
    return ("…" if start else "") + value[start:index + width] + ("…" if index + width < len(value) else "")


def _privacy_problems(rel: str, text: str, document: YamlDocument) -> list[Problem]:
    """Real customers' data must never reach the training site: what a value publishes is refused,
    what only looks like it (an address, a name beside a number, a chat id) is a warning."""
    return [Problem(rel, finding.line, finding.field,
                    f"{'may be ' if finding.warning else ''}personal data ({finding.kind} '{finding.text}', "
                    f"shown masked): {'check it and ' if finding.warning else ''}remove or mask it "
                    f"(e.g. {MASKED_EXAMPLES[finding.kind]}); if it is not a real person's, end the line "
                    f"with the comment '# {ALLOW_MARKER}'", finding.warning)
            for finding in find_personal_data_in_values(document, text)]


def _reference_fields(project: Project) -> list[tuple[Source, str, str]]:
    """(source, field, kind of file it names) of every list of references between files."""
    fields: list[tuple[Source, str, str]] = []
    for item in project.types.values():
        fields += [(item, "related_cases", "case"), (item, "related_procedures", "procedure")]
    for item in project.procedures.values():
        fields += [(item, "related_types", "type")]
    for item in project.cases.values():
        fields += [(item, "types", "type"), (item, "related_procedures", "procedure")]
    for item in project.roleplays.values():
        fields += [(item, "types", "type"), (item, "related_cases", "case")]
    return fields


def _reference_names(project: Project) -> dict[str, dict[str, str]]:
    """{kind: {id: the Chinese name or title a supervisor knows it by}}."""
    return {"type": {i: t.name for i, t in project.types.items()},
            "procedure": {i: p.title for i, p in project.procedures.items()},
            "case": {i: c.title for i, c in project.cases.items()}}


def _reference_targets(ids: dict[str, set[str]]) -> dict[str, set[str]]:
    return {"type": ids["types"], "procedure": ids["procedures"], "case": ids["library"]}


def _names_as_ids(project: Project, ids: dict[str, set[str]]) -> None:
    """Supervisors know a type by its Chinese name: `types: [收银差错]` (or 收銀差錯, or a procedure's
    or case's title) stands for the id of the one file of that name, as `kesu new case --type` takes
    it. Only an exact name: a near one stays unknown, and its problem line says which id was meant."""
    targets = _reference_targets(ids)
    by_name: dict[str, dict[str, str]] = {}
    for kind, names in _reference_names(project).items():
        counted = Counter(fold(name) for name in names.values() if name)
        by_name[kind] = {fold(name): i for i, name in names.items() if name and counted[fold(name)] == 1}
    for item, field_name, kind in _reference_fields(project):
        refs = getattr(item, field_name)
        for index, ref in enumerate(refs):
            if ref not in targets[kind] and (found := by_name[kind].get(fold(ref.strip()))):
                refs[index] = found
        # 收银差错 beside cashier-error names one type once
        refs[:] = list(dict.fromkeys(refs))


def _reference_problems(project: Project, ids: dict[str, set[str]]) -> list[Problem]:
    """References between files that do not resolve, with a suggestion.

    ids holds every file stem per kind, so that a reference to a file that exists but has
    its own errors is not reported a second time.
    """
    targets = _reference_targets(ids)
    # A name close to a type's Chinese name (收银错误): the message gives the id it stands for.
    names = _reference_names(project)
    checks = _reference_fields(project)
    problems = []
    for item, field_name, kind in checks:
        for index, ref in enumerate(getattr(item, field_name)):
            if ref not in targets[kind]:
                loc = (field_name, index)
                hint = _other_kind_hint(item, ref, kind, targets, checks) or \
                    _suggest_reference(ref, sorted(targets[kind]), names[kind])
                problems.append(Problem(item.path, project.documents[item.path].line_of(loc), field_path(loc),
                                        f"unknown {kind} '{shorten(ref)}'{hint}"))
    return problems


def _other_kind_hint(item: Source, ref: str, kind: str, targets: dict[str, set[str]], checks) -> str:
    """'; general-flow is a procedure: list it under related_procedures' for an id put in the wrong list."""
    other = next((k for k in targets if k != kind and ref in targets[k]), None)
    if other is None:
        return ""
    field_name = next((name for checked, name, k in checks if checked is item and k == other), None)
    return f"; '{ref}' is a {other}" + (f": list it under {field_name}" if field_name else f", not a {kind}")


def _suggest_reference(ref: str, ids: list[str], names: dict[str, str]) -> str:
    """'; did you mean 'cashier-error' (收银差错)?' for an id near ref or a file whose name ref resembles."""
    if any(sep in ref for sep in LIST_SEPARATORS):
        return "; write one id per item: each on its own line starting with '- ', or [a, b] with ASCII commas"
    if hint := suggest(fold(ref).replace("_", "-"), ids):
        return hint
    meant = meant_id(ref, names)
    return f"; did you mean '{meant}' ({names[meant]})?" if meant else ""


def _placeholder_problems(item: ComplaintType, document: YamlDocument) -> list[Problem]:
    problems = []
    texts: list[tuple[Loc, str]] = [
        (("scripts", channel, stage), text)
        for channel, stages in item.scripts.items() for stage, text in stages.items()]
    for i, letter in enumerate(item.letters):
        texts += [(("letters", i, "subject"), letter.subject), (("letters", i, "body"), letter.body)]
    for loc, text in texts:
        for written, name in full_width_placeholders(text, item.placeholders):
            problems.append(Problem(item.path, document.line_of(loc), field_path(loc),
                                    f"'{written}' is shown as written, not filled in: write {{{name}}} with ASCII "
                                    f"braces"))
        for name, _fallback in PLACEHOLDER_PATTERN.findall(text):
            if name not in item.placeholders:
                problems.append(Problem(
                    item.path, document.line_of(loc), field_path(loc),
                    f"placeholder {{{name}}} is not declared under 'placeholders'"
                    f"{suggest(name, item.placeholders)}"))
    return problems


def _unfinished_warnings(item: ComplaintType, document: YamlDocument) -> list[Problem]:
    """Missing scripts are allowed while a type is being written; they are reported, not refused."""
    warnings = []
    for channel in CHANNELS:
        stages = item.scripts.get(channel, {})
        missing = [stage for stage in STAGES if stage not in stages]
        if missing:
            loc = ("scripts", channel) if channel in item.scripts else ("scripts",)
            warnings.append(Problem(item.path, document.line_of(loc), field_path(("scripts", channel)),
                                    f"no script yet for {', '.join(missing)}", warning=True))
    return warnings


def _level_problems(project: Project) -> list[Problem]:
    """Severity levels are defined once: in one procedure, each level at most once."""
    problems = []
    defining = [p for p in project.procedures.values() if p.levels]
    for other in defining[1:]:
        problems.append(Problem(other.path, project.documents[other.path].line_of(("levels",)), "levels",
                                f"severity levels are already defined in {defining[0].path}; define them once"))
    for procedure in defining[:1]:
        seen: set[str] = set()
        for index, level in enumerate(procedure.levels):
            if level.level in seen:
                loc = ("levels", index, "level")
                problems.append(Problem(procedure.path, project.documents[procedure.path].line_of(loc),
                                        field_path(loc), f"level '{level.level}' is defined twice"))
            seen.add(level.level)
    return problems


def _authoring_warnings(item: Source, document: YamlDocument, today: date, review_days: int) -> list[Problem]:
    """Reviews that are missing or older than review_days."""
    warnings: list[Problem] = []
    if isinstance(item, Procedure):
        return warnings
    if item.reviewed is None:
        warnings.append(Problem(item.path, document.line_of(("reviewed",)), "reviewed",
                                "no review date: add reviewed: YYYY-MM-DD after checking the content", warning=True))
    elif review_overdue(item, today, review_days):
        warnings.append(Problem(
            item.path, document.line_of(("reviewed",)), "reviewed",
            f"last reviewed {item.reviewed}, more than {review_days} days ago: check the content and update it",
            warning=True))
    return warnings


# A date written in UTC+8 is a day ahead of a server in UTC for eight hours a day.
REVIEW_DATE_SLACK = timedelta(days=1)


def _future_review_problems(item: Source, document: YamlDocument, today: date) -> list[Problem]:
    if item.reviewed is None or item.reviewed <= today + REVIEW_DATE_SLACK:
        return []
    return [Problem(item.path, document.line_of(("reviewed",)), "reviewed",
                    f"{item.reviewed} is in the future: write the date the content was "
                    f"last checked")]


# Role-plays live under /learn/roleplay/, so no module may take that URL.
ROLEPLAY_FOLDER = "roleplay"


def _module_problems(project: Project, ids: dict[str, set[str]]) -> list[Problem]:
    """Module pages and quiz links point at pages that exist; module order numbers are unique."""
    from .registry import site_pages  # the registry renders with this module's Project: imported when used

    problems, pages, orders = [], site_pages(project.root, ids), {}
    for module in sorted(project.modules.values(), key=lambda m: m.path):
        document = project.documents[module.path]
        links = [(("read", i, "page"), reading.page) for i, reading in enumerate(module.read)]
        links += [(("questions", i, "learn_more"), q.learn_more) for i, q in enumerate(module.questions)]
        for loc, page in links:
            if page not in pages:
                problems.append(Problem(module.path, document.line_of(loc), field_path(loc),
                                        f"no page '{page}' in the site{suggest(page, sorted(pages))}"))
        if module.id == ROLEPLAY_FOLDER:
            problems.append(Problem(module.path, 1, "", f"the id '{ROLEPLAY_FOLDER}' is taken by the role-play pages "
                                                        f"(/learn/{ROLEPLAY_FOLDER}/): rename the file"))
        if module.order in orders:
            problems.append(Problem(module.path, document.line_of(("order",)), "order",
                                    f"order {module.order} is already used by {orders[module.order]}"))
        orders.setdefault(module.order, module.path)
    return problems


def _fold(phrase: str) -> str:
    # As search compares text (search.normalize): full-width forms and case do not make a new phrase.
    return unicodedata.normalize("NFKC", phrase).lower()


def thesaurus_problems(thesaurus: Thesaurus, document: YamlDocument) -> list[Problem]:
    """A caller's phrase belongs to one group, once, and is not one of its own group's terms."""
    problems, seen = [], {}
    for g, group in enumerate(thesaurus.groups):
        terms = {_fold(term) for term in group.terms}
        for p, phrase in enumerate(group.callers_say):
            loc = ("groups", g, "callers_say", p)
            line, key = document.line_of(loc), _fold(phrase)
            if key in terms:
                problems.append(Problem(thesaurus.path, line, field_path(loc),
                                        f"'{phrase}' is one of this group's terms; list only what callers say instead"))
            elif key in seen:
                problems.append(Problem(thesaurus.path, line, field_path(loc),
                                        f"'{phrase}' is already listed at line {seen[key][0]} ({seen[key][1]}); "
                                        f"list each phrase in one group only"))
            else:
                seen[key] = (line, field_path(loc))
    return problems


def load_thesaurus(root: Path) -> tuple[Thesaurus | None, list[Problem], YamlDocument | None]:
    """cases/search/synonyms.yml, validated; (None, [], None) when the project has none."""
    path = root / THESAURUS
    if not path.exists() and not path.is_symlink():
        return None, [], None
    item, problems, document = load_file_cached(root, path, Thesaurus)
    if item is not None and not problems:
        problems = thesaurus_problems(item, document)
    return (item if not problems else None), problems, document


def load_project(root: Path | str, settings: Settings | None = None) -> Project:
    """settings: the review age and date warnings are measured with (default: Settings())."""
    root = Path(root)
    settings = settings or Settings()
    today, review_days = settings.today, settings.review_days
    project = Project(root)
    problems: list[Problem] = []
    collections = {"types": project.types, "procedures": project.procedures, "library": project.cases,
                   "modules": project.modules, "roleplays": project.roleplays}
    files = {kind: source_files(root, kind) for kind in KINDS}
    for kind in KINDS:
        for stray in stray_file_problems(root, kind):
            (project.warnings if stray.warning else problems).append(stray)
    project.warnings += unread_folder_warnings(root) if (root / "cases").is_dir() else []
    for kind, model in KINDS.items():
        for path in files[kind]:
            item, file_problems, document = load_file_cached(root, path, model)
            # The privacy guard's warnings come with the file's problems; they do not fail it.
            errors = [p for p in file_problems if not p.warning]
            problems += errors
            project.warnings += [p for p in file_problems if p.warning]
            if document is not None:
                project.documents[_relative(root, path)] = document
            if item is None or errors:
                continue
            if item.id in collections[kind]:
                first = collections[kind][item.id].path
                problems.append(Problem(item.path, 1, "", f"duplicate id '{item.id}': {first} has the same file name"))
                continue
            collections[kind][item.id] = item
    project.warnings += repeated_title_warnings(project.cases.values(), project.documents)
    for item in project.types.values():
        document = project.documents[item.path]
        problems += _placeholder_problems(item, document)
        project.warnings += _unfinished_warnings(item, document)
    for items in collections.values():
        for item in items.values():
            project.warnings += _authoring_warnings(item, project.documents[item.path], today, review_days)
            problems += _future_review_problems(item, project.documents[item.path], today)
    project.thesaurus, thesaurus_problems_found, document = load_thesaurus(root)
    problems += thesaurus_problems_found
    if document is not None:
        project.documents[THESAURUS] = document
    problems += _level_problems(project)
    from .edition import edition_settings_problems  # edition.py reads model_keys_at from this module
    problems += edition_settings_problems(root)
    ids = {kind: {p.stem for p in paths} for kind, paths in files.items()}
    problems += _module_problems(project, ids)
    _names_as_ids(project, ids)
    problems += _reference_problems(project, ids)
    if problems:
        raise SourceErrors(problems)
    project.warnings.sort()
    return project
