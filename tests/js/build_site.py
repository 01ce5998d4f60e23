"""Builds the shipped project into a folder for the Node tests (tests/js/site.mjs).

Usage: python tests/js/build_site.py FOLDER. Copies the project as the pytest fixtures do
(conftest.copy_real_project), runs `kesu build` there, and prints as JSON what the tests ask of
the sources: each complaint type's id, name and what its customers say.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conftest import REPO, build_in, copy_real_project  # noqa: E402
from generator.load import load_project  # noqa: E402
from generator.settings import Settings  # noqa: E402


def main(folder: Path) -> None:
    os.environ["KESU_REVIEW_DAYS"] = "36500"  # reviews never fall due in tests (see conftest)
    root = copy_real_project(folder)
    build_in(root)
    types = load_project(REPO, Settings(review_days=36500)).types
    print(json.dumps({"site": str(root / "site"),
                      "types": [{"id": item.id, "name": item.name, "customer_says": list(item.customer_says)}
                                for item in sorted(types.values(), key=lambda t: t.id)]}, ensure_ascii=False))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
