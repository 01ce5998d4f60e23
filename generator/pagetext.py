"""The text of a built site, page by page and section by section, for kesu's search index.

Read from the HTML the engine wrote, so that any engine's site is indexed the same way:
- the pages are the Markdown files of docs/, in MkDocs' order (each folder's index first, then
  its files, then its subfolders), at their directory URLs (docs/types/x.md -> types/x/); front
  matter `search: exclude: true` leaves a page out, `search: boost: N` weighs it, as Material's
  own search does;
- a page's text is its article element (engine.article: Material and Zensical both use
  <article class="md-content__inner">), cut into sections at every heading with an id: the
  section's anchor is the heading's id (none for the page's first heading), its title the
  heading's text. A heading inside a block (an admonition, a tab) holds the text up to the end of
  that block; the text after it goes back to the section around the block;
- a complaint type's script stage (<div class="kesu-script" id="script-..."> in type.md.j2) is a
  section of its own, titled 电话话术：开场与安抚 (its data-title, converted in an edition, and its
  label; shown in results, not indexed), so that a result leads to the stage;
- scripts, styles, buttons (复制), hidden controls (the fill-in form, progress boxes) and blocks
  marked data-search-exclude (Material's mark) or class="kesu-search-exclude" (kept by Zensical,
  which drops the attribute) are not text; block elements (paragraphs, list items, table cells,
  line breaks) separate words, inline ones (<strong>, <code>, <a>) do not: 请<strong>立即</strong>上报
  stays one run, so that 即上 is a bigram as on the page.

The text is what html.parser decodes (entities resolved): it is data, never markup, and the
worker escapes what it shows.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

from .files import replace_file
from .search import Page, Section

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr"}
# Not text: code that runs or draws, and the site's controls.
SKIPPED = {"script", "style", "object", "template", "button", "svg", "noscript", "select", "textarea"}
# Elements that end a run of text (a word does not continue across them).
BLOCKS = {"address", "article", "aside", "blockquote", "br", "dd", "details", "dialog", "div", "dl", "dt",
          "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
          "hr", "label", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
          "tfoot", "th", "thead", "tr", "ul"}
# A start tag of these closes an open <p>, as in a browser: `<p><div markdown>` is a <p> then a <div>.
CLOSES_P = BLOCKS - {"br", "dd", "dt", "label", "li", "tbody", "td", "tfoot", "th", "thead", "tr"}
P_SCOPE = {"button", "table", "td", "th", "caption", "object", "template", "html"}
# Material's mark for what its search leaves out, and kesu's: Zensical drops data-search-exclude.
EXCLUDED_CLASS = "kesu-search-exclude"
SCRIPT_STAGE_CLASS = "kesu-script"
SCRIPT_STAGE_ID = "script-"
STAGE_LABEL_CLASS = "kesu-stage"
_SPACES = re.compile(r"\s+")


def clean_text(parts: list[str]) -> str:
    return _SPACES.sub(" ", "".join(parts).replace("\u200b", "")).strip()


@dataclass
class _Open:
    tag: str
    skipped: bool = False
    section: "_Section | None" = None  # the section whose title this heading is
    headerlink: bool = False
    stage_label: bool = False


@dataclass
class _Section:
    anchor: str
    # The section stays current while this many elements are open: a heading's parent, a stage's div.
    until: int
    title: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    prefix: str = ""  # 电话话术： before a stage's label (the stage's data-title: the catalogue's search.script_section)
    indexed_title: bool = True
    titled: bool = True  # False: the page's title stands in (text before the first heading)


def _classes(attrs: dict) -> list[str]:
    return (attrs.get("class") or "").split()


class ArticleParser(HTMLParser):
    """One page's sections from its HTML: feed() the page, then sections()."""

    def __init__(self, article: tuple[str, str]):
        super().__init__(convert_charrefs=True)
        self.article_tag, self.article_class = article
        self.open: list[_Open] = []
        self.inside = False
        self.done = False
        self.skipping = 0
        self.all: list[_Section] = []
        self.current: list[_Section] = []  # open sections, innermost last
        self.document_title: list[str] = []
        self.in_title = False

    # --- elements ---------------------------------------------------------------------------

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        attributes = dict(attrs)
        if not self.inside:
            self.in_title = tag == "title"
            if tag == self.article_tag and self.article_class in _classes(attributes):
                self.inside = True
                self.open = [_Open(tag)]
            return
        if tag in CLOSES_P:
            self._close_open_p()
        if self.skipping:
            if tag not in VOID:
                self.open.append(_Open(tag, skipped=True))
                self.skipping += 1
            return
        if tag in SKIPPED or "hidden" in attributes or "data-search-exclude" in attributes or \
                EXCLUDED_CLASS in _classes(attributes):
            if tag not in VOID:
                self.open.append(_Open(tag, skipped=True))
                self.skipping += 1
            return
        if tag in BLOCKS:
            self._separate()
        if tag in VOID:
            return
        element = _Open(tag)
        self.open.append(element)
        if tag in HEADINGS and ("id" in attributes or (tag == "h1" and not self.all)):
            element.section = self._heading_section(tag, attributes.get("id") or "")
        elif tag == "div" and SCRIPT_STAGE_CLASS in _classes(attributes) and \
                (attributes.get("id") or "").startswith(SCRIPT_STAGE_ID):
            self._start(_Section(attributes["id"], len(self.open), prefix=attributes.get("data-title") or "",
                                 indexed_title=False, title=[attributes.get("data-stage", "")]))
        elif tag == "a" and "headerlink" in _classes(attributes):
            element.headerlink = True
        elif STAGE_LABEL_CLASS in _classes(attributes) and self.current and self.current[-1].prefix and \
                self.current[-1].until == len(self.open) - 1:
            element.stage_label = True
            self.current[-1].title = []

    def handle_endtag(self, tag):
        if self.in_title and tag == "title":
            self.in_title = False
        if not self.inside or tag in VOID:
            return
        for position in range(len(self.open) - 1, -1, -1):
            if self.open[position].tag == tag:
                break
        else:
            return  # a stray end tag (`</p>` after a <div> closed its <p>): nothing to close
        while len(self.open) > position:
            self._pop()
        if not self.open:
            self.inside, self.done = False, True

    def _pop(self) -> None:
        element = self.open.pop()
        if element.skipped:
            self.skipping -= 1
            return
        if element.tag in BLOCKS:
            self._separate()
        while len(self.current) > 1 and self.current[-1].until > len(self.open):
            self.current.pop()

    def _close_open_p(self) -> None:
        for position in range(len(self.open) - 1, 0, -1):
            tag = self.open[position].tag
            if tag == "p":
                while len(self.open) > position:
                    self._pop()
                return
            if tag in P_SCOPE:
                return

    # --- sections ---------------------------------------------------------------------------

    def _heading_section(self, tag: str, anchor: str) -> _Section:
        if not self.all and tag != "h1":
            self._start(_Section("", 0, titled=False))  # the page's own section, before its first heading
        section = _Section(anchor if self.all else "", len(self.open) - 1)
        self._start(section)
        return section

    def _start(self, section: _Section) -> None:
        while self.current and self.current[-1].until >= section.until:
            self.current.pop()
        self.current.append(section)
        self.all.append(section)

    def _separate(self) -> None:
        if self.current:
            self.current[-1].text.append(" ")

    def handle_data(self, data):
        if self.in_title and not self.inside:
            self.document_title.append(data)
        if not self.inside or self.skipping:
            return
        for element in reversed(self.open):
            if element.headerlink:
                return
            if element.section is not None:
                element.section.title.append(data)
                return
            if element.stage_label:
                self.current[-1].title.append(data)
                return
        if not self.current:
            if not data.strip():
                return
            self._start(_Section("", 0, titled=False))
        self.current[-1].text.append(data)

    def sections(self) -> list[Section]:
        page_title = clean_text(self.document_title).rsplit(" - ", 1)[0]
        found = []
        for section in self.all:
            title = clean_text(section.title) if section.titled else page_title
            found.append(Section(section.anchor, section.prefix + title, clean_text(section.text),
                                 title_indexed=section.indexed_title))
        return found


