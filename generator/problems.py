"""Problems found in the sources, and their one-line form `path:line: field 'x': message`."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Iterable

from pydantic import ValidationError

from .characters import shorten, visible
from .meant import (LIST_SEPARATORS, ODD_SPACES, closed_list_of, meant_date, meant_duration, meant_key, meant_label,
                    meant_bool, meant_literal, meant_number)

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
        field = f"field '{shorten(self.field, 120)}': " if self.field else ""
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
        return f"text '{shorten(value)}'"
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
        key = error["loc"][-1]
        if len(error["loc"]) == 1 and str(key).strip().lower() in ID_KEYS:
            return "unknown field: a source's id is its file name (late-refund.yml is /cases/late-refund/); " \
                   "remove this line"
        meant = meant_key(key, allowed_keys)
        return f"unknown field; did you mean '{meant}'?" if meant else "unknown field"
    if kind == "literal_error":
        return _not_in_closed_list(_quoted_choices(ctx.get("expected", "")), got)
    if kind in {"string_type", "str_type"}:
        return f"expected text, got {yaml_type_name(got)}"
    if kind in {"list_type", "tuple_type"}:
        return f"expected a list, got {yaml_type_name(got)}{_list_hint(got)}"
    if kind in _MAPPING_KINDS:
        return f"expected a mapping of fields, got {yaml_type_name(got)}{_mapping_hint(got, list(allowed_keys))}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s), got {ctx.get('actual_length', 0)}"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} item(s) allowed, got {ctx.get('actual_length')}"
    if kind == "duration" and (meant := meant_duration(got)):
        return f"{error['msg']}; did you mean {meant}?"
    if kind.startswith("date"):
        return date_message(got)
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        meant = meant_number(got)
        hint = f"; did you mean {meant}?" if meant is not None else ""
        return f"expected a whole number such as 2, got {_shown(got)}{hint}"
    if kind == "greater_than_equal":
        return f"expected {ctx.get('ge')} or more, got {_shown(got)}"
    if kind == "less_than_equal":
        return f"expected at most {ctx.get('le')}, got {_shown(got)}"
    if kind.startswith("bool"):
        meant = meant_bool(got)
        return f"expected true or false, got {_shown(got)}" + (f"; did you mean {meant}?" if meant else "")
    return error["msg"][0].lower() + error["msg"][1:]


# Keys a supervisor adds for the id, which kesu takes from the file name.
ID_KEYS = {"id", "slug", "url", "编号", "文件名", "网址"}
_MAPPING_KINDS = {"dict_type", "model_type", "model_attributes_type"}


def _mapping_hint(got: Any, fields: list[str]) -> str:
    """How to write as fields what was written as one text: 消协：消基會, or an item's text without its key."""
    if not isinstance(got, str):
        return ""
    key = re.match(r"^\s*([^\s：:]{1,30})\s*：", got)
    if key and (not fields or key.group(1) in fields):
        return f"; write an ASCII colon and a space after '{key.group(1)}' ('{key.group(1)}: ...')"
    if fields:
        return f"; write its fields as 'name: value' lines: {', '.join(fields)}"
    return ""


def _list_hint(got: Any) -> str:
    """How to write as a list what was written as text: 退款、质量问题, -refund, 【refund】."""
    if not isinstance(got, (str, int, float)) or isinstance(got, bool):
        return ""
    text = str(got).strip()
    if text[:1] in "【［":
        return "; write a list in ASCII brackets [a, b], or each item on its own line starting with '- '"
    if text[:1] in "-－—–•·":
        return "; start each item on its own line with an ASCII '-' and a space: '- item'"
    if any(sep in text for sep in LIST_SEPARATORS if sep.strip()):
        return "; write each item on its own line starting with '- '"
    return ""


def _shown(value: Any) -> str:
    return repr(shorten(value)) if isinstance(value, str) else yaml_type_name(value)


