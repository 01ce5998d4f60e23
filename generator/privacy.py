"""Personal data of real customers in the values a source publishes, so that `kesu check` can refuse it.

The scan reads the parsed values (after YAML escapes, folding, quoting and block scalars), not the
file's lines, because the values are what reaches the site. Each value is first normalised: NFKC
(full-width forms), zero-width and other format characters removed, Chinese numerals folded to
digits. Numbers are then read as runs of digit groups joined by separators (spaces, dots, hyphens,
slashes, brackets), so 138.1234.5678 and 一三八 1234 5678 are one number, while a group is never cut
(13800138000123 is not a phone). A false alarm blocks a supervisor's work, so ordinary amounts,
dates, times and order codes must never match; some kinds are only warnings for that reason.

Every pattern is bounded or anchored on a literal character, and the e-mail scan is driven by the
'@'-like tokens, so the scan is linear in the size of the input.

A YAML comment `# kesu: allow-personal-data` allows the findings of its line (and of a value that
starts on that line); the same words inside a quoted or block value are published text and count
for nothing.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Iterator

import yaml

from .problems import Loc, field_path

ALLOW_MARKER = "kesu: allow-personal-data"

# How each kind may be written once masked (masked numbers are not reported), for the message.
MASKED_EXAMPLES = {
    "手机号": "138****8000", "固定电话": "010-****5678", "身份证号": "110105********002X",
    "电子邮箱": "w***@example.com", "车牌号": "京A·***45", "银行卡号": "6222 **** **** 1234",
    "门牌地址": "某路某号", "姓名与电话": "王某、138****8000", "微信号": "wx***", "QQ号": "QQ ****",
}
WARNING_KINDS = frozenset({"门牌地址", "姓名与电话", "微信号", "QQ号"})


@dataclass(frozen=True)
class Finding:
    line: int  # 1-based line in the file
    kind: str  # a key of MASKED_EXAMPLES
    text: str  # what was found, masked (the message must not spread the data it refuses)
    warning: bool = False  # a likely, not certain, case: reported but does not fail the check
    field: str = ""  # where in the document, e.g. 'timeline[2].what'


# ---------------------------------------------------------------------------------------------
# Normalising

# Chinese numerals as digits (幺 is how 1 is read out in phone numbers).
_CHINESE_DIGITS = {**{c: str(i) for i, c in enumerate("〇一二三四五六七八九")},
                   "零": "0", "幺": "1", **{c: str(i) for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}}
_FORMAT_CATEGORIES = {"Cf"}  # zero-width spaces and joiners, bidi marks, soft hyphen, BOM
_char_cache: dict[str, str] = {}


def _normal_char(char: str) -> str:
    folded = _char_cache.get(char)
    if folded is None:
        if char in _CHINESE_DIGITS:
            folded = _CHINESE_DIGITS[char]
        elif unicodedata.decimal(char, None) is not None:  # any script's digits: ١٣٨, १३८
            folded = str(unicodedata.decimal(char))
        elif unicodedata.category(char) in _FORMAT_CATEGORIES:
            folded = ""
        else:
            folded = unicodedata.normalize("NFKC", char)
        _char_cache[char] = folded
    return folded


# The common case in one C-speed pass: full-width forms, the ideographic space and Chinese numerals
# each become one ASCII character, so indexes stay those of the text.
_ONE_FOR_ONE = {**{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}, "\u3000": " ", **_CHINESE_DIGITS}
_TO_FOLD = re.compile("[" + "".join(_ONE_FOR_ONE) + "]")  # no ASCII, so nothing to escape
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")  # a decimal digit of another script, which NFKC keeps
# Every format character (category Cf): the one-for-one pass cannot delete them, the slow path does.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def _normalise_with_map(text: str) -> tuple[str, "list[int] | range"]:
    """The normalised text, and for each of its characters the index of the character it came from."""
    if text.isascii():
        return text, range(len(text))
    quick = _TO_FOLD.sub(lambda match: _ONE_FOR_ONE[match.group()], text)
    if not _FORMAT.search(quick) and not _OTHER_DIGIT.search(quick) and unicodedata.is_normalized("NFKC", quick):
        return quick, range(len(text))
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = char if char < "\x80" else _normal_char(char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return "".join(parts), origin


def normalise(text: str) -> str:
    """NFKC, without format characters, Chinese numerals as digits (character by character)."""
    return _normalise_with_map(text)[0]


# ---------------------------------------------------------------------------------------------
# Numbers: runs of digit groups

_SEPARATORS = " \t.\\-/_·•・\u2010-\u2015\u2212"
# A group is a digit run; an ID number may end in X. Groups are joined by one to three separators.
# Brackets only count around an area code, (0755) 2345678: elsewhere they join unrelated numbers.
_GROUP = r"[0-9]+(?:[Xx](?![A-Za-z0-9]))?"
_DIGIT_RUN = re.compile(rf"(?:\(0[0-9]{{2,3}}\) ?)?{_GROUP}(?:[{_SEPARATORS}]{{1,3}}{_GROUP})*")
_ONE_GROUP = re.compile(_GROUP)

_MOBILE = re.compile(r"(?:86)?1[3-9][0-9]{9}")
_AREA_CODE = re.compile(r"0(?:10|2[0-9]|[3-9][0-9]{2})")
_PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82".split())
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
# The lengths a number of some kind can have, longest first.
_LENGTHS = (19, 18, 17, 16, 15, 13, 12, 11)


def _valid_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2099


def _is_id_number(digits: str, groups: int) -> bool:
    """GB 11643 (18 characters, check character) or the older 15-digit form, with a real birth date."""
    if digits[:2] not in _PROVINCE_CODES:
        return False
    if len(digits) == 18:
        if not digits[:17].isdigit():
            return False
        total = sum(int(digit) * weight for digit, weight in zip(digits, _ID_WEIGHTS))
        return _ID_CHECK_CHARS[total % 11] == digits[17].upper() and \
            _valid_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    # 15 digits carry no check character: only as written (one run, or in at most three groups).
    return len(digits) == 15 and digits.isdigit() and groups <= 3 and \
        _valid_date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))


def _is_luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _is_landline(digits: str, first_group: int) -> bool:
    """Area code and 7-8 digits; written in one run, the local number must start as real ones do (2-9)."""
    area = _AREA_CODE.match(digits)
    if not area or not 7 <= len(digits) - area.end() <= 8 or not digits.isdigit():
        return False
    return first_group == area.end() or digits[area.end()] in "23456789"


class _Groups:
    """The digit groups of one run: their digits joined, and where each group starts among them."""

    def __init__(self, normal: str, spans: list[tuple[int, int]]):
        self.spans = spans
        self.digits = "".join(normal[start:end] for start, end in spans)
        self.offsets = [0]
        for start, end in spans:
            self.offsets.append(self.offsets[-1] + end - start)
        self.group_at = {offset: k for k, offset in enumerate(self.offsets)}
        # fours[k]: how many groups of exactly four digits follow from group k on (a card's layout).
        self.fours = [0] * (len(spans) + 1)
        for k in range(len(spans) - 1, -1, -1):
            self.fours[k] = self.fours[k + 1] + 1 if spans[k][1] - spans[k][0] == 4 else 0

    def kind(self, i: int, j: int) -> str | None:
        """The kind of number that groups i..j-1 make together, if any."""
        digits = self.digits[self.offsets[i]:self.offsets[j]]
        length, groups = len(digits), j - i
        if length in (15, 18) and _is_id_number(digits, groups):
            return "身份证号"
        if 16 <= length <= 19 and (groups == 1 or self.fours[i] >= groups - 1) and digits.isdigit() \
                and _is_luhn_valid(digits):
            return "银行卡号"
        if length in (11, 13) and _MOBILE.fullmatch(digits):
            return "手机号"
        if length in (11, 12) and digits[0] == "0" and _is_landline(digits, self.offsets[i + 1] - self.offsets[i]):
            return "固定电话"
        return None


def _numbers(normal: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of each number in the normalised text; groups are never cut."""
    for run in _DIGIT_RUN.finditer(normal):
        if run.end() - run.start() < 11:
            continue
        groups = _Groups(normal, [(m.start() + run.start(), m.end() + run.start())
                                  for m in _ONE_GROUP.finditer(run.group())])
        # A group that touches a '*' is part of a masked number, which is not personal data.
        first = 1 if run.start() and normal[run.start() - 1] == "*" else 0
        last = len(groups.spans) - (1 if normal[run.end():run.end() + 1] == "*" else 0)
        # Digits glued to a letter and going on after a separator are a code (A19990101-100).
        coded = run.start() and normal[run.start() - 1].isascii() and normal[run.start() - 1].isalpha()
        i = first
        while i < last:
            found = None
            for length in _LENGTHS:
                j = groups.group_at.get(groups.offsets[i] + length)
                if j is not None and j <= last and not (coded and i == 0 and j > 1):
                    kind = groups.kind(i, j)
                    if kind:
                        found = j, kind
                        break
            if found:
                j, kind = found
                yield _widen(normal, groups.spans[i][0], groups.spans[j - 1][1]) + (kind,)
                i = j
            else:
                i += 1


