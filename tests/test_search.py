"""kesu's search index (generator/search.py): terms, postings, shards and the files it writes."""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from conftest import write
from generator import search
from generator.search import (
    Page, Section, build_postings, encode_postings, id_width, index_files, packed_counts, page_table, shard_of,
    terms_of, unpacked_counts, write_search_index,
)

from generator.engines.mkdocs import MkDocsEngine
from generator.fold import Variants

MATERIAL_CONFIG = {"lang": ["zh"], "separator": "[\\s\\u200b]", "pipeline": [], "fields": {}}


def decode_postings(encoded: str, id_bytes: int) -> list[tuple[int, int]]:
    """The inverse of encode_postings, as kesu-search.js decodes it."""
    data = base64.b64decode(encoded)
    count = len(data) // (id_bytes + 1)
    ids = [int.from_bytes(data[i * id_bytes:(i + 1) * id_bytes], "little") for i in range(count)]
    return list(zip(ids, data[count * id_bytes:]))


def unwrap(text: str):
    assert text.startswith(search.WRAPPER) and text.endswith(")\n")
    return json.loads(text[len(search.WRAPPER):-2])


def page(location: str, title: str, *sections: tuple[str, str, str]) -> Page:
    item = Page(location, title)
    item.sections = [Section(anchor, heading, text) for anchor, heading, text in sections]
    return item


def test_han_text_is_cut_into_overlapping_bigrams():
    assert terms_of("退款到账") == ["退款", "款到", "到账"]


def test_punctuation_ends_a_run_and_lone_characters_count_only_in_headings():
    assert terms_of("退，款") == []
    assert terms_of("退，款", single_han=True) == ["退", "款"]
    assert terms_of("退款", single_han=True) == ["退款", "退", "款"]


def test_latin_words_and_full_width_forms_are_folded_to_lowercase_ascii():
    assert terms_of("ＷｉＦｉ密码 Wifi 2024") == ["wifi", "密码", "wifi", "2024"]


def test_shards_are_spread_and_pinned_to_the_value_the_worker_computes():
    # kesu-search.js computes the same FNV-1a; these values pin the algorithm on both sides.
    assert shard_of("退款", 2**32) == 2932008435
    assert shard_of("wifi", 2**32) == 120087624
    assert len({shard_of(term, 64) for term in terms_of("顾客投诉处理流程与话术模板")}) > 5


@pytest.mark.parametrize("sections, id_bytes", [(65_535, 2), (65_536, 4)])
def test_postings_round_trip_with_ids_as_wide_as_the_index_needs(sections, id_bytes):
    postings = [(0, 1), (1, 255), (130, 7), (sections - 1, 42)]
    encoded = encode_postings([s for s, _ in postings], [w for _, w in postings], id_width(sections))
    assert decode_postings(encoded, id_bytes) == postings


def weights(pages: list[Page], term: str) -> dict[int, int]:
    postings, _ = build_postings(pages)
    return dict(zip(*postings[term]))


def test_a_term_in_the_page_title_outweighs_the_same_term_in_a_heading_and_in_text():
    pages = [page("a/", "退款", ("", "退款", "说明")), page("b/", "说明", ("", "说明", "说明"), ("h", "退款", "说明")),
             page("c/", "说明", ("", "说明", "顾客要求退款"))]
    by_section = weights(pages, "退款")
    title, heading, text = by_section[0], by_section[2], by_section[3]
    assert title > heading > text


def test_a_short_title_that_is_all_query_outweighs_a_long_one():
    pages = [page("a/", "拒绝送货上门", ("", "拒绝送货上门", "")),
             page("b/", "“六楼没电梯”：快递员拒绝送货上门", ("", "“六楼没电梯”：快递员拒绝送货上门", ""))]
    by_section = weights(pages, "送货")
    assert by_section[0] > by_section[1]


def test_a_rare_term_outweighs_a_common_one_in_the_same_text():
    pages = [page(f"p{i}/", "页", ("", "页", "顾客" + ("赔偿" if i == 0 else ""))) for i in range(20)]
    postings, _ = build_postings(pages)
    assert dict(zip(*postings["赔偿"]))[0] > dict(zip(*postings["顾客"]))[0]


