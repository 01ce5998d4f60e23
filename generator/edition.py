"""Editions of the site: the Simplified original and a Traditional copy converted with OpenCC.

The Traditional edition is made from the same sources: the Markdown pages (generated and hand-written)
are converted after generation, prose only. Converted: text, headings, mermaid labels, YAML comments in
examples, and the attributes a reader sees (title, alt, aria-label, placeholder) or that name a
fill-in slot (data-slot, data-fallback). Kept as written: URLs and link targets, ids and anchors, other
attribute values (machine values compared with URL parameters: data-channel, value, ...; the closed
lists' values among them are ASCII ids, model.ClosedList, so nothing there needs converting),
code spans and code blocks except their `#` comments (they show what a supervisor types into the
Simplified sources or what kesu prints), front-matter keys, HTML comments.

Placeholder names ({客户称呼}, data-slot="客户称呼") are converted on their own, never as part of the
surrounding sentence, so that the slot, its form field and the script that fills them agree.

The region (Taiwan or Hong Kong conventions) and the per-region term overrides live in
cases/editions/zh-Hant.yml, validated like every source. A closed list's label (电话, 重大, 快递物流) is
converted like any prose; where OpenCC's choice is wrong for a region, the model's table sets the
label (Choice.traditional) and the converter applies it as a term (closed_list_terms).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from .model import CLOSED_LISTS, ClosedList, Strict, Text
from .problems import Problem, problems_from_validation
from .yamlsource import YamlFileError, decode, parse

EDITION_FILE = "cases/editions/zh-Hant.yml"
SIMPLIFIED, TRADITIONAL = "zh-Hans", "zh-Hant"
EDITION_CODES = (SIMPLIFIED, TRADITIONAL)
# region -> (OpenCC configuration, Material's theme language). s2twp converts vocabulary too
# (软件 -> 軟體, 信息 -> 資訊); s2hk converts characters with Hong Kong's standard forms.
REGIONS = {"tw": ("s2twp", "zh-TW"), "hk": ("s2hk", "zh-Hant")}
DEFAULT_REGION = "tw"
# The character sets of Traditional Chinese text in each region: a character outside it that OpenCC
# converts is Simplified left behind. (Converting the built text again would not tell: OpenCC is not
# idempotent on its own output, 鄰里 becomes 鄰裡; and 里, 后, 干, 台 are Traditional characters too.)
REGION_CHARSETS = {"tw": "big5", "hk": "big5hkscs"}


@dataclass(frozen=True)
class Edition:
    code: str                 # zh-Hans or zh-Hant
    region: str = ""          # tw or hk for zh-Hant
    opencc_config: str = ""   # "" for the Simplified original
    theme_language: str = "zh"
    prefix: str = ""          # URL prefix of the edition inside site/, "zh-Hant/"
    terms: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def converts(self) -> bool:
        return bool(self.opencc_config)


def edition_for(code: str, region: str = DEFAULT_REGION, terms: dict[str, str] | None = None) -> Edition:
    if code == SIMPLIFIED:
        return Edition(SIMPLIFIED)
    if code != TRADITIONAL:
        raise ValueError(f"unknown edition '{code}': expected one of {', '.join(EDITION_CODES)}")
    config, language = REGIONS[region]
    return Edition(TRADITIONAL, region, config, language, f"{TRADITIONAL}/", dict(terms or {}))


# --- the edition file: cases/editions/zh-Hant.yml -------------------------------------------------

class RegionTerms(Strict):
    """Source term in Simplified Chinese -> the term a reader of that region expects."""

    tw: dict[Text, Text] = {}
    hk: dict[Text, Text] = {}


class EditionSettings(Strict):
    region: Literal["tw", "hk"] = DEFAULT_REGION
    terms: RegionTerms = Field(default_factory=RegionTerms)


def edition_settings(root: Path) -> tuple[EditionSettings | None, list[Problem]]:
    """The edition file, validated; defaults when the project has none."""
    path = root / EDITION_FILE
    if not path.exists():
        return EditionSettings(), []
    try:
        document = parse(decode(path.read_bytes()))
    except YamlFileError as error:
        return None, [Problem(EDITION_FILE, error.line, error.field, error.message)]
    except OSError as error:
        return None, [Problem(EDITION_FILE, 1, "", f"cannot read file: {error.strerror}")]
    if not isinstance(document.data, dict):
        return None, [Problem(EDITION_FILE, 1, "", "expected a mapping of fields at the top level (region, terms)")]
    try:
        settings = EditionSettings.model_validate(document.data)
    except ValidationError as error:
        from .load import model_keys_at  # load imports this module's checks; imported here, not at the top
        return None, problems_from_validation(error, EDITION_FILE, document.line_of,
                                              lambda loc: model_keys_at(EditionSettings, loc))
    problems = _simplified_term_problems(settings, document)
    return (None if problems else settings), problems


def _simplified_term_problems(settings: EditionSettings, document) -> list[Problem]:
    """A local term is shown as written: Simplified characters in it would stay on the Traditional pages."""
    problems = []
    for region in REGIONS:
        for term, local in getattr(settings.terms, region).items():
            if left := "".join(char for char in local if _simplified_only(char, REGION_CHARSETS[region])):
                problems.append(Problem(EDITION_FILE, document.line_of(("terms", region, term)),
                                        f"terms.{region}.{term}", f"'{local}' has Simplified characters ({left}); "
                                        f"write the {region} term in Traditional characters"))
    return problems


def _simplified_only(char: str, charset: str) -> bool:
    """A character of GB 2312 that the region's Traditional charset lacks: 会, 协 (里, 后 are in both).
    No OpenCC, so that `kesu check` and every edit under `kesu serve` do not load its dictionaries."""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    try:
        char.encode(charset)
    except UnicodeEncodeError:
        return True
    return False


def edition_settings_problems(root: Path) -> list[Problem]:
    return edition_settings(root)[1]


def traditional_edition(root: Path) -> Edition:
    """The Traditional edition as the project's edition file sets it; SourceErrors when it is invalid."""
    from .problems import SourceErrors

    settings, problems = edition_settings(root)
    if problems:
        raise SourceErrors(problems)
    return edition_for(TRADITIONAL, settings.region, getattr(settings.terms, settings.region))


