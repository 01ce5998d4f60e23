"""What a careless value probably meant: the 'did you mean' of a problem line, and where it guesses nothing."""
from __future__ import annotations

from datetime import date

import pytest

from generator.meant import meant_bool, meant_date, meant_duration, meant_id, meant_key, meant_label, meant_number
from generator.model import CHANNEL, INDUSTRY, ORIGIN, SEVERITY


@pytest.mark.parametrize("values, written, meant", [
    (CHANNEL, "电话投诉", "电话"), (CHANNEL, "微信", "书面/网络"), (CHANNEL, "书面／网络", "书面/网络"),
    (CHANNEL, "phone", "电话"), (CHANNEL, "上门", "当面"), (SEVERITY, "一般投诉", "一般"), (SEVERITY, "major", "重大"),
    (INDUSTRY, "超市", "零售与超市"), (CHANNEL, "當面", "当面"), (INDUSTRY, "零售與超市", "零售与超市"), (INDUSTRY, "4S店", "汽车销售与维修"), (ORIGIN, "虚构", "教学虚构"),
    # No guess where the word does not decide: 店面 (the documented example), 严重 (重要 or 重大), 二级.
    (CHANNEL, "店面", None), (SEVERITY, "严重", None), (SEVERITY, "二级", None), (INDUSTRY, "教育", None),
    (SEVERITY, 1, None), (CHANNEL, "", None),
])
def test_a_closed_list_value_is_matched_by_label_alias_id_or_a_word_for_it(values, written, meant):
    assert meant_label(written, values) == meant


TYPES = {"cashier-error": "收银差错", "product-quality": "商品质量问题", "refund-return": "退换货纠纷"}


@pytest.mark.parametrize("written, meant", [("收银差错", "cashier-error"), ("收银错误", "cashier-error"),
                                            ("质量问题", "product-quality"), ("退货", "refund-return"), ("收銀差錯", "cashier-error"),
                                            ("cashier", None), ("投诉", None)])
def test_a_reference_written_as_a_chinese_name_finds_its_id(written, meant):
    assert meant_id(written, TYPES) == meant


@pytest.mark.parametrize("written, meant", [
    ("2026年3月1日", date(2026, 3, 1)), ("2026/3/1", date(2026, 3, 1)), ("2026.03.01", date(2026, 3, 1)),
    (20260301, date(2026, 3, 1)), ("２０２６-０３-０１", date(2026, 3, 1)), ("2026-03-01 10:00", date(2026, 3, 1)),
    ("3月1日", None), ("2026/2/30", None), (True, None), ("上周", None)])
def test_a_date_written_another_way(written, meant):
    assert meant_date(written) == meant


@pytest.mark.parametrize("written, meant", [("二", 2), ("两条", 2), ("十二", 12), ("二十四", 24), ("２", 2),
                                            ("30分", 30), ("许多", None), (2, None)])
def test_a_number_written_in_words_or_full_width(written, meant):
    assert meant_number(written) == meant


@pytest.mark.parametrize("written, meant", [("马上", "立即"), ("半小时", "30分钟"), ("1h", "1小时"), ("24小时内", "24小时"),
                                            ("两天", "2天"), ("三个工作日", None), ("尽快", None)])
def test_a_deadline_written_another_way(written, meant):
    assert meant_duration(written) == meant


@pytest.mark.parametrize("written, allowed, meant", [
    ("titel", ["title", "summary"], "title"), ("Title", ["title"], "title"), ("标题", ["title"], "title"),
    ("案例标题", ["title"], "title"), ("渠道", ["channel"], "channel"), ("备注", ["title", "summary"], None),
    ("问题", ["question", "answer"], "question"), ("title ", ["title"], "title")])
def test_an_unknown_key_is_matched_by_spelling_or_its_chinese_name(written, allowed, meant):
    assert meant_key(written, allowed) == meant


@pytest.mark.parametrize("written, meant", [("是", "true"), ("√", "true"), ("错", "false"), ("也许", None)])
def test_a_quiz_mark_in_chinese_is_true_or_false(written, meant):
    assert meant_bool(written) == meant