_TITLE = re.compile(r"<title\b[^>]*>.*?</title>", re.S | re.I)


def article_of(html: str, article: tuple[str, str]) -> str:
    """The page's <title> and its article element, cut out of the page before parsing: the
    navigation around them is three quarters of a page and no part of its text."""
    tag, css_class = article
    start = re.search(rf"<{tag}\b[^>]*\bclass=[\"'][^\"']*\b{re.escape(css_class)}\b", html)
    if start is None:
        return ""
    opening, closing = re.compile(rf"<{tag}\b", re.I), f"</{tag}>"
    depth, position = 1, start.end()
    while depth:
        end = html.find(closing, position)
        if end == -1:
            end = len(html)
            break
        depth += len(opening.findall(html, position, end)) - 1
        position = end + len(closing)
    title = _TITLE.search(html, 0, start.start())
    return (title.group(0) if title else "") + html[start.start():end + len(closing)]


def page_sections(html: str, article: tuple[str, str]) -> list[Section]:
    parser = ArticleParser(article)
    parser.feed(article_of(html, article))
    parser.close()
    return parser.sections()


# --- pages ----------------------------------------------------------------------------------

def source_pages(docs_dir: Path) -> list[tuple[str, Path]]:
    """(location, Markdown file) of every page, in MkDocs' order; dot files and folders left out."""
    found: dict[str, Path] = {}
    for folder, subfolders, files in os.walk(docs_dir):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        names = [name for name in files if name.endswith(".md") and not name.startswith(".")]
        for name in sorted(names, key=lambda n: (n[:-3] not in ("index", "README"), n)):
            rel = (Path(folder) / name).relative_to(docs_dir).as_posix()
            found.setdefault(location_of(rel), Path(folder) / name)  # index.md before README.md
    return list(found.items())


