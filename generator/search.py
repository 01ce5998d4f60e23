"""kesu's search index: Chinese bigrams, sharded so that a query loads only what it needs.

Material's own search sends every page's text to every visitor and builds a Lunr index in the
browser: 8.6 MB and 2.8 s at 1,000 pages. This module turns the sections of the built pages
(location, title, text: read from the engine's HTML by pagetext.py) into:

- search/kesu/pages.js      what every query needs of the page table: each page's number of sections
                            (packed), and the rows of the few pages with a search boost (page_table_files);
- search/kesu/p/<n>.js      the rest of the page table in shards of consecutive page numbers: each page's
                            location and title, loaded only for the results listed;
- search/kesu/words.js      the vocabulary and the thesaurus that queries are cut and expanded by;
- search/kesu/s/<n>.js      shards of the inverted index: term -> section ids and weights; a long list
                            (a word most cases hold) keeps only its head there (split_postings);
- search/kesu/t/<n>.js      the tails of the long lists in tiers, loaded one by one by a query whose
                            first LISTED results what it holds does not settle (ranking_is_settled);
- search/kesu/f/<page>.js   one fragment per page: its sections' anchors, titles and texts, loaded
                            only for the results on screen (snippets and highlighting);
and a manifest (format version, shards, pages, sections, id width) that the engine hands to the
worker (docs/assets/javascripts/workers/kesu-search.js): engines.Engine.publish_search; with
MkDocs, a stub of Material's search/search_index.json.

Terms are overlapping bigrams of Han characters (and lowercase Latin words and numbers). A page
that contains a word contains all of its bigrams, so recall does not depend on how a segmenter
happened to cut the page or the query; each posting carries a BM25 weight with headings and page
titles boosted. Single Han characters are indexed in headings only, for the first keystroke of a
query. A complaint type's script stages are sections of their own (pagetext.py).

Queries are cut the same way in the worker and in this module (query_concepts, rank_pages):
search/kesu/words.js holds the site's vocabulary (jieba's words over the site's text, most frequent
first) and the thesaurus (cases/search/synonyms.yml). A query is cut into words by longest match
against it; fillers (STOP_WORDS: 了, 的, 你们, 一直 ...) are dropped; a caller's phrase from the
thesaurus adds its group's terms with a lower weight; a lone character adds the most frequent
site words that hold it; a run of unknown characters is searched by its bigrams. Pages are ranked
by how much of the meaningful query they cover: each concept counts with its IDF, strengthened by
where it stands (page title, heading such as a customer phrase, text).

Every file is written as `kesuSearchLoad(<json>)`, so that the same file is read by fetch() in the
worker and by a <script> tag on pages opened from file://, where fetch() is not allowed.
"""
from __future__ import annotations

import array
import base64
import json
import math
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, NamedTuple

from .files import holds, replace_file
from .fold import Variants, default_variants, fold, fold_table, pairs_for, project_variants

FORMAT_VERSION = 3
WRAPPER = "kesuSearchLoad("
# Average shard size aimed at: small enough that a query of a few words and their expansions
# (ten terms for 服务态度差) moves tens of kilobytes.
SHARD_TARGET_BYTES = 6 * 1024
HEADING_BOOST = 4.0
PAGE_TITLE_BOOST = 10.0
BM25_K1 = 1.2
BM25_B = 0.75
WEIGHT_LEVELS = 255
# A fragment keeps the start of each section's text, enough for a snippet: listing pages such as
# a type's related cases grow with the library, and the whole text would be loaded for one line.
FRAGMENT_TEXT_CHARS = 240
# A term's postings on pages of search boost 1 beyond this many are split off (split_postings): the
# shard keeps the strongest, enough to rank the LISTED results of most queries, and the rest waits in
# search/kesu/t/<n>.js for the query that needs it. At 20,000 cases a common word (退款) is in most
# cases' text: its whole list was 400 kB, most of a first search's transfer.
HEAD_POSTINGS = 256
# Each tier of a split list's tail holds this many times the postings of the one before (the first,
# HEAD_POSTINGS times as many), the last the rest.
TAIL_GROWTH = 8
# Results a search box lists (kesu-search.mjs's LISTED); the worker proves the order of the first
# SHOWN of them (its SETTLED) before answering, and lists the rest as the lists it loaded rank them.
LISTED = 40
# Characters of a title in the page table (search/kesu/pages.js, search/kesu/p/).
TABLE_TITLE_CHARS = 16
# Average size aimed at for a shard of the page table: a first query loads one per result listed
# (kesu-search.mjs lists LISTED results), a few dozen of them, so that it moves tens of kilobytes
# however large the case library grows (the whole table was 700 kB at 5,000 cases).
PAGE_SHARD_TARGET_BYTES = 2 * 1024

