"""Defence in depth: refuse to publish a built page that holds script the sources put there.

The text pipeline (text.py) is meant to make this impossible; this check looks at what the engine
actually wrote, so that a gap in the pipeline, a new template or a Markdown extension cannot
publish an event handler or a script URL unnoticed. The theme and kesu's own assets hold no
such markup (every build runs the check; tests/test_build.py builds the shipped site), so any
finding comes from page content.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                  "srcset", "ping", "cite", "longdesc", "manifest", "codebase",
                  # SVG animation can set an href: <animate attributeName="href" values="javascript:...">
                  "to", "from", "by", "values"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
# Elements that run or embed active content; pages never need them inside the article text.
ACTIVE_ELEMENTS = {"script", "iframe", "object", "embed", "base", "frame", "frameset", "applet"}
_STYLE_SCRIPT = re.compile(r"(?i)expression\s*\(|javascript:")
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")


class UnsafePage(Exception):
    """A built page holds active markup that came from content; site.build_site reports it as
    one line like any other failed build, whichever engine built the page."""


# A regular-expression tokenizer rather than html.parser: the check runs over every built page,
# and html.parser took about 5 times as long (a case page: 0.9 ms of CPU against 4-5 ms).
# Quoted attribute values may hold ">".
_SKIPPED = re.compile(r"(?is)<!--.*?-->|<(script|style|textarea|title)\b[^>]*>.*?</\1\s*>")
_TAG = re.compile(r"""<([a-zA-Z][^\s/>]*)((?:[^>"']++|"[^"]*+"|'[^']*+')*+)>""")
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
_ACTIVE = re.compile(r"(?i)<(" + "|".join(sorted(ACTIVE_ELEMENTS)) + r")\b")


def unsafe_attribute(tag: str, name: str, value: str) -> str | None:
    """What is wrong with one attribute (already entity-decoded), or None."""
    name = name.lower()
    if name.startswith("on"):
        return f"event handler attribute {name} on <{tag}>"
    if (name in URL_ATTRIBUTES or name.endswith(":href")) and (":" in value or "&" in value):
        urls = value.split(",") if name == "srcset" else value.split(";") if name == "values" else [value]
        for url in (_URL_NOISE.sub("", html.unescape(u)).lower() for u in urls):
            if url.startswith(SCRIPT_SCHEMES):
                return f"{url.split(':')[0]} URL in {name} of <{tag}>"
    if name == "style" and _STYLE_SCRIPT.search(html.unescape(value)):
        return f"script or URL in style of <{tag}>"
    return None


def page_findings(text: str) -> list[str]:
    """Everything active in one built page: handlers and script URLs anywhere (the title, the
    navigation and the table of contents also carry source text), active elements in the content."""
    start = text.find("<article")
    content = text[start:text.find("</article", start)] if start != -1 else ""
    findings = [f"a <{m.group(1).lower()}> element in the page content" for m in _ACTIVE.finditer(content)]
    for tag in _TAG.finditer(_SKIPPED.sub(_keep_the_opening_tag, text)):
        for attribute in _ATTRIBUTE.finditer(tag.group(2)):
            value = next((v for v in attribute.group(2, 3, 4) if v is not None), "")
            if finding := unsafe_attribute(tag.group(1).lower(), attribute.group(1), value):
                findings.append(finding)
    return findings


def _keep_the_opening_tag(match: re.Match) -> str:
    """A skipped element's content goes (script text is not markup); its own attributes stay checked."""
    opening = re.match(r"<[^>]*>", match.group(0))
    return opening.group(0) if opening and match.group(1) else ""


def source_of(page: str) -> str | None:
    """site/cases/late-refund/index.html -> cases/library/late-refund.yml, when it has one source."""
    from .registry import source_file_of

    if not page.endswith("/index.html"):
        return None
    return source_file_of(page[: -len("/index.html")] + ".md")


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
