"""Builds the shipped project into a folder for the Node tests (tests/js/site.mjs).

Usage: python tests/js/build_site.py FOLDER. Copies the project as the pytest fixtures do
(conftest.copy_real_project), runs `kesu build` and `kesu build --edition zh-Hant` there, and prints
as JSON what the tests ask of the sources: each complaint type's id, name and what its customers
say, and the lookups staff type (every type's name, the first 12 characters of every customer
phrase), each as written and converted to Traditional by OpenCC (s2twp, s2hk).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conftest import REPO, build_in, copy_real_project  # noqa: E402
from generator.edition import opencc_converter  # noqa: E402
from generator.load import load_project  # noqa: E402
from generator.settings import Settings  # noqa: E402


def main(folder: Path) -> None:
    os.environ["KESU_REVIEW_DAYS"] = "36500"  # reviews never fall due in tests (see conftest)
    root = copy_real_project(folder)
    build_in(root)
    build_in(root, "--edition", "zh-Hant")
    types = sorted(load_project(REPO, Settings(review_days=36500)).types.values(), key=lambda t: t.id)
    print(json.dumps({"site": str(root / "site"), "edition": str(root / "site" / "zh-Hant"),
                      "types": [{"id": item.id, "name": item.name, "customer_says": list(item.customer_says)}
                                for item in types],
                      "lookups": lookups(types)}, ensure_ascii=False))


def lookups(types) -> list[dict]:
    """{id, kind, zh-Hans, s2twp, s2hk}: each lookup as written and in the Traditional script."""
    converters = {config: opencc_converter(config) for config in ("s2twp", "s2hk")}
    queries = [(item.id, "name", item.name) for item in types]
    queries += [(item.id, "phrase", phrase[:12]) for item in types for phrase in item.customer_says]
    return [{"id": type_id, "kind": kind, "zh-Hans": query,
             **{config: converter.convert(query) for config, converter in converters.items()}}
            for type_id, kind, query in queries]


if __name__ == "__main__":
    main(Path(sys.argv[1]))
