"""New source files for supervisors (`kesu new`) and JSON Schemas for their editors (`kesu schema`)."""
from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from .characters import unsafe_character
from .files import create_file, holds, replace_file
from .model import CATEGORIES, CHANNELS, INDUSTRIES, KINDS, SEVERITY_LEVELS, STAGES
from .yamlsource import YamlFileError, decode, parse

SCHEMA_DIR = Path("cases") / "schema"
# kind folder -> schema file name
SCHEMA_NAMES = {"types": "type.schema.json", "procedures": "procedure.schema.json", "library": "case.schema.json",
                "modules": "module.schema.json", "roleplays": "roleplay.schema.json"}


class ScaffoldError(Exception):
    pass


def yaml_str(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: safe for any title a supervisor types.
    return json.dumps(value, ensure_ascii=False)


def schema_texts() -> dict[str, str]:
    """{file name: JSON Schema text} for every YAML kind."""
    return {SCHEMA_NAMES[kind]: json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2) + "\n"
            for kind, model in KINDS.items()}


def write_schemas(root: Path) -> list[Path]:
    folder = root / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        path = folder / name
        if not holds(path, text.encode("utf-8")):
            replace_file(path, text.encode("utf-8"))
        written.append(path)
    return written


def free_id(folder: Path, prefix: str, today: date) -> str:
    """prefix-YYYYMMDD, then -2, -3 ... until no file of that name exists."""
    base = f"{prefix}-{today:%Y%m%d}"
    candidate, number = base, 1
    while any((folder / f"{candidate}{suffix}").exists() for suffix in (".yml", ".yaml")):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def check_id(kind: str, id_: str) -> None:
    from .load import reserved_id_reason, valid_id

    if not valid_id(id_):
        raise ScaffoldError(f"id '{id_}' is not valid: use lowercase letters, digits and hyphens, e.g. late-refund")
    if reason := reserved_id_reason(kind, id_):
        raise ScaffoldError(reason)


def one_line_text(text: str, what: str) -> str:
    """A title or name typed by a person, as one line: line breaks and runs of spaces become one space.

    A title with a line break would end the scaffold's comment line and fail `kesu check`; control
    and invisible characters are refused as the loader refuses them.
    """
    cleaned = re.sub(r"\s+", " ", text).strip()
    if not cleaned:
        raise ScaffoldError(f"{what} must not be empty")
    if found := unsafe_character(cleaned):
        raise ScaffoldError(f"{what}: {found[1]}")
    return cleaned


def type_names(root: Path) -> dict[str, str]:
    """{type id: its Chinese name} of every type file that can be read (others show their id only)."""
    names = {}
    for path in sorted((root / "cases" / "types").glob("*.yml")):
        try:
            data = parse(decode(path.read_bytes())).data
        except (YamlFileError, OSError):
            data = None
        name = data.get("name") if isinstance(data, dict) else None
        names[path.stem] = name.strip() if isinstance(name, str) else ""
    return names


class TypeChoice:
    """A complaint type named by its id, its Chinese name (收银差错) or part of the name (收银)."""

    def __init__(self, names: dict[str, str]):
        self.names = names

    def label(self, type_id: str) -> str:
        return f"{type_id}（{self.names[type_id]}）" if self.names.get(type_id) else type_id

    def candidates(self, word: str) -> list[str]:
        """Exact id or name first; else every type whose name or id contains the word."""
        word = word.strip()
        exact = [i for i, name in self.names.items() if word in (i, name)]
        if exact:
            return exact[:1]
        folded = word.lower()
        return [i for i, name in self.names.items() if folded in i or (word and word in name)]

    def resolve(self, word: str) -> str:
        """The id of the type named exactly (by id or name); ScaffoldError that suggests otherwise."""
        found = self.candidates(word)
        if len(found) == 1 and word.strip() in (found[0], self.names[found[0]]):
            return found[0]
        raise ScaffoldError(self.unknown_message(word.strip()))

    def unknown_message(self, word: str) -> str:
        from .problems import suggest

        found = self.candidates(word)
        if len(found) == 1:
            return f"unknown type '{word}'; did you mean {self.label(found[0])}? pass its id: --type {found[0]}"
        if found:
            return f"'{word}' matches several types: {', '.join(map(self.label, found))}; type more of the name or the id"
        by_name = {name: i for i, name in self.names.items() if name}
        hint = suggest(word, list(self.names) + list(by_name))
        return f"unknown type '{word}'{hint}"


def target_path(root: Path, kind: str, id_: str | None, prefix: str, today: date) -> Path:
    folder = root / "cases" / kind
    if id_ is None:
        id_ = free_id(folder, prefix, today)
    else:
        check_id(kind, id_)
    path = folder / f"{id_}.yml"
    if path.exists() or path.with_suffix(".yaml").exists():
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} already exists: choose another --id")
    return path


@lru_cache(maxsize=1)
def scaffold_environment() -> Environment:
    """Scaffolds are YAML, not pages: their own environment, without the pages' HTML escaping (yaml_str
    quotes what a supervisor typed). The pages' environment is shared by every render and never changed."""
    env = Environment(loader=PackageLoader("generator", "templates"), autoescape=False, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True, undefined=StrictUndefined)
    env.filters["yaml_str"] = yaml_str
    return env


def write_scaffold(root: Path, kind: str, template: str, id_: str | None, prefix: str, **values) -> Path:
    """Render a scaffold, make sure the schema it points to exists, and write it without overwriting."""
    today = date.today()
    path = target_path(root, kind, id_, prefix, today)
    write_schemas(root)
    env = scaffold_environment()
    procedures = [pid for pid in ("general-flow",) if (root / "cases/procedures" / f"{pid}.yml").is_file()]
    text = env.get_template(template).render(
        procedures=procedures, schema=f"../schema/{SCHEMA_NAMES[kind]}", today=today.isoformat(), INDUSTRIES=INDUSTRIES,
        CHANNELS=CHANNELS, SEVERITY_LEVELS=SEVERITY_LEVELS, CATEGORIES=CATEGORIES, STAGES=STAGES, **values)
    try:
        create_file(path, text.encode("utf-8"))
    except FileExistsError:
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} already exists: choose another --id") from None
    return path
