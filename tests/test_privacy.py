"""Personal data in what a source publishes: what is reported, where, and the ordinary text that must not be."""
from __future__ import annotations

import json
import sys
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load import load_project
from generator.privacy import (
    ALLOW_MARKER, Finding, may_hold_data, find_personal_data, mask, normalise, scan_text,
)
from generator.problems import SourceErrors

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str) -> str:
    """first17 completed with its GB 11643 check character."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def luhn_sum(digits: str) -> int:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10


def with_luhn_digit(prefix: str) -> str:
    """prefix completed with the digit that makes it pass the Luhn check."""
    return prefix + str((10 - luhn_sum(prefix + "0")) % 10)


VALID_ID = id_number("11010519491231002")            # 11010519491231002X
WRONG_ID = VALID_ID[:17] + ("1" if VALID_ID[17] != "1" else "2")
CARD = with_luhn_digit("622202123456789")            # 16 digits, Luhn-valid
NOT_CARD = CARD[:15] + str((int(CARD[15]) + 1) % 10)
# An ID number that also passes the Luhn check: reported once, as an ID number.
NO_PROVINCE_ID = next(n for n in (id_number(f"99010519491231{s:03d}") for s in range(1000)) if n[-1] != "X" and luhn_sum(n))
ID_AND_LUHN = next(n for n in (id_number(f"44030419900101{s:03d}") for s in range(1000))
                   if n[-1] != "X" and luhn_sum(n) == 0)


def kinds(source: str) -> list[tuple[int, str]]:
    return [(finding.line, finding.kind) for finding in find_personal_data(source)]


def kinds_in(text: str) -> list[str]:
    """The kinds found in one published text (any characters: written as a JSON string, which YAML reads)."""
    return [finding.kind for finding in find_personal_data("facts: " + json.dumps(text, ensure_ascii=False) + "\n")]


def test_helpers_build_what_they_claim():
    assert VALID_ID == "11010519491231002X"
    assert luhn_sum(CARD) == 0 and luhn_sum(NOT_CARD) != 0
    assert luhn_sum("4111111111111111") == 0


@pytest.mark.parametrize("text, kind", [
    ("客户手机 13800138000 多次来电", "手机号"),
    ("电话：138 0013 8000", "手机号"),
    ("电话：138-0013-8000。", "手机号"),
    ("联系 +86 13912345678", "手机号"),
    ("联系 +8613912345678", "手机号"),
    ("联系 8613912345678", "手机号"),
    ("全角 １３８００１３８０００", "手机号"),
    # Separators and look-alikes that the raw-line guard missed.
    ("电话 138.1234.5678", "手机号"),
    ("电话 138 12345678", "手机号"),
    ("电话 138/1234/5678", "手机号"),
    ("电话 1\u200b38\u200c1234\u200d5678", "手机号"),
    ("电话 １３８－１２３４－５６７８", "手机号"),
    ("电话 一三八一二三四五六七八", "手机号"),
    ("电话 幺三八 幺二三四 五六七八", "手机号"),
    ("电话 壹叁捌零零壹叁捌零零零", "手机号"),
    ("电话 ١٣٨١٢٣٤٥٦٧٨", "手机号"),
    ("电话 १३८ १२३४ ५६७८", "手机号"),
    ("电话 𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "手机号"),
    ("模板 {13800138000} 与 {客户称呼}", "手机号"),
    ("称呼 {电话|13912345678}", "手机号"),
    ("办公室 010-12345678", "固定电话"),
    ("门店 (0755)2345678", "固定电话"),
    ("门店（0755）2345678", "固定电话"),
    ("总机 0571 87654321", "固定电话"),
    ("家里电话 01062345678", "固定电话"),
    ("家里电话 075523456789", "固定电话"),
    (f"身份证 {VALID_ID} 已核验", "身份证号"),
    (f"身份证 {VALID_ID.lower()}", "身份证号"),
    ("身份证 110105491231002", "身份证号"),  # the older 15-digit form
    ("身份证 110105 19491231 002X", "身份证号"),
    ("身份证 110105 491231 002", "身份证号"),
    ("邮箱 zhang.san+vip@example.com.cn。", "电子邮箱"),
    ("邮箱13800138000@qq.com", "电子邮箱"),
    ("邮箱 zhang at example dot com", "电子邮箱"),
    ("邮箱 zhang(at)example(dot)com", "电子邮箱"),
    ("邮箱 zhang [at] example [dot] com", "电子邮箱"),
    ("邮箱 zhang艾特qq点com", "电子邮箱"),
    ("邮箱 ｚｈａｎｇ＠ｑｑ．ｃｏｍ", "电子邮箱"),
    ("邮箱 zhang@example.com。Thanks", "电子邮箱"),
    ("车牌京A12345", "车牌号"),
    ("车牌 粤B·D12345 的车主", "车牌号"),
    ("车牌 沪A 1B2C3", "车牌号"),
    ("货车 苏E12345F", "车牌号"),
    ("车牌 川A•12345", "车牌号"),
    ("车牌 京a12345", "车牌号"),
    ("车牌 京A.12345", "车牌号"),
    ("车牌 京A-12345", "车牌号"),
    ("车牌 京Ａ１２３４５", "车牌号"),
    (f"卡号 {CARD}", "银行卡号"),
    (f"卡号 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}", "银行卡号"),
    (f"卡号 {CARD[:4]}-{CARD[4:8]}-{CARD[8:12]}-{CARD[12:]}", "银行卡号"),
    (f"卡号 {with_luhn_digit('622848001234567890')}", "银行卡号"),
    (f"证件 {ID_AND_LUHN}", "身份证号"),
])
def test_every_kind_is_reported(text, kind):
    assert kinds_in(text) == [kind]


@pytest.mark.parametrize("text, kind", [
    ("住在人民路12号3栋501室", "门牌地址"),
    ("地址：幸福小区5号楼2单元301", "门牌地址"),
    ("住在三栋五〇一室", "门牌地址"),
    ("王先生 138****5678 来电", "姓名与电话"),
    ("来电号码 138****5678，张女士说", "姓名与电话"),
    ("微信号: abc_123", "微信号"),
    ("加了 wechat：zhangsan88", "微信号"),
    ("QQ 12345678", "QQ号"),
    ("qq号：1234567890", "QQ号"),
])
def test_likely_personal_data_is_a_warning(text, kind):
    findings = find_personal_data("facts: " + json.dumps(text, ensure_ascii=False) + "\n")
    assert [(f.kind, f.warning) for f in findings] == [(kind, True)]


@pytest.mark.parametrize("text", [
    # Wrong checksum, or impossible birth date or province: not an ID number (and not Luhn-valid either).
    f"证件号 {WRONG_ID}",
    "证件号 " + id_number("11010518991231002"),   # born 1899
    "证件号 " + id_number("11010519490231002"),   # 31 February
    "证件号 " + id_number("11010519491331002"),   # month 13
    NO_PROVINCE_ID,
    "订单号 110105491331002",                     # 15 digits, month 13
    f"卡号 {NOT_CARD}",
    f"卡号 {NOT_CARD[:4]} {NOT_CARD[4:8]} {NOT_CARD[8:12]} {NOT_CARD[12:]}",
    # Masked data.
    "客户 138****8000 来电",
    "客户 1380013****",
    "车牌 京A·***45",
    "身份证 110105********002X",
    f"卡号 {CARD[:4]} **** **** {CARD[12:]}",
    "某先生 138****8000",
    # Placeholders without data.
    "您好，{客户称呼}，您的订单 {订单号} 已退款。",
    # Ordinary numbers.
    "退款 120 元，赔偿 3000 元，共 3120.50 元",
    "2026-01-05 10:05 来电，2026年1月5日回访，2026/01/05 13:45 再次来电",
    "订单号 A20260105-0031，工单 WO-88231，快递单 SF1234567890",
    "按 4W1H 记录，参照 ISO 10002，责任比例 8:2，满意度 95%，增长 12.5%",
    "时间戳 1767582300000，流水号 20260105123456789012345",
    "13800138000123 是一串更长的数字",
    "热线 400-820-8820，售后 800 810 8888",
    "第一二三步，一二三四五六七个门店",
    # Words that look a little like plates, and e-mail words in prose.
    "新ANDROID 版本，使用HTTPS，北京AB 线路，京A1234，新iPhone15，京A123456",
    "meet at the station, not at home; see the dot on the map",
    "用 @张三 提醒，邮件发到 support@ 后台",
])
def test_not_reported(text):
    assert kinds_in(text) == []


# --- What is published: the parsed values, wherever YAML puts them ---------------------------------

@pytest.mark.parametrize("source, expected", [
    ('facts: "\\u0031\\u0033\\u0038 1234 5678"\n', [(1, "手机号")]),                 # YAML escapes
    ('facts: "电话 138\\\n  12345678"\n', [(1, "手机号")]),                           # escaped line break
    ("facts: >\n  电话 138\n  1234 5678\n", [(1, "手机号")]),                          # folded lines
    ("facts: 电话 138\n  1234 5678\n", [(1, "手机号")]),                               # plain multi-line
    ("timeline: [{when: '10:05', what: 联系 13912345678}]\n", [(1, "手机号")]),       # flow mapping
    ("facts: '{13800138000}'\n", [(1, "手机号")]),                                    # placeholder
    ("placeholders: {13800138000: 电话}\n", [(1, "手机号")]),                         # a mapping key
    ("phone: 13800138000\n", [(1, "手机号")]),                                        # a number value
    ("facts: |\n  第一行\n\n  电话 139 1234 5678\n  车牌 京A12345\n", [(4, "手机号"), (5, "车牌号")]),
])
def test_published_values_are_scanned_with_their_lines(source, expected):
    assert kinds(source) == expected


def test_findings_in_line_then_text_order():
    source = (
        "title: 示例\n"
        "facts: 客户 zhang@example.com 电话 13800138000 车牌 京A12345\n"
        "\n"
        f"list:\r\n- 卡号 {CARD} 身份证 {VALID_ID}\r\n"
        "- 门店 (0755)2345678 和 010-12345678\n"
    )
    assert kinds(source) == [(2, "电子邮箱"), (2, "手机号"), (2, "车牌号"), (5, "银行卡号"), (5, "身份证号"),
                             (6, "固定电话"), (6, "固定电话")]


def test_a_finding_names_its_field_and_shows_the_data_masked():
    source = "timeline:\n  - when: '10:05'\n    what: 电话 139\u200b1234 5678，邮箱 zhang.san@example.com\n"
    assert find_personal_data(source) == [
        Finding(3, "手机号", "13*\\u200b****\u0020**78", False, "timeline[0].what"),
        Finding(3, "电子邮箱", "zha**.***@******e.com", False, "timeline[0].what"),
    ]


def test_mask_keeps_separators_and_hides_most_letters_and_digits():
    assert mask("13800138000") == "13*******00"
    assert mask("京A12345") == "京A****5"
    assert mask("\x1b[2J13800138000") == "\\u001b[2J1*******000"  # an escape code is shown, never sent


# --- The allow marker: only a real YAML comment counts ----------------------------------------------

def test_allow_comment_suppresses_only_its_own_line():
    source = (
        f"hotline: 010-12345678  # {ALLOW_MARKER}\n"
        "customer: 13800138000\n"
        f"note: 京A12345 and {VALID_ID}   #{ALLOW_MARKER}\n"
        "mail: a@b.cn\n"
    )
    assert kinds(source) == [(2, "手机号"), (4, "电子邮箱")]


@pytest.mark.parametrize("source", [
    f"note: '{ALLOW_MARKER} 13800138000'\n",
    f"note: 'x # {ALLOW_MARKER} 13800138000'\n",
    f'note: "13800138000 # {ALLOW_MARKER}"\n',
    f"note: |\n  13800138000 # {ALLOW_MARKER}\n",
])
def test_the_marker_inside_a_value_is_published_text_and_does_not_allow(source):
    assert [kind for _, kind in kinds(source)] == ["手机号"]


def test_allow_comment_on_a_block_header_covers_the_block():
    assert kinds(f"note: |  # {ALLOW_MARKER}\n  总机 13800138000\n  传真 010-12345678\n") == []


# --- Messages, errors and warnings through the loader ------------------------------------------------

CASE = "cases/library/sample-case.yml"


def replace_in(root, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_refuses_personal_data_with_one_line_each(fixture_project):
    replace_in(fixture_project, CASE, "summary: 顾客发现多收了 3 元。", 'summary: "顾客（电话 138.1234.5678）多收了 3 元。"')
    replace_in(fixture_project, CASE, "    what: 退还差价。", "    what: |\n      退还差价。\n      邮箱 li艾特qq点com")
    with pytest.raises(SourceErrors) as caught:
        load_project(fixture_project)
    tail = "if it is not a real person's, end the line with the comment '# kesu: allow-personal-data'"
    assert [str(p) for p in caught.value.problems] == [
        f"{CASE}:8: field 'summary': personal data (手机号 '13*.****.**78', shown masked): remove or mask it "
        f"(e.g. 138****8000); {tail}",
        f"{CASE}:15: field 'timeline[1].what': personal data (电子邮箱 'l*艾特**点**m', shown masked): "
        f"remove or mask it (e.g. w***@example.com); {tail}",
    ]


def test_likely_personal_data_is_a_warning_that_does_not_fail_check(fixture_project):
    replace_in(fixture_project, CASE, "summary: 顾客发现多收了 3 元。", "summary: 王先生住人民路12号3栋501室。")
    project = load_project(fixture_project)
    assert "sample-case" in project.cases
    assert [str(p) for p in project.warnings if "personal data" in p.message] == [
        f"{CASE}:8: warning: field 'summary': may be personal data (门牌地址 '路1*号*栋**1室', shown masked): "
        "check it and remove or mask it (e.g. 某路某号); if it is not a real person's, end the line with the "
        "comment '# kesu: allow-personal-data'",
    ]


# --- Linear time on any input ----------------------------------------------------------------------
# No timing assertions: each of these took minutes with a quadratic pattern, and finishes at once now.

@pytest.mark.parametrize("text", [
    "a" * 500_000,
    ("a" * 1_000 + "@") * 500,
    "x at " * 100_000,
    "1 " * 250_000,
    "１３８" * 160_000,
    "a.b@c.d." * 60_000,
    "王先生 138****5678 " * 20_000,
])
def test_half_a_megabyte_scans(text):
    scan_text(text)


def test_many_findings_in_one_value():
    assert len(scan_text("13800138000 " * 40_000)) == 40_000


# --- Properties of the normaliser ------------------------------------------------------------------

DIGIT_FORMS = {str(d): [str(d), chr(0xFF10 + d), "〇一二三四五六七八九"[d]] for d in range(10)}
DIGIT_FORMS["1"].append("幺")
DIGIT_FORMS["0"].append("零")
SEPARATORS = [" ", ".", "-", "/", "\u3000", "－", "．", "／", "·"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
# Surrounding words hold no digit, numeral, separator or surname: they cannot change what is found.
WORDS = ["客户", "来电", "请回拨", "联系方式", "，", "。", "：", "说", "的", "号码是", "手机", "留言"]

mobiles = st.tuples(st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9)).map(
    lambda parts: "1" + parts[0] + parts[1])


@st.composite
def written_out(draw, digits: str) -> str:
    out = []
    for index, digit in enumerate(digits):
        out.append(draw(st.sampled_from(DIGIT_FORMS[digit])))
        if index < len(digits) - 1:
            out.append("".join(draw(st.lists(st.sampled_from(INVISIBLE), max_size=2))))
            out.append("".join(draw(st.lists(st.sampled_from(SEPARATORS), max_size=2))))
    return "".join(out)


words = st.lists(st.sampled_from(WORDS), max_size=4).map("".join)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_any_mobile_number_however_written_is_found(data):
    number = data.draw(mobiles)
    text = data.draw(words) + data.draw(written_out(number)) + data.draw(words)
    assert kinds_in(text) == ["手机号"], text


def test_every_character_that_normalises_to_a_digit_or_at_sign_is_scanned():
    """The quick test that lets most values skip the scan must not skip any of them."""
    skipped = [hex(code) for code in range(0x80, 0x30000)
               if (any(c in "0123456789@" for c in unicodedata.normalize("NFKC", chr(code)))
                   or unicodedata.decimal(chr(code), None) is not None)
               and not may_hold_data(chr(code) * 2)]
    assert skipped == []


def test_every_format_character_is_removed():
    kept = [hex(code) for code in range(0x80, sys.maxunicode + 1)
            if unicodedata.category(chr(code)) == "Cf" and normalise(f"1{chr(code)}2") != "12"]
    assert kept == []


def test_normalise_folds_widths_numerals_and_invisible_characters():
    assert normalise("１３８\u200b一三八〇零幺（ａｔ）") == "13813800" + "1(at)"


amounts = st.builds(lambda n, cents: f"{n}{cents}元", st.integers(0, 99_999), st.sampled_from(["", ".5", ".50", ".05"]))
recent = st.dates(date(1990, 1, 1), date(2035, 12, 31))
dates = st.builds(lambda d, form: d.strftime(form), recent,
                  st.sampled_from(["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d", "%Y-%-m-%-d"]))
times = st.builds(lambda h, m, s: f"{h:02d}:{m:02d}" + (f":{s:02d}" if s is not None else ""),
                  st.integers(0, 23), st.integers(0, 59), st.none() | st.integers(0, 59))
order_codes = st.builds(lambda prefix, d, tail: f"{prefix}{d:%Y%m%d}-{tail}",
                        st.sampled_from(["A", "WO", "DD", "RT", "SH"]), recent,
                        st.integers(0, 999_999).map(str))
ordinary = st.one_of(amounts, dates, times, order_codes, st.builds(lambda d, t: f"{d:%Y-%m-%d} {t}", recent, times))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(ordinary, st.sampled_from(["，", "。", "；", " 到 ", "、", "（", "）"])), min_size=1, max_size=6))
def test_amounts_dates_times_and_order_codes_are_never_reported(items):
    text = "".join(item + joint for item, joint in items)
    assert kinds_in(text) == [], text

