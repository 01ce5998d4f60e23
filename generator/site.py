"""Writing generated pages into docs/ and building the site into site/ safely.

Pages are written only when their text changed, so live reload sees real edits only and
unchanged pages keep their timestamps. The site is built beside site/ and swapped in only
after a successful build: a failed build leaves the previous site/ as it was.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .files import holds, replace_file
from .load import Project, load_project
from .render import GENERATED_DIRS, GENERATED_FILES, render_pages
from .search import THESAURUS_ASSET, skip_material_segmentation, thesaurus_asset, write_search_index

log = logging.getLogger("kesu")


class BuildFailed(Exception):
    pass


@dataclass
class WriteReport:
    written: int
    unchanged: int
    removed: int


def write_pages(docs_dir: Path, pages: dict[str, str]) -> WriteReport:
    changed = []
    for rel, text in pages.items():
        target = docs_dir / rel
        data = text.encode("utf-8")
        if not holds(target, data):
            changed.append((target, data))
    # Compared first, written in one burst: `kesu serve` rebuilds once the writes have settled for
    # 0.1 s, and writes spread over the comparison of a thousand pages would start two rebuilds.
    for target, data in changed:
        replace_file(target, data)
    written, unchanged, removed = len(changed), len(pages) - len(changed), 0
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
    pages = render_pages(project)
    if project.thesaurus:  # for the search index, which is written from site/ (search.thesaurus_groups)
        pages[THESAURUS_ASSET] = thesaurus_asset([(g.terms, g.callers_say) for g in project.thesaurus.groups])
    return project, write_pages(root / "docs", pages)


# A relative link to a folder (MkDocs' directory URLs: "../types/x/", "./", "..", "../#anchor").
_FOLDER_LINK = re.compile(r'href="((?:\.{1,2}/|[^":?#/]+/)*(?:\.{1,2}|[^":?#/]+/)?)(#[^"]*)?"')


def folder_link_to_file(match: re.Match) -> str:
    folder, anchor = match.group(1), match.group(2) or ""
    if not folder or (not folder.endswith("/") and folder not in (".", "..")):
        return match.group(0)  # "#anchor" alone, or a link to a file
    if folder in (".", "./"):
        return f'href="index.html{anchor}"'
    return f'href="{folder.rstrip("/")}/index.html{anchor}"'


def link_files_for_offline_use(site: Path) -> None:
    """Point every relative folder link at the folder's index.html.

    Browsers open a folder as a file listing from file://, not its index.html; the URLs keep
    their /types/<id>/ shape on a server, and the offline copy opens with a double click.
    """
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        linked = _FOLDER_LINK.sub(folder_link_to_file, text)
        if linked != text:
            path.write_text(linked, encoding="utf-8")


def build_site(root: Path, strict: bool = False, offline: bool = False) -> Path:
    """mkdocs build into a sibling folder of site/, add kesu's search index, then swap it in.

    offline: links point at index.html files, for opening the site from the file system.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site = root / "site"
    staging = Path(tempfile.mkdtemp(prefix="site.building-", dir=root))
    skip_material_segmentation()
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(staging), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        write_search_index(staging)
        if offline:
            link_files_for_offline_use(staging)
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
