"""Writing generated pages into docs/ and building the site into site/ safely.

Pages are written only when their text changed, so live reload sees real edits only and
unchanged pages keep their timestamps. The site is built beside site/ and swapped in only
after a successful build: a failed build leaves the previous site/ as it was.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .load import Project, load_project
from .render import GENERATED_DIRS, GENERATED_FILES, render_pages

log = logging.getLogger("kesu")


class BuildFailed(Exception):
    pass


@dataclass
class WriteReport:
    written: int
    unchanged: int
    removed: int


def write_pages(docs_dir: Path, pages: dict[str, str]) -> WriteReport:
    written = unchanged = removed = 0
    for rel, text in pages.items():
        target = docs_dir / rel
        data = text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write aside and rename, so that a watcher never reads half a page.
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        written += 1
    candidates = [docs_dir / name for name in GENERATED_FILES]
    for folder in GENERATED_DIRS:
        candidates += sorted((docs_dir / folder).rglob("*")) if (docs_dir / folder).is_dir() else []
    for path in candidates:
        if path.is_file() and path.relative_to(docs_dir).as_posix() not in pages:
            path.unlink()
            removed += 1
    return WriteReport(written, unchanged, removed)


def generate(root: Path) -> tuple[Project, WriteReport]:
    """Validate cases/ and write the generated pages; raises SourceErrors before writing anything."""
    project = load_project(root)
    return project, write_pages(root / "docs", render_pages(project))


def build_site(root: Path, strict: bool = False) -> Path:
    """mkdocs build into a sibling folder of site/, then swap it in."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site = root / "site"
    staging = Path(tempfile.mkdtemp(prefix="site.building-", dir=root))
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(staging), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, OSError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(str(error) or type(error).__name__) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if site.exists():
        old = site.with_name(f"site.old-{os.getpid()}")
        os.replace(site, old)
    os.replace(staging, site)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return site