def _widen(normal: str, start: int, end: int) -> tuple[int, int]:
    """Include a leading '+' (+86) or an opening bracket (the area code in brackets) in the span."""
    if start and normal[start - 1] in "+(" and (normal[start - 1] == "+" or ")" in normal[start:end]):
        start -= 1
    return start, end


# ---------------------------------------------------------------------------------------------
# E-mail, also written as "name at example dot com", 艾特, (at), [dot]

_AT = re.compile(r"@|艾特|[(\[{<【]\s?at\s?[)\]}>】]|(?<=\s)at(?=\s)", re.IGNORECASE)
_DOT = re.compile(r"\.|点|。|\s{0,2}[(\[{<【]\s?dot\s?[)\]}>】]\s{0,2}|\s{1,2}dot\s{1,2}", re.IGNORECASE)
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?![A-Za-z0-9-])")
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
# Written out in words, an address is only taken as one with a domain ending people use.
_COMMON_TLDS = frozenset(
    "com cn net org edu gov io co info me cc top xyz hk tw mo us uk jp de fr biz vip shop site online "
    "tech club ai app dev".split())


def _emails(normal: str) -> Iterator[tuple[int, int, str]]:
    for at in _AT.finditer(normal):
        spelled = at.group() != "@"
        local_end = at.start()
        if spelled:
            while local_end and normal[local_end - 1] == " " and at.start() - local_end < 2:
                local_end -= 1
        local_start = local_end
        # A local part has at most 64 characters: the look back is bounded.
        while local_start and normal[local_start - 1] in _LOCAL_CHARS and local_end - local_start < 64:
            local_start -= 1
        while local_start < local_end and normal[local_start] == ".":
            local_start += 1
        if local_start == local_end:
            continue
        position = at.end()
        while spelled and position < len(normal) and normal[position] == " " and position - at.end() < 2:
            position += 1
        # The domain ends after the last label that can end one (at most eight labels are read).
        end = None
        for labels in range(8):
            label = _LABEL.match(normal, position)
            if not label:
                break
            tld = label.group()
            if labels and tld.isalpha() and len(tld) >= 2 and (not spelled or tld.lower() in _COMMON_TLDS):
                end = label.end()
            dot = _DOT.match(normal, label.end())
            if not dot:
                break
            spelled = spelled or dot.group() != "."
            position = dot.end()
        if end is not None:
            yield local_start, end, "电子邮箱"


