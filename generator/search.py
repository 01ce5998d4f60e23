"""kesu's search index: Chinese bigrams, sharded so that a query loads only what it needs.

Material's own search sends every page's text to every visitor and builds a Lunr index in the
browser: 8.6 MB and 2.8 s at 1,000 pages. This module turns the sections that Material's search
plugin extracts (search/search_index.json: location, title, text) into:

- search/kesu/pages.js      every page's location, title, number of sections and search boost;
- search/kesu/s/<n>.js      shards of the inverted index: term -> section ids and weights;
- search/kesu/f/<page>.js   one fragment per page: its sections' anchors, titles and texts, loaded
                            only for the results on screen (snippets and highlighting);
- search/search_index.json  a stub holding Material's search config plus kesu's manifest; the
                            page script hands it to the worker (docs/assets/search/worker.js).

Terms are overlapping bigrams of Han characters (and lowercase Latin words and numbers). A page
that contains a word contains all of its bigrams, so recall does not depend on how a segmenter
happened to cut the page or the query; the worker ranks sections by the share of query bigrams
they hold, then by BM25 weights with headings and page titles boosted. Single Han characters are
indexed in headings only, for the first keystroke of a query.

Every file is written as `kesuSearchLoad(<json>)`, so that the same file is read by fetch() in the
worker and by a <script> tag on pages opened from file://, where fetch() is not allowed.
"""
from __future__ import annotations

import array
import base64
import html
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .files import holds, replace_file

FORMAT_VERSION = 1
WRAPPER = "kesuSearchLoad("
# Average shard size aimed at: small enough that a query of a few words moves tens of kilobytes.
SHARD_TARGET_BYTES = 12 * 1024
HEADING_BOOST = 4.0
PAGE_TITLE_BOOST = 10.0
BM25_K1 = 1.2
BM25_B = 0.75
WEIGHT_LEVELS = 255
# A fragment keeps the start of each section's text, enough for a snippet: listing pages such as
# a type's related cases grow with the library, and the whole text would be loaded for one line.
FRAGMENT_TEXT_CHARS = 1000

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_HAN}]+|[a-z0-9]+")
_IS_HAN = re.compile(rf"[{_HAN}]")


@dataclass
class Section:
    anchor: str
    title: str
    text: str


@dataclass
class Page:
    location: str
    title: str
    sections: list[Section] = field(default_factory=list)
    # Front matter `search: boost: N` (type pages have 3), as Material's own search honours it.
    boost: float = 1.0


def skip_material_segmentation() -> None:
    """Turn off the jieba pass of Material's search plugin for this process.

    Material cuts every page's text with jieba (about 40% of a build) only for its own Lunr
    index, which kesu replaces; kesu's bigrams need the plain text. A plain `mkdocs build`,
    which does not run kesu, keeps Material's stock search, jieba included.
    """
    import material.plugins.search.plugin as material_search

    material_search.jieba = None


def normalize(text: str) -> str:
    """Full-width letters and digits as ASCII, lowercase: what both index and query compare."""
    return unicodedata.normalize("NFKC", text).lower()


def terms_of(text: str, single_han: bool = False) -> list[str]:
    """Bigrams of every Han run, Latin words and numbers; lone Han characters only if single_han."""
    terms: list[str] = []
    for token in _TOKEN.findall(normalize(text)):
        if not _IS_HAN.match(token):
            terms.append(token)
            continue
        if len(token) > 1:
            terms.extend(map(str.__add__, token, token[1:]))
        if single_han:
            terms.extend(token)
    return terms


def shard_of(term: str, shards: int) -> int:
    """FNV-1a over code points; kesu-search.js computes the same number."""
    value = 0x811C9DC5
    for char in term:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value % shards


def id_width(sections: int) -> str:
    """The array type of section ids: two bytes up to 65,535 sections, four above."""
    return "H" if sections <= 0xFFFF else "I"


def encode_postings(section_ids: list[int], levels: list[int], width: str) -> str:
    """Section ids (little-endian, `width` bytes each) followed by one weight byte each, base64."""
    ids = array.array(width, section_ids)
    if sys.byteorder == "big":
        ids.byteswap()
    return base64.b64encode(ids.tobytes() + bytes(levels)).decode("ascii")


