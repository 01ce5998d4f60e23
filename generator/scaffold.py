"""New source files for supervisors (`kesu new`) and JSON Schemas for their editors (`kesu schema`)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from .model import CATEGORIES, CHANNELS, ID_PATTERN, INDUSTRIES, KINDS, SEVERITY_LEVELS, STAGES
from .render import environment

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
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
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


def target_path(root: Path, kind: str, id_: str | None, prefix: str, today: date) -> Path:
    folder = root / "cases" / kind
    if id_ is None:
        id_ = free_id(folder, prefix, today)
    elif not ID_PATTERN.match(id_):
        raise ScaffoldError(f"id '{id_}' is not valid: use lowercase letters, digits and hyphens, e.g. late-refund")
    path = folder / f"{id_}.yml"
    if path.exists() or path.with_suffix(".yaml").exists():
        raise ScaffoldError(f"{path.relative_to(root).as_posix()} already exists: choose another --id")
    return path


def write_scaffold(root: Path, kind: str, template: str, id_: str | None, prefix: str, **values) -> Path:
    """Render a scaffold, make sure the schema it points to exists, and write it without overwriting."""
    today = date.today()
    path = target_path(root, kind, id_, prefix, today)
    write_schemas(root)
    env = environment().overlay(autoescape=False, finalize=None)  # YAML, not a page: yaml_str quotes it
    env.filters["yaml_str"] = yaml_str
    procedures = [pid for pid in ("general-flow",) if (root / "cases/procedures" / f"{pid}.yml").is_file()]
    text = env.get_template(template).render(
        procedures=procedures, schema=f"../schema/{SCHEMA_NAMES[kind]}", today=today.isoformat(), INDUSTRIES=INDUSTRIES,
        CHANNELS=CHANNELS, SEVERITY_LEVELS=SEVERITY_LEVELS, CATEGORIES=CATEGORIES, STAGES=STAGES, **values)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path
