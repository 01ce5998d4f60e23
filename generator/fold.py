"""Cross-script search: index and queries folded to one script, so that 快遞遺失 and 快递遗失 meet.

Two layers, both from OpenCC's data through the pinned opencc package:

- Characters (fold): every Traditional character to its Simplified form, one code point at a time,
  in the index and in queries alike. A bigram index needs every character to land on one form
  however the text around it reads, and the browser must fold a query exactly as Python folded the
  index: the worker folds with the pairs of the characters the index holds (search.words_file
  writes them into search/kesu/words.js; kesu-search.mjs's foldOf), a few kB where the whole map
  (kesu-fold-map.js) is 33 kB. Besides OpenCC's t2s pairs, the map merges the forms the regional
  conversions write for a Simplified character that t2s would not bring back (s2twp writes 著 for
  着, s2hk 衞 for 卫): folding 著作 to 着作 on both sides costs nothing, missing 找不著 would.
  A code point whose Simplified form is several characters is left alone (none in OpenCC 1.4.2).
  Two Simplified characters that everyday writing uses for one word are merged too
  (MAINLAND_VARIANTS): 帐号 and 账号 are the same account, and Taiwan writes 帳 where OpenCC
  writes 賬, which t2s keeps apart (帳 -> 帐, 賬 -> 账).

- Words (Variants): where OpenCC's s2twp changes vocabulary (软件 -> 軟體, 网络 -> 網路, 信息 -> 資訊),
  folding characters leaves 软体 against 软件. The index therefore holds, wherever the text has one
  spelling, the bigrams of the others too (search.terms_of): a query in either vocabulary finds the
  page in either edition, and the browser needs no word table. The pairs are the words of jieba's
  dictionary that s2twp or s2hk spell differently once folded (generator/fold-words.tsv), and the
  per-region terms of cases/editions/zh-Hant.yml (消协 / 消基會 / 消委會, 12315 / 1950), both regions
  whichever the edition uses, so that a caller's local term finds the page in both editions.
  The thesaurus' words get their other spellings the same way (search.words_file).

`python -m generator.fold` rewrites the committed map and word list after an OpenCC upgrade (a test
says when).
"""
from __future__ import annotations

import functools
import itertools
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Iterable

REPO = Path(__file__).resolve().parent.parent
FOLD_MAP_ASSET = "docs/assets/javascripts/kesu-fold-map.js"
WORD_PAIRS_FILE = Path(__file__).resolve().parent / "fold-words.tsv"
# CJK Unified Ideographs with extensions A to F, and the compatibility ideographs.
HAN_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2FA20))
# The conversions of the Traditional edition (edition.REGIONS) and plain s2t.
REGIONAL_CONFIGS = ("s2t", "s2twp", "s2hk")
_MAP_LINE = re.compile(r'^var KESU_FOLD_PAIRS = (".*");$', re.M)
_ALL_HAN = re.compile("^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+$")
_LATIN_WORD = re.compile("^[a-z0-9]+$")
# Simplified characters written for one another in the same words, with the form they fold into
# (the one the sources and the 现代汉语词典 use). Only pairs whose every shared word means the same:
# 订金 and 定金 differ in law, so 订/定 is not here.
MAINLAND_VARIANTS = (("帐", "账"),)
# A thesaurus word holding several variant words has this many spellings at most.
MOST_SPELLINGS = 8


# --- characters ------------------------------------------------------------------------------------

def opencc_fold_pairs() -> tuple[tuple[str, str], ...]:
    """(Traditional, Simplified) per code point, in code point order, computed from OpenCC (seconds)."""
    from .edition import opencc_converter

    t2s = opencc_converter("t2s")
    table: dict[str, str] = {}
    for char in _han_characters():
        simplified = t2s.convert(char)
        if simplified != char and len(simplified) == 1:
            table[char] = simplified
    _merge_regional_forms(table, [opencc_converter(config) for config in REGIONAL_CONFIGS])
    for loser, winner in MAINLAND_VARIANTS:
        _merge_into(table, loser, winner)
    _shorten_chains(table)
    return tuple(sorted(table.items(), key=lambda pair: ord(pair[0])))


def _han_characters():
    for start, end in HAN_RANGES:
        for code in range(start, end):
            yield chr(code)


def _merge_regional_forms(table: dict[str, str], converters) -> None:
    """Where a conversion writes x for a Simplified character c and the fold would not bring x back
    to c's form, the two forms fold together, into the more frequent one (jieba's dictionary counts):
    著 into 着, 衞 into 卫, but 幺 into 么, so that 什么 and the other stop words keep their form."""
    frequency = _character_frequencies()

    def folded(char: str) -> str:
        return table.get(char, char)

    for char in _han_characters():
        for converter in converters:
            written = converter.convert(char)
            if len(written) != 1 or folded(written) == folded(char):
                continue
            loser, winner = sorted((folded(char), folded(written)), key=lambda c: (frequency.get(c, 0), -ord(c)))
            _merge_into(table, loser, winner)