def test_every_term_is_in_the_shard_its_hash_names_and_every_page_has_a_fragment():
    pages = [page("types/x/", "退款纠纷", ("", "退款纠纷", "顾客要求退款"), ("s", "话术", "您好 wifi")),
             page("cases/y/", "快件延误", ("", "快件延误", "快递三天没到"))]
    pages[0].boost = 3.0
    files, manifest = index_files(pages)
    for term in ["退款", "纠纷", "wifi", "快递", "退"]:
        shard = unwrap(files[f"kesu/s/{shard_of(term, manifest['shards'])}.js"])
        assert term in shard, term
    # A boosted page's row is in the table's head; the others are in its shards.
    assert page_table(lambda path: unwrap(files[path])) == [("types/x/", "退款纠纷", 2, 3.0), ("cases/y/", "快件延误", 1, 1.0)]
    assert unwrap(files["kesu/pages.js"])["boosted"] == [[0, "types/x/", "退款纠纷", 3.0]]
    assert unwrap(files["kesu/p/0.js"]) == [0, ["cases/y/", "快件延误"]]
    assert unwrap(files["kesu/f/1.js"]) == [["", "快件延误", "快递三天没到"]]
    assert manifest["pages"] == 2 and manifest["sections"] == 3 and manifest["id_bytes"] == 2
    shard = unwrap(files[f"kesu/s/{shard_of('退款', manifest['shards'])}.js"])
    assert [section for section, _ in decode_postings(shard["退款"], 2)] == [0]


def test_the_stub_keeps_materials_config_adds_the_manifest_and_offers_a_script_for_file_urls(tmp_path):
    from generator.engines.mkdocs import publish_to_material

    (tmp_path / "search").mkdir()
    (tmp_path / "search/search_index.json").write_text(json.dumps({"config": MATERIAL_CONFIG, "docs": [
        {"location": "a/", "title": "甲", "text": ""}]}), encoding="utf-8")
    publish_to_material(tmp_path, {"pages": 1})
    text = (tmp_path / "search/search_index.json").read_text(encoding="utf-8")
    stub = json.loads(text)
    assert stub == {"config": {**MATERIAL_CONFIG, "kesu": {"pages": 1}}, "docs": []}
    assert (tmp_path / "search/search_index.js").read_text(encoding="utf-8") == "var __index = " + text + "\n"


def test_a_large_index_is_split_into_more_shards():
    _, small = index_files([page("a/", "甲", ("", "甲", "退款"))])
    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(30_000))
    _, large = index_files([page(f"p{i}/", "页", ("", "页", text[i * 300:(i + 1) * 300])) for i in range(100)])
    assert small["shards"] == 1
    assert large["shards"] >= 16


def built_page(title: str, body: str) -> str:
    return (f"<html><head><title>{title} - 站</title></head><body><nav>导航</nav>"
            f'<article class="md-content__inner md-typeset"><h1 id="_1">{title}</h1>{body}</article></body></html>')


@pytest.fixture
def built_site(tmp_path: Path) -> tuple[Path, Path]:
    """(site, docs): two pages as an engine writes them, and their Markdown."""
    site, docs = tmp_path / "site", tmp_path / "docs"
    for location, title, body in [("types/x", "退款纠纷", "<p>顾客要求退款</p>"), ("cases/y", "快件延误", "<p>快递三天没到</p>")]:
        write(docs, f"{location}.md", f"# {title}\n")
        write(site, f"{location}/index.html", built_page(title, body))
    write(site, "search/search_index.json", json.dumps({"config": MATERIAL_CONFIG, "docs": []}))
    return site, docs


def test_writing_indexes_the_pages_html_and_removes_files_of_a_previous_index(built_site):
    site, docs = built_site
    stale = write(site, "search/kesu/f/99.js", "old")
    assert write_search_index(site, docs, MkDocsEngine()) == 2
    stub = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert stub["config"]["kesu"]["pages"] == 2
    table = page_table(lambda path: unwrap((site / "search" / path).read_text(encoding="utf-8")))
    assert table == [("cases/y/", "快件延误", 1, 1.0), ("types/x/", "退款纠纷", 1, 1.0)]
    assert unwrap((site / "search/kesu/f/1.js").read_text(encoding="utf-8")) == [["", "退款纠纷", "顾客要求退款"]]
    assert not stale.exists()
    assert not list(site.rglob("*.tmp"))