def pages_from_material(entries: list[dict]) -> list[Page]:
    """Group Material's section entries by page, keeping the newest run of each page.

    Under `kesu serve` Material rebuilds only changed pages and appends their entries after the
    previous ones, so a page can appear twice: the later run is the current one.
    """
    runs: dict[str, list[dict]] = {}
    order: list[str] = []
    previous_page = None
    for entry in entries:
        location = entry["location"]
        page_location = location.split("#", 1)[0]
        if page_location != previous_page:
            if page_location not in runs:
                order.append(page_location)
            runs[page_location] = []
            previous_page = page_location
        runs[page_location].append(entry)
    pages = []
    for location in order:
        entries_of_page = runs[location]
        first = entries_of_page[0]
        page = Page(location, _clean(first["title"]) if "#" not in first["location"] else "")
        for entry in entries_of_page:
            anchor = entry["location"].split("#", 1)[1] if "#" in entry["location"] else ""
            page.sections.append(Section(anchor, _clean(entry["title"]), _clean(entry.get("text", ""))))
        if not page.title:
            page.title = page.sections[0].title
        page.boost = float(first.get("boost", 1))
        pages.append(page)
    return pages


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
# Tags that end a run of text; inline ones (<strong>, <code>, <a>) sit inside words and vanish.
_BLOCK_TAGS = {"p", "li", "ul", "ol", "div", "br", "hr", "table", "thead", "tbody", "tr", "td", "th",
               "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "dl", "dt", "dd", "details",
               "summary", "section", "figure", "figcaption"}
_SPACES = re.compile(r"\s+")


def _tag_to_text(match: re.Match) -> str:
    return " " if match.group(2).lower() in _BLOCK_TAGS else ""


def _clean(text: str) -> str:
    """Plain text: Material keeps some markup (<p>, <li>, <code>) and entities for its result
    list, and separates jieba's words with zero-width spaces; kesu-search.js escapes what it shows.
    请<strong>立即</strong>上报 stays one run, so that 即上 is a bigram as on the page."""
    text = html.unescape(_TAG.sub(_tag_to_text, text.replace("\u200b", "")))
    return _SPACES.sub(" ", text).strip()


def saturated(tf: float, norm: float) -> float:
    """BM25's term-frequency curve: the first occurrences count most."""
    return tf * (BM25_K1 + 1) / (tf + norm)


def build_postings(pages: list[Page]) -> tuple[dict[str, tuple[list[int], list[int]]], int]:
    """term -> (section ids, weights 1..255) and the number of sections.

    A term's weight in a section is its IDF times BM25 over the section's text, plus a boost
    when the term is in the section's heading (HEADING_BOOST) or in the page's title
    (PAGE_TITLE_BOOST), each field length-normalised (BM25F), so that the type a staff member
    names comes before pages that merely mention it. Weights are stored as the square root on a
    0..255 scale: the many small body weights keep their order, the few large title weights lose
    a little precision. The loop runs once per (term, section): it is the index's hot path.
    """
    sections: list[tuple[Counter, Counter, float, float, float]] = []
    for page in pages:
        for position, section in enumerate(page.sections):
            text_terms = terms_of(section.text)
            boost = PAGE_TITLE_BOOST if position == 0 and not section.anchor else HEADING_BOOST
            sections.append((Counter(text_terms), Counter(terms_of(section.title, single_han=True)),
                             float(len(text_terms)), float(len(section.title)), boost))
    total = len(sections)
    text_average = (sum(s[2] for s in sections) / total) if total else 0.0
    title_average = (sum(s[3] for s in sections) / total) if total else 0.0
    text_average, title_average = text_average or 1.0, title_average or 1.0
    document_frequency: Counter = Counter()
    for text_counts, title_counts, *_ in sections:
        document_frequency.update(text_counts.keys() | title_counts.keys())
    largest = math.log(1 + (total + 0.5) / 1.5) * (BM25_K1 + 1) * (1 + PAGE_TITLE_BOOST)
    # level = sqrt(idf * weight / largest) * 255, split into a per-term and a per-weight factor.
    term_factor = {term: math.sqrt(math.log(1 + (total - df + 0.5) / (df + 0.5)) / largest) * WEIGHT_LEVELS
                   for term, df in document_frequency.items()}
    ids: dict[str, list[int]] = defaultdict(list)
    levels: dict[str, list[int]] = defaultdict(list)
    for number, (text_counts, title_counts, text_length, title_length, boost) in enumerate(sections):
        text_norm = BM25_K1 * (1 - BM25_B + BM25_B * text_length / text_average)
        title_norm = BM25_K1 * (1 - BM25_B + BM25_B * title_length / title_average)
        weights = {term: saturated(tf, text_norm) for term, tf in text_counts.items()}
        for term, tf in title_counts.items():
            weights[term] = weights.get(term, 0.0) + boost * saturated(tf, title_norm)
        for term, weight in weights.items():
            level = int(term_factor[term] * math.sqrt(weight) + 0.5)
            ids[term].append(number)
            levels[term].append(level if 0 < level <= WEIGHT_LEVELS else (1 if level <= 0 else WEIGHT_LEVELS))
    return {term: (ids[term], levels[term]) for term in ids}, total


