"""Slips that parse and validate but would not publish as the supervisor meant.

A case saved among the types, fields nested under one extra key, a text block typed with a full-width
bar (｜) or a placeholder in full-width braces (｛客户称呼｝) are errors; HTML or Markdown that will show as
typed, text cut off by ' #', a title as long as a paragraph and a case copied with its title are
warnings. load.py runs them on every file it reads (cached by the file's bytes).
"""
from __future__ import annotations

import functools
import re
import typing

from pydantic import BaseModel

from .meant import fold
from .model import KINDS, PLAIN, Case, ComplaintType, TextKind
from .privacy import ALLOW_MARKER
from .problems import Loc, Problem, field_path
from .yamlsource import YamlDocument, lines_outside_text_blocks, walk_text


# What each kind is called in a message about a file in the wrong folder.
KIND_NAMES = {"types": "complaint type", "procedures": "procedure", "library": "case", "modules": "learning module",
              "roleplays": "role-play"}


def misplaced_file_problem(rel: str, model: type[BaseModel], document: YamlDocument) -> Problem | None:
    """A case saved in cases/types/ (or any kind in another's folder), or its fields nested under one key,
    is one problem, not a line per field."""
    data = document.data
    if model not in KINDS.values():
        return None
    if len(data) == 1 and isinstance(inner := next(iter(data.values())), dict) and \
            len(set(inner) & set(model.model_fields)) >= 2:
        outer = next(iter(data))
        return Problem(rel, document.line_of((outer,)), "", f"the fields are nested under '{outer}:': remove that "
                                                            f"line and start the fields at the beginning of their lines")
    keys = {key for key in data if isinstance(key, str)}
    strangers = keys - set(model.model_fields)
    if len(strangers) < 2:
        return None
    for folder, other in KINDS.items():
        if other is not model and keys <= set(other.model_fields):
            return Problem(rel, 1, "", f"the fields ({', '.join(sorted(strangers)[:3])} ...) are a "
                                       f"{KIND_NAMES[folder]}'s: a {KIND_NAMES[folder]} goes in cases/{folder}/; "
                                       f"move the file there")
    return None


# Markup a supervisor may expect to format the page; text.py shows it as written instead.
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_MARKUP_CHARS = frozenset("<*_]#")
_SCRIPT_LINK = re.compile(r"\]\(\s*((?:javascript|vbscript|data|file):[^)\s]*)", re.IGNORECASE)
_MARKDOWN = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__|\[[^\]\n]+\]\([^)\n]*\)|^#{1,6} ", re.MULTILINE)


def markup_warnings(rel: str, item: BaseModel, document: YamlDocument) -> list[Problem]:
    """HTML anywhere, and Markdown in a plain-text field: shown as typed, which is rarely what was meant."""
    warnings = []
    for loc, text, kind in _texts_with_kinds(item):
        if not _MARKUP_CHARS.intersection(text):  # most texts: nothing to look for
            continue
        if tag := _HTML_TAG.search(text):
            message = f"HTML '{tag.group(0)}' shows as written on the page; tags are not applied"
        elif link := _SCRIPT_LINK.search(text):
            message = f"the link to '{link.group(1)}' is shown as text: a link goes to http://, https:// or a site page"
        elif kind is PLAIN and (mark := _MARKDOWN.search(text)):
            message = (f"'{mark.group(0).strip()}' shows as written: this field is plain text, Markdown is not "
                       f"applied")
        else:
            continue
        warnings.append(Problem(rel, document.line_of(loc), field_path(loc), message, warning=True))
    return warnings


def _texts_with_kinds(value, loc: Loc = (), kind: TextKind | None = None):
    """(loc, text, PLAIN or MARKDOWN) for every string a validated source holds."""
    if isinstance(value, BaseModel):
        kinds = _text_kinds(type(value))
        for name in type(value).model_fields:
            yield from _texts_with_kinds(getattr(value, name), loc + (name,), kinds[name])
    elif isinstance(value, list):
        for index, element in enumerate(value):
            yield from _texts_with_kinds(element, loc + (index,), kind)
    elif isinstance(value, dict):
        for key, element in value.items():
            yield from _texts_with_kinds(element, loc + (key,), kind)
    elif isinstance(value, str):
        yield loc, value, kind