# Query understanding; kesu-search.js holds the same values (tests/test_search.py compares them).
# Fillers and function words of spoken queries: dropped unless the query holds nothing else. On a site
# about complaints, 投诉 and the words for the complainant tell one page from another no more than 的 does.
STOP_WORDS = frozenset("""
了 的 地 得 着 过 吗 呢 吧 啊 呀 啦 嘛 哦 哎 喂 嗯 我 你 您 他 她 它 们 是 在 就 都 也 又 还 很 太 挺 真 好 被 把 给 让
和 跟 与 及 或 这 那 哪 个 些 么 才 再 更 最 啥 咋 怎 要 想 能 会 可 去 来 说 有 没 不 人 里 上 下 一 次 点 刚 已 该 得
我们 你们 他们 她们 咱们 人家 别人 自己 一直 怎么 怎么办 怎么回事 为什么 为啥 是不是 有没有 能不能 会不会 可不可以
这个 那个 这样 那样 这么 那么 什么 一下 一点 一个 已经 还是 但是 可是 就是 真是 而且 然后 结果 到底 竟然 居然 根本
总是 老是 非常 特别 实在 真的 现在 刚才 刚刚 今天 昨天 明天 时候 东西 好像 觉得 感觉 知道 不是 没有 可以 需要 应该
怎样 如何 请问 麻烦 谢谢 你好 您好 我要 我想 帮我 给我 一些 有点 有些 这种 那种 一样 还有 还要 就要 不要 不能 不会
顾客 客户 客人 投诉 投诉人
""".split())
# A caller's phrase counts for itself; the site words the thesaurus gives for it count this much of
# a typed word: less, since a page with the caller's own words is the surer answer.
EXPANSION_WEIGHT = 0.8
# A lone character that is not a word of the site (虫, 吵, 坏) is also looked up as the most
# frequent site words holding it, each with this weight.
SINGLE_EXPANSIONS = 3
SINGLE_EXPANSION_WEIGHT = 0.5
# How much a term's place (page title, heading, text) strengthens its concept: 1 + STRENGTH * b,
# b being the term's stored weight on a 0..1 scale (about 0.5 in a title, 0.2 in a heading).
STRENGTH = 8.0
# A word counts in a section holding at least this share of its bigrams (credit: the share squared);
# the query as typed only where it stands almost whole.
WORD_SHARE = 0.5
WHOLE_SHARE = 0.75
# A lone character is a guess at a word (indexed in headings only, where it is rare; its expansions
# may be other words): its IDF is capped, or it would outweigh the words that are sure.
SINGLE_IDF_CAP = 2.0
LONGEST_WORD = 8
# A page's score is multiplied by the share of the query's meaningful concepts it holds, to this power.
COVERAGE_POWER = 1.0
# A long page (a complaint type has forty sections) covers words all over it: what its other
# sections add counts a quarter as much as one section that holds them together.
SPREAD = 0.25
# jieba reads this much of the site's text for the vocabulary (boosted pages, such as the complaint
# types, first, the case library last): enough for the site's words (about 160,000 characters
# outside the case library), bounded for large case libraries; about a second of a build.
VOCABULARY_TEXT_CHARS = 200_000
# The most frequent words are enough to cut queries (1,500 did as well as 4,000 on bench/colloquial.yml);
# words.js (with the thesaurus) stays about 33 kB, part of a first query's transfer.
VOCABULARY_WORDS = 1500

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_HAN}]+|[a-z0-9]+")
_IS_HAN = re.compile(rf"[{_HAN}]")
# Unicode's White_Space, spelled out: Python's str.split() also splits at the separators \x1c-\x1f,
# JavaScript's \s also at U+FEFF, and kesu-search.mjs must read a query as this module does.
_SPACES_BETWEEN_KEYWORDS = re.compile("[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


@dataclass
class Section:
    anchor: str
    title: str
    text: str
    # A script stage's title (电话话术：回访) is a label repeated on every type page, not a heading
    # that says what the section is about: it is shown, not indexed.
    title_indexed: bool = True


@dataclass
class Page:
    location: str
    title: str
    sections: list[Section] = field(default_factory=list)
    # Front matter `search: boost: N` (type pages have 3), as Material's own search honours it.
    boost: float = 1.0


def normalize(text: str) -> str:
    """Full-width letters and digits as ASCII, lowercase, Traditional characters folded to Simplified
    (fold.py): what both index and query compare, in either edition. A query is folded with the
    pairs words.js carries (Lexicon.normalized), which fold it alike."""
    return fold(unicodedata.normalize("NFKC", text).lower())


def terms_of(text: str, single_han: bool = False, variants: Variants | None = None) -> list[str]:
    """Bigrams of every Han run, Latin words and numbers; lone Han characters only if single_han.
    variants: the bigrams of the other spellings of the words a run holds (软件 -> 软体, see fold.py)
    and the other spellings of Latin words (12315 -> 1950), after the run's own."""
    terms: list[str] = []
    for token in _TOKEN.findall(normalize(text)):
        if not _IS_HAN.match(token):
            terms.append(token)
            if variants is not None:
                terms.extend(variants.latin.get(token, ()))
            continue
        if len(token) > 1:
            bigrams = list(map(str.__add__, token, token[1:]))
            terms.extend(bigrams)
            if variants is not None:
                terms.extend(variants.extra_bigrams(token, bigrams))
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


def is_quotation(heading: str) -> bool:
    """A heading that quotes what a customer says (type.md.j2's 顾客常这样说): the strongest evidence
    that a caller's words belong to that page, weighed like a page title."""
    return len(heading) > 2 and heading[0] == "“" and heading[-1] == "”"


def saturated(tf: float, norm: float) -> float:
    """BM25's term-frequency curve: the first occurrences count most."""
    return tf * (BM25_K1 + 1) / (tf + norm)


def build_postings(pages: list[Page], variants: Variants | None = None) -> tuple[dict[str, tuple[list[int], list[int]]], int]:
    """term -> (section ids, weights 1..255) and the number of sections.

    A term's weight in a section is its IDF times BM25 over the section's text, plus a boost
    when the term is in the section's heading (HEADING_BOOST) or in the page's title
    (PAGE_TITLE_BOOST), each field length-normalised (BM25F), so that the type a staff member
    names comes before pages that merely mention it. Weights are stored as the square root on a
    0..255 scale: the many small body weights keep their order, the few large title weights lose
    a little precision. The loop runs once per (term, section): it is the index's hot path.
    variants: see terms_of (default: OpenCC's vocabulary, fold.default_variants).
    """
    variants = default_variants() if variants is None else variants
    sections: list[tuple[Counter, Counter, float, float, float]] = []
    for page in pages:
        for position, section in enumerate(page.sections):
            text_terms = terms_of(section.text, variants=variants)
            title_like = (position == 0 and not section.anchor) or is_quotation(section.title)
            boost = PAGE_TITLE_BOOST if title_like else HEADING_BOOST
            title_terms = terms_of(section.title, single_han=True, variants=variants) if section.title_indexed else []
            sections.append((Counter(text_terms), Counter(title_terms),
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


# --- vocabulary and query understanding (kesu-search.js mirrors this part) -------------------

_tokenizer = None


def _jieba():
    """A jieba tokenizer of kesu's own: words added for the vocabulary stay out of Material's."""
    global _tokenizer
    if _tokenizer is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        _tokenizer = jieba.Tokenizer()
    return _tokenizer


def _is_han_word(word: str) -> bool:
    return len(word) >= 2 and all(_IS_HAN.match(char) for char in word)


def vocabulary(pages: list[Page], groups: list[tuple[list[str], list[str]]]) -> list[str]:
    """The site's words, most frequent first: with the thesaurus' words, what queries are cut by.

    jieba, its dictionary extended with the thesaurus, cuts the text of the boosted pages (the
    complaint types) first, then of the others, cases last, up to VOCABULARY_TEXT_CHARS.
    """
    tokenizer = _jieba()
    thesaurus_words = [normalize(word) for terms, phrases in groups for word in terms + phrases]
    for word in thesaurus_words:
        tokenizer.add_word(word)
    counts: Counter = Counter()
    budget = VOCABULARY_TEXT_CHARS
    for page in sorted(pages, key=lambda p: (-p.boost, p.location.startswith("cases/"))):
        for section in page.sections:
            text = normalize(section.title + " " + section.text)[:max(budget, 0)]
            budget -= len(text)
            counts.update(word for word in tokenizer.cut(text, HMM=False)
                          if _is_han_word(word) and word not in STOP_WORDS)
        if budget <= 0:
            break
    return [word for word, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:VOCABULARY_WORDS]]


def words_file(pages: list[Page], groups: list[tuple[list[str], list[str]]], variants: Variants | None = None,
               index_terms: Iterable[str] = ()) -> dict:
    """search/kesu/words.js: the vocabulary as one space-separated string, the thesaurus (whose
    words Lexicon adds to the vocabulary: they are not written twice), and the fold pairs a query
    needs: those of the characters of the index's terms, the vocabulary, the thesaurus and the stop
    words (fold.pairs_for; about 1,100 of the 5,000 pairs, 7 kB)."""
    words = vocabulary(pages, groups)
    thesaurus = thesaurus_spellings(groups, default_variants() if variants is None else variants)
    chars = set("".join(index_terms)) | set("".join(words)) | set("".join(STOP_WORDS))
    chars |= {char for terms, phrases in thesaurus for word in terms + phrases for char in word}
    return {"v": " ".join(words), "g": thesaurus, "f": pairs_for(chars)}


def thesaurus_spellings(groups: list[tuple[list[str], list[str]]], variants: Variants) -> list[list[list[str]]]:
    """The thesaurus, normalized, each caller's phrase followed by its other spellings (fold.Variants):
    the Traditional edition's thesaurus, converted with the pages (資訊洩露), also holds 信息泄露, and the
    Simplified one 资讯泄露, so that a phrase is recognised as typed in either vocabulary. The site's
    terms need none: the index holds every spelling where the text has one (terms_of), and each
    spelling more would be a lookup more, shards the query loads (挂断 and s2twp's 结束通话)."""
    def spelled(words: list[str]) -> list[str]:
        return list(dict.fromkeys(spelling for word in words for spelling in variants.spellings(normalize(word))))

    return [[[normalize(term) for term in terms], spelled(phrases)] for terms, phrases in groups]


@dataclass
class Alternative:
    word: str
    weight: float
    terms: list[str]
    share: float = WORD_SHARE  # the share of its terms a section must hold
    idf_cap: float = math.inf


@dataclass
class Concept:
    """One meaningful part of a query and the words that stand for it, each with a weight."""
    text: str
    alternatives: list[Alternative]
    whole: bool = False  # the query as typed, fillers included


class Lexicon:
    """words.js in memory: the vocabulary for longest match, the thesaurus for expansion."""

    def __init__(self, words: list[str], groups: list[list[list[str]]], fold_pairs: str | None = None):
        # Queries are folded with the pairs words.js carries, as the worker folds them; None: all of them.
        chars = list(fold_pairs or "")
        self.fold = fold_table() if fold_pairs is None else {ord(t): s for t, s in zip(chars[::2], chars[1::2])}
        site_words = set(words)
        self.words = words + [word for word in dict.fromkeys(w for terms, phrases in groups for w in terms + phrases)
                              if word not in site_words]
        self.groups = groups
        # A phrase also matches by its meaningful words: 被人拿走 is found in 被别人拿走了. Its core is cut
        # with the site's words only, or the phrase would be one known word and keep its fillers.
        self.known = site_words | STOP_WORDS
        self.longest = min(LONGEST_WORD, max((len(word) for word in self.known), default=1))
        self.cores = [["".join(meaningful_words(phrase, self)) for phrase in phrases] for _, phrases in groups]
        # Queries are cut with the thesaurus words too: 把这事发到网上去 keeps 发到网上, not 事发 + 网上.
        self.known = set(self.words) | STOP_WORDS
        self.longest = min(LONGEST_WORD, max((len(word) for word in self.known), default=1))

    @classmethod
    def from_file(cls, data: dict) -> "Lexicon":
        return cls(data["v"].split(" ") if data["v"] else [], data["g"], data.get("f", ""))

    def normalized(self, query: str) -> str:
        """A query as the index holds text (normalize), folded with this lexicon's pairs."""
        return unicodedata.normalize("NFKC", query).lower().translate(self.fold)


def word_terms(word: str) -> list[str]:
    """The index terms that stand for a word: its bigrams, or itself (a lone character, a Latin word)."""
    if len(word) < 2 or not _IS_HAN.match(word):
        return [word]
    return list(dict.fromkeys(map(str.__add__, word, word[1:])))


def segment(run: str, lexicon: Lexicon) -> list[str]:
    """A run of Han characters cut into vocabulary words and stop words, single characters elsewhere.

    Of all cuts, the one whose words are longest wins (the sum of the squared word lengths is
    largest; then the fewest pieces): 把这事发到网上去 keeps the caller's phrase 发到网上 whole, where a
    left-to-right longest match would take 事发 first and lose it. kesu-search.js cuts the same way.
    """
    best: list[tuple[int, int] | None] = [(0, 0)] + [None] * len(run)
    start = [0] * (len(run) + 1)
    for end in range(1, len(run) + 1):
        for length in range(1, min(lexicon.longest, end) + 1):
            if length > 1 and run[end - length:end] not in lexicon.known:
                continue
            score, pieces = best[end - length]
            candidate = (score + length * length, pieces - 1)
            if best[end] is None or candidate > best[end]:
                best[end], start[end] = candidate, end - length
    words, end = [], len(run)
    while end > 0:
        words.append(run[start[end]:end])
        end = start[end]
    return words[::-1]


def meaningful_words(query: str, lexicon: Lexicon) -> list[str]:
    """The query's words without fillers; lone unknown characters next to each other stay one run
    (拿走 when the vocabulary lacks it), to be searched by its bigrams."""
    kept: list[str] = []
    for token in _TOKEN.findall(lexicon.normalized(query)):
        if not _IS_HAN.match(token):
            kept.append(token)
            continue
        run = ""
        for word in segment(token, lexicon) + [""]:
            if len(word) == 1 and word not in lexicon.known:
                run += word
                continue
            if run:
                kept.append(run)
                run = ""
            if word and word not in STOP_WORDS:
                kept.append(word)
    return list(dict.fromkeys(kept))


def single_expansions(char: str, lexicon: Lexicon) -> list[Alternative]:
    found = [word for word in lexicon.words if char in word][:SINGLE_EXPANSIONS]
    return [Alternative(word, SINGLE_EXPANSION_WEIGHT, word_terms(word), idf_cap=SINGLE_IDF_CAP) for word in found]


def query_concepts(query: str, lexicon: Lexicon) -> list[Concept]:
    """What a query means to the index: its meaningful words, and the caller's phrases it holds."""
    words = meaningful_words(query, lexicon)
    if not words:  # nothing but fillers (怎么办): search for them after all
        words = list(dict.fromkeys(w for t in _TOKEN.findall(lexicon.normalized(query)) for w in segment(t, lexicon)))
    concepts: dict[str, Concept] = {}
    for word in words:
        alternatives = [Alternative(word, 1.0, word_terms(word))]
        if len(word) == 1 and _IS_HAN.match(word):
            alternatives = [Alternative(word, 1.0, [word], idf_cap=SINGLE_IDF_CAP)] + single_expansions(word, lexicon)
        concepts[word] = Concept(word, alternatives)
    typed, joined, keywords = lexicon.normalized(query), "".join(words), keyword_query(query)
    # The query as typed, fillers included, is the strongest evidence when a page holds it, as the
    # customer phrases of a complaint type do.
    for token in _TOKEN.findall(typed):
        if len(token) >= 3 and _IS_HAN.match(token) and token not in concepts:
            concepts[token] = Concept(token, [Alternative(token, 1.0, word_terms(token), WHOLE_SHARE)], whole=True)
    for (terms, phrases), cores in zip(lexicon.groups, lexicon.cores):
        for phrase, core in zip(phrases, cores):
            if phrase in typed or (len(core) >= 2 and core in joined):
                concept = concepts.setdefault(phrase, Concept(phrase, [Alternative(phrase, 1.0, word_terms(phrase))]))
                concept.alternatives += [Alternative(term, EXPANSION_WEIGHT, word_terms(term)) for term in terms]
        # A group's terms are the site's words for one thing: a caller who uses one of them (消费者协会)
        # also finds the pages that use another (消协, 涉及消费者协会). Not for keywords (退货 发票),
        # which staff want on the page as typed.
        for term in terms if not keywords else ():
            if term in concepts and not concepts[term].whole:
                concepts[term].alternatives += [Alternative(other, EXPANSION_WEIGHT, word_terms(other))
                                                for other in terms if other != term]
    return list(concepts.values())


def _decoded_level(level: int) -> float:
    return level * level / (WEIGHT_LEVELS * WEIGHT_LEVELS)


class PostingList(NamedTuple):
    """A term's postings as a query holds them. A list split at indexing (split_postings) holds its
    head only until its tail is loaded: total counts every posting of the term (the IDF needs it), and
    bound is the highest level among those not held (0: the list is whole)."""
    ids: list[int]
    levels: list[int]
    total: int
    bound: int = 0


def posting_list(entry) -> PostingList | None:
    """A postings entry as a PostingList: (ids, levels), as build_postings gives them, is whole."""
    if entry is None or isinstance(entry, PostingList):
        return entry
    ids, levels = entry
    return PostingList(ids, levels, len(ids))


def alternative_scores(alternative: Alternative, postings, sections: int) -> dict[int, float]:
    """section -> this alternative's evidence there: weight x IDF x share^2 x (1 + STRENGTH x b)."""
    lists = [posting_list(postings.get(term)) for term in alternative.terms]
    found = [entry for entry in lists if entry and entry.total]
    if not found:
        return {}
    idf = min(alternative.idf_cap, max(math.log(1 + sections / entry.total) for entry in found))
    present: Counter = Counter()
    strength: Counter = Counter()
    for ids, levels, *_ in found:
        for section, level in zip(ids, levels):
            present[section] += 1
            strength[section] += _decoded_level(level)
    count = len(alternative.terms)
    scores = {}
    for section, hits in present.items():
        share = hits / count
        if share >= alternative.share:
            scores[section] = alternative.weight * idf * share * share * (1 + STRENGTH * strength[section] / count)
    return scores


def concept_scores(concept: Concept, postings, sections: int) -> dict[int, float]:
    """section -> the concept's evidence: its best alternative there."""
    best: dict[int, float] = {}
    for alternative in concept.alternatives:
        for section, score in alternative_scores(alternative, postings, sections).items():
            if score > best.get(section, 0.0):
                best[section] = score
    return best


def page_score(best_section: float, covered: float) -> float:
    """A page's evidence: its best section, plus SPREAD of what its other sections add to the cover."""
    return best_section + SPREAD * (covered - best_section)


def coverage(scores: dict[int, float], meaningful: list[int]) -> float:
    """The share of the query's meaningful concepts a page holds, to COVERAGE_POWER: one word in a
    title does not outweigh a page that holds more of what the caller said."""
    if not meaningful:
        return 1.0
    return (sum(1 for number in meaningful if number in scores) / len(meaningful)) ** COVERAGE_POWER


@dataclass
class RankedPage:
    number: int
    score: float
    best_section: int
    held: int = 0  # meaningful concepts held, counted for keyword queries only


def keyword_query(query: str) -> bool:
    """Words separated by spaces (退货 发票) are keywords that staff want together, not speech."""
    return len([word for word in _SPACES_BETWEEN_KEYWORDS.split(normalize(query)) if word]) > 1


def rank_pages(concepts: list[Concept], postings, section_page: list[int], boosts: list[float],
               every_word: bool = False, sections: int | None = None) -> list[RankedPage]:
    """Pages by how much of the query they cover: the best section (the one holding most of the
    query), plus SPREAD of what the page's other sections add (per concept its best section on the
    page, summed), times the page's search boost (front matter `search: boost:`, as in Material's
    own search: 3 for complaint types and procedures, the pages staff need mid-call; 1 for a case
    that quotes the same customer). every_word (keyword_query): pages holding more of the
    meaningful concepts come first, whatever their score. sections: the index's number of sections,
    for the IDF (section_page's length unless it holds more, see ranking_is_settled)."""
    sections = len(section_page) if sections is None else sections
    per_page: dict[int, dict[int, float]] = defaultdict(dict)  # page -> concept -> best score
    section_total: Counter = Counter()
    for number, concept in enumerate(concepts):
        for section, score in concept_scores(concept, postings, sections).items():
            page = section_page[section]
            section_total[section] += score
            if score > per_page[page].get(number, 0.0):
                per_page[page][number] = score
    best: dict[int, int] = {}
    for section, total in section_total.items():
        page = section_page[section]
        if page not in best or total > section_total[best[page]] or (
                total == section_total[best[page]] and section < best[page]):
            best[page] = section
    meaningful = [number for number, concept in enumerate(concepts) if not concept.whole]
    ranked = [RankedPage(page, page_score(section_total[best[page]], sum(scores.values())) * boosts[page]
                         * coverage(scores, meaningful), best[page],
                         sum(1 for number in meaningful if number in scores) if every_word else 0)
              for page, scores in per_page.items()]
    return sorted(ranked, key=lambda r: (-r.held, -r.score, r.number))


def open_sections(section_page: list[int], boosts: list[float]) -> list[bool]:
    """Sections whose postings a split list may hold in its tail: those of pages of boost 1. A boosted
    page's postings (the complaint types, procedures, indexes) are always in the head."""
    return [boosts[page] == 1 for page in section_page]


def optimistic_postings(concepts: list[Concept], postings, is_open: list[bool]) -> dict[str, PostingList]:
    """The query's lists as large as their tails could make them: every open section that any of
    them holds, and one more section standing for all the others (number len(is_open)), added at
    the tail's bound to each list that has a tail and lacks it. Ranked, they give each page's
    highest possible score (the ranking only grows with presence and levels)."""
    terms = list(dict.fromkeys(term for concept in concepts for alt in concept.alternatives for term in alt.terms))
    lists = {term: posting_list(postings.get(term)) for term in terms}
    lists = {term: entry for term, entry in lists.items() if entry}
    seen = sorted({section for entry in lists.values() for section in entry.ids if is_open[section]})
    unseen = len(is_open)
    grown = {}
    for term, entry in lists.items():
        if not entry.bound:
            grown[term] = entry
            continue
        held = set(entry.ids)
        added = [section for section in seen if section not in held] + [unseen]
        grown[term] = PostingList(entry.ids + added, entry.levels + [entry.bound] * len(added), entry.total, entry.bound)
    return grown


def has_tails(concepts: list[Concept], postings) -> bool:
    return any((entry := posting_list(postings.get(term))) and entry.bound
               for concept in concepts for alt in concept.alternatives for term in alt.terms)


def first_unseen_page(concepts: list[Concept], postings, section_page: list[int], is_open: list[bool],
                      pages: int) -> int:
    """The lowest number a page could have that no loaded list names and that reaches the optimistic
    score (which takes a tail posting at its list's bound): a head holds, of the postings at its
    bound, those of the lowest sections, so the tail's are after them. Ties of equal scores are
    common in a library of similar cases, and rank_pages breaks them by page number."""
    after = len(section_page)
    for term in dict.fromkeys(term for concept in concepts for alt in concept.alternatives for term in alt.terms):
        entry = posting_list(postings.get(term))
        if entry and entry.bound:
            at_bound = [section for section, level in zip(entry.ids, entry.levels)
                        if level == entry.bound and is_open[section]]
            after = min(after, max(at_bound, default=-1) + 1)
    return section_page[after] if after < len(section_page) else pages


def ranking_is_settled(concepts: list[Concept], postings, section_page: list[int], boosts: list[float],
                       ranked: list[RankedPage], every_word: bool = False, listed: int = LISTED) -> bool:
    """Whether the first `listed` of `ranked` (rank_pages over lists some of whose tails are not loaded)
    are the first `listed` of the whole ranking, in its order: each of them scores, with what is
    loaded, above the highest score any page after it could reach with the tails
    (optimistic_postings). Otherwise the query loads the tails of its terms."""
    if not has_tails(concepts, postings):
        return True
    is_open = open_sections(section_page, boosts)
    unseen_page = len(boosts)
    highest = rank_pages(concepts, optimistic_postings(concepts, postings, is_open), list(section_page) + [unseen_page],
                         list(boosts) + [1.0], every_word, len(section_page))
    # (held, score, -number) orders pages as rank_pages does; a page nothing loaded names is one after
    # first_unseen_page at best.
    unseen_number = first_unseen_page(concepts, postings, section_page, is_open, len(boosts))
    reach = {r.number: (r.held, r.score, -(unseen_number if r.number == unseen_page else r.number)) for r in highest}
    first = ranked[:listed]
    names = {r.number for r in first}
    ceiling = max((key for number, key in reach.items() if number not in names), default=None)
    if ceiling is not None and len(first) < listed:  # a page the tails hold would join the list
        return False
    for page in reversed(first):
        if ceiling is not None and not (page.held, page.score, -page.number) > ceiling:
            return False
        key = reach[page.number]
        ceiling = key if ceiling is None or key > ceiling else ceiling
    return True


def split_postings(ids: list[int], levels: list[int], is_open: list[bool], head: int = HEAD_POSTINGS
                   ) -> tuple[PostingList, list[tuple[list[int], list[int], int]]] | None:
    """A long list as its head (the postings of boosted pages and the `head` strongest others, by
    level, then section) and its tail in tiers of the next strongest, each TAIL_GROWTH times the one
    before, the last holding the rest: (ids, levels, the highest level after the tier, 0 for the
    last), each in section order. None for a list whose tail would be shorter than its head: not
    worth a file of its own. A query loads the tiers it needs one by one: the first few thousand
    postings of a common word are its titles and headings, the rest mentions in text."""
    opened = [i for i, section in enumerate(ids) if is_open[section]]
    if len(opened) <= 2 * head:
        return None
    strongest = sorted(opened, key=lambda i: (-levels[i], ids[i]))
    rest = set(strongest[head:])
    kept = [i for i in range(len(ids)) if i not in rest]
    tiers, start, size = [], head, head * TAIL_GROWTH
    while start < len(strongest):
        end = len(strongest) if len(strongest) - start <= size * 2 else start + size
        tier = sorted(strongest[start:end])
        tiers.append(([ids[i] for i in tier], [levels[i] for i in tier],
                      levels[strongest[end]] if end < len(strongest) else 0))
        start, size = end, size * TAIL_GROWTH
    return PostingList([ids[i] for i in kept], [levels[i] for i in kept], len(ids), levels[strongest[head]]), tiers


def heads(postings: dict[str, tuple[list[int], list[int]]], section_page: list[int], boosts: list[float],
          head: int = HEAD_POSTINGS) -> dict[str, PostingList | tuple[list[int], list[int]]]:
    """term -> its list as a query holds it before loading tails: a long list's head, a short list
    whole; the split shard_entries writes. For tests and measurements."""
    is_open = open_sections(section_page, boosts)
    held = {}
    for term, (ids, levels) in postings.items():
        split = split_postings(ids, levels, is_open, head)
        held[term] = split[0] if split else (ids, levels)
    return held


def shard_entries(postings: dict[str, tuple[list[int], list[int]]], is_open: list[bool], width: str,
                  head: int = HEAD_POSTINGS) -> tuple[dict[str, str | list], list[str]]:
    """term -> its shard entry, and the tails' files in order: a whole list is its encoded postings;
    a split one [head's encoded postings, total, bound, n], the first tier of its tail in
    search/kesu/t/<n>.js: [encoded postings, the bound after it, n + 1] or, the last, the encoded
    postings alone."""
    entries: dict[str, str | list] = {}
    tails: list[str | list] = []
    for term in sorted(postings):
        ids, levels = postings[term]
        split = split_postings(ids, levels, is_open, head)
        if split is None:
            entries[term] = encode_postings(ids, levels, width)
            continue
        first, tiers = split
        entries[term] = [encode_postings(first.ids, first.levels, width), first.total, first.bound, len(tails)]
        for tier_ids, tier_levels, bound in tiers:
            encoded = encode_postings(tier_ids, tier_levels, width)
            tails.append([encoded, bound, len(tails) + 1] if bound else encoded)
    return entries, tails


def shard_count(entries: dict[str, str | list]) -> int:
    estimated = sum(len(term) * 3 + 6 + len(entry if isinstance(entry, str) else entry[0])
                    for term, entry in entries.items())
    shards = 1
    while shards * SHARD_TARGET_BYTES < estimated:
        shards *= 2
    return shards


def wrapped(data) -> str:
    return WRAPPER + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + ")\n"


def table_title(title: str) -> str:
    """A title as the page table holds it: shortened past TABLE_TITLE_CHARS characters.

    The table serves the results below the first few, which show a title only; the results on
    screen take the whole title from their fragment (a page's first section is titled like it).
    Case titles are long sentences: whole, they were three quarters of the table.
    """
    return title if len(title) <= TABLE_TITLE_CHARS else title[:TABLE_TITLE_CHARS - 1] + "…"


def packed_counts(counts: list[int]) -> str:
    """Numbers as LEB128 varints (seven bits a byte, the high bit saying another byte follows), base64:
    one byte for a page of fewer than 128 sections."""
    out = bytearray()
    for number in counts:
        while number >= 0x80:
            out.append(number & 0x7F | 0x80)
            number >>= 7
        out.append(number)
    return base64.b64encode(bytes(out)).decode("ascii")


def unpacked_counts(packed: str) -> list[int]:
    counts, number, shift = [], 0, 0
    for byte in base64.b64decode(packed):
        number |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            counts.append(number)
            number, shift = 0, 0
    return counts


def rows_per_page_shard(rows: list[list]) -> int:
    """Pages per shard of the page table, for shards of about PAGE_SHARD_TARGET_BYTES."""
    size = sum(len(json.dumps(row, ensure_ascii=False).encode("utf-8")) + 1 for row in rows)
    return max(1, round(PAGE_SHARD_TARGET_BYTES * len(rows) / size)) if rows else 1


def page_table_files(pages: list[Page]) -> dict[str, str]:
    """search/kesu/pages.js and search/kesu/p/<n>.js.

    Every query needs each page's number of sections (sections are numbered page after page, and
    a posting names a section) and boost (ranking): pages.js holds them, the counts packed
    (packed_counts), the boosts with the rows of their pages: the complaint types, procedures and
    index pages, the usual first results and the fallback's suggestions. Every other page's row,
    [location, title], is in the shard of its page number (number // rows); a boosted page's place
    there holds 0. Long titles are shortened (see table_title).
    """
    rows = [[page.location, table_title(page.title)] for page in pages]
    per_shard = rows_per_page_shard(rows)
    boosted = [[number, *rows[number], page.boost] for number, page in enumerate(pages) if page.boost != 1]
    files = {"kesu/pages.js": wrapped({"pages": len(pages), "rows": per_shard,
                                       "sections": packed_counts([len(page.sections) for page in pages]),
                                       "boosted": boosted})}
    for start in range(0, len(pages), per_shard):
        files[f"kesu/p/{start // per_shard}.js"] = wrapped(
            [0 if pages[number].boost != 1 else rows[number] for number in range(start, min(start + per_shard, len(pages)))])
    return files


def page_table(load) -> list[tuple[str, str, int, float]]:
    """The whole page table, (location, title, sections, boost) per page, from the files that
    page_table_files wrote; load(path under search/) returns a file's data. For tests and the bench."""
    head = load("kesu/pages.js")
    boosted = {number: (location, title, boost) for number, location, title, boost in head["boosted"]}
    counts, shards = unpacked_counts(head["sections"]), {}
    table = []
    for number in range(head["pages"]):
        if number in boosted:
            location, title, boost = boosted[number]
        else:
            shard = number // head["rows"]
            if shard not in shards:
                shards[shard] = load(f"kesu/p/{shard}.js")
            (location, title), boost = shards[shard][number % head["rows"]], 1.0
        table.append((location, title, counts[number], boost))
    return table


def unwrapped(text: str):
    """The data of an index file's text (kesuSearchLoad(<json>))."""
    return json.loads(text[text.index(WRAPPER) + len(WRAPPER):text.rindex(")")])


def posting_files(postings: dict[str, tuple[list[int], list[int]]], section_page: list[int], boosts: list[float],
                  width: str) -> tuple[dict[str, str], int]:
    """search/kesu/s/<n>.js and search/kesu/t/<n>.js, and the number of shards."""
    entries, tails = shard_entries(postings, open_sections(section_page, boosts), width)
    shards = shard_count(entries)
    shard_terms: list[dict[str, str | list]] = [{} for _ in range(shards)]
    for term, entry in entries.items():
        shard_terms[shard_of(term, shards)][term] = entry
    files = {f"kesu/s/{number}.js": wrapped(terms) for number, terms in enumerate(shard_terms)}
    files |= {f"kesu/t/{number}.js": wrapped(tail) for number, tail in enumerate(tails)}
    return files, shards


def index_files(pages: list[Page], groups: list[tuple[list[str], list[str]]] = (),
                variants: Variants | None = None) -> tuple[dict[str, str], dict]:
    """Every file of the index, keyed by its path under search/, and its manifest (what the worker
    is told at setup: see engines.Engine.publish_search); groups: the thesaurus; variants: the other
    spellings of words (fold.py; default: OpenCC's vocabulary without a project's local terms)."""
    variants = default_variants() if variants is None else variants
    postings, sections = build_postings(pages, variants)
    width = id_width(sections)
    section_page = [number for number, page in enumerate(pages) for _ in page.sections]
    files, shards = posting_files(postings, section_page, [page.boost for page in pages], width)
    files["kesu/words.js"] = wrapped(words_file(pages, list(groups), variants, postings))
    files |= page_table_files(pages)
    for number, page in enumerate(pages):
        files[f"kesu/f/{number}.js"] = wrapped([[s.anchor, s.title, s.text[:FRAGMENT_TEXT_CHARS]] for s in page.sections])
    manifest = {"version": FORMAT_VERSION, "shards": shards, "pages": len(pages), "sections": sections,
                "id_bytes": array.array(width).itemsize}
    return files, manifest


# Written by `kesu generate` from cases/search/synonyms.yml (site.generate); MkDocs copies it into
# site/, so that the indexer, also the one `kesu serve` starts after each rebuild, finds it there.
THESAURUS_ASSET = "assets/kesu-thesaurus.json"


def thesaurus_asset(groups: list[tuple[list[str], list[str]]]) -> str:
    return json.dumps([[terms, phrases] for terms, phrases in groups], ensure_ascii=False, separators=(",", ":"))


def thesaurus_groups(site_dir: Path) -> list[tuple[list[str], list[str]]]:
    path = site_dir / THESAURUS_ASSET
    return [(terms, phrases) for terms, phrases in json.loads(path.read_text(encoding="utf-8"))] if path.is_file() else []


def write_search_index(site_dir: Path, docs_dir: Path, engine, cache: Path | None = None, root: Path | None = None) -> int:
    """Write kesu's index of the site in site_dir (built from docs_dir by engine) under search/kesu/
    and hand it to the engine's search box (engine.publish_search); returns the number of pages.
    root: the project, whose edition file's local terms are spellings of their own (fold.py);
    by default docs_dir's parent.

    The pages' text is read from their HTML (pagetext.py); cache: see pagetext.site_pages. Files
    whose content did not change are not rewritten, and files of a previous index that are no
    longer part of it are removed.
    """
    from .catalogue import worker_labels
    from .pagetext import site_pages

    folder = site_dir / "search"
    pages = site_pages(site_dir, docs_dir, engine.article, cache)
    variants = project_variants(docs_dir.parent if root is None else root, normalize)
    files, manifest = index_files(pages, thesaurus_groups(site_dir), variants)
    manifest["labels"] = worker_labels(site_dir)  # the worker's own texts, in the site's edition
    for rel, text in files.items():
        target = folder / rel
        data = text.encode("utf-8")
        if not holds(target, data):
            replace_file(target, data)  # while serving, a browser may be reading the previous version
    for stale in sorted((folder / "kesu").rglob("*.js")):
        if stale.relative_to(folder).as_posix() not in files:
            stale.unlink()
    engine.publish_search(site_dir, manifest)
    return len(pages)


# Under `kesu serve`, what the last run read from each page (pagetext.site_pages); in the served
# site's own (temporary) folder, which MkDocs removes when it stops.
SERVE_CACHE = ".kesu-pagetext.json"

def end_with_parent() -> None:
    """Linux: be stopped when the process that started this one ends (`kesu serve` stopped by a
    signal, which runs none of its shutdown code), instead of indexing a site no one serves."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # it ended before the call
        sys.exit(0)


if __name__ == "__main__":  # `kesu serve` indexes each rebuild in a process of its own (engines.mkdocs.SearchIndexer)
    from .engines import get_engine

    end_with_parent()
    site = Path(sys.argv[1])
    write_search_index(site, Path(sys.argv[2]), get_engine(sys.argv[3]), cache=site / SERVE_CACHE)
