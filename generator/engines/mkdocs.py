"""MkDocs with Material for MkDocs: kesu's default engine.

Everything that knows MkDocs or Material lives here: loading mkdocs.yml, the build with its
plugins, `mkdocs serve` with kesu's hook (generator/hooks.py, named in mkdocs.yml), and the two
points where Material's search meets kesu's: Material's search plugin is reduced to writing its
configuration (kesu indexes the HTML itself), and that configuration, with kesu's manifest added,
is what Material's search box hands to kesu's worker (docs/overrides/main.html).
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from ..files import holds, replace_file
from ..watch import drop_removed_pages
from ..settings import Settings
from . import Engine

log = logging.getLogger("kesu")
# What `kesu serve` prints goes through MkDocs' logging, as the hook's (hooks.py).
serve_log = logging.getLogger("mkdocs.plugins.kesu")

# Material's search box reads this file and posts its "config" to the search worker.
MATERIAL_INDEX = "search/search_index.json"


class MkDocsEngine(Engine):
    name = "mkdocs"

    def build(self, root: Path, site_dir: Path, strict: bool, **overrides) -> None:
        """overrides: mkdocs.yml values to replace (an edition's docs_dir, theme language and nav)."""
        from mkdocs.commands.build import build
        from mkdocs.exceptions import MkDocsException

        from ..site import BuildFailed, describe_build_error

        reduce_material_search()
        config = load_mkdocs_config(root / "mkdocs.yml", strict=strict, **{**overrides, "site_dir": str(site_dir)})
        try:
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        except (MkDocsException, OSError) as error:
            raise BuildFailed(describe_build_error(error, root)) from None

    def serve(self, root: Path, address: str, port: int, settings: Settings, **overrides) -> None:
        """`mkdocs serve` of root/mkdocs.yml; the pages are generated already. overrides: as for build
        (an edition's docs_dir, ..., and site_url, whose path is where the site is served)."""
        from mkdocs.commands.serve import serve as mkdocs_serve
        from mkdocs.exceptions import MkDocsException

        from ..site import BuildFailed, one_line
        from ..watch import rebuild_errors_keep_last_site
        from . import check_address

        dev_addr = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        load_mkdocs_config(root / "mkdocs.yml", dev_addr=dev_addr, **overrides)  # a broken mkdocs.yml: one line, before serving
        check_address(address, port)
        # The hook, which MkDocs loads as a module of its own, is handed the settings through the
        # environment (as under `mkdocs serve`); the pages were just written, so it need not generate first.
        os.environ.update(settings.but(pages_generated=True).environment())
        try:
            # livereload is passed explicitly: with click > 8.2.1 mkdocs' own CLI default is lost.
            # An edit rebuilds the pages it changed (SERVED_SITE); MkDocs builds the whole site when
            # it must (mkdocs.yml, the theme, the navigation).
            with rebuild_errors_keep_last_site(rebuild_changed_pages):
                mkdocs_serve(config_file=str(root / "mkdocs.yml"), livereload=True, dev_addr=dev_addr, **overrides)
        except MkDocsException as error:
            raise BuildFailed(one_line(str(error))) from None
        except OSError as error:
            if error.filename is not None:
                raise
            # Taken between the check above and MkDocs' own bind.
            raise BuildFailed(f"cannot serve on {address}:{port}: {(error.strerror or str(error)).lower()}") from None

    def publish_search(self, site_dir: Path, manifest: dict) -> None:
        publish_to_material(site_dir, manifest)


def publish_to_material(site_dir: Path, manifest: dict) -> None:
    """Replace Material's search_index.json by its configuration plus kesu's manifest.

    Material's search box sends the file's "config" to the worker, which kesu's worker answers
    when it finds "kesu" there (otherwise it hands over to Material's own worker). "docs" stays
    empty: Material's whole-site index is not sent to browsers.
    """
    path = site_dir / MATERIAL_INDEX
    try:
        config = json.loads(path.read_text(encoding="utf-8")).get("config", {})
    except (OSError, ValueError):
        config = {}  # Material's search plugin is off: kesu's worker needs the manifest only
    config = {key: value for key, value in config.items() if key != "kesu"}
    stub = json.dumps({"config": {**config, "kesu": manifest}, "docs": []}, ensure_ascii=False, separators=(",", ":"))
    # Material's bundle reads the .js one instead when the site is opened from file://.
    for target, text in ((path, stub), (path.with_suffix(".js"), f"var __index = {stub}\n")):
        data = text.encode("utf-8")
        if not holds(target, data):
            replace_file(target, data)  # while serving, a browser may be reading the previous version


def reduce_material_search() -> None:
    """Material's search plugin, for this process, writes its configuration and no entries.

    kesu reads the pages' text from the HTML (pagetext.py): Material's pass over every page, and
    its jieba segmentation (about 40% of a build), would be thrown away. A plain `mkdocs build`,
    which does not run kesu, keeps Material's stock search, jieba included.
    """
    import material.plugins.search.plugin as material_search

    material_search.jieba = None
    material_search.SearchIndex.add_entry_from_context = _no_entry


def _no_entry(self, page) -> None:
    """Material's search plugin calls this for every page; kesu indexes the HTML instead."""


def load_mkdocs_config(config_file: Path, **options):
    """MkDocs' configuration; BuildFailed with the first problem on one line if it cannot be used.

    MkDocs logs each invalid value and then raises 'Aborted with a configuration error!':
    the logged line is the one worth showing, so it is kept instead of printed.
    """
    from mkdocs.config import load_config

    from ..site import BuildFailed, one_line

    logged: list[str] = []

    def keep_errors(record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            logged.append(record.getMessage())
            return False
        return True

    logger = logging.getLogger("mkdocs.config")
    logger.addFilter(keep_errors)
    try:
        return load_config(str(config_file), **options)
    except Exception as error:  # MkDocsException, or anything from a hook file that fails to import
        detail = logged[0] if logged else (str(error) or type(error).__name__)
        raise BuildFailed(f"{config_file.name}: {one_line(detail)}") from None
    finally:
        logger.removeFilter(keep_errors)


# --- kesu serve: rebuilding only what changed ---------------------------------------------------

class ServedSite:
    """What `kesu serve` keeps of MkDocs' last build, to rebuild after an edit only the pages whose
    Markdown changed (with their plugins' page events), instead of MkDocs' whole build.

    MkDocs' own rebuild walks docs/, makes every page and navigation object again and checks each
    page's file times: at 5,000 cases over a second of CPU for the same few pages; its `dirty` mode
    also gives the pages it rebuilds a navigation whose unread pages are titled 'None'. Here the
    last build's files, navigation (whose pages keep their titles) and theme environment are kept,
    and what changed is found by comparing docs/'s files with a listing taken as the build started
    (a file written during a build is seen by the next one). A whole build is still needed, and
    rebuild() returns None, when mkdocs.yml or the theme's templates change, a page is added to
    or removed from the navigation, or a page in the navigation changes its title (every page shows
    the navigation); MkDocs then builds every page, as at startup.

    Relies on MkDocs 1.6's build steps (_populate_page, _build_page): MkDocs 1.x is frozen, and
    requirements.txt pins it.
    """

    def __init__(self):
        self.config = self.files = self.nav = self.env = None
        self.stamps: dict[str, tuple] = {}
        self.config_stamp: tuple | None = None
        self.pending: dict[str, tuple] | None = None

    def forget(self) -> None:
        self.config = None

    def starting(self, config) -> None:
        """A whole build starts: what docs/ holds now is what it reads."""
        self.config, self.pending = None, file_stamps(Path(config.docs_dir))
        self.config_stamp = _stamp(Path(config.config_file_path))

    def noting(self, nav=None, env=None, files=None) -> None:
        self.nav = nav if nav is not None else self.nav
        self.env = env if env is not None else self.env
        self.files = files if files is not None else self.files

    def built(self, config) -> None:
        if self.pending is not None:
            self.config, self.stamps, self.pending = config, self.pending, None
            self.release_text()

    def release_text(self, files=None) -> None:
        """Drop the Markdown and HTML of the pages (of files, default all) outside the navigation
        (hundreds of MB at 5,000 cases): no other page shows them, and a page is read again before
        it is rebuilt."""
        navigated = {id(page) for page in self.nav.pages}
        for file in self.files.documentation_pages() if files is None else files:
            if file.page is not None and id(file.page) not in navigated:
                file.page.markdown = file.page.content = None

    def rebuild(self, before_writing: Callable[[], None] = lambda: None) -> list[str] | None:
        """Rebuild the changed pages, calling before_writing() first if there are any; the source
        paths of the files rebuilt, or None if MkDocs must build the whole site."""
        config = self.config
        if config is None or _stamp(Path(config.config_file_path)) != self.config_stamp:
            return None
        stamps = file_stamps(Path(config.docs_dir))
        changed = sorted(rel for rel in stamps.keys() | self.stamps.keys() if stamps.get(rel) != self.stamps.get(rel))
        if not changed:
            return []
        before_writing()
        self.config = None  # until this rebuild succeeds: a failed one leaves the next to MkDocs
        plan = self._plan(config, changed, stamps)
        if plan is None:
            return None
        rebuilt = self._write(config, *plan)
        if rebuilt is None:
            return None
        self.config, self.stamps = config, stamps
        self.release_text(plan[0])
        return rebuilt

    def _plan(self, config, changed: list[str], stamps: dict):
        """(pages to render, other files to copy, files removed), the last build's files updated; None
        if the change needs a whole build."""
        from mkdocs.structure.files import File, set_exclusions
        from mkdocs.structure.pages import Page

        files = self.files
        in_nav = nav_sources(config.nav)
        pages, copies, removed = [], [], []
        for rel in changed:
            known = files.get_file_from_path(rel)
            if rel not in stamps:  # removed
                if known is None:
                    continue
                if in_nav is None or rel in in_nav:
                    return None
                files.remove(known)
                removed.append(known)
                continue
            file = known or File(rel, config.docs_dir, config.site_dir, config.use_directory_urls)
            if known is None:
                set_exclusions([file], config)
            if not file.inclusion.is_in_serve():
                if any(Path(config.docs_dir, rel).resolve().is_relative_to(Path(d).resolve()) for d in config.theme.dirs):
                    return None  # a template of the theme's custom_dir: every page shows it
                continue
            if known is None:
                if file.is_documentation_page() and (in_nav is None or rel in in_nav):
                    return None
                files.append(file)
                if file.is_documentation_page():
                    Page(None, file, config)
            (pages if file.is_documentation_page() else copies).append(file)
        return pages, copies, removed

    def _write(self, config, pages, copies, removed) -> list[str] | None:
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.files import InclusionLevel

        files, nav, env = self.files, self.nav, self.env
        navigated = {id(page) for page in nav.pages}
        for file in pages:
            title = file.page.title
            _populate_page(file.page, config, files)
            if id(file.page) in navigated and file.page.title != title:
                return None
        for file in copies:
            file.copy_file()
        drop_removed_pages(Path(config.site_dir), [(file.dest_uri, file.url) for file in removed])
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        for file in pages:
            _build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
        return [file.src_uri for file in pages + copies + removed]


def nav_sources(nav) -> set[str] | None:
    """The pages named in mkdocs.yml's nav, or None without one (then every page is in it)."""
    if nav is None:
        return None
    found: set[str] = set()
    items = list(nav) if isinstance(nav, list) else [nav]
    while items:
        item = items.pop()
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            items += item.values()
        elif isinstance(item, list):
            items += item
    return found


def file_stamps(folder: Path) -> dict[str, tuple]:
    """{path under folder: (modification time, size, inode)} of every file: a file kesu replaces is a
    new inode, an editor's save in place a new time or size."""
    stamps = {}
    root = os.fspath(folder)
    for current, _, names in os.walk(root):
        prefix = os.path.relpath(current, root).replace(os.sep, "/")
        for name in names:
            path = os.path.join(current, name)
            try:
                status = os.stat(path)
            except OSError:
                continue  # removed meanwhile: the next rebuild sees it gone
            stamps[name if prefix == "." else f"{prefix}/{name}"] = (status.st_mtime_ns, status.st_size, status.st_ino)
    return stamps


def _stamp(path: Path) -> tuple | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino


SERVED_SITE = ServedSite()


def rebuild_changed_pages() -> bool:
    """A rebuild of `kesu serve`: the changed pages only (True), or False for MkDocs' whole build."""
    started = time.perf_counter()
    config = SERVED_SITE.config
    # An index being made is obsolete, and must not read pages half-written.
    rebuilt = SERVED_SITE.rebuild(before_writing=SEARCH_INDEXER.stop)
    if rebuilt is None:
        serve_log.info("kesu: building every page (the navigation, the theme or mkdocs.yml changed)")
        return False
    if rebuilt:  # else a burst of writes seen twice: the first rebuild read all of it
        serve_log.info("kesu: %d changed file(s) rebuilt in %.2f s", len(rebuilt), time.perf_counter() - started)
        SEARCH_INDEXER.start(Path(config.site_dir), Path(config.docs_dir))
    return True


class SearchIndexer:
    """kesu's search index of the served site, made after each rebuild in a process of its own.

    The browser reloads the edited page without waiting for it; the process runs at a lower
    priority, so that on a busy machine it does not hold up the next rebuild, and an index still
    being made when the next rebuild starts is obsolete and stopped."""

    NICENESS = 5

    def __init__(self):
        self.process: subprocess.Popen | None = None

    def start(self, site_dir: Path, docs_dir: Path) -> None:
        self.stop()
        self.process = subprocess.Popen([sys.executable, "-m", "generator.search", str(site_dir), str(docs_dir), "mkdocs"],
                                        cwd=Path(__file__).resolve().parent.parent.parent)
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, self.NICENESS)
        except OSError:
            pass  # it ended already

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait()


SEARCH_INDEXER = SearchIndexer()
