"""Python and the browser read queries alike: generator/search.py's outputs for a shared list of
inputs, hostile and odd ones included, pinned in tests/golden/search-parity.json.

This test fails when generator/search.py's outputs change; tests/js/parity.test.mjs runs
generator/js/kesu-search.mjs over the same inputs and fails when its outputs differ from the file.
After an intended change of both, regenerate with KESU_UPDATE_GOLDEN=1 and review the diff.
"""
from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

from generator import search
from generator.fold import pairs_for
from generator.search import (
    Lexicon, Page, Section, build_postings, query_concepts, rank_pages, ranking_is_settled, shard_of, word_terms,
)

GOLDEN = Path(__file__).resolve().parent / "golden" / "search-parity.json"
UPDATE = os.environ.get("KESU_UPDATE_GOLDEN") == "1"

LEXICON = {"v": "快递 丢失 签收 虫子 害虫 收银 收银差错 服务态度 退货 发票 事发 网上 wifi",
           "g": [[["丢失"], ["被人拿走", "找不着"]], [["收银差错"], ["收了两遍"]], [["消费者协会", "消协"], ["找消协"]],
                 [["媒体"], ["发到网上"]], [["诉讼"], ["打官司"]]]}

QUERIES = [
    # what callers say
    "快递被别人拿走了", "收了两遍钱", "汤里有虫", "我要起诉你们", "我要把这事发到网上去", "我去找消协", "服务态度太差了",
    "怎么办", "火星", "退", "被人拿走", "打官司",
    # keywords, spaces of every kind
    "退货 发票", "退货发票", "  退货\t发票  ", "退货\u3000发票", "退货\u00a0发票", "退货\ufeff发票", "退货\x1c发票",
    "退货\u2028发票", "退货\u200b发票", "退货\x85发票", "退货\u180e发票", "消协 发票",
    # full-width, compatibility forms, mixed scripts
    "ＷｉＦｉ密码 一直 连不上", "ＷＩＦＩ１２３", "iPhone屏幕碎了", "3.5kg的米不够秤", "Ⅻ号柜台", "①号窗口", "㍿的发票",
    "㊙密", "⼈⺠币", "豈快递", "ﬁle发票", "Straße退货", "İstanbul快递", "ΣΟΦΟΣ快递", "КУРЬЕР快递", "café退款", "cafe\u0301退款",
    # emoji, astral characters, lone surrogates, empty
    "😀快递丢了😀", "👨\u200d👩\u200d👧退货", "𠮷野家退款", "\ud800快递", "快递\udfff丢失", "", "   ", "😀", "。，！？", "___",
    # long and repetitive
    "哈哈哈哈哈哈", "快递" * 20, "退货发票收银差错服务态度快递丢失签收虫子害虫" * 2,
    # Traditional script (OpenCC s2twp and s2hk of the queries above), mixed scripts, characters
    # whose fold is not in the index (龍, 鑫 stay as typed), the regional forms merged by the fold (著, 衞)
    "快遞被別人拿走了", "收了兩遍錢", "湯裡有蟲", "湯裏有蟲", "我要把這事發到網上去", "我去找消協", "服務態度太差了",
    "找不著", "怎麼辦", "退貨 發票", "退貨　發票", "快递遺失", "快遞遺失", "龍門快遞", "衞生 發票", "著急退貨",
    "ＷｉＦｉ密碼 一直 連不上", "被人拿走吗？為什麼",
]
EXTRA_WORDS = ["哈哈哈", "a", "虫", "wifi", "退款迟迟不到账", "𠮷野"]
EXTRA_TERMS = ["", "退款", "wifi", "😀", "𠮷野", "\uffff", "a" * 50]
SHARD_COUNTS = [1, 7, 64, 4096, 2**32]
# Sections per page, as the page table packs them (search.packed_counts).
PACKED_COUNTS = [[], [1], [0, 127, 128, 255, 300, 16_383, 16_384, 2**31, 2**40]]