# --- converting text -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def opencc_converter(config: str):
    import opencc

    return opencc.OpenCC(config)


class TextConverter:
    """OpenCC for the edition's region, with the region's terms taking precedence.

    A term is found in the Simplified text, as written in the sources and in the edition file,
    and set aside before OpenCC runs: OpenCC then neither converts it nor joins it into a phrase.
    """

    def __init__(self, edition: Edition):
        self.edition = edition
        self._opencc = opencc_converter(edition.opencc_config)
        terms = closed_list_terms(edition.region) | edition.terms
        self._local = list(terms.values())
        self._index = {term: i for i, term in enumerate(terms)}
        self._term_pattern = re.compile("|".join(
            _term_regex(term) for term in sorted(terms, key=len, reverse=True))) if terms else None

    def __call__(self, text: str) -> str:
        if self._term_pattern is None:
            return self._opencc.convert(text)
        marked = self._term_pattern.sub(lambda m: _TERM_START + _encode(self._index[m.group(0)]) + _TOKEN_END, text)
        return _TERM.sub(lambda m: self._local[_decode(m.group(1))], self._opencc.convert(marked))


def closed_list_terms(region: str) -> dict[str, str]:
    """The closed lists' labels whose Traditional form the model sets for the region (Choice.traditional),
    as terms: a label reads the same wherever it appears; the edition file's terms take precedence."""
    return {choice.label: choice.traditional[region] for values in CLOSED_LISTS for choice in values
            if region in choice.traditional}


def edition_labels(edition: Edition, values: ClosedList) -> dict[str, str]:
    """{id: the label the edition shows} of a closed list: the Simplified labels, or their conversion."""
    if not edition.converts:
        return {choice.id: choice.label for choice in values}
    text = TextConverter(edition)
    return {choice.id: text(choice.label) for choice in values}


def _term_regex(term: str) -> str:
    # 12315 must not match inside 123150, nor an ASCII word inside a longer one.
    before = r"(?<![0-9A-Za-z])" if term[:1].isascii() and term[:1].isalnum() else ""
    after = r"(?![0-9A-Za-z])" if term[-1:].isascii() and term[-1:].isalnum() else ""
    return before + re.escape(term) + after


