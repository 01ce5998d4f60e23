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
from pathlib import Path

from ..files import holds, replace_file
from ..settings import Settings
from . import Engine

log = logging.getLogger("kesu")

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
        # MkDocs warns at every dirty rebuild that the navigation may be stale; kesu's generated pages
        # are not in the navigation, and `kesu serve --help` says to restart after editing it.
        logging.getLogger("mkdocs.commands.build").addFilter(lambda record: "'dirty' build" not in record.getMessage())
        try:
            # livereload is passed explicitly: with click > 8.2.1 mkdocs' own CLI default is lost.
            # "dirty": rebuild only the pages whose Markdown changed, seconds instead of a full build.
            with rebuild_errors_keep_last_site():
                mkdocs_serve(config_file=str(root / "mkdocs.yml"), livereload=True, build_type="dirty",
                             dev_addr=dev_addr, **overrides)
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
