"""`kesu build --edition zh-Hant`: the Traditional edition, built from a converted copy of docs/.

The Simplified pages are generated as for every build; docs/ (generated and hand-written pages,
assets, theme overrides) is copied into a staging folder with its Markdown and its generated data
assets converted (edition.py); MkDocs builds that copy with a configuration derived from mkdocs.yml
(theme language, navigation titles and site name converted, docs_dir the copy) into a folder beside
site/<prefix>, which is then swapped in. The rest of site/ is left as it is.

Left for the interface-string catalogue: the messages in docs/assets/kesu.js stay Simplified (the
copy keeps the file as written).
"""
from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .edition import Edition, MarkdownConverter, TextConverter

# Generated data assets whose strings are shown on pages (glossary tooltips) or matched with them
# (the thesaurus): converted like the pages, so that a term reads the same in both places.
CONVERTED_ASSETS = ("assets/glossary.js", "assets/kesu-thesaurus.json")


@dataclass
class EditionBuild:
    site: Path
    pages: int
    convert_seconds: float
    build_seconds: float


def convert_docs(docs: Path, target: Path, edition: Edition) -> int:
    """Copy docs/ into target with every Markdown page converted; returns the number of pages."""
    converter = MarkdownConverter(edition)
    assets = TextConverter(edition)
    pages = 0
    for path in sorted(docs.rglob("*")):
        rel = path.relative_to(docs).as_posix()
        out = target / rel
        if path.is_dir():
            out.mkdir(parents=True, exist_ok=True)
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            out.write_text(converter.convert(path.read_text(encoding="utf-8")), encoding="utf-8")
            pages += 1
        elif rel in CONVERTED_ASSETS:
            out.write_text(assets(path.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            shutil.copy2(path, out)
    return pages


def _converted_nav(nav, text: TextConverter):
    """Navigation titles converted, page paths kept."""
    if isinstance(nav, list):
        return [_converted_nav(item, text) for item in nav]
    if isinstance(nav, dict):
        return {text(title): _converted_nav(value, text) for title, value in nav.items()}
    return nav


def derived_config_options(root: Path, edition: Edition, docs_copy: Path, site_dir: Path) -> dict:
    """The mkdocs.yml values that differ in the edition, as load_config overrides."""
    from mkdocs.utils.yaml import yaml_load

    with open(root / "mkdocs.yml", encoding="utf-8") as file:
        raw = yaml_load(file) or {}
    text = TextConverter(edition)
    theme = dict(raw.get("theme") or {})
    theme["language"] = edition.theme_language
    if theme.get("custom_dir"):
        docs_dir = Path(raw.get("docs_dir", "docs"))
        theme["custom_dir"] = str(docs_copy / Path(theme["custom_dir"]).relative_to(docs_dir))
    options = {"docs_dir": str(docs_copy), "site_dir": str(site_dir), "theme": theme}
    for key in ("site_name", "site_description"):
        if raw.get(key):
            options[key] = text(raw[key])
    if raw.get("nav"):
        options["nav"] = _converted_nav(raw["nav"], text)
    return options


def build_edition(root: Path, edition: Edition, strict: bool = False) -> EditionBuild:
    """Build the edition into site/<prefix>; the caller has generated the pages and holds the build lock."""
    from .engines.mkdocs import MkDocsEngine
    from .files import describe_os_error
    from .htmlguard import UnsafePage, refuse_unsafe_pages
    from .search import write_search_index
    from .site import BuildFailed, one_line, swap_into_place

    target = root / "site" / edition.prefix.strip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".kesu-{edition.code}-", dir=root))
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    engine = MkDocsEngine()
    try:
        started = time.perf_counter()
        pages = convert_docs(root / "docs", work / "docs", edition)
        converted = time.perf_counter()
        options = derived_config_options(root, edition, work / "docs", staging)
        engine.build(root, staging, strict, **{key: value for key, value in options.items() if key != "site_dir"})
        refuse_unsafe_pages(staging)
        write_search_index(staging, work / "docs", engine, root=root)
        built = time.perf_counter()
    except (UnsafePage, OSError) as error:  # the engine reports its own failures as BuildFailed
        shutil.rmtree(staging, ignore_errors=True)
        message = describe_os_error(error, root) if isinstance(error, OSError) else one_line(str(error))
        raise BuildFailed(message) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    swap_into_place(staging, target)
    return EditionBuild(target, pages, converted - started, built - converted)


def build_any_edition(root: Path, code: str, strict: bool = False, offline: bool = False,
                      engine: str = "mkdocs") -> Path:
    """`kesu build [--edition CODE]`: site/ for the Simplified original, site/<prefix> for another."""
    from .edition import SIMPLIFIED, traditional_edition
    from .site import BuildFailed, build_site, link_files_for_offline_use

    if code == SIMPLIFIED:
        return build_site(root, strict=strict, offline=offline, engine=engine)
    if engine != "mkdocs":  # the converted copy is built with MkDocs' config overrides (issue 15 goes on)
        raise BuildFailed(f"the {code} edition is built with the mkdocs engine only so far, not with {engine}")
    result = build_edition(root, traditional_edition(root), strict=strict)
    if offline:
        link_files_for_offline_use(result.site)
    return result.site
