"""Personal data in case-study sources: what is reported, and the ordinary text that must not be."""
from __future__ import annotations

import pytest

from generator.privacy import ALLOW_MARKER, Finding, find_personal_data

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
ID_AND_LUHN = next(n for n in (id_number(f"44030419900101{s:03d}") for s in range(1000))
                   if n[-1] != "X" and luhn_sum(n) == 0)


def test_helpers_build_what_they_claim():
    assert VALID_ID == "11010519491231002X"
    assert luhn_sum(CARD) == 0 and luhn_sum(NOT_CARD) != 0
    assert luhn_sum("4111111111111111") == 0


@pytest.mark.parametrize("line, kind, text", [
    ("客户手机 13800138000 多次来电", "手机号", "13800138000"),
    ("电话：138 0013 8000", "手机号", "138 0013 8000"),
    ("电话：138-0013-8000。", "手机号", "138-0013-8000"),
    ("联系 +86 13912345678", "手机号", "+86 13912345678"),
    ("联系 +8613912345678", "手机号", "+8613912345678"),
    ("联系 8613912345678", "手机号", "8613912345678"),
    ("全角 １３８００１３８０００", "手机号", "１３８００１３８０００"),
    ("办公室 010-12345678", "固定电话", "010-12345678"),
    ("门店 (0755)1234567", "固定电话", "(0755)1234567"),
    ("门店（0755）1234567", "固定电话", "（0755）1234567"),
    ("总机 0571 87654321", "固定电话", "0571 87654321"),
    (f"身份证 {VALID_ID} 已核验", "身份证号", VALID_ID),
    (f"身份证 {VALID_ID.lower()}", "身份证号", VALID_ID.lower()),
    ("邮箱 zhang.san+vip@example.com.cn。", "电子邮箱", "zhang.san+vip@example.com.cn"),
    ("邮箱13800138000@qq.com", "电子邮箱", "13800138000@qq.com"),
    ("车牌京A12345", "车牌号", "京A12345"),
    ("车牌 粤B·D12345 的车主", "车牌号", "粤B·D12345"),
    ("车牌 沪A 1B2C3", "车牌号", "沪A 1B2C3"),
    ("货车 苏E12345F", "车牌号", "苏E12345F"),
    ("车牌 川A•12345", "车牌号", "川A•12345"),
    (f"卡号 {CARD}", "银行卡号", CARD),
    (f"卡号 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}", "银行卡号",
     f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}"),
    (f"卡号 {CARD[:4]}-{CARD[4:8]}-{CARD[8:12]}-{CARD[12:]}", "银行卡号",
     f"{CARD[:4]}-{CARD[4:8]}-{CARD[8:12]}-{CARD[12:]}"),
    (f"卡号 {with_luhn_digit('622848001234567890')}", "银行卡号", with_luhn_digit("622848001234567890")),
    (f"证件 {ID_AND_LUHN}", "身份证号", ID_AND_LUHN),
])
def test_every_kind_is_reported(line, kind, text):
    assert find_personal_data(f"title: 案例\nfacts: {line}\n") == [Finding(2, kind, text)]


@pytest.mark.parametrize("line", [
    # Wrong checksum, or impossible birth date: not an ID number (and not Luhn-valid either).
    f"证件号 {WRONG_ID}",
    "证件号 " + id_number("11010518991231002"),   # born 1899
    "证件号 " + id_number("11010519490231002"),   # 31 February
    "证件号 " + id_number("11010519491331002"),   # month 13
    f"卡号 {NOT_CARD}",
    f"卡号 {NOT_CARD[:4]} {NOT_CARD[4:8]} {NOT_CARD[8:12]} {NOT_CARD[12:]}",
    # Masked data.
    "客户 138****8000 来电",
    "客户 1380013****",
    "车牌 京A·***45",
    "身份证 110105********002X",
    f"卡号 {CARD[:4]} **** **** {CARD[12:]}",
    # Placeholders.
    "您好，{客户称呼}，您的订单 {订单号} 已退款。",
    "模板 {13800138000} 与 {电话:010-12345678}",
    # Ordinary numbers.
    "退款 120 元，赔偿 3000 元，共 3120.50 元",
    "2026-01-05 10:05 来电，2026年1月5日回访",
    "订单号 A20260105-0031，工单 WO-88231，快递单 SF1234567890",
    "按 4W1H 记录，参照 ISO 10002，责任比例 8:2，满意度 95%，增长 12.5%",
    "时间戳 1767582300000，流水号 20260105123456789012345",
    "13800138000123 是一串更长的数字",
    # Words that look a little like plates, and lowercase.
    "新ANDROID 版本，使用HTTPS，北京AB 线路，京a12345，京A1234",
])
def test_not_reported(line):
    assert find_personal_data(f"facts: {line}\n") == []


def test_allow_marker_suppresses_only_its_own_line():
    text = (
        f"hotline: 010-12345678  # {ALLOW_MARKER}\n"
        "customer: 13800138000\n"
        f"note: 京A12345 and {VALID_ID}   #{ALLOW_MARKER}\n"
        f"mail: a@b.cn\n"
    )
    assert find_personal_data(text) == [
        Finding(2, "手机号", "13800138000"),
        Finding(4, "电子邮箱", "a@b.cn"),
    ]


def test_marker_outside_a_comment_does_not_count():
    assert find_personal_data(f"note: '{ALLOW_MARKER}' 13800138000\n") == [
        Finding(1, "手机号", "13800138000")]


def test_findings_in_line_then_column_order():
    text = (
        "title: 示例\n"
        f"facts: 客户 zhang@example.com 电话 13800138000 车牌 京A12345\n"
        "\n"
        f"- 卡号 {CARD} 身份证 {VALID_ID}\r\n"
        "- 门店 (0755)1234567 和 010-12345678\n"
    )
    assert find_personal_data(text) == [
        Finding(2, "电子邮箱", "zhang@example.com"),
        Finding(2, "手机号", "13800138000"),
        Finding(2, "车牌号", "京A12345"),
        Finding(4, "银行卡号", CARD),
        Finding(4, "身份证号", VALID_ID),
        Finding(5, "固定电话", "(0755)1234567"),
        Finding(5, "固定电话", "010-12345678"),
    ]


def test_empty_text():
    assert find_personal_data("") == []
