"""Zensical: written by the `zensical` part of issue 14; until it lands, this stub reports whether
Zensical is installed and otherwise that the adapter is missing."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from . import Engine, not_installed


def zensical_installed() -> bool:
    return importlib.util.find_spec("zensical") is not None


class ZensicalEngine(Engine):
    name = "zensical"

    def build(self, root: Path, site_dir: Path, strict: bool) -> None:
        from ..site import BuildFailed

        if not zensical_installed():
            raise not_installed(self.name)
        raise BuildFailed("the zensical engine is not available yet")

    def serve(self, root: Path, address: str, port: int, settings) -> None:
        self.build(root, root / "site", False)
