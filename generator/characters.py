"""Characters that must not reach a page or a terminal as they are.

Source text may carry characters nobody sees in an editor: control characters (from YAML
escapes such as "\\x1b" or "\\0"), bidirectional controls that make text display in another
order than it is stored (U+202E), zero-width characters that hide inside a word (so that
search and the privacy guard no longer see the word), and line separators. They are refused
in every value, with a visible name. Messages echo source text; `visible` escapes whatever
could move the cursor, clear the screen or fake a line of output.
"""
from __future__ import annotations

import unicodedata

# Tabs and line breaks are ordinary text in block values.
ALLOWED_CONTROLS = frozenset("\n\t")
ZERO_WIDTH_JOINER = "\u200d"
# Emoji sequences (family, flags of regions) are glued by these; elsewhere they hide text.
_EMOJI_GLUE = frozenset(ZERO_WIDTH_JOINER) | {chr(c) for c in range(0xE0020, 0xE0080)}

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")


def code_point(char: str) -> str:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)'."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "")
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


_CONTROL_NAMES = {"\x00": "NUL", "\x07": "BELL", "\x08": "BACKSPACE", "\x0b": "VERTICAL TAB",
                  "\x0c": "FORM FEED", "\r": "CARRIAGE RETURN", "\x1b": "ESCAPE", "\x7f": "DELETE"}


def _is_hidden(char: str) -> bool:
    """Whether char is invisible or moves text around: controls, format characters, separators."""
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")


def visible(text: str) -> str:
    """text with every hidden character written as an escape (\\x1b, \\n, \\u202e): safe to print on one line."""
    if text.isprintable():
        return text
    return "".join(_escape(char) if _is_hidden(char) else char for char in text)


def _escape(char: str) -> str:
    escaped = repr(char)[1:-1]
    if escaped != char and len(escaped) > 1 and escaped.startswith("\\"):
        return escaped
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _glues_emoji(text: str, index: int) -> bool:
    before = text[index - 1] if index else ""
    return text[index] in _EMOJI_GLUE and bool(before) and (
        unicodedata.category(before) in ("So", "Sk", "Mn") or before in _EMOJI_GLUE)


def unsafe_character(text: str) -> tuple[int, str] | None:
    """The first character of text that is refused, with why, or None."""
    if text.isprintable() and not (ZERO_WIDTH & set(text)):
        return None
    for index, char in enumerate(text):
        if char in ALLOWED_CONTROLS or not (_is_hidden(char) or char in ZERO_WIDTH):
            continue
        if _glues_emoji(text, index):
            continue
        return index, refusal(char)
    return None


def refusal(char: str) -> str:
    """Why char is refused, naming it visibly."""
    name = code_point(char)
    if char in BIDI_CONTROLS:
        return (f"invisible direction control {name}: it makes text display in another order than it "
                f"is written; remove it")
    if char in ZERO_WIDTH:
        return f"invisible zero-width character {name}: it hides inside words (search misses them); remove it"
    if unicodedata.category(char) in ("Zl", "Zp"):
        return f"line separator {name}: use an ordinary line break"
    return f"control character {name}: remove it (often pasted from another program or a YAML escape)"


# Messages quote what a source holds; a pasted page in one field must not become a page-long line.
QUOTE_LIMIT = 80


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