def location_of(rel: str) -> str:
    """A Markdown file's directory URL: types/x.md -> types/x/, cases/index.md -> cases/, index.md -> ''."""
    stem = rel[:-3]
    parent, _, name = stem.rpartition("/")
    if name in ("index", "README"):
        return f"{parent}/" if parent else ""
    return f"{stem}/"


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def search_settings(markdown: str) -> dict:
    """The page's front matter `search:` mapping ({} without one, or if the front matter is not YAML
    the engine would read: the engine has reported that already)."""
    match = _FRONT_MATTER.match(markdown)
    if not match or "search" not in match.group(1):
        return {}
    try:
        meta = yaml.load(match.group(1), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return {}
    search = meta.get("search") if isinstance(meta, dict) else None
    return search if isinstance(search, dict) else {}


def read_page(location: str, html: str, settings: dict, article: tuple[str, str]) -> Page | None:
    sections = page_sections(html, article)
    if not sections:
        return None
    page = Page(location, sections[0].title, sections)
    try:
        page.boost = float(settings.get("boost", 1))
    except (TypeError, ValueError):
        page.boost = 1.0
    return page


def site_pages(site_dir: Path, docs_dir: Path, article: tuple[str, str], cache: Path | None = None) -> list[Page]:
    """Every searchable page of the site built from docs_dir into site_dir.

    cache: a file keeping each page's sections with the size and time of the files they were read
    from; `kesu serve` rebuilds only the pages that changed, and only those are read again.
    """
    known = load_cache(cache)
    kept: dict[str, list] = {}
    pages = []
    for location, source in source_pages(docs_dir):
        output = site_dir / location / "index.html"
        try:
            stamp = [*_stamp(source), *_stamp(output)]
        except OSError:
            continue  # removed while serving, or never built
        entry = known.get(location)
        if entry and entry[0] == stamp:
            page = page_from_json(entry[1])
        else:
            page = read_built_page(location, source, output, article)
        kept[location] = [stamp, page_to_json(page)]
        if page is not None:
            pages.append(page)
    if cache is not None:
        save_cache(cache, kept)
    return pages


def read_built_page(location: str, source: Path, output: Path, article: tuple[str, str]) -> Page | None:
    try:
        settings = search_settings(source.read_text(encoding="utf-8"))
        if settings.get("exclude"):
            return None
        return read_page(location, output.read_text(encoding="utf-8"), settings, article)
    except (OSError, UnicodeDecodeError):
        return None


def _stamp(path: Path) -> list[int]:
    status = path.stat()
    return [status.st_mtime_ns, status.st_size]


def page_to_json(page: Page | None):
    if page is None:
        return None
    return [page.location, page.title, page.boost,
            [[s.anchor, s.title, s.text, s.title_indexed] for s in page.sections]]


def page_from_json(data) -> Page | None:
    if data is None:
        return None
    location, title, boost, sections = data
    return Page(location, title, [Section(*section) for section in sections], boost)


CACHE_VERSION = 1


def load_cache(path: Path | None) -> dict:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("pages", {}) if isinstance(data, dict) and data.get("version") == CACHE_VERSION else {}


def save_cache(path: Path, pages: dict) -> None:
    replace_file(path, json.dumps({"version": CACHE_VERSION, "pages": pages}, ensure_ascii=False).encode("utf-8"))