def test_unchanged_index_files_are_not_rewritten(built_site):
    site, docs = built_site
    write_search_index(site, docs, MkDocsEngine())
    pages_js = site / "search/kesu/p/0.js"
    before = pages_js.stat().st_mtime_ns
    write(site, "search/search_index.json", json.dumps({"config": MATERIAL_CONFIG, "docs": []}))  # MkDocs rebuilt
    write_search_index(site, docs, MkDocsEngine())
    assert pages_js.stat().st_mtime_ns == before
    assert "kesu" in json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["config"]


# --- query understanding: segmentation, fillers, thesaurus, ranking ----------------------------

from generator.search import (  # noqa: E402
    EXPANSION_WEIGHT, STOP_WORDS, Lexicon, meaningful_words, query_concepts, rank_pages, segment, vocabulary,
)

LEXICON = Lexicon(["快递", "丢失", "签收", "虫子", "害虫", "收银", "收银差错", "服务态度"],
                  [[["丢失"], ["被人拿走", "找不着"]], [["收银差错"], ["收了两遍"]]])


def alternatives(query: str) -> dict[str, list[tuple[str, float]]]:
    return {c.text: [(a.word, a.weight) for a in c.alternatives] for c in query_concepts(query, LEXICON)}


def test_a_query_is_cut_by_longest_match_against_the_vocabulary_and_the_stop_words():
    assert segment("收银差错怎么办", LEXICON) == ["收银差错", "怎么办"]
    assert segment("快递一直没签收", LEXICON) == ["快递", "一直", "没", "签收"]


def test_fillers_are_dropped_and_neighbouring_unknown_characters_stay_one_run():
    assert meaningful_words("快递被别人拿走了", LEXICON) == ["快递", "拿走"]
    assert meaningful_words("快递被人拿走了", LEXICON) == ["快递", "被人拿走"]  # a caller's phrase stays whole
    assert meaningful_words("我要起诉你们", LEXICON) == ["起诉"]
    assert meaningful_words("汤里有虫", LEXICON) == ["汤", "虫"]
    assert meaningful_words("ＷｉＦｉ密码 一直 连不上", LEXICON) == ["wifi", "密码", "连"]


def test_a_query_of_fillers_only_is_searched_as_it_is():
    assert [c.text for c in query_concepts("怎么办", LEXICON)] == ["怎么办"]


def test_a_callers_phrase_adds_its_terms_with_a_lower_weight_also_when_said_with_other_fillers():
    assert alternatives("快递被别人拿走了")["被人拿走"] == [("被人拿走", 1.0), ("丢失", EXPANSION_WEIGHT)]
    assert alternatives("收了两遍钱")["收了两遍"] == [("收了两遍", 1.0), ("收银差错", EXPANSION_WEIGHT)]
    assert "找不着" not in alternatives("快递被别人拿走了")


def test_a_lone_character_is_also_looked_up_as_the_most_frequent_site_words_holding_it():
    assert alternatives("汤里有虫")["虫"] == [("虫", 1.0), ("虫子", 0.5), ("害虫", 0.5)]


def test_the_longest_words_win_where_a_left_to_right_cut_would_break_a_phrase():
    lexicon = Lexicon(["事发", "网上"], [[["媒体"], ["发到网上"]]])
    assert search.segment("把这事发到网上去", lexicon) == ["把", "这", "事", "发到网上", "去"]
    assert [c.text for c in query_concepts("我要把这事发到网上去", lexicon)][:2] == ["事", "发到网上"]


def test_the_query_as_typed_is_one_more_concept_that_needs_most_of_its_bigrams():
    (whole,) = [c for c in query_concepts("快递被人拿走了", LEXICON) if c.whole]
    assert whole.text == "快递被人拿走了" and whole.alternatives[0].share > 0.5


def test_stop_words_are_not_content_words():
    assert {"了", "的", "我", "你们", "一直", "怎么", "还", "太", "很", "是不是"} <= STOP_WORDS
    assert not {"虫", "吵", "坏", "退", "丢失"} & STOP_WORDS


