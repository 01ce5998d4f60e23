"""What a careless value probably meant, for the 'did you mean' part of a problem line.

A supervisor types on a Chinese keyboard in a hurry: 电话投诉 for 电话, 收银错误 for the type
收银差错, 标题 for the key title, 2026年3月1日 for 2026-03-01. Nothing here accepts such a value:
the sources keep one spelling (what `kesu new` writes), and the message names it.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date
from typing import Iterable

from .fold import fold as fold_script
from .model import CLOSED_LISTS, ClosedList

# Words that name a closed list's value without being one of its names; suggested, never accepted.
# 店面 and 严重 are left out on purpose: 店面 is the documented example of a value with no suggestion,
# and 严重 may mean 重要 or 重大 (the levels' criteria decide, not the word).
CLOSED_LIST_HINTS = {
    "channel": {
        "电话": ("热线", "400", "打电话", "手机", "语音", "致电", "电话投诉", "来电投诉"),
        "当面": ("门店", "到店", "上门", "柜台", "前台", "服务台", "面对面", "线下", "店内", "当场", "现场投诉"),
        "书面/网络": ("微信", "线上", "在线", "邮件", "邮箱", "电邮", "短信", "信函", "来信", "信件", "留言", "网站", "app",
                  "小程序", "平台", "微博", "评论", "差评", "网评", "公众号", "书信", "网络投诉", "书面投诉"),
    },
    "severity": {
        "一般": ("普通", "轻微", "较轻", "低", "小", "一般级", "常规"),
        "重要": ("较重", "中等", "中", "较大", "重要级"),
        "重大": ("紧急", "特急", "危急", "恶性", "重大级"),
    },
    "industry": {
        "零售与超市": ("零售业", "商超", "卖场", "便利店", "百货", "商场", "门店", "零售超市"),
        "汽车销售与维修": ("4s店", "汽修", "汽车维修", "汽车销售", "车行", "修车"),
        "物业管理": ("物业公司", "小区"),
        "快递物流": ("物流", "快运", "邮政", "配送", "快递公司"),
        "餐饮": ("饭店", "餐厅", "外卖", "餐馆", "饭馆", "酒楼", "餐饮业"),
        "房地产": ("地产", "房产", "楼盘", "售楼", "开发商"),
        "电子商务": ("网购", "网店", "电商平台", "直播带货", "直播"),
        "通用": ("其他", "其它", "综合", "不限", "所有行业"),
    },
    "origin": {
        "真实事件": ("真实", "真实案例", "公开报道", "新闻", "报道", "公开案例"),
        "教学虚构": ("虚构", "教学", "教学案例", "培训", "编写", "虚拟", "模拟", "虚构案例"),
        "内部案例": ("内部", "本公司", "公司案例", "脱敏", "真实投诉"),
    },
    "category": {
        "商品": ("产品", "货品", "质量", "商品质量"),
        "服务": ("服务态度", "态度"),
        "安全与环境": ("安全", "环境", "卫生"),
        "物流快递": ("物流", "快递", "配送"),
        "汽车维修": ("维修", "汽修", "汽车"),
        "物业": ("物业管理", "小区"),
        "餐饮": ("餐厅", "饭店", "食品"),
    },
}

# Values of short lists that are not closed lists of labels (the edition's region).
LITERAL_HINTS = {"tw": ("台湾", "臺灣", "taiwan", "zh-tw"), "hk": ("香港", "hongkong", "zh-hk")}

# Field names written in Chinese (or a common English near-miss), and the key they stand for.
FIELD_WORDS = {
    "title": ("标题", "题目", "案例标题", "名称", "name"),
    "name": ("名称", "类型名称", "名字", "title"),
    "industry": ("行业", "所属行业"),
    "types": ("类型", "投诉类型", "type", "类别", "分类"),
    "category": ("分类", "类别", "大类"),
    "channel": ("渠道", "投诉渠道", "途径", "方式", "channels"),
    "severity": ("级别", "等级", "投诉级别", "严重程度", "分级", "level"),
    "origin": ("来源类型", "案例来源", "出处类型", "性质"),
    "source": ("来源", "资料来源", "出处"),
    "anonymised_by": ("脱敏", "脱敏人", "anonymized_by"),
    "summary": ("概要", "摘要", "案情概要", "简介", "概述", "案情", "description"),
    "decision_after": ("决策点", "练习前显示"),
    "timeline": ("经过", "时间线", "事件经过", "过程"),
    "when": ("时间", "何时", "time"),
    "what": ("事件", "内容", "发生了什么"),
    "actions": ("措施", "采取的措施", "处理措施", "action"),
    "outcome": ("结果", "处理结果", "结局", "result"),
    "analysis": ("分析", "案例分析"),
    "went_well": ("做得好的", "优点"),
    "went_wrong": ("需要改进的", "不足", "问题"),
    "lessons": ("经验", "启示", "经验与启示", "教训", "lesson"),
    "questions": ("讨论题", "思考题", "问题", "question"),
    "question": ("题目", "提问", "问题", "讨论题"),
    "answer": ("答案", "参考答案", "回答"),
    "tags": ("标签", "关键词", "tag"),
    "related_procedures": ("相关流程", "流程", "related_procedure"),
    "related_cases": ("相关案例", "案例"),
    "related_types": ("相关类型",),
    "owner": ("负责人", "作者", "编写人", "author"),
    "reviewed": ("复核日期", "复核", "审核日期", "日期", "date", "reviewed_at", "review"),
}

# Spaces that look like a space in an editor but are not one to YAML.
ODD_SPACES = {"\u3000": "a full-width space (U+3000)", "\u00a0": "a no-break space (U+00A0)"}
# What separates several ids typed as one: the Chinese 、，；, ASCII , ; and spaces.
LIST_SEPARATORS = ("、", "，", "；", ",", ";", " ", "\u3000")
_SEPARATORS = re.compile(r"[\s\u3000]+")
# What a supervisor adds around a value: 电话投诉, 当面渠道, 重大级, 餐饮行业.
_SUFFIXES = ("投诉", "渠道", "行业", "级别", "级", "类")


def fold(text: str) -> str:
    """Full-width forms, case, spaces and the script (當面 for 当面) do not make another word."""
    return _SEPARATORS.sub("", fold_script(unicodedata.normalize("NFKC", text))).lower()


def closed_list_of(labels: Iterable[str]) -> ClosedList | None:
    labels = tuple(labels)
    return next((values for values in CLOSED_LISTS if values.labels == labels), None)


def meant_label(got: object, values: ClosedList) -> str | None:
    """The label a value outside the closed list probably stands for, or None."""
    if not isinstance(got, (str, int)) or isinstance(got, bool):
        return None
    word = fold(str(got))
    if not word:
        return None
    candidates = [word] + [word[: -len(s)] for s in _SUFFIXES if word.endswith(s) and len(word) > len(s)]
    names = _names_of(values)
    for candidate in candidates:
        if candidate in names:
            return names[candidate]
    containing = {label for name, label in names.items() if len(name) >= 2 and (name in word or word in name)}
    if len(containing) == 1:
        return containing.pop()
    close = difflib.get_close_matches(word, list(names), n=1, cutoff=0.6)
    return names[close[0]] if close else _most_shared(word, names)


def meant_literal(got: object, choices: list[str]) -> str | None:
    """The id of a short list (tw, hk) that got stands for: TW, 台湾."""
    if not isinstance(got, str):
        return None
    word = fold(got)
    return next((c for c in choices if word == fold(c) or word in LITERAL_HINTS.get(c, ())), None)


# 半天 is left out: half a working day or twelve hours, the word does not say.
_DURATION_WORDS = {"马上": "立即", "立刻": "立即", "当场": "立即", "即时": "立即", "半小时": "30分钟", "一天": "1天",
                   "两天": "2天", "一小时": "1小时", "两小时": "2小时"}
_DURATION_UNITS = {"分钟": "分钟", "分": "分钟", "min": "分钟", "mins": "分钟", "minutes": "分钟", "m": "分钟",
                   "小时": "小时", "个小时": "小时", "钟头": "小时", "个钟头": "小时", "h": "小时", "hour": "小时",
                   "hours": "小时", "天": "天", "日": "天", "d": "天", "day": "天", "days": "天"}


def meant_duration(got: object) -> str | None:
    """A deadline as the sources write it (30分钟, 1小时, 2天, 立即) for 30 分钟内, 1h, 半小时, 马上."""
    if isinstance(got, bool) or not isinstance(got, (str, int)):
        return None
    word = fold(str(got))
    word = re.sub(r"^(在|于)|(内|以内|之内|前|左右|以下)$", "", word)
    if word in _DURATION_WORDS:
        return _DURATION_WORDS[word]
    match = re.fullmatch(r"([0-9一二两三四五六七八九十]+)([^0-9]+)", word)
    if match and match.group(2) in _DURATION_UNITS:
        number = meant_number(match.group(1))
        return f"{number}{_DURATION_UNITS[match.group(2)]}" if number else None
    return None


def _names_of(values: ClosedList) -> dict[str, str]:
    """{folded name: label} for every id, label, alias and hint of the list."""
    hints = CLOSED_LIST_HINTS.get(values.name, {})
    names = {}
    for choice in values:
        for name in (choice.id, choice.label, *choice.aliases, *hints.get(choice.label, ())):
            names.setdefault(fold(name), choice.label)
    return names


def _most_shared(word: str, names: dict[str, str]) -> str | None:
    """The one label whose names share the most Han characters with word (at least two)."""
    best: dict[str, int] = {}
    for name, label in names.items():
        shared = len({c for c in word if _is_han(c)} & set(name))
        best[label] = max(best.get(label, 0), shared)
    top = max(best.values(), default=0)
    winners = [label for label, shared in best.items() if shared == top]
    return winners[0] if top >= 2 and len(winners) == 1 else None


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def meant_id(got: str, names: dict[str, str]) -> str | None:
    """The id a reference names by its Chinese name or title (收银差错, 收银错误), or None.

    names: {id: Chinese name or title} of the files the reference may point to.
    """
    word = fold(got)
    if not word or not any(_is_han(c) for c in word):
        return None
    folded = {i: fold(name) for i, name in names.items() if name}
    exact = [i for i, name in folded.items() if name == word]
    if exact:
        return exact[0]
    containing = [i for i, name in folded.items() if len(word) >= 2 and (word in name or name in word)]
    if len(containing) == 1:
        return containing[0]
    close = difflib.get_close_matches(word, list(folded.values()), n=1, cutoff=0.5)
    if close:
        return next(i for i, name in folded.items() if name == close[0])
    by_name = {name: i for i, name in folded.items()}
    found = _most_shared(word, by_name)
    return found


def field_named(word: str) -> str | None:
    """The field a Chinese name stands for (标题 -> title), or None."""
    return next((name for name, words in FIELD_WORDS.items() if word in words), None)


def meant_key(key: object, allowed: Iterable[str]) -> str | None:
    """The field an unknown key stands for: a near spelling (titel), another case (Title),
    a trailing space, or a Chinese name (标题)."""
    allowed = list(allowed)
    if not isinstance(key, str) or not allowed:
        return None
    word = fold(key).replace("-", "_")
    for name in allowed:
        if word == name or word in FIELD_WORDS.get(name, ()):
            return name
    for name in allowed:  # a Chinese name inside a longer one: 案例标题, 处理经过
        if any(len(w) >= 2 and _is_han(w[0]) and w in word for w in FIELD_WORDS.get(name, ())):
            return name
    close = difflib.get_close_matches(word, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


_TRUE_WORDS = ("是", "对", "正确", "真", "√", "✓", "✔", "对的", "是的", "yes", "y")
_FALSE_WORDS = ("否", "错", "错误", "不对", "不是", "假", "×", "✗", "✘", "x", "no", "n")


def meant_bool(got: object) -> str | None:
    """'true' or 'false' for 是, 对, √, 否, 错, ×."""
    if not isinstance(got, str):
        return None
    word = fold(got)
    return "true" if word in _TRUE_WORDS else "false" if word in _FALSE_WORDS else None


_CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                   "八": 8, "九": 9}


def meant_number(got: object) -> int | None:
    """A whole number written with full-width digits (２), in Chinese (二, 十二) or with a unit (2条)."""
    if not isinstance(got, str):
        return None
    word = re.sub(r"(条|个|项|步|次|分|点|号|第)", "", fold(got))
    if word.isascii() and word.isdigit():
        return int(word)
    if word and all(c in _CHINESE_DIGITS or c == "十" for c in word):
        if "十" not in word:
            return int("".join(str(_CHINESE_DIGITS[c]) for c in word))
        tens, _, ones = word.partition("十")
        if len(tens) <= 1 and len(ones) <= 1:
            return _CHINESE_DIGITS.get(tens, 1) * 10 + _CHINESE_DIGITS.get(ones, 0)
    return None


_DATE_FORMS = [
    re.compile(r"^(\d{4})\s*[年./\-_]\s*(\d{1,2})\s*[月./\-_]\s*(\d{1,2})\s*日?(?:[\sT].*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def meant_date(got: object) -> date | None:
    """A date written another way: 2026年3月1日, 2026/3/1, 2026.03.01, 20260301, ２０２６-０３-０１, with a time."""
    if isinstance(got, bool) or not isinstance(got, (str, int)):
        return None
    word = unicodedata.normalize("NFKC", str(got)).strip()
    for form in _DATE_FORMS:
        match = form.match(word)
        if match:
            try:
                return date(*map(int, match.groups()))
            except ValueError:
                return None
    return None
