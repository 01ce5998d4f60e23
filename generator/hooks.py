"""MkDocs hooks for `kesu serve` (and `mkdocs serve`). Only wiring; the work is in site.py and search.py.

- cases/ is watched here, not by MkDocs: a change regenerates the pages into docs/, and MkDocs,
  which watches docs/, rebuilds once. (Were cases/ MkDocs' to watch, the pages written during
  the rebuild would trigger a second one.) Invalid sources print their problems and write
  nothing, so the last good site stays online.
- Under `kesu serve` an edit rebuilds only the pages it changed (engines.mkdocs.ServedSite, given
  the last whole build's navigation, files and theme environment here); a deleted or renamed
  source's page is removed from the served site, and so from the search index.
- After each build kesu's search index is made from the built HTML, replacing Material's, in a
  separate, lower-priority process (engines.mkdocs.SearchIndexer): the browser reloads the edited
  page without waiting for it; only the pages the rebuild changed are read again (pagetext.site_pages).
`mkdocs build` is left alone: `kesu build` generates and indexes by itself.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

from jinja2 import BytecodeCache
from mkdocs.plugins import event_priority

from generator.characters import visible
from generator.engines.mkdocs import SEARCH_INDEXER, SERVED_SITE, reduce_material_search
from generator.files import describe_os_error
from generator.problems import SourceErrors
from generator.registry import Generation
from generator.settings import Settings, SettingError
from generator.site import current_generation, generate

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
        SERVED_SITE.forget()


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


def on_nav(nav, config, files):
    if _serving:
        SERVED_SITE.noting(nav=nav, files=files)
    return nav


def on_env(env, config, files):
    if _serving:
        env.bytecode_cache = _template_code
        SERVED_SITE.noting(env=env, files=files)
    return env


def on_pre_build(config) -> None:
    global _first_build, _generation
    if not _serving:
        return
    # Before MkDocs writes the new pages: the old process must not index them half-way.
    SEARCH_INDEXER.stop()
    SERVED_SITE.starting(config)
    if _first_build:
        try:
            if settings().pages_generated:  # by `kesu serve`, just before it started MkDocs
                _generation = current_generation(_root(config), settings())
            else:  # `mkdocs serve` run directly
                regenerate(_root(config))
        except SettingError as error:
            log.error("kesu: %s", visible(str(error)))
    _first_build = False


@event_priority(-100)  # after Material's search plugin has written its search_index.json
def on_post_build(config) -> None:
    if _serving:
        SERVED_SITE.built(config)
        SEARCH_INDEXER.start(Path(config.site_dir), Path(config.docs_dir))


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
    SEARCH_INDEXER.stop()