PAGES = [("types/a/", "快件丢失或损坏", [("", "快件丢失或损坏", "快递被人拿走，签收记录"), ("s", "“箱子都压扁了”", "")], 3.0),
         ("types/b/", "收银差错", [("", "收银差错", "收银员多收钱，退货要发票"), ("t", "“收了两遍钱”", "")], 3.0),
         ("cases/c/", "汤里的虫子", [("", "汤里的虫子", "顾客在汤里发现虫子，要求赔偿")], 1.0),
         ("procedures/d/", "投诉分级与升级", [("", "投诉分级与升级", "顾客要起诉或找媒体时升级，可能发到网上")], 1.0),
         ("cases/e/", "发票开错", [("", "发票开错", "退货时发票抬头写错"), ("x", "处理", "补开发票")], 1.0),
         # a page of the Traditional edition: indexed folded
         ("cases/f/", "快遞遺失", [("", "快遞遺失", "顧客說快遞被別人拿走，衞生紙也不見了"), ("y", "處理", "補寄")], 1.0)]


# An index whose long lists are split (search.split_postings) at a head of SPLIT_HEAD postings: pages
# made of a few words, so that most lists are long; every fifth page boosted.
SPLIT_WORDS = ["退款", "快递", "延误", "发票", "维修", "质量", "服务态度", "差"]
SPLIT_HEAD = 2
SPLIT_LISTED = [1, 3, 10]
SPLIT_QUERIES = ["退款", "快递延误", "服务态度差", "发票 退款", "维修质量", "差", "退款快递发票", "快递 维修 差", "发票说明"]


def split_pages() -> list[Page]:
    words = SPLIT_WORDS
    pages = []
    for i in range(24):
        title = words[i % 8] + words[(i * 3 + 1) % 8]
        text = "，".join(words[(i * j + j) % 8] for j in range(i % 5 + 1))
        heading = words[(i * 5 + 2) % 8] + "的" + words[(i + 4) % 8]
        pages.append(Page(f"p{i}/", title, [Section("", title, text), Section("h", heading, text[:i % 7])],
                          3.0 if i % 5 == 0 else 1.0))
    # pages alike, whose equal scores rank_pages orders by number (search.first_unseen_page)
    pages += [Page(f"q{i}/", "发票说明", [Section("", "发票说明", "发票")]) for i in range(8)]
    return pages


def split_outputs(lexicon: Lexicon) -> dict:
    """The split index (heads as [ids, levels, total, bound]; whole lists as [ids, levels]) and, per
    query, the ranking over heads, whether it settles the first `listed`, and the whole ranking."""
    pages = split_pages()
    postings, _ = build_postings(pages)
    section_page = [number for number, page in enumerate(pages) for _ in page.sections]
    boosts = [page.boost for page in pages]
    heads = search.heads(postings, section_page, boosts, SPLIT_HEAD)
    queries = []
    for query in SPLIT_QUERIES:
        concepts, keywords = query_concepts(query, lexicon), search.keyword_query(query)
        capped = rank_pages(concepts, heads, section_page, boosts, keywords)
        queries.append({
            "query": query,
            "capped": [[r.number, r.score] for r in capped],
            "settled": [ranking_is_settled(concepts, heads, section_page, boosts, capped, keywords, listed)
                        for listed in SPLIT_LISTED],
            "whole": [[r.number, r.score] for r in rank_pages(concepts, postings, section_page, boosts, keywords)],
        })
    return {"postings": {term: list(entry) for term, entry in sorted(heads.items())}, "sectionPage": section_page,
            "boosts": boosts, "listed": SPLIT_LISTED, "queries": queries}


def alternative(alt) -> list:
    return [alt.word, alt.weight, alt.terms, alt.share, None if math.isinf(alt.idf_cap) else alt.idf_cap]


def query_outputs(query: str, lexicon: Lexicon, postings, section_page, boosts) -> dict:
    tokens = search._TOKEN.findall(lexicon.normalized(query))
    concepts = query_concepts(query, lexicon)
    keywords = search.keyword_query(query)
    return {
        "query": query,
        "tokens": tokens,
        "segments": [search.segment(token, lexicon) for token in tokens if search._IS_HAN.match(token)],
        "meaningful": search.meaningful_words(query, lexicon),
        "keyword": keywords,
        "concepts": [[c.text, c.whole, [alternative(a) for a in c.alternatives]] for c in concepts],
        "ranked": [[r.number, r.score] for r in rank_pages(concepts, postings, section_page, boosts, keywords)],
    }