# ---------------------------------------------------------------------------------------------
# Licence plates: province, issuing office letter, then the number, with or without separators

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTER = "A-HJ-NP-Za-hj-np-z"  # plates use no I or O
_PLATE = re.compile(
    rf"[{_PROVINCES}][ ·•・.\-]{{0,2}}[{_PLATE_LETTER}][ ·•・.\-]{{0,2}}([{_PLATE_LETTER}0-9]{{5,6}})(?![A-Za-z0-9])")
_NEW_ENERGY = re.compile(r"[DFdf][A-Za-z0-9][0-9]{4}|[0-9]{5}[DFdf]")


def _plates(normal: str) -> Iterator[tuple[int, int, str]]:
    for match in _PLATE.finditer(normal):
        number = match.group(1)
        # At least three digits: a Chinese word before an English one (新ANDROID, 用HTTPS2) is no plate.
        if (len(number) == 6 and _NEW_ENERGY.fullmatch(number)) or \
                (len(number) == 5 and sum(c.isdigit() for c in number) >= 3):
            yield match.start(), match.end(), "车牌号"


# ---------------------------------------------------------------------------------------------
# Warnings: likely personal, but a person must judge

_ADDRESS = re.compile(
    r"(?:路|街|道|巷|弄|胡同|里)[0-9]{1,5}号(?:院|楼)?[0-9]{1,4}(?:号楼|栋|幢|座|单元|楼|层|室|号)"
    r"(?:[0-9]{1,4}(?:单元|楼|层))?(?:[0-9]{1,5}(?:室|房|号)?)?"
    r"|[0-9]{1,4}(?:号楼|栋|幢|座)(?:[0-9]{1,3}单元)?(?:[0-9]{1,5}(?:室|房)|[0-9]{3,5})"
    r"|[0-9]{1,3}单元[0-9]{2,5}(?:室|房)?")
