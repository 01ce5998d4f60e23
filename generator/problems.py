"""Problems found in the sources, and their one-line form `path:line: field 'x': message`."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Iterable

from pydantic import ValidationError

from .characters import visible

Loc = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: "
        kind = "warning: " if self.warning else ""
        field = f"field '{self.field}': " if self.field else ""
        # Messages quote source text: an escape sequence in it must not clear the screen or fake a line.
        return visible(f"{where}{kind}{field}{self.message}")


class SourceErrors(Exception):
    """Raised when sources have errors; carries every problem found in the run."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))


def field_path(loc: Loc) -> str:
    """('checklist', 2, 'deadline') -> 'checklist[2].deadline'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def suggest(word: str, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' for the closest choice, or ''."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def yaml_type_name(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _quoted_choices(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


def describe_error(error: dict, allowed_keys: Iterable[str]) -> str:
    """One pydantic error as a message a supervisor can act on."""
    kind, ctx, got = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return f"unknown field{suggest(error['loc'][-1], allowed_keys)}"
    if kind == "literal_error":
        choices = ", ".join(_quoted_choices(ctx.get("expected", "")))
        return f"expected one of {choices}, got {got!r}" if not isinstance(got, (list, dict)) else \
            f"expected one of {choices}, got {yaml_type_name(got)}"
    if kind in {"string_type", "str_type"}:
        return f"expected text, got {yaml_type_name(got)}"
    if kind in {"list_type", "tuple_type"}:
        return f"expected a list, got {yaml_type_name(got)}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"expected a mapping of fields, got {yaml_type_name(got)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s), got {ctx.get('actual_length', 0)}"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} item(s) allowed, got {ctx.get('actual_length')}"
    if kind.startswith("date"):
        return f"expected a date such as 2026-01-31, got {got!r}"
    if kind.startswith("bool"):
        return f"expected true or false, got {got!r}"
    return error["msg"][0].lower() + error["msg"][1:]


def problems_from_validation(
    error: ValidationError, path: str, line_of, allowed_keys_at
) -> list[Problem]:
    """Translate pydantic's errors; line_of(loc) and allowed_keys_at(loc) come from the loader."""
    out = []
    for err in error.errors(include_url=False):
        loc: Loc = tuple(p for p in err["loc"] if p != "[key]")
        if extra := (err.get("ctx") or {}).get("field"):
            loc = loc + (extra,)
        parent = loc[:-1]
        out.append(Problem(path, line_of(loc), field_path(loc), describe_error(err, allowed_keys_at(parent))))
    return out