def ranked(query: str, pages: list[Page], lexicon: Lexicon = LEXICON) -> list[str]:
    postings, _ = build_postings(pages)
    section_page = [number for number, item in enumerate(pages) for _ in item.sections]
    order = rank_pages(query_concepts(query, lexicon), postings, section_page, [item.boost for item in pages])
    return [pages[r.number].location for r in order]


def test_a_page_covering_more_of_the_meaningful_query_comes_first_and_one_word_is_enough():
    pages = [page("a/", "快递说明", ("", "快递说明", "快递的一般说明")),
             page("b/", "快件丢失", ("", "快件丢失", "快递丢失后先查签收记录")),
             page("c/", "其他", ("", "其他", "与此无关"))]
    assert ranked("快递被人拿走了", pages) == ["b/", "a/"]
    assert set(ranked("我那个快递呢", pages)) == {"a/", "b/"}


def test_a_customer_phrase_heading_outweighs_the_same_words_in_text():
    pages = [page("cases/x/", "一个案例", ("", "一个案例", "顾客说收了两遍钱，要求退款")),
             page("types/y/", "收款问题", ("", "收款问题", "说明"), ("a", "“收了两遍钱”", ""))]
    assert ranked("收了两遍钱", pages)[0] == "types/y/"


def test_a_thesaurus_term_finds_a_page_that_never_uses_the_callers_words_but_counts_less():
    pages = [page("a/", "说明一", ("", "说明一", "快件已丢失")),
             page("b/", "说明二", ("", "说明二", "说被人拿走了"))]
    assert ranked("被人拿走", pages) == ["b/", "a/"]


def test_keywords_separated_by_spaces_put_pages_holding_all_of_them_first():
    pages = [page("a/", "发票", ("", "发票", "发票的开具")), page("b/", "说明", ("", "说明", "退货时附上发票"))]
    postings, _ = build_postings(pages)
    concepts = query_concepts("退货 发票", LEXICON)
    assert search.keyword_query("退货 发票") and not search.keyword_query("退货发票")
    boosts = [10.0, 1.0]  # a page boosted far above the other, with one of the words in its title
    assert [r.number for r in rank_pages(concepts, postings, [0, 1], boosts)] == [0, 1]
    assert [r.number for r in rank_pages(concepts, postings, [0, 1], boosts, every_word=True)] == [1, 0]


def test_nothing_matches_a_query_without_any_word_of_the_site():
    assert ranked("火星", [page("a/", "快递", ("", "快递", "快递说明"))]) == []


def test_the_vocabulary_lists_frequent_site_words_first_then_the_thesaurus_and_no_fillers():
    pages = [page("a/", "快递", ("", "快递", "快递丢失，快递延误，我们一直在查")),
             page("b/", "签收", ("", "签收", "快递签收"))]
    groups = [(["丢失"], ["被人拿走"])]
    words = vocabulary(pages, groups)
    assert words[0] == "快递" and {"签收", "丢失", "延误"} <= set(words)
    assert "一直" not in words and "我们" not in words
    assert Lexicon(words, groups).words == words + ["被人拿走"]


def test_the_index_carries_the_vocabulary_and_the_thesaurus():
    files = index_files([page("a/", "快递", ("", "快递", "快递丢失"))], [(["丢失"], ["找不着"])])[0]
    words = unwrap(files["kesu/words.js"])
    assert words["g"] == [[["丢失"], ["找不着"]]]
    assert "快递" in words["v"].split(" ") and "找不着" in Lexicon.from_file(words).words


# --- across scripts: Traditional folded to Simplified, regional vocabulary and terms (generator/fold.py) ----

def test_traditional_text_is_indexed_as_its_simplified_spelling():
    assert terms_of("快遞遺失") == terms_of("快递遗失") == ["快递", "递遗", "遗失"]
    assert terms_of("找不著", single_han=True) == terms_of("找不着", single_han=True)