@functools.cache
def _text_kinds(model: type[BaseModel]) -> dict[str, TextKind | None]:
    return {name: _text_kind(info) for name, info in model.model_fields.items()}


def _text_kind(info) -> TextKind | None:
    """The TextKind of a field's strings (the last one named in its annotation: the values' of a dict)."""
    found, stack = None, [info.annotation, *info.metadata]
    while stack:
        part = stack.pop(0)
        if isinstance(part, TextKind):
            found = part
        elif typing.get_origin(part) is typing.Annotated:
            stack += [typing.get_args(part)[0], *part.__metadata__]
        else:
            stack += list(typing.get_args(part))
    return found


# ` #` starts a YAML comment: in `outcome: 顾客满意 #好评` the page shows only 顾客满意.
# Possessive (?+): a quoted value after its key is never read as an unquoted one starting at the key.
_COMMENT_IN_VALUE = re.compile(r"^[ ]*(?:-[ ]+)?+(?:[A-Za-z_][A-Za-z0-9_]*:[ ]+)?+[^'\"|>#\s\[{][^#]*?[ \t]#(\S.*)$")


def comment_in_value_warnings(rel: str, text: str) -> list[Problem]:
    """A value followed by ' #word' (no space after #): more likely text cut off than a comment."""
    if " #" not in text and "\t#" not in text:
        return []
    warnings = []
    for number, line in lines_outside_text_blocks(text.splitlines()):
        match = _COMMENT_IN_VALUE.match(line)
        if match and not match.group(1).startswith(ALLOW_MARKER):
            warnings.append(Problem(rel, number, "", f"'#{match.group(1)}' is read as a comment and left out of the "
                                                     f"page; to keep it, put the whole value in quotes", warning=True))
    return warnings


# The longest title the shipped sources have is 33 characters; a title twice that is a pasted paragraph.
LONGEST_TITLE = 60


def long_title_warnings(rel: str, item: BaseModel, document: YamlDocument) -> list[Problem]:
    name = "name" if isinstance(item, ComplaintType) else "title"
    title = getattr(item, name, "")
    if len(title) <= LONGEST_TITLE:
        return []
    return [Problem(rel, document.line_of((name,)), name, f"{len(title)} characters long: a {name} is one short line "
                    f"(at most {LONGEST_TITLE}); it heads the page and every list", warning=True)]



# A text block typed with a full-width bar (summary: ｜) is plain text that starts with the bar.
_FULL_WIDTH_BLOCK_MARKS = {"｜": "|", "＞": ">"}


def full_width_block_problems(rel: str, document: YamlDocument, text: str) -> list[Problem]:
    if "｜" not in text and "＞" not in text:
        return []
    problems = []
    for loc, value in walk_text(document.data):
        mark = value[:1]
        if mark in _FULL_WIDTH_BLOCK_MARKS and value[1:2] in ("", " ", "\n"):
            ascii_mark = _FULL_WIDTH_BLOCK_MARKS[mark]
            problems.append(Problem(rel, document.line_of(loc), field_path(loc),
                                    f"starts with a full-width '{mark}': for a text block write an ASCII "
                                    f"'{ascii_mark}' after the field name, then the text on the lines below"))
    return problems



# ｛客户称呼｝ typed with full-width braces, or 【客户称呼】 for a declared placeholder.
_FULL_WIDTH_SLOT = re.compile(r"｛([^｛｝]+)｝|【([^【】]+)】")


def full_width_placeholders(text: str, declared) -> list[tuple[str, str]]:
    found = []
    for match in _FULL_WIDTH_SLOT.finditer(text):
        inside = match.group(1) or match.group(2)
        name = re.split(r"[|｜]", inside)[0].strip()
        if match.group(1) or name in declared:
            found.append((match.group(0), inside.replace("｜", "|")))
    return found



def repeated_title_warnings(cases, documents: dict[str, YamlDocument]) -> list[Problem]:
    """A case saved under a new name from a copy of another, its title left as it was."""
    first: dict[str, Case] = {}
    warnings = []
    for case in sorted(cases, key=lambda c: c.path):
        key = fold(case.title)
        if key in first:
            warnings.append(Problem(case.path, documents[case.path].line_of(("title",)), "title",
                                    f"'{case.title}' is also the title of {first[key].path}: "
                                    f"give each case its own title (was this file copied?)", warning=True))
        else:
            first[key] = case
    return warnings
