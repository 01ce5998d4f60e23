"""Defence in depth: refuse to publish a built page that holds script the sources put there.

The text pipeline (text.py) is meant to make this impossible; this check looks at what MkDocs
actually wrote, so that a gap in the pipeline, a new template or a Markdown extension cannot
publish an event handler or a script URL unnoticed. The theme and kesu's own assets hold no
such markup (tests/test_htmlguard.py builds the shipped site and checks it), so any finding
comes from page content.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.exceptions import BuildError

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                  "srcset", "ping", "cite", "longdesc", "manifest", "codebase"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
# Elements that run or embed active content; pages never need them inside the article text.
ACTIVE_ELEMENTS = {"script", "iframe", "object", "embed", "base", "frame", "frameset", "applet"}
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")
# Generated folders and the source folder their pages come from (render.page_jobs).
SOURCE_FOLDERS = {"types": "cases/types", "callcards": "cases/types", "procedures": "cases/procedures",
                  "cases": "cases/library", "learn": "cases/modules"}


class UnsafePage(BuildError):
    """A built page holds active markup that came from content; MkDocs' build error, so that
    `kesu build` reports it as one line like any other failed build."""


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self._article_depth = 0  # > 0 inside Material's article (the page content)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self._article_depth += 1
        if self._article_depth and tag in ACTIVE_ELEMENTS:
            self.findings.append(f"a <{tag}> element in the page content")
        for name, value in attrs:
            finding = unsafe_attribute(tag, name, value or "")
            if finding:
                self.findings.append(finding)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "article":
            self._article_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self._article_depth:
            self._article_depth -= 1


def unsafe_attribute(tag: str, name: str, value: str) -> str | None:
    """What is wrong with one attribute (already entity-decoded), or None."""
    name = name.lower()
    if name.startswith("on"):
        return f"event handler attribute {name} on <{tag}>"
    if name in URL_ATTRIBUTES or name.endswith(":href"):
        urls = value.split(",") if name == "srcset" else [value]
        for url in (_URL_NOISE.sub("", html.unescape(u)).lower() for u in urls):
            if url.startswith(SCRIPT_SCHEMES):
                return f"{url.split(':')[0]} URL in {name} of <{tag}>"
    if name == "style" and re.search(r"(?i)expression\s*\(|javascript:|url\s*\(", html.unescape(value)):
        return f"script or URL in style of <{tag}>"
    return None


def page_findings(text: str) -> list[str]:
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.findings


def source_of(page: str) -> str | None:
    """site/cases/late-refund/index.html -> cases/library/late-refund.yml, when it has one source."""
    parts = page.split("/")
    if len(parts) == 3 and parts[0] in SOURCE_FOLDERS and parts[2] == "index.html":
        return f"{SOURCE_FOLDERS[parts[0]]}/{parts[1]}.yml"
    return None


def unsafe_pages(site_dir: Path) -> list[tuple[str, str]]:
    """(page relative to the site, first finding) for each built HTML page with active markup."""
    out = []
    for path in sorted(site_dir.rglob("*.html")):
        findings = page_findings(path.read_text(encoding="utf-8", errors="replace"))
        if findings:
            out.append((path.relative_to(site_dir).as_posix(), findings[0]))
    return out


def refuse_unsafe_pages(site_dir: Path) -> None:
    """Raise UnsafePage naming the first unsafe page (and its source file) and how many there are."""
    unsafe = unsafe_pages(site_dir)
    if not unsafe:
        return
    page, finding = unsafe[0]
    source = source_of(page)
    origin = f" (from {source})" if source else ""
    more = f"; {len(unsafe) - 1} more page(s) also unsafe" if len(unsafe) > 1 else ""
    raise UnsafePage(f"refusing to publish {page}{origin}: {finding}{more}")
