"""The closed lists of model.py: stable ASCII ids for machine values, Simplified labels for the sources,
aliases for lookups, and each edition's labels."""
from __future__ import annotations

import re

import pytest

from generator.edition import MarkdownConverter, TextConverter, closed_list_terms, edition_for, edition_labels
from generator.model import (
    CATEGORY, CHANNEL, CLOSED_LISTS, INDUSTRY, ORIGIN, SEVERITY, STAGE, Case, Channel, Choice, ClosedList,
    script_anchor,
)

TW = edition_for("zh-Hant", "tw")
HK = edition_for("zh-Hant", "hk")

# Published in URLs (/cases/channel/phone/, ?severity=major, #script-phone-opening) and saved links:
# changing one breaks them, so the table is pinned here and a change must be deliberate.
PUBLISHED_IDS = {
    "category": ("product", "service", "safety", "logistics", "auto-repair", "property", "restaurant"),
    "industry": ("retail", "auto", "property", "courier", "restaurant", "real-estate", "ecommerce", "general"),
    "channel": ("phone", "in-person", "written"),
    "stage": ("opening", "apology", "facts", "solution", "closing", "follow-up"),
    "severity": ("general", "important", "major"),
    "origin": ("public", "invented", "internal"),
}


def test_published_ids_stay_as_they_are():
    assert {values.name: values.ids for values in CLOSED_LISTS} == PUBLISHED_IDS


@pytest.mark.parametrize("values", CLOSED_LISTS, ids=lambda values: values.name)
def test_ids_are_short_ascii_and_unique(values):
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", id_) for id_ in values.ids), values.ids
    assert len(set(values.ids)) == len(values) and len(set(values.labels)) == len(values)


@pytest.mark.parametrize("values", CLOSED_LISTS, ids=lambda values: values.name)
def test_every_name_a_lookup_accepts_names_one_value(values):
    names = [name for choice in values for name in {choice.id, choice.label, *choice.aliases}]
    assert len(names) == len(set(names)), sorted(name for name in names if names.count(name) > 1)


def test_a_label_has_its_id_and_an_id_its_label():
    assert CHANNEL.id_of("书面/网络") == "written" and CHANNEL.label_of("written") == "书面/网络"
    assert SEVERITY.id_of("重大") == "major" and INDUSTRY.id_of("快递物流") == "courier"
    assert CATEGORY.id_of("物流快递") == "logistics" and ORIGIN.id_of("教学虚构") == "invented"
    with pytest.raises(KeyError):
        CHANNEL.id_of("phone")  # id_of takes what the sources write, never an id


@pytest.mark.parametrize("name", ["written", "书面/网络", "网络", "书面", " 网上 "])
def test_a_lookup_takes_the_id_the_label_or_an_alias(name):
    assert CHANNEL.lookup(name).id == "written"


@pytest.mark.parametrize("name", ["店面", "", "電話", "Phone"])
def test_a_lookup_of_anything_else_finds_nothing(name):
    assert CHANNEL.lookup(name) is None


def test_the_sources_keep_the_simplified_labels():
    assert Channel.__args__ == ("电话", "当面", "书面/网络")
    case = {"title": "标题", "industry": "通用", "types": ["x"], "channel": "电话", "severity": "一般",
            "origin": "教学虚构", "summary": "概要"}
    assert Case.model_validate(case).channel == "电话"
    with pytest.raises(ValueError, match="'phone'"):
        Case.model_validate(case | {"channel": "phone"})  # supervisors type the labels, not the ids


def test_script_anchors_are_made_of_the_ids():
    assert script_anchor("当面", "了解事实") == "script-in-person-facts"


def test_the_simplified_edition_shows_the_labels():
    assert edition_labels(edition_for("zh-Hans"), CHANNEL) == {"phone": "电话", "in-person": "当面", "written": "书面/网络"}


def test_the_traditional_edition_shows_the_labels_as_its_region_writes_them():
    assert edition_labels(TW, CHANNEL) == {"phone": "電話", "in-person": "當面", "written": "書面/網路"}
    assert edition_labels(HK, CHANNEL)["written"] == "書面/網絡"
    assert edition_labels(TW, INDUSTRY)["courier"] == "快遞物流"
    assert edition_labels(TW, SEVERITY) == {"general": "一般", "important": "重要", "major": "重大"}


def test_a_label_opencc_gets_wrong_is_set_in_the_table_and_read_the_same_everywhere():
    # s2hk writes 瞭解; Hong Kong writes 了解 (Choice.traditional); Taiwan keeps OpenCC's 瞭解.
    assert closed_list_terms("hk") == {"了解事实": "了解事實"} and closed_list_terms("tw") == {}
    assert edition_labels(HK, STAGE)["facts"] == "了解事實" and edition_labels(TW, STAGE)["facts"] == "瞭解事實"
    assert TextConverter(HK)("了解事实（4W1H）") == "了解事實（4W1H）"
    assert MarkdownConverter(HK).convert('<p class="kesu-stage">了解事实（4W1H）</p>') == \
        '<p class="kesu-stage">了解事實（4W1H）</p>'


def test_the_edition_files_terms_win_over_the_tables_override():
    edition = edition_for("zh-Hant", "hk", {"了解事实": "瞭解事實"})
    assert edition_labels(edition, STAGE)["facts"] == "瞭解事實"


def test_machine_values_stay_ids_and_the_search_title_is_converted_in_the_edition():
    block = ('<div class="kesu-script" id="script-phone-opening" data-channel="phone" data-stage="opening" '
             'data-title="电话话术：" markdown>')
    assert MarkdownConverter(TW).convert(block) == block.replace('data-title="电话话术："', 'data-title="電話話術："')
    option = '<option value="phone" data-aliases="电话|来电">电话（3）</option>'
    assert MarkdownConverter(TW).convert(option) == '<option value="phone" data-aliases="电话|来电">電話（3）</option>'


def test_a_list_of_ones_own_makes_the_same_lookups():
    sizes = ClosedList("size", Choice("small", "小", ("小号",)), Choice("large", "大"))
    assert sizes.labels == ("小", "大") and sizes.ids == ("small", "large") and len(sizes) == 2
    assert sizes.lookup("小号").id == "small" and sizes.lookup("large").label == "大"