_WECHAT = re.compile(
    r"(?:(?<![A-Za-z])(?:weixin|wechat|vx|wx)|微信|威信|v信)\s{0,2}号?\s{0,2}[:=]?\s{0,2}"
    r"([A-Za-z][A-Za-z0-9_-]{5,19})(?![A-Za-z0-9_-])", re.IGNORECASE)
_QQ = re.compile(r"(?<![A-Za-z])qq\s{0,2}号?\s{0,2}[:=]?\s{0,2}([1-9][0-9]{4,11})(?![0-9])", re.IGNORECASE)
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
             "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
             "戴莫孔向汤")
_TITLED_NAME = re.compile(rf"[{_SURNAMES}](?:先生|女士|小姐)")
# A phone-like number: seven or more digits or masking stars, possibly grouped.
_PHONE_LIKE = re.compile(r"[0-9*]+(?:[ \-.]{1,2}[0-9*]+)*")
_NEAR = 12  # characters between a name and a number that still read as "this person's number"


def _phone_like(normal: str) -> list[tuple[int, int]]:
    spans = []
    for match in _PHONE_LIKE.finditer(normal):
        text = match.group()
        marks = sum(c.isdigit() or c == "*" for c in text)
        if marks >= 7 and sum(c.isdigit() for c in text) >= 3 and ("*" in text or text[0] in "01"):
            spans.append(match.span())
    return spans


def _warnings(normal: str) -> Iterator[tuple[int, int, str]]:
    # Each pattern needs a word that most texts lack: a substring test skips it at C speed.
    if any(word in normal for word in ("号", "栋", "幢", "座", "单元")):
        for match in _ADDRESS.finditer(normal):
            yield match.start(), match.end(), "门牌地址"
    lower = normal.lower()
    if any(word in lower for word in ("信", "wx", "vx", "weixin", "wechat")):
        for match in _WECHAT.finditer(normal):
            yield match.start(1), match.end(1), "微信号"
    if "qq" in lower:
        for match in _QQ.finditer(normal):
            yield match.start(1), match.end(1), "QQ号"
    if not any(word in normal for word in ("先生", "女士", "小姐")):
        return
    numbers = _phone_like(normal)
    starts = [start for start, _ in numbers]
    for name in _TITLED_NAME.finditer(normal) if numbers else ():
        after = bisect_left(starts, name.end())
        if after < len(numbers) and numbers[after][0] - name.end() <= _NEAR:
            yield name.start(), numbers[after][1], "姓名与电话"
        elif after and name.start() - numbers[after - 1][1] <= _NEAR:
            yield numbers[after - 1][0], name.end(), "姓名与电话"


# ---------------------------------------------------------------------------------------------
# One text

_ERROR_SCANS = (_emails, _numbers, _plates)


