"""The site engines kesu builds and serves its generated Markdown with.

kesu writes Markdown into docs/ (site.generate); an engine turns docs/ and mkdocs.yml into HTML.
Everything kesu adds after that (the HTML guard, its search index, offline links) reads the HTML
the engine wrote, so that the pages and URLs are the same whichever engine built them.

An engine class has:
- name                                 as typed after --engine;
- build(root, site_dir, strict)        writes the whole HTML site into site_dir; raises
                                       site.BuildFailed with a one-line message on failure;
- serve(root, address, port, settings) serves with live reload until interrupted; raises
                                       site.BuildFailed (one line) if it cannot start;
- article: (tag, class)                the element holding a page's own content in its HTML, the
                                       text kesu's search index is made of (pagetext.py);
- publish_search(site_dir, manifest)   tells the theme's search box about kesu's index (written
                                       under site_dir/search/kesu/ by search.write_search_index).
Engine below gives the defaults of the last two.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..settings import Settings

DEFAULT_ENGINE = "mkdocs"


class Engine:
    name = ""
    # Material's page template and Zensical's (which keeps Material's) put a page's content here.
    article = ("article", "md-content__inner")

    def build(self, root: Path, site_dir: Path, strict: bool) -> None:
        raise NotImplementedError

    def serve(self, root: Path, address: str, port: int, settings: "Settings") -> None:
        """Serve root's site with live reload; the pages are generated already (with settings),
        and an edit under cases/ regenerates them with the same settings."""
        raise NotImplementedError

    def publish_search(self, site_dir: Path, manifest: dict) -> None:
        """Nothing by default: the engine's pages find kesu's index at its fixed path."""


def check_address(host: str, port: int) -> None:
    """BuildFailed naming another address to try if host:port cannot be served on; checked
    before an engine builds the site for nothing."""
    from ..site import BuildFailed
    from ..watch import address_in_use

    if problem := address_in_use(host, port):
        raise BuildFailed(f"cannot serve on {host}:{port}: {problem}; choose another address, "
                          f"e.g. kesu serve --dev-addr {host}:{port + 1 if port < 65535 else 8000}")


def not_installed(name: str):
    """The BuildFailed of an engine whose package is missing from this installation."""
    from ..site import BuildFailed

    return BuildFailed(f"the {name} engine is not installed: run `make venv` to install it (pinned in requirements.txt)")


def _engines() -> dict[str, type[Engine]]:
    from .mkdocs import MkDocsEngine
    from .zensical import ZensicalEngine

    return {"mkdocs": MkDocsEngine, "zensical": ZensicalEngine}


ENGINES: dict[str, type[Engine]] = _engines()


class UnknownEngine(ValueError):
    pass


def get_engine(name: str) -> Engine:
    """An instance of the engine called name; UnknownEngine with a one-line message otherwise."""
    try:
        return ENGINES[name]()
    except KeyError:
        raise UnknownEngine(f"unknown engine '{name}': expected one of {', '.join(ENGINES)}") from None