def _merge_into(table: dict[str, str], loser: str, winner: str) -> None:
    """loser and what folded to it fold to winner."""
    table[loser] = winner
    for key, value in table.items():
        if value == loser:
            table[key] = winner


def _shorten_chains(table: dict[str, str]) -> None:
    """Folding twice changes nothing: a chain (x -> c -> d) ends where it leads."""
    for char in list(table):
        seen = {char}
        while table[char] in table and table[char] not in seen:
            seen.add(table[char])
            table[char] = table[table[char]]
        if table[char] == char:
            del table[char]


def _jieba_dictionary() -> list[str]:
    """The lines of jieba's dictionary: word, count, part of speech."""
    import jieba

    return (Path(jieba.__file__).resolve().parent / "dict.txt").read_text(encoding="utf-8").splitlines()


def _character_frequencies() -> dict[str, int]:
    frequency = {}
    for line in _jieba_dictionary():
        word, count = line.split(" ")[:2]
        if len(word) == 1:
            frequency[word] = int(count)
    return frequency


@functools.lru_cache(maxsize=1)
def fold_pairs() -> tuple[tuple[str, str], ...]:
    """The pairs of the committed map (read in milliseconds); from OpenCC when the map is missing."""
    path = REPO / FOLD_MAP_ASSET
    if not path.is_file():
        return opencc_fold_pairs()
    chars = list(json.loads(_MAP_LINE.search(path.read_text(encoding="utf-8")).group(1)))
    return tuple(zip(chars[::2], chars[1::2]))


@functools.lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    return {ord(traditional): simplified for traditional, simplified in fold_pairs()}


@functools.lru_cache(maxsize=1)
def _folded_characters() -> frozenset[str]:
    return frozenset(t for t, _ in fold_pairs())


def fold(text: str) -> str:
    """快遞遺失 -> 快递遗失; Simplified text, ASCII and everything else unchanged."""
    # Most text of the Simplified site has nothing to fold: a set test says so four times faster.
    return text if _folded_characters().isdisjoint(text) else text.translate(fold_table())


def pairs_string(pairs: Iterable[tuple[str, str]]) -> str:
    """Pairs as the browser reads them: Traditional, Simplified, Traditional, ... (code points)."""
    return "".join(t + s for t, s in pairs)


def pairs_for(chars: set[str]) -> str:
    """The fold pairs whose Simplified form is one of chars, as pairs_string: all a query needs
    when chars are those of the index, its vocabulary and the stop words (a character that folds to
    anything else can match nothing either way)."""
    return pairs_string((t, s) for t, s in fold_pairs() if s in chars)


def fold_map_script(pairs: Iterable[tuple[str, str]]) -> str:
    """kesu-fold-map.js: the pairs as one string for scripts of the page."""
    text = json.dumps(pairs_string(pairs), ensure_ascii=False)
    return ("// Generated by `python -m generator.fold` from OpenCC's t2s data and regional forms; do not edit.\n"
            "// Pairs of code points: a Traditional character, then its Simplified form.\n"
            f"var KESU_FOLD_PAIRS = {text};\n"
            'if (typeof module !== "undefined" && module.exports) module.exports = KESU_FOLD_PAIRS;\n')


# --- words -----------------------------------------------------------------------------------------

def opencc_word_pairs(fold_text=fold, lines: list[str] | None = None) -> list[tuple[str, str]]:
    """(mainland word, regional word), both folded, for every word of jieba's dictionary (or of its
    lines given) that s2twp or s2hk spells differently once folded: 软件/软体, 信息/资讯, 出租车/计程车."""
    from .edition import opencc_converter

    converters = [opencc_converter(config) for config in ("s2twp", "s2hk")]
    pairs = set()
    for line in _jieba_dictionary() if lines is None else lines:
        word = fold_text(line.split(" ", 1)[0])
        if len(word) < 2 or not _ALL_HAN.match(word):
            continue
        for converter in converters:
            regional = fold_text(converter.convert(word))
            if regional != word and _ALL_HAN.match(regional):
                pairs.add((word, regional))
    return sorted(pairs)


def word_pairs_text(pairs: Iterable[tuple[str, str]]) -> str:
    return ("# Generated by `python -m generator.fold` from jieba's dictionary and OpenCC (s2twp, s2hk); do not edit.\n"
            "# Each line: a mainland word and how a regional edition spells it, both folded to Simplified characters.\n"
            + "".join(f"{a}\t{b}\n" for a, b in pairs))


@functools.lru_cache(maxsize=1)
def word_pairs() -> tuple[tuple[str, str], ...]:
    lines = WORD_PAIRS_FILE.read_text(encoding="utf-8").splitlines() if WORD_PAIRS_FILE.is_file() else []
    return tuple(tuple(line.split("\t")) for line in lines if line and not line.startswith("#"))