# Protected pieces are replaced by tokens made of private-use characters (no ASCII, so that a term
# such as 12315 cannot match inside one; no Han, so that OpenCC leaves them and no phrase spans them).
_TOKEN_START, _TERM_START, _TOKEN_END, _DIGIT0 = "\ue000", "\ue002", "\ue001", 0xE010
_TOKEN = re.compile("\ue000([\ue010-\ue01f]+)\ue001")
_TERM = re.compile("\ue002([\ue010-\ue01f]+)\ue001")


def _encode(number: int) -> str:
    return "".join(chr(_DIGIT0 + int(digit, 16)) for digit in f"{number:x}")


def _decode(digits: str) -> int:
    return int("".join(f"{ord(c) - _DIGIT0:x}" for c in digits), 16)

# Attributes whose value a reader sees, or which name a fill-in slot; every other value is kept.
# data-title: what a search result calls a block (a script stage's 电话话术：, generator/pagetext.py).
TEXT_ATTRIBUTES = {"title", "alt", "aria-label", "aria-description", "placeholder", "label", "data-title"}
SLOT_ATTRIBUTES = {"data-slot", "data-fallback"}
# Code blocks whose `#` comments are prose (converted); the code itself is kept.
COMMENTED_FENCES = {"yaml", "yml", "bash", "sh", "shell", "console"}

_FRONT_MATTER = r"(?P<front>\A---[ \t]*\n(?:.*\n)*?---[ \t]*(?:\n|\Z))"
_FENCE = r"(?P<fence>^(?P<indent>[ \t]*)(?P<ticks>`{3,}|~{3,})[ \t]*(?P<lang>[\w+-]*)[^\n]*\n(?:.*\n)*?(?P=indent)(?P=ticks)[ \t]*$)"
_COMMENT = r"(?P<comment><!--.*?-->)"
_CODE_SPAN = r"(?P<code>(?P<backticks>`+)(?!`).*?(?<!`)(?P=backticks)(?!`))"
_TAG = r"(?P<tag></?[A-Za-z][\w:-]*(?:\s+[^\s=>/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>)"
_LINK_TARGET = r"(?P<target>\]\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*))"
_REFERENCE = r"(?P<reference>^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\S+)"
_AUTOLINK = r"(?P<url><[a-z][a-z0-9+.-]*:[^\s<>]*>|\b(?:https?|ftp|mailto):[^\s<>\"'()\]]+)"
_ATTR_LIST = r"(?P<attrs>\{:?[ \t]*[#.][^{}\n]*\})"
# A source's own private-use characters that would read as a token: kept as they are, like code.
_FORGED = "(?P<forged>[\ue000-\ue002])"
_SLOT = r"(?P<slot>(?:\{|&#123;)(?P<name>[^{}|&<>\n]+)(?:\|(?P<fallback>[^{}&<>\n]*))?(?:\}|&#125;))"
# The lookahead lists every first character of the alternatives: most positions fail at once.
_MARKDOWN = re.compile(r"(?:^|(?=[-`~<\]\[{&hfm\ue000-\ue002]))(?:" + "|".join([
    _FRONT_MATTER, _FENCE, _COMMENT, _CODE_SPAN, _TAG, _LINK_TARGET, _REFERENCE, _AUTOLINK, _ATTR_LIST, _SLOT, _FORGED])
    + ")", re.MULTILINE)
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_KINDS = ("front", "fence", "comment", "code", "tag", "target", "reference", "url", "attrs", "slot", "forged")
_ATTRIBUTE = re.compile(r"""(?P<name>[^\s=>/"']+)(?:(?P<eq>\s*=\s*)(?P<value>"[^"]*"|'[^']*'|[^\s>"']+))?""")
_YAML_KEY = re.compile(r"^(\s*(?:-\s+)?[^\s:#][^:\n]*:)", re.MULTILINE)
_YAML_COMMENT = re.compile(r"(?:^|(?<=\s))#[^\n]*")


