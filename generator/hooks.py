"""MkDocs hooks for `kesu serve` (and `mkdocs serve`). Only wiring; the work is in site.py and search.py.

- cases/ is watched here, not by MkDocs: a change regenerates the pages into docs/, and MkDocs,
  which watches docs/, rebuilds once. (Were cases/ MkDocs' to watch, the pages written during
  the rebuild would trigger a second one.) Invalid sources print their problems and write
  nothing, so the last good site stays online.
- A deleted or renamed source's page is removed from the served site, and so from the search index
  (MkDocs' dirty rebuild keeps what the last build had).
- After each rebuild kesu's search index is made from the built HTML, replacing Material's, in a
  separate process: the browser reloads the edited page without waiting for it, and the index is
  built on the other core; only the pages the rebuild changed are read again (pagetext.site_pages).
  An index still being built when the next rebuild starts is obsolete and is stopped first.
`mkdocs build` is left alone: `kesu build` generates and indexes by itself.
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

from generator.characters import visible
from generator.engines.mkdocs import PAGES_GENERATED, reduce_material_search
from generator.files import describe_os_error
from generator.load import SettingError
from generator.problems import SourceErrors
from generator.site import generate
from generator.watch import drop_removed_pages

log = logging.getLogger("mkdocs.plugins.kesu")
# Editors save in several steps (write, rename, touch): wait for them to settle.
SETTLE_SECONDS = 0.1

_serving = False
_first_build = True
_watcher = None
_indexing: subprocess.Popen | None = None
# {source page: (output file, URL)} of the last build, to find the pages a rebuild no longer has.
_pages: dict[str, tuple[str, str]] = {}
_removed: list[tuple[str, str]] = []


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def regenerate(root: Path) -> None:
    try:
        generate(root)
    except SourceErrors as errors:
        for problem in errors.problems:
            log.error(str(problem))
        log.error("kesu: %d problem(s); still serving the last good pages", len(errors.problems))
    except (SettingError, OSError) as error:  # a bad KESU_REVIEW_DAYS under `mkdocs serve`, a full disk
        message = describe_os_error(error, root) if isinstance(error, OSError) else str(error)
        log.error("kesu: %s; still serving the last good pages", visible(message))


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"
    if _serving:
        reduce_material_search()


def stop_indexing() -> None:
    if _indexing is not None and _indexing.poll() is None:
        _indexing.terminate()
        _indexing.wait()


def on_pre_build(config) -> None:
    global _first_build
    if not _serving:
        return
    # Before MkDocs writes the new pages: the old process must not index them half-way.
    stop_indexing()
    if _first_build and os.environ.get(PAGES_GENERATED) != "1":  # `mkdocs serve` run directly
        regenerate(_root(config))
    _first_build = False


def on_files(files, config):
    """Note the pages that are gone since the last build: a dirty rebuild would keep serving them."""
    global _pages, _removed
    if _serving:
        current = {page.src_uri: (page.dest_uri, page.url) for page in files.documentation_pages()}
        _removed = [output for source, output in _pages.items() if source not in current]
        _pages = current
    return files


@event_priority(-100)  # after Material's search plugin has written its search_index.json
def on_post_build(config) -> None:
    global _indexing, _removed
    if _serving:
        if _removed:
            drop_removed_pages(Path(config.site_dir), _removed)
            _removed = []
        _indexing = subprocess.Popen([sys.executable, "-m", "generator.search", config.site_dir, config.docs_dir,
                                      "mkdocs"],
                                     cwd=Path(__file__).resolve().parent.parent)


def on_serve(server, config, builder):
    global _watcher
    from generator.watch import SourceWatcher

    root = _root(config)
    _watcher = SourceWatcher(root / "cases", lambda: regenerate(root), SETTLE_SECONDS)
    _watcher.start()
    log.info("kesu is watching 'cases' for changes")
    return server


def on_shutdown() -> None:
    if _watcher is not None:
        _watcher.stop()
    stop_indexing()
