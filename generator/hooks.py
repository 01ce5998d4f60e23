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
import subprocess
import sys
import time
from pathlib import Path

from jinja2 import BytecodeCache
from mkdocs.plugins import event_priority

from generator.characters import visible
from generator.engines.mkdocs import reduce_material_search
from generator.files import describe_os_error
from generator.problems import SourceErrors
from generator.registry import Generation
from generator.settings import Settings, SettingError
from generator.site import current_generation, generate
from generator.watch import drop_removed_pages

log = logging.getLogger("mkdocs.plugins.kesu")
# Editors save in several steps (write, rename, touch): wait for them to settle.
SETTLE_SECONDS = 0.1
_serving = False
# Built at startup from the environment: `kesu serve` hands its settings over that way.
_settings: Settings | None = None
# The last generation written, so that an edit re-renders only the pages that depend on it.
_generation: Generation | None = None
_first_build = True
_watcher = None
_indexing: subprocess.Popen | None = None
# {source page: (output file, URL)} of the last build, to find the pages a rebuild no longer has.
_pages: dict[str, tuple[str, str]] = {}
_removed: list[tuple[str, str]] = []


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def regenerate(root: Path) -> None:
    global _generation
    started = time.perf_counter()
    try:
        _, report = generate(root, settings(), _generation)
        _generation = report.generation
        log.info("kesu: %d page(s) rendered again (%d changed, %d removed) in %.2f s",
                 report.written + report.unchanged, report.written, report.removed, time.perf_counter() - started)
    except SourceErrors as errors:
        for problem in errors.problems:
            log.error(str(problem))
        log.error("kesu: %d problem(s); still serving the last good pages", len(errors.problems))
    except (SettingError, OSError) as error:  # a bad KESU_REVIEW_DAYS under `mkdocs serve`, a full disk
        message = describe_os_error(error, root) if isinstance(error, OSError) else str(error)
        log.error("kesu: %s; still serving the last good pages", visible(message))


def settings() -> Settings:
    global _settings
    if _settings is None:
        _settings = Settings.from_environment()
    return _settings


def on_startup(command: str, dirty: bool) -> None:
    global _serving, _settings
    _serving = command == "serve"
    _settings = None
    if _serving:
        reduce_material_search()


class _TemplateCodeCache(BytecodeCache):
    """Compiled theme templates kept between rebuilds: MkDocs makes a new Jinja environment for each
    one, and compiling Material's templates again took a fifth of a rebuild. Jinja checks each entry
    against its template's source, so an edited override is compiled anew."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_template_code = _TemplateCodeCache()
# Pages of the theme (not of docs/) that MkDocs renders again at every rebuild: 404.html shows the
# navigation, which a rebuild keeps, and the sitemap lists every page (5,000 cases and more).
REBUILD_SKIPS_THEME_PAGES = {"404.html", "sitemap.xml"}


def on_config(config):
    if _serving and not _first_build:
        config.theme.static_templates -= REBUILD_SKIPS_THEME_PAGES
    return config


def on_env(env, config, files):
    if _serving:
        env.bytecode_cache = _template_code
    return env


def stop_indexing() -> None:
    if _indexing is not None and _indexing.poll() is None:
        _indexing.terminate()
        _indexing.wait()


def on_pre_build(config) -> None:
    global _first_build, _generation
    if not _serving:
        return
    # Before MkDocs writes the new pages: the old process must not index them half-way.
    stop_indexing()
    if _first_build:
        try:
            if settings().pages_generated:  # by `kesu serve`, just before it started MkDocs
                _generation = current_generation(_root(config), settings())
            else:  # `mkdocs serve` run directly
                regenerate(_root(config))
        except SettingError as error:
            log.error("kesu: %s", visible(str(error)))
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