def test_the_index_holds_the_other_vocabularys_spelling_of_a_word_and_a_local_terms_other_spellings():
    variants = Variants([("软件", "软体"), ("消协", "消基会"), ("12315", "1950")])
    assert terms_of("軟體更新", variants=variants) == ["软体", "体更", "更新", "软件", "件更"]
    assert terms_of("打1950投訴", variants=variants) == ["1950", "12315", "投诉"]
    assert terms_of("去消基會", variants=variants) == ["去消", "消基", "基会", "消协"]


def test_a_query_in_either_script_finds_a_page_in_either_script():
    simplified = [page("types/a/", "快件丢失", ("", "快件丢失", "快递遗失后先查签收记录，软件里能看到")),
                  page("types/b/", "收银差错", ("", "收银差错", "多收了钱"))]
    traditional = [page("types/a/", "快件丟失", ("", "快件丟失", "快遞遺失後先查簽收記錄，軟體裡能看到")),
                   page("types/b/", "收銀差錯", ("", "收銀差錯", "多收了錢"))]
    for pages in (simplified, traditional):
        lexicon = Lexicon.from_file(unwrap(index_files(pages)[0]["kesu/words.js"]))
        for query in ("快递遗失", "快遞遺失", "软件", "軟體", "软体"):
            assert ranked(query, pages, lexicon)[:1] == ["types/a/"], query


def test_the_worker_is_sent_the_fold_pairs_of_the_indexs_characters_only():
    files = index_files([page("a/", "快递", ("", "快递", "快递丢失"))], [(["丢失"], ["找不着"])])[0]
    pairs = unwrap(files["kesu/words.js"])["f"]
    assert "遞递" in pairs and "著着" in pairs and "麼么" in pairs  # the index's, the thesaurus', the stop words'
    assert "龍" not in pairs and len(pairs) < 2000
    lexicon = Lexicon.from_file(unwrap(files["kesu/words.js"]))
    assert meaningful_words("快遞找不著了嗎", lexicon) == ["快递", "找不着"]


def test_the_thesaurus_carries_each_callers_phrases_other_spellings():
    variants = Variants([("信息", "资讯"), ("消协", "消基会")])
    groups = [(["物流信息"], ["信息不更新"]), (["消協"], ["找消基會"])]
    assert search.thesaurus_spellings(groups, variants) == [[["物流信息"], ["信息不更新", "资讯不更新"]],
                                                             [["消协"], ["找消基会", "找消协"]]]


def test_the_projects_local_terms_find_the_page_in_either_edition(built_site):
    site, docs = built_site
    write(docs.parent, "cases/editions/zh-Hant.yml", "region: tw\nterms:\n  tw:\n    消协: 消基會\n  hk:\n    消协: 消委會\n")
    write(site, "types/x/index.html", built_page("退款纠纷", "<p>顾客要去消协投诉</p>"))
    write_search_index(site, docs, MkDocsEngine())
    load = lambda path: unwrap((site / "search" / path).read_text(encoding="utf-8"))  # noqa: E731
    lexicon = Lexicon.from_file(load("kesu/words.js"))
    pages = [Page(location, title, [Section("", title, "")] * count) for location, title, count, _ in page_table(load)]
    manifest = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["config"]["kesu"]
    postings = {}
    for number in range(manifest["shards"]):
        for term, encoded in load(f"kesu/s/{number}.js").items():
            pairs = decode_postings(encoded, manifest["id_bytes"])
            postings[term] = ([p[0] for p in pairs], [p[1] for p in pairs])
    section_page = [number for number, item in enumerate(pages) for _ in item.sections]
    for query in ("消协", "消基會", "消委會", "消委会"):
        order = rank_pages(query_concepts(query, lexicon), postings, section_page, [1.0] * len(pages))
        assert [pages[r.number].location for r in order] == ["types/x/"], query


JS = (Path(__file__).resolve().parent.parent / "generator/js/kesu-search.mjs").read_text(encoding="utf-8")


def js_constant(name: str) -> str:
    return re.search(rf"var {name} = ([^\n]+)", JS).group(1)


