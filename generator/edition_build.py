"""`kesu build --edition zh-Hant`: the Traditional edition, built from a converted copy of docs/.

The Simplified pages are generated as for every build; docs/ (generated and hand-written pages,
assets, theme overrides) is copied into a staging folder with its Markdown and its generated data
assets converted (edition.py); MkDocs builds that copy with a configuration derived from mkdocs.yml
(theme language, navigation titles and site name converted, the language switch's links seen from
the edition, docs_dir the copy) into a folder beside site/<prefix>, which is then swapped in. The
rest of site/ is left as it is. Work folders carry their owner's pid: the next build removes those
of builds or serves that were killed.

The page scripts hold no interface text: they read it from assets/kesu-strings.js, converted here
like the pages (generator/catalogue.py).

`kesu serve --edition zh-Hant` serves the same copy, converting what changes in docs/ as it changes.
"""
from __future__ import annotations

import fnmatch
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .edition import Edition, MarkdownConverter, TextConverter

# Generated data assets whose strings are shown on pages (glossary tooltips, the scripts' interface
# strings, the case library's labels and titles) or matched with them (the thesaurus): converted like
# the pages, so that a term reads the same in both places. Their machine values (ids, hashes) are ASCII,
# which conversion leaves alone. Not the case library's free text (cases/data/t/): it is folded to
# Simplified, as the script folds a query typed in either script (t/fold.js).
CONVERTED_ASSETS = ("assets/glossary.js", "assets/kesu-thesaurus.json", "cases/data/head.js", "cases/data/c/*.js",
                    "assets/kesu-strings.js")


@dataclass
class EditionBuild:
    site: Path
    pages: int
    convert_seconds: float
    build_seconds: float


class DocsConverter:
    """Converts docs/ into an edition's copy, file by file; a second sync converts only what changed.

    A file is converted again when its size or modification time changed; a converted file whose
    text is the same is not rewritten, so that a server watching the copy rebuilds only real changes.
    """

    def __init__(self, docs: Path, target: Path, edition: Edition):
        self.docs, self.target = docs, target
        self.pages = MarkdownConverter(edition)
        self.assets = TextConverter(edition)
        self._seen: dict[str, tuple[int, int]] = {}

    def sync(self) -> list[str]:
        """Bring the copy up to date; returns the paths (relative to docs/) written or removed."""
        changed, present = [], set()
        for path in sorted(self.docs.rglob("*")):
            rel = path.relative_to(self.docs).as_posix()
            if path.is_dir():
                (self.target / rel).mkdir(parents=True, exist_ok=True)
                continue
            present.add(rel)
            if self._sync_file(path, rel):
                changed.append(rel)
        for rel in sorted(set(self._seen) - present):
            del self._seen[rel]
            (self.target / rel).unlink(missing_ok=True)
            changed.append(rel)
        return changed

    def _sync_file(self, path: Path, rel: str) -> bool:
        """Convert or copy one file if it changed since the last sync; whether the copy changed."""
        from .files import holds, replace_file

        try:
            stat = path.stat()
        except FileNotFoundError:  # removed while walking
            return False
        if self._seen.get(rel) == (stat.st_mtime_ns, stat.st_size):
            return False
        self._seen[rel] = (stat.st_mtime_ns, stat.st_size)
        out = self.target / rel
        data = self._converted(path, rel)
        if data is None:
            shutil.copy2(path, out)
        elif holds(out, data):
            return False
        else:  # whole or not at all: a server may be reading the copy
            replace_file(out, data)
        return True

    def _converted(self, path: Path, rel: str) -> bytes | None:
        """The converted bytes of a page or a data asset; None for a file copied as it is."""
        if path.suffix == ".md":
            return self.pages.convert(path.read_text(encoding="utf-8")).encode("utf-8")
        if any(fnmatch.fnmatchcase(rel, pattern) for pattern in CONVERTED_ASSETS):
            return self.assets(path.read_text(encoding="utf-8")).encode("utf-8")
        return None

    @property
    def page_count(self) -> int:
        return sum(1 for rel in self._seen if rel.endswith(".md"))


def convert_docs(docs: Path, target: Path, edition: Edition) -> int:
    """Copy docs/ into target with every Markdown page converted; returns the number of pages."""
    converter = DocsConverter(docs, target, edition)
    converter.sync()
    return converter.page_count


def _converted_nav(nav, text: TextConverter):
    """Navigation titles converted, page paths kept."""
    if isinstance(nav, list):
        return [_converted_nav(item, text) for item in nav]
    if isinstance(nav, dict):
        return {text(title): _converted_nav(value, text) for title, value in nav.items()}
    return nav


def derived_config_options(root: Path, edition: Edition, docs_copy: Path) -> dict:
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
    options = {"docs_dir": str(docs_copy), "theme": theme}
    for key in ("site_name", "site_description"):
        if raw.get(key):
            options[key] = text(raw[key])
    if raw.get("nav"):
        options["nav"] = _converted_nav(raw["nav"], text)
    if raw.get("extra"):
        options["extra"] = _edition_extra(raw["extra"], edition, text)
    return options


