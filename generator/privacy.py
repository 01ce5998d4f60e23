"""Personal data of real customers in case-study sources, so that `kesu check` can refuse it.

The scan works on the raw file text, line by line, with precise patterns: a false alarm blocks a
supervisor's work, so ordinary numbers (amounts, dates, times, order codes) must never match.
A line carrying the comment `# kesu: allow-personal-data` is skipped (e.g. a company hotline).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

ALLOW_MARKER = "kesu: allow-personal-data"

# How each kind may be written once masked (masked numbers are not reported), for the error message.
MASKED_EXAMPLES = {
    "手机号": "138****8000", "固定电话": "010-****5678", "身份证号": "110105********002X",
    "电子邮箱": "w***@example.com", "车牌号": "京A·***45", "银行卡号": "6222 **** **** 1234",
}


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based line in the file
    kind: str  # 手机号, 固定电话, 身份证号, 电子邮箱, 车牌号 or 银行卡号
    text: str  # the matched text, as written in the file


# The marker only counts inside a comment, i.e. somewhere after a '#'.
_ALLOWED = re.compile("#.*" + re.escape(ALLOW_MARKER))

# The same line breaks as PyYAML's reader, so our line numbers agree with the loader's.
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")

# Chinese input methods often type full-width forms (１３８, （０１０）, ＠, －, ideographic space):
# map them to ASCII one character for one, so that columns and the reported text stay the file's own.
_HALF_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

# Template placeholders such as {客户称呼} or {订单号} are blanked out before scanning (same length,
# with a character no pattern uses), so nothing inside braces can be reported.
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")

# Every rule below needs a digit (or an @): lines without one, most prose, skip the scan.
_MAY_HOLD_DATA = re.compile("[0-9@\uff10-\uff19\uff20]")

# A number must not be cut out of a longer digit run (an order number, a timestamp), nor out of a
# partly masked number such as 138****8000: masked data is not personal data.
_START = r"(?<![0-9*])"
_END = r"(?![0-9*])"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# 18-digit resident ID (GB 11643); only reported when checksum and birth date are valid (see _is_id_number).
_ID_NUMBER = re.compile(_START + r"[0-9]{17}[0-9Xx]" + r"(?![0-9A-Za-z*])")

# 16-19 digits, written in one run or grouped in 4s with one kind of separator; Luhn-checked below.
_BANK_CARD = re.compile(
    _START + r"(?:[0-9]{16,19}|[0-9]{4}([ -])[0-9]{4}\1[0-9]{4}\1[0-9]{4}(?:\1[0-9]{1,3})?)" + _END)

# Mainland mobile: 1[3-9] + 9 digits, in one run or as 3-4-4 with one kind of separator, optionally +86/86.
_MOBILE = re.compile(
    _START + r"(?:\+?86[ -]?)?1[3-9][0-9](?:[0-9]{8}|([ -])[0-9]{4}\1[0-9]{4})" + _END)

# Landline: area code, then a separator (hyphen, space or parentheses), then 7-8 digits. Real area codes
# are 010, 02x or 0 + three digits starting 3-9, which rules out most zero-padded numbers.
_AREA_CODE = r"0(?:10|2[0-9]|[3-9][0-9]{2})"
_LANDLINE = re.compile(_START + rf"(?:{_AREA_CODE}[ -]|\({_AREA_CODE}\) ?)[0-9]{{7,8}}" + _END)

# Licence plate: province abbreviation + issuing-office letter + optional separator + the number:
#  - new energy, small car: D/F, a letter or digit, four digits (粤B·D12345); large car: five digits + D/F;
#  - ordinary: five uppercase letters/digits, with at least one digit, so that a Chinese word followed by
#    an English word in capitals (新ANDROID, 使用HTTPS) is never taken for a plate.
# Uppercase only and not followed by a letter or digit, again to keep Chinese-English text out.
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
_PLATE = re.compile(
    rf"[{_PROVINCES}][A-Z][·• ]?"
    r"(?:[DF][A-Z0-9][0-9]{4}|[0-9]{5}[DF]|(?=[A-Z]*[0-9])[A-Z0-9]{5})"
    r"(?![A-Za-z0-9])")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"


def _is_id_number(text: str) -> bool:
    """GB 11643: valid check character and a plausible birth date (YYYYMMDD at positions 7-14)."""
    total = sum(int(digit) * weight for digit, weight in zip(text, _ID_WEIGHTS))
    if _ID_CHECK_CHARS[total % 11] != text[17].upper():
        return False
    year, month, day = int(text[6:10]), int(text[10:12]), int(text[12:14])
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2099


def _is_bank_card(text: str) -> bool:
    """Luhn check; a random 16-19 digit number passes only one time in ten."""
    digits = [int(c) for c in text if c.isdigit()]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return 16 <= len(digits) <= 19 and total % 10 == 0


# In priority order: a span taken by an earlier kind is not reported again (digits inside an e-mail
# address, an ID number that also happens to pass the Luhn check).
_RULES = (
    ("电子邮箱", _EMAIL, None),
    ("身份证号", _ID_NUMBER, _is_id_number),
    ("银行卡号", _BANK_CARD, _is_bank_card),
    ("手机号", _MOBILE, None),
    ("固定电话", _LANDLINE, None),
    ("车牌号", _PLATE, None),
)


def _scan_line(line: str) -> list[tuple[int, str, str]]:
    """(column, kind, text) of every finding on one line, by column."""
    scanned = _PLACEHOLDER.sub(lambda m: "\0" * len(m.group()), line.translate(_HALF_WIDTH))
    taken: list[tuple[int, int]] = []
    found = []
    for kind, pattern, is_valid in _RULES:
        for match in pattern.finditer(scanned):
            start, end = match.span()
            if is_valid and not is_valid(match.group()):
                continue
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            taken.append((start, end))
            found.append((start, kind, line[start:end]))
    return sorted(found)


def find_personal_data(text: str) -> list[Finding]:
    """Scan the raw file text line by line; findings in line order, then by column."""
    findings = []
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if not _MAY_HOLD_DATA.search(line) or _ALLOWED.search(line):
            continue
        findings.extend(Finding(number, kind, matched) for _, kind, matched in _scan_line(line))
    return findings
