"""MkDocs hooks: regenerate pages from cases/ while serving. Only wiring; the work is in site.py.

During `mkdocs serve` (and so `kesu serve`) every rebuild first regenerates the pages from
cases/. Invalid sources print their problems and keep the last good pages, so the last good
site stays online. `mkdocs build` is left alone: `kesu build` generates before building.
"""
from __future__ import annotations

import logging
from pathlib import Path

from generator.problems import SourceErrors
from generator.site import generate

log = logging.getLogger("mkdocs.plugins.kesu")
_serving = False


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_startup(command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


def on_pre_build(config) -> None:
    if not _serving:
        return
    try:
        generate(_root(config))
    except SourceErrors as errors:
        for problem in errors.problems:
            log.error(str(problem))
        log.error("kesu: %d problem(s); still serving the last good pages", len(errors.problems))


def on_serve(server, config, builder):
    server.watch(str(_root(config) / "cases"))
    return server