def test_the_worker_uses_the_same_stop_words_and_weights():
    block = re.search(r"var STOP_WORDS = \((.*?)\)\.split", JS, re.S).group(1)
    assert set("".join(re.findall(r'"([^"]*)"', block)).split()) == set(STOP_WORDS)
    for name in ["EXPANSION_WEIGHT", "SINGLE_EXPANSIONS", "SINGLE_EXPANSION_WEIGHT", "STRENGTH", "WORD_SHARE",
                 "WHOLE_SHARE", "SINGLE_IDF_CAP", "LONGEST_WORD", "SPREAD", "COVERAGE_POWER"]:
        assert float(js_constant(name)) == float(getattr(search, name)), name


# The worker's cutting, ranking and hashing against this module's: tests/test_search_parity.py with
# tests/js/parity.test.mjs.


def test_the_page_table_shortens_long_titles_and_fragments_keep_them_whole():
    title = "会员满额送货悄悄取消，老顾客推着一车米面油在服务台发火"
    files = index_files([page("cases/x/", title, ("", title, "正文"))])[0]
    assert unwrap(files["kesu/p/0.js"]) == [["cases/x/", title[:search.TABLE_TITLE_CHARS - 1] + "…"]]
    assert unwrap(files["kesu/f/0.js"])[0][1] == title
    assert search.table_title("快件延误") == "快件延误"


@pytest.mark.parametrize("counts", [[], [1], [0, 127, 128, 300, 16_384, 2**31]])
def test_section_counts_are_packed_as_varints_that_unpack_to_the_same(counts):
    assert unpacked_counts(packed_counts(counts)) == counts
    assert len(base64.b64decode(packed_counts([5] * 10))) == 10  # a byte per page of fewer than 128 sections


def test_the_page_table_is_sharded_by_page_number_and_its_head_stays_small():
    pages = [page(f"cases/case-{i:05}/", f"第{i}个案例的标题比表里能放下的更长一些", ("", "t", "正文"), ("a", "h", "x"))
             for i in range(2000)]
    pages[7].boost = 3.0
    files = index_files(pages)[0]
    head = unwrap(files["kesu/pages.js"])
    shards = {path: unwrap(text) for path, text in files.items() if path.startswith("kesu/p/")}
    assert len(shards) > 20 and len(files["kesu/pages.js"].encode()) < 4 * 1024
    assert all(len(text.encode()) < 3 * search.PAGE_SHARD_TARGET_BYTES for path, text in files.items()
               if path.startswith("kesu/p/"))
    rows = head["rows"]
    assert shards["kesu/p/1.js"][0] == ["cases/case-" + f"{rows:05}" + "/", search.table_title(pages[rows].title)]
    assert shards["kesu/p/0.js"][7] == 0 and head["boosted"][0][:2] == [7, "cases/case-00007/"]
    table = page_table(lambda path: unwrap(files[path]))
    assert [row[0] for row in table] == [item.location for item in pages] and {row[2] for row in table} == {2}


# --- long posting lists split into a head and a tail --------------------------------------------

from generator.search import (  # noqa: E402
    PostingList, has_tails, ranking_is_settled, shard_entries, split_postings,
)


def split_index(pages: list[Page], head: int) -> tuple[dict, dict, list[int], list[float]]:
    """(whole postings, postings as a query holds them before loading tails, section -> page, boosts)."""
    postings, _ = build_postings(pages)
    section_page = [number for number, item in enumerate(pages) for _ in item.sections]
    boosts = [item.boost for item in pages]
    return postings, search.heads(postings, section_page, boosts, head), section_page, boosts


def test_a_long_list_keeps_boosted_pages_and_its_strongest_postings_in_its_head():
    ids, levels = list(range(10)), [5, 9, 1, 7, 7, 3, 2, 8, 4, 6]
    is_open = [section != 2 for section in ids]  # section 2 is on a boosted page
    head, tiers = split_postings(ids, levels, is_open, head=3)
    assert head == PostingList([1, 2, 3, 7], [9, 1, 7, 8], total=10, bound=7)  # 3 and 4 tie at 7: 3 first
    assert tiers == [([0, 4, 5, 6, 8, 9], [5, 7, 3, 2, 4, 6], 0)]
    assert split_postings(ids, levels, is_open, head=5) is None  # a tail shorter than the head stays