class MarkdownConverter:
    """Converts the prose of one Markdown page, HTML blocks included, and nothing else."""

    def __init__(self, edition: Edition):
        self.text = TextConverter(edition)
        self._isolated: dict[str, str] = {}

    def isolated(self, value: str) -> str:
        """A name converted on its own: the same result on every page and in every place."""
        if value not in self._isolated:
            self._isolated[value] = self.text(value)
        return self._isolated[value]

    def convert(self, markdown: str) -> str:
        kept: list[str] = []

        def keep(piece: str) -> str:
            kept.append(piece)
            return _TOKEN_START + _encode(len(kept) - 1) + _TOKEN_END

        def protect(match: re.Match) -> str:
            kind = next(k for k in _KINDS if match.group(k) is not None)
            piece = match.group(0)
            if kind == "front":
                return _YAML_KEY.sub(lambda m: keep(m.group(1)), piece)
            if kind == "fence":
                return self._fence(match, keep)
            if kind == "tag":
                return self._tag(piece, keep)
            if kind == "slot":
                return keep(self._slot(match))
            return keep(piece)

        tokenised = _MARKDOWN.sub(protect, markdown)
        converted = self.text(tokenised)
        return _TOKEN.sub(lambda m: kept[_decode(m.group(1))], converted)

    def _fence(self, match: re.Match, keep) -> str:
        lang, piece = match.group("lang").lower(), match.group(0)
        if lang == "mermaid":  # flowchart labels are prose; node ids are ASCII, which OpenCC leaves
            return piece
        if lang in COMMENTED_FENCES:  # keys, values and commands are typed as shown; the comments explain
            parts = re.split(f"({_YAML_COMMENT.pattern})", piece, flags=re.MULTILINE)
            return "".join(part if i % 2 else keep(part) for i, part in enumerate(parts) if part)
        return keep(piece)

    def _tag(self, tag: str, keep) -> str:
        if not _HAN.search(tag):  # most tags: nothing a reader sees
            return keep(tag)
        head = re.match(r"</?[A-Za-z][\w:-]*", tag)
        out, position = [keep(head.group(0))], head.end()
        for attribute in _ATTRIBUTE.finditer(tag, position):
            out.append(keep(tag[position:attribute.start()]) if attribute.start() > position else "")
            name, value = attribute.group("name").lower(), attribute.group("value")
            if value is not None and name in TEXT_ATTRIBUTES | SLOT_ATTRIBUTES:
                quote = value[0] if value[0] in "\"'" else ""
                inner = value[1:-1] if quote else value
                converted = self.isolated(inner) if name in SLOT_ATTRIBUTES else None
                prefix = attribute.group(0)[:attribute.start("value") - attribute.start()]
                if converted is not None:
                    out.append(keep(f"{prefix}{quote}{converted}{quote}"))
                else:  # converted with the page: the quotes bound it like any phrase
                    out.append(keep(prefix + quote) + inner + keep(quote) if quote else keep(prefix) + inner)
            else:
                out.append(keep(attribute.group(0)))
            position = attribute.end()
        out.append(keep(tag[position:]) if position < len(tag) else "")
        return "".join(out)

    def _slot(self, match: re.Match) -> str:
        piece, name, fallback = match.group(0), match.group("name"), match.group("fallback")
        opening = "&#123;" if piece.startswith("&#123;") else "{"
        closing = "&#125;" if piece.endswith("&#125;") else "}"
        converted = self.isolated(name) + ("|" + self.isolated(fallback) if fallback is not None else "")
        return f"{opening}{converted}{closing}"


def convert_text_asset(edition: Edition, text: str) -> str:
    """A generated data asset (glossary.js, the thesaurus JSON): every string is prose or a term."""
    return TextConverter(edition)(text)





def simplified_characters(edition: Edition, text: str) -> str:
    """The characters of text that the edition should have converted, in order of appearance."""
    return "".join(char for char in text if "\u3400" <= char and _left_simplified(edition.region, edition.opencc_config, char))


@functools.lru_cache(maxsize=None)
def _left_simplified(region: str, config: str, char: str) -> bool:
    if opencc_converter(config).convert(char) == char:
        return False
    try:
        char.encode(REGION_CHARSETS[region])
    except UnicodeEncodeError:
        return True
    return False