class Variants:
    """The other spellings of words: mainland and regional vocabulary, local terms (all folded)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        others = _spelling_groups(pairs)
        self.latin = {word: sorted(spellings) for word, spellings in others.items() if _LATIN_WORD.match(word)}
        # Han words by their first bigram, longest first: found in a run with one dictionary look-up
        # per position, the index's hot path.
        self._starts: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
        for word, spellings in sorted(others.items(), key=lambda item: (-len(item[0]), item[0])):
            if len(word) >= 2 and _ALL_HAN.match(word):
                self._starts[word[:2]].append((word, sorted(s for s in spellings if _ALL_HAN.match(s))))

    def found(self, run: str, bigrams: list[str] | None = None) -> list[tuple[int, int, list[str]]]:
        """(start, end, other spellings) of every variant word in a run of Han characters, in order;
        bigrams: the run's own, which are found among the words' first bigrams at C speed (most runs
        have none); each word that starts with one is then looked for with str.find."""
        starts = self._starts.keys() & set(_bigrams(run) if bigrams is None else bigrams)
        if not starts:
            return []
        found = []
        for start_bigram in starts:
            for word, spellings in self._starts[start_bigram]:
                at = run.find(word)
                while at != -1:
                    found.append((at, at + len(word), spellings))
                    at = run.find(word, at + 1)
        return sorted(found, key=lambda item: (item[0], -item[1]))

    def extra_bigrams(self, run: str, bigrams: list[str]) -> list[str]:
        """The bigrams a run would have with each variant word spelled otherwise, with its neighbours
        (计程车来 -> 出租, 租车, 车来), less those the run has: what the index adds for that run."""
        extra: list[str] = []
        for start, end, spellings in self.found(run, bigrams):
            before, after = run[max(0, start - 1):start], run[end:end + 1]
            present = set(_bigrams(before + run[start:end] + after))
            for spelling in spellings:
                extra.extend(term for term in _bigrams(before + spelling + after) if term not in present)
        return extra

    def spellings(self, word: str) -> list[str]:
        """word and its other spellings (信息不更新 -> 资讯不更新), up to MOST_SPELLINGS: for the thesaurus."""
        if word in self.latin:
            return [word] + self.latin[word]
        pieces, at = [], 0
        for start, end, spellings in self.found(word):
            if start >= at:  # the longest word at each place, left to right, without overlaps
                pieces += [[word[at:start]], [word[start:end]] + spellings]
                at = end
        pieces.append([word[at:]])
        return ["".join(choice) for choice in itertools.islice(itertools.product(*pieces), MOST_SPELLINGS)]


def _spelling_groups(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """word -> every other word connected to it by pairs: 消委会 and 消基会 are both spellings of 消协
    (one region's term each), so each is a spelling of the other too. The groups of OpenCC's
    vocabulary have two to four words (源码, 源代码, 原始码, 原代码)."""
    parent: dict[str, str] = {}

    def root(word: str) -> str:
        parent.setdefault(word, word)
        while parent[word] != word:
            parent[word] = parent[parent[word]]
            word = parent[word]
        return word

    for a, b in pairs:
        parent[root(a)] = root(b)
    members: dict[str, set[str]] = defaultdict(set)
    for word in list(parent):
        members[root(word)].add(word)
    return {word: members[root(word)] - {word} for word in parent if len(members[root(word)]) > 1}


def _bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def edition_term_pairs(root: Path) -> list[tuple[str, str]]:
    """The local terms of cases/editions/zh-Hant.yml, every region's: (source term, local term)."""
    from .edition import REGIONS, edition_settings

    settings, _ = edition_settings(root)
    if settings is None:  # `kesu check` reports the file's problems; the index goes without its terms
        return []
    return [(term, local) for region in REGIONS for term, local in getattr(settings.terms, region).items()]


def project_variants(root: Path, normalize) -> Variants:
    """The variants the project's index is built with; normalize: search.normalize (NFKC, lower, fold)."""
    pairs = list(word_pairs()) + [(normalize(a), normalize(b)) for a, b in edition_term_pairs(root)]
    return Variants(pairs)


@functools.lru_cache(maxsize=1)
def default_variants() -> Variants:
    """OpenCC's vocabulary only: for an index built without a project (tests, tools)."""
    return Variants(word_pairs())


def regenerate(root: Path = REPO) -> list[Path]:
    """Rewrite the committed map and word list from the installed OpenCC and jieba."""
    pairs = opencc_fold_pairs()
    map_path = root / FOLD_MAP_ASSET
    map_path.parent.mkdir(parents=True, exist_ok=True)
    map_path.write_text(fold_map_script(pairs), encoding="utf-8")
    table = {ord(t): s for t, s in pairs}
    WORD_PAIRS_FILE.write_text(word_pairs_text(opencc_word_pairs(lambda text: text.translate(table))), encoding="utf-8")
    fold_pairs.cache_clear()
    fold_table.cache_clear()
    _folded_characters.cache_clear()
    word_pairs.cache_clear()
    return [map_path, WORD_PAIRS_FILE]


if __name__ == "__main__":
    for written in regenerate():
        print(written)