def test_a_long_tail_is_split_into_tiers_each_growing_the_strongest_first():
    ids, levels = list(range(40)), [100 - i for i in range(40)]
    head, tiers = split_postings(ids, levels, [True] * 40, head=1)
    assert head.ids == [0] and head.bound == 99
    assert [tier[0] for tier in tiers] == [list(range(1, 1 + search.TAIL_GROWTH)), list(range(1 + search.TAIL_GROWTH, 40))]
    assert [tier[2] for tier in tiers] == [100 - 1 - search.TAIL_GROWTH, 0]  # the bound after each tier


def test_the_shard_names_a_split_lists_tail_and_keeps_a_short_list_whole():
    postings = {"退款": (list(range(9)), [9, 8, 7, 6, 5, 4, 3, 2, 1]), "发票": ([1], [200])}
    entries, tails = shard_entries(postings, [True] * 9, "H", head=2)
    assert entries["发票"] == encode_postings([1], [200], "H")
    assert entries["退款"] == [encode_postings([0, 1], [9, 8], "H"), 9, 7, 0]
    assert tails == [encode_postings([2, 3, 4, 5, 6, 7, 8], [7, 6, 5, 4, 3, 2, 1], "H")]
    long = {"退款": (list(range(40)), [100 - i for i in range(40)])}
    entries, tails = shard_entries(long, [True] * 40, "H", head=1)
    assert entries["退款"][1:] == [40, 99, 0]
    assert tails[0] == [encode_postings(list(range(1, 9)), list(range(99, 91, -1)), "H"), 91, 1]
    assert tails[1] == encode_postings(list(range(9, 40)), list(range(91, 60, -1)), "H")


SYLLABLES = "退款快递延误发票维修质量服务态度差"


def random_pages(seed: int) -> list[Page]:
    """Pages of a few syllables, so that every term's list is long: most lists split."""
    import random

    rng = random.Random(seed)
    pages = []
    for number in range(rng.randint(30, 60)):
        sections = [Section("" if position == 0 else f"s{position}",
                            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 6))),
                            "".join(rng.choice(SYLLABLES + "，的了") for _ in range(rng.randint(0, 40))))
                    for position in range(rng.randint(1, 4))]
        pages.append(Page(f"p{number}/", sections[0].title, sections, 3.0 if rng.random() < 0.1 else 1.0))
    return pages


def test_a_ranking_over_heads_that_is_settled_lists_what_the_whole_lists_list():
    lexicon = Lexicon(["退款", "快递", "延误", "发票", "维修", "质量", "服务态度"], [[["维修"], ["修不好"]]])
    settled = unsettled = 0
    for seed in range(12):
        postings, heads, section_page, boosts = split_index(random_pages(seed), head=4)
        for query in ["退款", "快递延误", "服务态度差", "发票 退款", "维修质量", "修不好了", "差", "退款快递发票"]:
            concepts, keywords = query_concepts(query, lexicon), search.keyword_query(query)
            whole = [(r.number, r.held) for r in rank_pages(concepts, postings, section_page, boosts, keywords)]
            capped = rank_pages(concepts, heads, section_page, boosts, keywords)
            for listed in (1, 3, 10):
                if ranking_is_settled(concepts, heads, section_page, boosts, capped, keywords, listed):
                    settled += has_tails(concepts, heads)
                    assert [(r.number, r.held) for r in capped[:listed]] == whole[:listed], (seed, query, listed)
                else:
                    unsettled += 1
    assert settled > 20 and unsettled > 20, (settled, unsettled)  # settled though tails were not loaded, and not


def test_pages_that_tie_are_settled_by_number_the_head_holding_the_lowest_of_them():
    pages = [page(f"cases/{i}/", "退款说明", ("", "退款说明", "顾客要求退款")) for i in range(12)]
    postings, heads, section_page, boosts = split_index(pages, head=4)
    concepts = query_concepts("退款", LEXICON)
    capped = rank_pages(concepts, heads, section_page, boosts)
    assert [r.number for r in capped] == [0, 1, 2, 3] and len({r.score for r in capped}) == 1
    assert ranking_is_settled(concepts, heads, section_page, boosts, capped, listed=4)
    assert not ranking_is_settled(concepts, heads, section_page, boosts, capped, listed=5)