def shard_count(postings: dict[str, list]) -> int:
    estimated = sum(len(term) * 3 + 6 + len(ids) * 4 for term, (ids, _) in postings.items())
    shards = 1
    while shards * SHARD_TARGET_BYTES < estimated:
        shards *= 2
    return shards


def wrapped(data) -> str:
    return WRAPPER + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ")\n"


def index_files(pages: list[Page], material_config: dict) -> dict[str, str]:
    """Every file of the index, keyed by its path under search/."""
    postings, sections = build_postings(pages)
    shards, width = shard_count(postings), id_width(sections)
    shard_terms: list[dict[str, str]] = [{} for _ in range(shards)]
    for term in sorted(postings):
        shard_terms[shard_of(term, shards)][term] = encode_postings(*postings[term], width)
    files = {f"kesu/s/{number}.js": wrapped(terms) for number, terms in enumerate(shard_terms)}
    files["kesu/pages.js"] = wrapped([[page.location, page.title, len(page.sections), page.boost] for page in pages])
    for number, page in enumerate(pages):
        files[f"kesu/f/{number}.js"] = wrapped([[s.anchor, s.title, s.text[:FRAGMENT_TEXT_CHARS]] for s in page.sections])
    manifest = {"version": FORMAT_VERSION, "shards": shards, "pages": len(pages), "sections": sections,
                "id_bytes": array.array(width).itemsize}
    stub = {"config": {**material_config, "kesu": manifest}, "docs": []}
    files["search_index.json"] = json.dumps(stub, ensure_ascii=False, separators=(",", ":"))
    # Material's bundle reads this one instead when the site is opened from file://.
    files["search_index.js"] = "var __index = " + files["search_index.json"] + "\n"
    return files


def write_search_index(site_dir: Path) -> int:
    """Replace Material's search/search_index.json with kesu's index; returns the number of pages.

    Files whose content did not change are not rewritten, and files of a previous index that
    are no longer part of it are removed.
    """
    folder = site_dir / "search"
    source = json.loads((folder / "search_index.json").read_text(encoding="utf-8"))
    if "kesu" in source.get("config", {}):
        return source["config"]["kesu"]["pages"]  # already converted (a build that changed nothing)
    pages = pages_from_material(source["docs"])
    files = index_files(pages, source["config"])
    for rel, text in files.items():
        target = folder / rel
        data = text.encode("utf-8")
        if not holds(target, data):
            replace_file(target, data)  # while serving, a browser may be reading the previous version
    for stale in sorted((folder / "kesu").rglob("*.js")):
        if stale.relative_to(folder).as_posix() not in files:
            stale.unlink()
    return len(pages)


if __name__ == "__main__":  # `kesu serve` indexes each rebuild in a process of its own (hooks.py)
    write_search_index(Path(sys.argv[1]))