class _Taken:
    """Spans already reported, kept sorted, so that a later kind does not report their text again."""

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        at = bisect_left(self.starts, start)
        return (at < len(self.starts) and self.starts[at] < end) or (at > 0 and self.ends[at - 1] > start)

    def add(self, start: int, end: int) -> None:
        at = bisect_left(self.starts, start)
        self.starts.insert(at, start)
        self.ends.insert(at, end)


def scan_text(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every finding in one published text, in text order; spans index text.

    Errors first in priority order (digits inside an e-mail address are not a phone number too);
    a warning is dropped where an error already covers its text.
    """
    if not may_hold_data(text):
        return []
    normal, origin = _normalise_with_map(text)
    taken = _Taken()
    found = []
    for scan in _ERROR_SCANS:
        for start, end, kind in scan(normal):
            if not taken.overlaps(start, end):
                taken.add(start, end)
                found.append((start, end, kind))
    for start, end, kind in _warnings(normal):
        if not taken.overlaps(start, end):
            found.append((start, end, kind))
    return sorted((origin[start], origin[end - 1] + 1, kind) for start, end, kind in found)


# Every kind needs two digits (in any form normalising finds), an '@' or a spelled-out 'at', or names a
# chat app: most values skip normalising and the scans.
_DIGIT_LIKE = re.compile(
    "[\\d" + "".join(_CHINESE_DIGITS) +
    "\u00b2\u00b3\u00b9\u00bc-\u00be\u2070-\u2089\u2150-\u215f\u2189\u2460-\u24ff\u2776-\u2793"
    "\u3220-\u3229\u3251-\u325f\u3280-\u3289\u32b1-\u32cb\u3358-\u3370\u3378\u3379\u339f-\u33a6"
    "\u33a8\u33af\u33e0-\u33fe\U0001d7ce-\U0001d7ff\U0001f100-\U0001f10a\U0001fbf0-\U0001fbf9]")
_SPELLED = re.compile("[@\uff20\ufe6b]|艾特|[aA\uff41\uff21][tT\uff54\uff34]|信|[wvWV\uff57\uff56\uff37\uff36][xX\uff58\uff38]")


def may_hold_data(text: str) -> bool:
    """Whether text can hold anything the scans look for (a quick test, before normalising)."""
    if _SPELLED.search(text):
        return True
    digits = _DIGIT_LIKE.search(text)
    return digits is not None and _DIGIT_LIKE.search(text, digits.end()) is not None


# ---------------------------------------------------------------------------------------------
# Showing what was found without spreading it

def _visible(char: str) -> str:
    """Control, format and line-separator characters written as escapes, so a message stays one line."""
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
        return f"\\u{ord(char):04x}"
    return char


def mask(text: str) -> str:
    """The text with all but a few of its digits and letters replaced by '*', shown on one line."""
    normal_chars = [_normal_char(c) if c >= "\x80" else c for c in text]
    hidden = [i for i, n in enumerate(normal_chars) if n and (n.isascii() and n.isalnum())]
    keep_head = min(3, len(hidden) // 4)
    keep_tail = min(4, len(hidden) // 4)
    masked = set(hidden[keep_head:len(hidden) - keep_tail])
    return "".join("*" if i in masked else _visible(c) for i, c in enumerate(text))


# ---------------------------------------------------------------------------------------------
# A whole document

_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def _published_texts(data) -> Iterator[tuple[Loc, str]]:
    """Every string (and number) a document holds, mapping keys included, with its place."""
    stack: list[tuple[Loc, object]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str):
            yield loc, value
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                stack.append((loc + (key,), item))
                stack.append((loc + (key,), str(key)))
        elif isinstance(value, list):
            stack.extend((loc + (index,), item) for index, item in reversed(list(enumerate(value))))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            yield loc, str(value)


def _compact(text: str) -> str:
    """Only letters and digits (and Han) of the normalised text: a number split by any separator
    compares equal with itself."""
    return "".join(c for c in normalise(text) if c.isalnum())


class _LineFinder:
    """The file line of a finding inside a value that spans several lines (a `|` block, folded text).

    The value starts on its key's line; a finding lies on the first of the following lines that
    holds its letters and digits. When that cannot be told (an escape, a number split over two
    lines), the last line known is kept, and no later finding in that value is looked for again:
    each line of the file is read at most once per value.
    """

    def __init__(self, text: str, value_lines: list[int]):
        self.lines = _LINE_BREAK.split(text) if text else []
        self.starts = sorted(set(value_lines))
        self.compacted: dict[int, str] = {}

    def _last_line_of_value(self, first: int) -> int:
        later = bisect_right(self.starts, first)
        return (self.starts[later] - 1) if later < len(self.starts) else len(self.lines)

    def lines_of(self, first: int, found_texts: list[str]) -> list[int]:
        last = min(self._last_line_of_value(first), len(self.lines))
        current, searching, result = first, True, []
        for found in found_texts:
            key = _compact(found)
            line = current
            while searching and key:
                if line > last:
                    searching = False
                    break
                if key in self._compacted(line):
                    current = line
                    break
                line += 1
            result.append(current)
        return result

    def _compacted(self, line: int) -> str:
        if line not in self.compacted:
            self.compacted[line] = _compact(self.lines[line - 1]) if 0 < line <= len(self.lines) else ""
        return self.compacted[line]


def allowed_lines(text: str) -> set[int]:
    """Lines whose YAML comment holds the allow marker; the marker inside a value does not count.

    PyYAML's scanner gives each value's span: a '#' outside every value, at the start of a line or
    after white space, starts a comment.
    """
    if ALLOW_MARKER not in text:
        return set()
    try:
        spans = [_value_span(text, token)
                 for token in yaml.scan(text, Loader=yaml.SafeLoader) if isinstance(token, yaml.ScalarToken)]
    except yaml.YAMLError:
        return set()
    span_starts = [start for start, _ in spans]
    allowed = set()
    offset = 0
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        marker = line.find(ALLOW_MARKER)
        if marker >= 0 and _comment_before(line, offset, marker, spans, span_starts):
            allowed.add(number)
        offset += len(line)
        offset += 2 if text.startswith("\r\n", offset) else 1
    return allowed


def _value_span(text: str, token: yaml.ScalarToken) -> tuple[int, int]:
    """Where a value's text lies; a block scalar's starts on the line after its | or > (whose own
    line may end in a comment)."""
    start, end = token.start_mark.index, token.end_mark.index
    if token.style in ("|", ">"):
        header_end = _LINE_BREAK.search(text, start)
        start = header_end.end() if header_end else end
    return start, end


def _comment_before(line: str, offset: int, marker: int, spans: list[tuple[int, int]],
                    span_starts: list[int]) -> bool:
    """Whether a comment starts on this line before column marker: a '#' outside every value."""
    for column in range(marker):
        if line[column] != "#" or (column and not line[column - 1].isspace()):
            continue
        index = offset + column
        inside = bisect_right(span_starts, index) - 1
        if inside < 0 or spans[inside][1] <= index:
            return True
    return False


def find_personal_data_in_values(document, text: str = "") -> list[Finding]:
    """Personal data in a parsed YamlDocument's values, in line order.

    text, the file's source, is optional: it places findings inside multi-line values on their own
    line and tells which lines carry the allow comment.
    """
    allowed = allowed_lines(text)
    lines = _LineFinder(text, list(document.lines.values()))
    findings = []
    for loc, value in _published_texts(document.data):
        spans = scan_text(value)
        if not spans:
            continue
        first = document.line_of(loc)
        for (start, end, kind), line in zip(spans, lines.lines_of(first, [value[s:e] for s, e, _ in spans])):
            if line in allowed or first in allowed:
                continue
            findings.append(Finding(line, kind, mask(value[start:end]), kind in WARNING_KINDS, field_path(loc)))
    return sorted(findings, key=lambda f: f.line)


def find_personal_data(text: str) -> list[Finding]:
    """Parse a source's text and scan its values (for tests and tools; the loader has the document)."""
    from .yamlsource import parse
    return find_personal_data_in_values(parse(text), text)
