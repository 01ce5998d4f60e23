"""kesu's search index (generator/search.py): terms, postings, shards and the files it writes."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from generator import search
from generator.search import (
    Page, Section, build_postings, encode_postings, id_width, index_files, pages_from_material, shard_of,
    terms_of, write_search_index,
)

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


def test_material_entries_are_grouped_by_page_and_cleaned():
    entries = [
        {"location": "types/x/", "title": "退款\u200b纠纷", "text": "<p>先&amp;致歉</p> <ul><li>再核实</li></ul>",
         "boost": 3},
        {"location": "types/x/#a", "title": "话术", "text": "<code>{称呼}</code>您好"},
        {"location": "cases/y/#b", "title": "经过", "text": "顾客来电"},
    ]
    pages = pages_from_material(entries)
    assert [(p.location, p.title, p.boost) for p in pages] == [("types/x/", "退款纠纷", 3.0), ("cases/y/", "经过", 1.0)]
    assert [(s.anchor, s.title, s.text) for s in pages[0].sections] == [("", "退款纠纷", "先&致歉 再核实"),
                                                                         ("a", "话术", "{称呼}您好")]


def test_inline_markup_stays_inside_the_text_and_blocks_separate_it():
    (page,) = pages_from_material([{"location": "a/", "title": "甲",
                                    "text": "<p>请<strong>立即</strong>上报</p><p>再核实</p><ul><li>一</li><li>二</li></ul>"}])
    assert page.sections[0].text == "请立即上报 再核实 一 二"
    assert "即上" in terms_of(page.sections[0].text)


def test_a_page_rebuilt_while_serving_keeps_only_its_newest_sections():
    # Material appends a rebuilt page's entries after the previous ones.
    entries = [
        {"location": "a/", "title": "旧标题", "text": ""}, {"location": "a/#old", "title": "旧节", "text": ""},
        {"location": "b/", "title": "乙", "text": ""},
        {"location": "a/", "title": "新标题", "text": ""},
    ]
    pages = pages_from_material(entries)
    assert [(p.location, p.title, len(p.sections)) for p in pages] == [("a/", "新标题", 1), ("b/", "乙", 1)]


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
    files = index_files(pages, MATERIAL_CONFIG)
    manifest = json.loads(files["search_index.json"])["config"]["kesu"]
    for term in ["退款", "纠纷", "wifi", "快递", "退"]:
        shard = unwrap(files[f"kesu/s/{shard_of(term, manifest['shards'])}.js"])
        assert term in shard, term
    assert unwrap(files["kesu/pages.js"]) == [["types/x/", "退款纠纷", 2, 1.0], ["cases/y/", "快件延误", 1, 1.0]]
    assert unwrap(files["kesu/f/1.js"]) == [["", "快件延误", "快递三天没到"]]
    assert manifest["pages"] == 2 and manifest["sections"] == 3 and manifest["id_bytes"] == 2
    shard = unwrap(files[f"kesu/s/{shard_of('退款', manifest['shards'])}.js"])
    assert [section for section, _ in decode_postings(shard["退款"], 2)] == [0]


def test_the_stub_keeps_materials_config_and_offers_a_script_for_file_urls():
    files = index_files([page("a/", "甲", ("", "甲", ""))], MATERIAL_CONFIG)
    stub = json.loads(files["search_index.json"])
    assert stub["docs"] == [] and stub["config"]["separator"] == MATERIAL_CONFIG["separator"]
    assert files["search_index.js"] == "var __index = " + files["search_index.json"] + "\n"


def test_a_large_index_is_split_into_more_shards():
    small = index_files([page("a/", "甲", ("", "甲", "退款"))], MATERIAL_CONFIG)
    text = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(30_000))
    large = index_files([page(f"p{i}/", "页", ("", "页", text[i * 300:(i + 1) * 300])) for i in range(100)],
                        MATERIAL_CONFIG)
    assert json.loads(small["search_index.json"])["config"]["kesu"]["shards"] == 1
    assert json.loads(large["search_index.json"])["config"]["kesu"]["shards"] >= 16


@pytest.fixture
def material_site(tmp_path: Path) -> Path:
    (tmp_path / "search").mkdir()
    entries = [{"location": "types/x/", "title": "退款纠纷", "text": "顾客要求退款"},
               {"location": "cases/y/", "title": "快件延误", "text": "快递三天没到"}]
    (tmp_path / "search/search_index.json").write_text(
        json.dumps({"config": MATERIAL_CONFIG, "docs": entries}, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_writing_replaces_materials_index_and_removes_files_of_a_previous_index(material_site: Path):
    stale = material_site / "search/kesu/f/99.js"
    stale.parent.mkdir(parents=True)
    stale.write_text("old", encoding="utf-8")
    assert write_search_index(material_site) == 2
    stub = json.loads((material_site / "search/search_index.json").read_text(encoding="utf-8"))
    assert stub["config"]["kesu"]["pages"] == 2
    assert not stale.exists()
    assert (material_site / "search/kesu/f/1.js").is_file()
    assert not list(material_site.rglob("*.tmp"))


def test_unchanged_index_files_are_not_rewritten(material_site: Path):
    original = (material_site / "search/search_index.json").read_bytes()
    write_search_index(material_site)
    pages_js = material_site / "search/kesu/pages.js"
    before = pages_js.stat().st_mtime_ns
    (material_site / "search/search_index.json").write_bytes(original)  # Material writes it anew
    write_search_index(material_site)
    assert pages_js.stat().st_mtime_ns == before


def test_an_index_already_converted_is_left_as_it_is(material_site: Path):
    write_search_index(material_site)
    stub = (material_site / "search/search_index.json").read_bytes()
    assert write_search_index(material_site) == 2
    assert (material_site / "search/search_index.json").read_bytes() == stub