def _edition_extra(extra: dict, edition: Edition, text: TextConverter) -> dict:
    """The language switch seen from the edition: each edition's folder relative to this one's root
    (the Simplified site is one level up), and its labels converted like the pages."""
    extra = dict(extra)
    prefix = edition.prefix
    alternates = []
    for alternate in extra.get("alternate") or []:
        link = alternate.get("link", "./")
        if link in ("", "./", "/"):
            link = "../" * prefix.count("/")
        elif link.strip("/") == prefix.strip("/"):
            link = "./"
        alternates.append({**alternate, "name": text(alternate.get("name", "")), "link": link})
    if alternates:
        extra["alternate"] = alternates
    if extra.get("switch_label"):
        extra["switch_label"] = text(extra["switch_label"])
    return extra


# --- folders of one build or serve: named with the owner's pid, removed by the next build if it died ---

def _work_prefix(edition: Edition) -> str:
    return f".kesu-{edition.code}-"


def _staging_prefix(target: Path) -> str:
    return f".{target.name}.building-"


def make_owned_folder(parent: Path, prefix: str) -> Path:
    """<prefix><pid>-<random>: the pid says whose it is, for remove_stale_edition_folders."""
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))


def remove_stale_edition_folders(root: Path, edition: Edition) -> list[Path]:
    """The work and staging folders of edition builds or serves that were killed; returns them."""
    from .files import process_alive

    target = _edition_site(root, edition)
    removed = []
    for parent, prefix in ((root, _work_prefix(edition)), (target.parent, _staging_prefix(target))):
        for folder in parent.glob(f"{prefix}*"):
            match = re.match(rf"{re.escape(prefix)}(\d+)-", folder.name)
            if folder.is_dir() and not (match and process_alive(int(match[1]))):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def _edition_site(root: Path, edition: Edition) -> Path:
    return root / "site" / edition.prefix.strip("/")


def build_edition(root: Path, edition: Edition, strict: bool = False) -> EditionBuild:
    """Build the edition into site/<prefix>; the caller has generated the pages and holds the build lock."""
    from .engines.mkdocs import MkDocsEngine
    from .files import describe_os_error
    from .htmlguard import UnsafePage, refuse_unsafe_pages
    from .search import write_search_index
    from .site import BuildFailed, one_line, swap_into_place

    target = _edition_site(root, edition)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_edition_folders(root, edition)
    work = make_owned_folder(root, _work_prefix(edition))
    staging = make_owned_folder(target.parent, _staging_prefix(target))
    engine = MkDocsEngine()
    try:
        started = time.perf_counter()
        pages = convert_docs(root / "docs", work / "docs", edition)
        converted = time.perf_counter()
        engine.build(root, staging, strict, **derived_config_options(root, edition, work / "docs"))
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


class EditionEngineUnsupported(ValueError):
    pass


def check_edition_engine(code: str, engine: str) -> None:
    """The Traditional edition is built from mkdocs.yml with overrides (docs_dir, theme language, nav),
    which MkDocs takes as arguments; Zensical reads its configuration from a file only."""
    from .edition import SIMPLIFIED

    if code != SIMPLIFIED and engine != "mkdocs":
        raise EditionEngineUnsupported(
            f"--edition {code}: the edition is built and served with the mkdocs engine only, not with {engine}; "
            f"leave out --engine {engine}")


def build_any_edition(root: Path, code: str, strict: bool = False, offline: bool = False,
                      engine: str = "mkdocs") -> Path:
    """`kesu build [--edition CODE]`: site/ for the Simplified original, site/<prefix> for another."""
    from .edition import SIMPLIFIED, traditional_edition
    from .site import build_site, link_files_for_offline_use

    if code == SIMPLIFIED:
        return build_site(root, strict=strict, offline=offline, engine=engine)
    check_edition_engine(code, engine)
    result = build_edition(root, traditional_edition(root), strict=strict)
    if offline:
        link_files_for_offline_use(result.site)
    return result.site


def serve_edition(root: Path, edition: Edition, address: str, port: int, settings) -> None:
    """`kesu serve --edition zh-Hant`: MkDocs serves the converted copy at /<prefix>, with live reload.

    The hook regenerates docs/ when cases/ changes, as for the Simplified site; a watcher of docs/
    converts what changed into the copy, which MkDocs watches and rebuilds. The copy is removed
    when serving stops (or by the next build, if the process was killed).
    """
    from .engines.mkdocs import MkDocsEngine
    from .watch import SourceWatcher

    remove_stale_edition_folders(root, edition)
    # Stopped by a signal (a service manager, a test): the copy is removed as on Ctrl+C.
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    work = make_owned_folder(root, _work_prefix(edition))
    converter = DocsConverter(root / "docs", work / "docs", edition)
    watcher = SourceWatcher(root / "docs", lambda: _convert_changes(converter), CONVERT_SETTLE_SECONDS)
    try:
        converter.sync()
        watcher.start()
        options = derived_config_options(root, edition, work / "docs")
        host = f"[{address}]" if ":" in address else address
        options["site_url"] = f"http://{host}:{port}/{edition.prefix}"
        MkDocsEngine().serve(root, address, port, settings, **options)
    finally:
        watcher.stop()
        shutil.rmtree(work, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)


# The generator writes a burst of pages: convert once it has been quiet this long.
CONVERT_SETTLE_SECONDS = 0.1


def _convert_changes(converter: DocsConverter) -> None:
    import logging

    log = logging.getLogger("mkdocs.plugins.kesu")
    try:
        changed = converter.sync()
    except OSError as error:
        from .files import describe_os_error

        log.error("kesu: %s; still serving the last good pages", describe_os_error(error, converter.docs.parent))
        return
    if changed:
        log.info("kesu: %d file(s) converted for the %s edition", len(changed), converter.pages.text.edition.code)