def _not_in_closed_list(choices: list[str], got: Any) -> str:
    shown = repr(shorten(got)) if isinstance(got, str) else repr(got) if not isinstance(got, (list, dict)) \
        else yaml_type_name(got)
    values = closed_list_of(choices)
    meant = meant_label(got, values) if values else meant_literal(got, choices)
    return f"expected one of {', '.join(choices)}, got {shown}" + (f"; did you mean '{meant}'?" if meant else "")


def date_message(got: Any) -> str:
    """A date field's value that is not a date written YYYY-MM-DD, with the date it probably is."""
    meant = meant_date(got)
    if meant is not None:
        hint = f"; did you mean {meant.isoformat()}?"
    elif isinstance(got, str) and "月" in got and "年" not in got:
        hint = "; write the year too, as YYYY-MM-DD"
    else:
        hint = ""
    return f"expected a date such as 2026-01-31, got {_shown(got)}{hint}"


def problems_from_validation(
    error: ValidationError, path: str, line_of, allowed_keys_at
) -> list[Problem]:
    """Translate pydantic's errors; line_of(loc) and allowed_keys_at(loc) come from the loader.

    A misspelt key (titel, 标题) is one problem: the line of the unknown key names the field it
    stands for, and that field is not reported missing as well.
    """
    errors = [(_loc_of(err), err) for err in error.errors(include_url=False)]
    replaced = _misspelt_keys(errors, allowed_keys_at)
    out = []
    for loc, err in errors:
        if err["type"] == "missing" and loc in replaced:
            continue
        if err["type"] == "extra_forbidden" and loc in replaced:
            message = replaced[loc]
        else:
            # A mapping written as text is told its own fields; an unknown key, its neighbours'.
            message = describe_error(err, allowed_keys_at(loc if err["type"] in _MAPPING_KINDS else loc[:-1]))
        out.append(Problem(path, line_of(loc), field_path(loc), message))
    return out


def _loc_of(err: dict) -> Loc:
    loc: Loc = tuple(p for p in err["loc"] if p != "[key]")
    if extra := (err.get("ctx") or {}).get("field"):
        loc = loc + (extra,)
    return loc


def _misspelt_keys(errors: list[tuple[Loc, dict]], allowed_keys_at) -> dict[Loc, str]:
    """{loc: message} for unknown keys that stand for a missing field, and for those missing fields
    (whose own line is then left out)."""
    missing = {loc for loc, err in errors if err["type"] == "missing"}
    unknown = [(loc, err) for loc, err in errors if err["type"] == "extra_forbidden"]
    replaced: dict[Loc, str] = {}
    for loc, err in unknown:
        if isinstance(loc[-1], str) and loc[-1][:1] in ODD_SPACES:
            # A key indented with full-width spaces lands at another level than meant.
            replaced[loc] = f"line is indented with {ODD_SPACES[loc[-1][0]]}: indent with ordinary spaces only"
            for gone in [m for m in missing if m[-1] == loc[-1].strip(" \u3000\u00a0")]:
                replaced[gone] = ""
            continue
        meant = meant_key(loc[-1], allowed_keys_at(loc[:-1]))
        if meant is not None and loc[:-1] + (meant,) in missing:
            replaced[loc] = f"unknown field; did you mean '{meant}'?"
            replaced[loc[:-1] + (meant,)] = ""
    for parent in {loc[:-1] for loc, _ in unknown if loc not in replaced}:
        strays = [(loc, err) for loc, err in unknown if loc[:-1] == parent and loc not in replaced]
        order = list(allowed_keys_at(parent))
        needed = sorted((loc[-1] for loc in missing if loc[:-1] == parent and loc not in replaced),
                        key=lambda name: order.index(name) if name in order else len(order))
        if parent and needed and len(strays) == 1:
            # One unknown key where the item's own fields are missing: `- 周六 10:05: 顾客来电`.
            loc, err = strays[0]
            got = f"{loc[-1]}: {err.get('input')}" if isinstance(err.get("input"), (str, int)) else str(loc[-1])
            replaced[loc] = (f"unknown field; this item needs {', '.join(needed)}, each on its own line as "
                             f"'{needed[0]}: ...', got {shorten(got)!r}")
            for name in needed:
                replaced[parent + (name,)] = ""
    return replaced