def lexicon_file(postings) -> dict:
    """LEXICON with the fold pairs words.js would carry for this index (search.words_file)."""
    chars = set("".join(postings)) | set(LEXICON["v"]) | set("".join(search.STOP_WORDS))
    chars |= {char for terms, phrases in LEXICON["g"] for word in terms + phrases for char in word}
    return {**LEXICON, "f": pairs_for(chars)}


def parity_outputs() -> dict:
    pages = []
    for location, title, sections, boost in PAGES:
        page = Page(location, title, [Section(*section) for section in sections], boost)
        pages.append(page)
    postings, _ = build_postings(pages)
    lexicon_data = lexicon_file(postings)
    lexicon = Lexicon.from_file(lexicon_data)
    section_page = [number for number, page in enumerate(pages) for _ in page.sections]
    boosts = [page.boost for page in pages]
    queries = [query_outputs(query, lexicon, postings, section_page, boosts) for query in QUERIES]
    words = list(dict.fromkeys([w for q in queries for w in q["meaningful"]] + EXTRA_WORDS))
    terms = list(dict.fromkeys([t for w in words for t in word_terms(w)] + EXTRA_TERMS))
    return {
        "lexicon": lexicon_data,
        "index": {"postings": {term: [ids, levels] for term, (ids, levels) in sorted(postings.items())},
                  "sectionPage": section_page, "boosts": boosts},
        "queries": queries,
        "wordTerms": [[word, word_terms(word)] for word in words],
        "shards": [[term, [shard_of(term, count) for count in SHARD_COUNTS]] for term in terms],
        "shardCounts": SHARD_COUNTS,
        "packedCounts": [[counts, search.packed_counts(counts)] for counts in PACKED_COUNTS],
        "split": split_outputs(lexicon),
    }


def as_json(data) -> str:
    """Readable JSON (Chinese as it is); a lone surrogate, which UTF-8 cannot hold, as an escape."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def test_the_python_side_gives_the_outputs_the_javascript_side_is_held_to():
    text = as_json(parity_outputs())
    if UPDATE:
        GOLDEN.write_text(text, encoding="utf-8")
    assert json.loads(text) == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_the_shared_inputs_reach_every_path_worth_comparing():
    outputs = parity_outputs()
    queries = {q["query"]: q for q in outputs["queries"]}
    assert queries["退货 发票"]["keyword"] and not queries["退货发票"]["keyword"]
    assert queries[""]["concepts"] == [] and queries["😀"]["tokens"] == []
    assert any(q["ranked"] for q in queries.values()) and any(len(q["ranked"]) > 1 for q in queries.values())
    assert any(concept[1] for q in queries.values() for concept in q["concepts"])  # a whole-query concept
    assert any(alt[4] is not None for q in queries.values() for c in q["concepts"] for alt in c[2])  # a capped IDF
    assert {count for _, counts in outputs["shards"] for count in counts} > {0}
    # Traditional queries are folded with the lexicon's pairs and find the pages their Simplified forms find
    assert queries["快遞被別人拿走了"]["ranked"] and [r[0] for r in queries["快遞被別人拿走了"]["ranked"]] == \
        [r[0] for r in queries["快递被别人拿走了"]["ranked"]]
    assert queries["龍門快遞"]["tokens"] == ["龍門快递"]  # 龙 and 门 are in no term of the index: no pair carried


def test_the_split_index_has_lists_that_settle_without_their_tails_and_lists_that_do_not():
    split = parity_outputs()["split"]
    assert any(len(entry) == 4 for entry in split["postings"].values())
    settled = [flag for query in split["queries"] for flag in query["settled"]]
    assert any(settled) and not all(settled)
    # settled: the first `listed` over the heads are those of the whole lists
    for query in split["queries"]:
        for listed, flag in zip(split["listed"], query["settled"]):
            if flag:
                assert [r[0] for r in query["capped"][:listed]] == [r[0] for r in query["whole"][:listed]]
