"""The one text pipeline: every string from a source file becomes page text through here.

Each str field of the model is either Plain or Markdown (model.py decides, field by field).
Plain text is escaped for the place it lands in; Markdown text keeps a safe subset (emphasis,
lists, line breaks, http/https/relative links) and everything else is escaped.

Escaping uses numeric character references rather than backslashes: an entity means the same
in Markdown paragraphs, raw HTML, attribute values and table rows, Python-Markdown stashes it
before any extension (attr_list, abbr, tables, admonition ...) looks at the text, and the
browser shows the original character. Block syntax only matters at the start of a line, so
each line's first character is escaped too; newlines in one-line places become spaces.
"""
from __future__ import annotations

import html
import re
from urllib.parse import quote

from markupsafe import Markup

# Characters with a meaning somewhere in the Markdown dialect of mkdocs.yml or in HTML, and the
# first mark of :smile: (an image from a CDN) and ++ctrl++ (keyboard keys).
_MARKUP = re.compile(r"[&<>\"'`*_{}\[\]|\\!#]|:(?=[+\-\w]+:)|\+(?=\+)")
# Characters that start a block (lists, quotes, headings, fences, tabs, definitions, details).
_LINE_START = set("-+=:~?%.$^@/")
_ORDERED_MARKER = re.compile(r"^(\d+)([.)])")
# C0/C1 controls other than tab and newline never reach a page; the loader reports them.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _entity(char: str) -> str:
    return f"&#{ord(char)};"


def _escape_chars(text: str, keep: str = "") -> str:
    return _MARKUP.sub(lambda m: m.group(0) if m.group(0) in keep else _entity(m.group(0)),
                       _CONTROLS.sub("\ufffd", text))


def _guard_line_start(line: str, escaped: str) -> str:
    """escaped (the escaped form of line) with a block marker at its start written as an entity."""
    if line[:1] in _LINE_START and escaped[:1] == line[:1]:
        return _entity(line[0]) + escaped[1:]
    if match := _ORDERED_MARKER.match(line):
        return match.group(1) + _entity(match.group(2)) + escaped[match.end():]
    return escaped


def _escape_line(line: str) -> str:
    """One line of text with every character that could become markup written as an entity."""
    line = line.strip()
    return _guard_line_start(line, _escape_chars(line))


def one_line(text) -> str:
    """All whitespace runs, newlines included, as one space: for places that hold one line."""
    return " ".join(str(text).split())


def plain(text) -> Markup:
    """Plain text on one line, safe in Markdown inline text, list items, table cells, raw HTML
    content and quoted attribute values."""
    return Markup(_escape_line(one_line(text)))


def heading(text) -> Markup:
    """Plain text for a heading. Material copies the h1 into <title> through `striptags`, which
    turns entities back into characters, so angle brackets are shown as their full-width forms."""
    return plain(one_line(text).replace("<", "＜").replace(">", "＞"))


def admonition_title(text) -> Markup:
    """Plain text inside the quotes of `!!! kind "title"`: quotes and newlines are escaped by plain()."""
    return plain(text)


def plain_lines(text, pattern: re.Pattern | None = None, render_match=None) -> Markup:
    """Plain text that keeps its line breaks (scripts, letters): each line escaped on its own.

    With a pattern, each match within a line becomes render_match(match), a Markup (the
    placeholders of scripts become slots this way).
    """
    lines = []
    for line in str(text).splitlines():
        line, out, last = line.strip(), [], 0
        for match in pattern.finditer(line) if pattern is not None else ():
            out += [_escape_chars(line[last:match.start()]), str(render_match(match))]
            last = match.end()
        out.append(_escape_chars(line[last:]))
        lines.append(_guard_line_start(line, "".join(out)))
    return Markup("\n".join(lines))


def mermaid_label(text) -> Markup:
    """Text inside a quoted mermaid label: one line, mermaid's own #code; entities for its syntax."""
    # % and braces too: mermaid reads %%{init: ...}%% directives anywhere in the chart text.
    codes = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;",
             "%": "#37;", "{": "#123;", "}": "#125;"}
    return Markup("".join(codes.get(c, c) for c in _CONTROLS.sub("\ufffd", one_line(text))))


def code(text) -> Markup:
    """Text inside a Markdown code span (a generated path): no backticks, no line breaks."""
    return Markup(html.escape(one_line(text).replace("`", "'")))


def url_path(text) -> Markup:
    """A generated relative URL or link target: percent-encoded, so it cannot end its container."""
    return Markup(quote(one_line(text), safe="/#.-_~"))


# --- the Markdown subset ------------------------------------------------------------------

_MAX_INDENT = 16  # four levels of nested lists
_LIST_MARKER = re.compile(r"^( *)([-*+]|\d{1,9}\.) +(?=\S)")
# [text](target) or [text](target "title"); link text holds no brackets.
_LINK = re.compile(r"\[([^\[\]\n]+)\]\(\s*<?([^\s()<>]*)>?(?:\s+\"[^\"\n]*\")?\s*\)")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]")
SAFE_SCHEMES = ("http", "https")


def safe_url(target: str) -> str | None:
    """The target as a percent-encoded URL if it is http, https or relative, else None.

    Entities and the whitespace browsers ignore inside a URL are undone before the scheme is
    read, so `&#106;avascript:` or `java\tscript:` are recognised for what they are.
    """
    url = _URL_NOISE.sub("", html.unescape(target))
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
        return None
    if not scheme and (":" in url.split("/")[0] or url.startswith("//")):
        return None  # "javascript%3A" is harmless, but a colon before the first slash is a scheme to browsers
    return quote(url, safe="/:?#@!$&+,;=%~-._")


def _inline_markdown(line: str) -> str:
    """One stripped line of Markdown: links with safe targets and emphasis stay, the rest is escaped."""
    out, last = [], 0
    for match in _LINK.finditer(line):
        out.append(_escape_chars(line[last:match.start()], keep="*_"))
        label = _escape_chars(match.group(1), keep="*_")
        url = safe_url(match.group(2))
        out.append(f"[{label}]({url})" if url is not None else label)
        last = match.end()
    out.append(_escape_chars(line[last:], keep="*_"))
    return _guard_line_start(line, "".join(out))


def markdown(text) -> Markup:
    """A Markdown field as a safe block: paragraphs, line breaks (two trailing spaces), lists
    (nested by indentation), emphasis and links to http, https or relative targets.

    Indentation is kept only inside a list, where it nests items; elsewhere it would start a
    code block. Every line stays inside the container the template indents it into.
    """
    lines, in_list = [], False
    for raw in str(text).replace("\t", "    ").splitlines():
        if not raw.strip():
            lines.append("")
            continue
        hard_break = "  " if raw.endswith("  ") else ""
        if marker := _LIST_MARKER.match(raw):
            indent = marker.group(1)[:_MAX_INDENT] if in_list else ""  # a first item is never a code block
            in_list = True
            lines.append(f"{indent}{marker.group(2)} {_inline_markdown(raw[marker.end():].strip())}{hard_break}")
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        in_list = in_list and indent > 0
        lines.append(" " * (min(indent, _MAX_INDENT) if in_list else 0) + _inline_markdown(raw.strip()) + hard_break)
    return Markup("\n".join(lines).strip("\n"))


def markdown_as_plain(text) -> str:
    """The words of a Markdown field without its syntax: link text for links, no emphasis marks."""
    text = _LINK.sub(lambda m: m.group(1), str(text))
    return re.sub(r"[*_]", "", text)
