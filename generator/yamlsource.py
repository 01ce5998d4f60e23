"""Reading one YAML file into plain data plus the line of every value.

PyYAML's composer gives nodes with marks; we construct the data ourselves so that each
value's line is kept (for `path:line` messages) and so that aliases, duplicate keys,
tabs and wrong encodings are refused with a message instead of a traceback.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor
from yaml.cyaml import CParser
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .characters import refusal
from .meant import ODD_SPACES, field_named
from .problems import Loc, field_path

MAX_FILE_BYTES = 512 * 1024
UTF8_BOM = b"\xef\xbb\xbf"


class YamlFileError(Exception):
    """A file that cannot be read as YAML data at all; line is 1-based, field names the value if known."""

    def __init__(self, line: int, message: str, field: str = ""):
        self.line, self.message, self.field = line, message, field
        super().__init__(message)


@dataclass
class YamlDocument:
    data: object
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int:
        """The line of loc, or of its nearest enclosing value that exists in the file."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core-schema style: 10:07 stays text (not 607), yes/no/on/off stay text."""


for _tag, _pattern, _first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    # No leading zero: 0123 or 01062345678 is a code or a phone number, kept as written (as text),
    # never read as an octal number or stripped of its zero.
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    ("tag:yaml.org,2002:float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", "-+0123456789."),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:timestamp", r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$", "0123456789"),
]:
    _Resolver.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
              SafeConstructor, _Resolver):
    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        SafeConstructor.__init__(self)
        _Resolver.__init__(self)


class _FastLoader(CParser, SafeConstructor, _Resolver):
    """libyaml's parser: about ten times faster, for the ordinary file (see _parse)."""

    def __init__(self, stream):
        CParser.__init__(self, stream)
        SafeConstructor.__init__(self)
        _Resolver.__init__(self)


class _SharedNode(Exception):
    """The same node reached twice: an alias, which only the careful loader describes."""


class _NoAliasLoader(_Loader):
    # Aliases are refused before they are expanded: a "billion laughs" file costs nothing.
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlFileError(event.start_mark.line + 1,
                                "YAML aliases (*name) are not allowed; write the value out in full")
        return super().compose_node(parent, index)


def walk_text(data, loc: Loc = (), keys: bool = False):
    """(loc, text) for every text value, and every mapping key if keys."""
    if isinstance(data, dict):
        for key, value in data.items():
            if keys and isinstance(key, str):
                yield loc + (key,), key
            yield from walk_text(value, loc + (key,), keys)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from walk_text(value, loc + (index,), keys)
    elif isinstance(data, str):
        yield loc, data


def decode(raw: bytes) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise YamlFileError(1, f"file is {len(raw) // 1024} KiB; the limit is {MAX_FILE_BYTES // 1024} KiB")
    if raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM):]
    if _looks_like_utf16(raw):
        raise YamlFileError(1, "file is saved as UTF-16 (Unicode), not UTF-8; in your editor choose "
                               "'Save with encoding' > UTF-8")
    if b"\x00" in raw:
        raise YamlFileError(1, "file is binary, not YAML text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            raise YamlFileError(line, "file is not UTF-8 text; save it with UTF-8 encoding") from None
        raise YamlFileError(
            line, "file is saved as GBK/GB18030, not UTF-8; in your editor choose "
                  "'Save with encoding' > UTF-8 (or run: iconv -f GB18030 -t UTF-8)") from None


def _looks_like_utf16(raw: bytes) -> bool:
    """A UTF-16 BOM, or text that reads as UTF-16 without NULs (Notepad's 'Unicode' encoding)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" not in raw or len(raw) % 2:
        return False
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if ":" in text and "\x00" not in text:
            return True
    return False


def _node_to_data(node: Node, loc: Loc, lines: dict[Loc, int], constructor: SafeConstructor,
                  line: int | None = None, seen: set[int] | None = None):
    # A mapping value is located at its key's line: that is where a person looks for "field 'x'".
    lines[loc] = line or node.start_mark.line + 1
    if seen is not None:
        if id(node) in seen:
            raise _SharedNode()
        seen.add(id(node))
    if isinstance(node, (MappingNode, SequenceNode)):
        _refuse_collection_tag(node, loc)
    if isinstance(node, MappingNode):
        data: dict = {}
        first_line: dict = {}
        for key_node, value_node in node.value:
            key = construct_scalar(key_node, loc, constructor) if isinstance(key_node, ScalarNode) \
                else constructor.construct_object(key_node, deep=True)
            if not isinstance(key, str):  # every field name is text: `1: x` is the unknown field '1'
                key = _key_text(key)
            if key in data:
                raise YamlFileError(key_node.start_mark.line + 1,
                                    f"key '{key}' appears twice (first on line {first_line[key]})")
            first_line[key] = key_node.start_mark.line + 1
            data[key] = _node_to_data(value_node, loc + (key,), lines, constructor, first_line[key], seen)
        return data
    if isinstance(node, SequenceNode):
        return [_node_to_data(item, loc + (i,), lines, constructor, None, seen) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    return construct_scalar(node, loc, constructor)


def _key_text(key) -> str:
    """A key that YAML read as something else, as it was typed: `{经办人}:` is the key '{经办人}'."""
    if isinstance(key, dict):
        return "{" + ", ".join(str(k) if v is None else f"{k}: {v}" for k, v in key.items()) + "}"
    if isinstance(key, list):
        return "[" + ", ".join(map(str, key)) + "]"
    return str(key)


# The kinds of value a source file holds; any other tag (!!binary, !!set, !!python/..., !mine) is refused.
_TAGS = {f"tag:yaml.org,2002:{name}": name for name in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {MappingNode: "tag:yaml.org,2002:map", SequenceNode: "tag:yaml.org,2002:seq"}
_TAG_EXPECTS = {"int": "a whole number", "float": "a number", "bool": "true or false",
                "timestamp": "a date written YYYY-MM-DD, e.g. 2026-01-31"}
_DIGIT_LIMIT = 60  # no count or order in a source file comes near this; Python refuses above 4,300


def short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


def _refuse_collection_tag(node: Node, loc: Loc) -> None:
    if node.tag != _COLLECTION_TAGS[type(node)]:
        raise YamlFileError(node.start_mark.line + 1, f"tag '{short_tag(node.tag)}' is not allowed here; remove it "
                            f"(values are text, numbers, true/false, dates, lists and mappings)", field_path(loc))


def construct_scalar(node: ScalarNode, loc: Loc, constructor: SafeConstructor):
    """One value, or a YamlFileError naming its line and field when its tag and text disagree."""
    # The line and field are worked out only for a refusal: this runs for every value of every file.
    kind = _TAGS.get(node.tag)
    if kind is None:
        raise YamlFileError(node.start_mark.line + 1, f"tag '{short_tag(node.tag)}' is not allowed; remove it (values "
                            f"are text, numbers, true/false, dates, lists and mappings)", field_path(loc))
    if kind == "int" and len(node.value) > _DIGIT_LIMIT:
        digits = sum(char.isdigit() for char in node.value)
        if digits > _DIGIT_LIMIT:
            raise YamlFileError(node.start_mark.line + 1, f"a number with {digits} digits is too long; if it is text, "
                                                          f"put it in quotes", field_path(loc))
    try:
        return constructor.construct_object(node, deep=True)
    except (ValueError, KeyError, AttributeError, TypeError, OverflowError, yaml.YAMLError) as error:
        raise YamlFileError(node.start_mark.line + 1, _bad_value_message(kind, node.value, error),
                            field_path(loc)) from None


_DATE_SHAPE = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$")


def _bad_value_message(kind: str, text: str, error: Exception) -> str:
    if kind == "timestamp" and _DATE_SHAPE.match(text):
        reason = str(error) if isinstance(error, ValueError) else "no such day"
        return f"'{text}' is not a real date ({reason}); write YYYY-MM-DD, e.g. 2026-01-31"
    return f"'{text}' is not {_TAG_EXPECTS.get(kind, 'a ' + kind)} (tagged !!{kind}); fix the value or remove the tag"


def parse(text: str) -> YamlDocument:
    if not text.strip():
        raise YamlFileError(1, "file is empty; start from `kesu new` or copy an existing file")
    try:
        return _parse(text)
    except RecursionError:
        # PyYAML composes recursively; nesting this deep is never a real source file.
        raise YamlFileError(1, "values are nested too deeply to be a source file") from None


# Above this many flow brackets a file may nest deeper than libyaml's recursive composer should go.
_FAST_PATH_MAX_BRACKETS = 200


def _parse(text: str) -> YamlDocument:
    if text.count("[") + text.count("{") <= _FAST_PATH_MAX_BRACKETS:
        try:
            return _parse_fast(text)
        except (yaml.YAMLError, _SharedNode):
            pass  # the careful loader below finds the same problem and words it for a person
    return _parse_careful(text)


def _parse_fast(text: str) -> YamlDocument:
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is None:
        raise yaml.YAMLError("empty")
    lines: dict[Loc, int] = {}
    document = YamlDocument(_node_to_data(node, (), lines, SafeConstructor(), seen=set()), lines)
    _refuse_folded_list_items(node, text)
    return document


def _parse_careful(text: str) -> YamlDocument:
    try:
        loader = _NoAliasLoader(text)
    except yaml.reader.ReaderError as error:  # a character YAML does not allow anywhere in a file
        raise YamlFileError(text.count("\n", 0, error.position) + 1, refusal(chr(error.character))) from None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        raise YamlFileError(*_describe_yaml_error(error, text)) from None
    except yaml.YAMLError as error:
        raise YamlFileError(1, f"invalid YAML: {error}") from None
    finally:
        loader.dispose()
    if node is None:
        raise YamlFileError(1, "file is empty; start from `kesu new` or copy an existing file")
    lines: dict[Loc, int] = {}
    try:
        data = _node_to_data(node, (), lines, SafeConstructor())
    except yaml.constructor.ConstructorError as error:
        raise YamlFileError(*_describe_yaml_error(error, text)) from None
    _refuse_folded_list_items(node, text)
    return YamlDocument(data, lines)


def _refuse_folded_list_items(root: Node, text: str) -> None:
    """A '- ' line that YAML folds into the text above it, because it is indented further than its
    list (`  - 退款\n   - 道歉` is the one item '退款 - 道歉'), or because it follows 'outcome: text'."""
    stack, source_lines = [root], None
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            stack += [value for pair in node.value for value in pair]
        elif isinstance(node, SequenceNode):
            stack += node.value
        elif not node.style and node.end_mark.line > node.start_mark.line:
            source_lines = source_lines or text.splitlines()
            for number in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(source_lines))):
                if source_lines[number].lstrip().startswith("- "):
                    raise YamlFileError(number + 1, "this '- ' line is read as part of the text above it, not as a "
                                                    "list item: line it up with the other '- ' items, or write "
                                                    "'field: |' above the text to keep its lines as written")


def _describe_yaml_error(error: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 1
    lines = text.splitlines()
    source_line = lines[line - 1] if mark and line <= len(lines) else ""
    if "\t" in source_line[: len(source_line) - len(source_line.lstrip())] or "'\\t'" in str(error.problem):
        return line, "a tab is used for indentation; indent with spaces only"
    if found := careless_line(lines, _suspect_lines(error, lines, line)):
        return found
    if found := _explain_yaml_error(error, lines, line):
        return found
    parts = [part.strip() for part in (error.context, error.problem) if part]
    return line, f"invalid YAML: {', '.join(parts)}"


# A field name as the sources write them (title, related_procedures), or in Chinese (标题), at the
# start of a line or of a list item.
_KEY = r"^[ ]*(?:-[ ]+)?([A-Za-z_][A-Za-z0-9_]*)"
_ANY_KEY = r"^[ ]*(?:-[ ]+)?([A-Za-z_][A-Za-z0-9_]*|[\u4e00-\u9fff]{1,8})"
_CARELESS = [
    (re.compile(_ANY_KEY + r"[ ]*\uff1a"), "full-width colon '：' after '{key}': write an ASCII colon and a space, "
                                           "'{key}: ...'"),
    (re.compile(_KEY + r":([\u3000\u00a0])"), "the space after '{key}:' is {space}: type an ordinary space"),
    (re.compile(_KEY + r":(?=[^\s])"), "no space after '{key}:': write '{key}: ...' (a colon, then a space)"),
    (re.compile(r"^[ ]*([\u3000\u00a0])"), "line is indented with {space}: indent with ordinary spaces only"),
]
_TEXT_BLOCK = re.compile(r":[ ]+[|>][-+0-9]*[ ]*(?:#.*)?$")


def careless_line(lines: list[str], numbers: list[int]) -> tuple[int, str] | None:
    """The first of the lines `numbers` (1-based) with a typing slip that YAML cannot read as a field:
    a full-width colon, no space after the colon, a full-width or no-break space as indentation."""
    for number in sorted(set(numbers)):
        line = lines[number - 1] if 0 < number <= len(lines) else ""
        for pattern, message in _CARELESS:
            match = pattern.match(line)
            if match:
                key = match.group(1) if match.group(1) not in ODD_SPACES else ""
                space = next((ODD_SPACES[c] for c in match.groups() if c in ODD_SPACES), "")
                if key and not key.isascii() and field_named(key):
                    return number, _chinese_key_message(key)
                return number, message.format(key=key, space=space)
    return None


def lines_outside_text_blocks(lines: list[str]):
    """(number, line) of every line that is not the text of a block (summary: | and the lines under it)."""
    block_indent = None
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if not stripped.strip() or indent > block_indent:
                continue
            block_indent = None
        yield number, line
        if _TEXT_BLOCK.search(line):
            block_indent = indent + len(stripped) - len(stripped.lstrip("- "))


def _chinese_key_message(key: str) -> str:
    return (f"'{key}：' is not a field: field names are English words followed by an ASCII colon and a space, "
            f"'{field_named(key)}: ...'")


def _suspect_lines(error: yaml.MarkedYAMLError, lines: list[str], line: int) -> list[int]:
    """Where a slip behind a parser error may sit: where the parser started the value it could not
    finish, the line it stopped at, and the line above that at the same or a lower indentation."""
    numbers = [line]
    if error.context_mark:
        numbers.append(error.context_mark.line + 1)
    indent = _indent(lines[line - 1]) if 0 < line <= len(lines) else 0
    for number in range(line - 1, 0, -1):
        text = lines[number - 1]
        if text.strip() and not text.lstrip().startswith("#") and _indent(text) <= indent:
            numbers.append(number)
            break
    return numbers


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \u3000\u00a0"))


_INSIDE_QUOTES = {
    '"': "to quote words inside the value, use Chinese quotes “” or wrap the whole value in '...'",
    "'": "to write ' inside '...', write it twice ('')",
    "]": "a value that starts with [ is a list; to write text, put the whole value in quotes",
    "}": "a value that starts with { is a mapping; to write text, put the whole value in quotes",
}
_INDENTATION = ("this line is indented differently from the lines above it: items of one list, and fields of one "
                "item, start in one column")


@dataclass
class _ParserStop:
    """Where and why the parser stopped: the error, the file's lines and the 1-based line it names."""

    error: yaml.MarkedYAMLError
    lines: list[str]
    line: int

    def __post_init__(self):
        self.problem, self.context = self.error.problem or "", self.error.context or ""
        self.source_line = self.lines[self.line - 1] if 0 < self.line <= len(self.lines) else ""
        # `key: value` on the line where the parser stopped: group 1 the key, group 2 the value as typed.
        self.value = re.match(_KEY + r":[ ]+(.*)$", self.source_line)


def _explain_yaml_error(error: yaml.MarkedYAMLError, lines: list[str], line: int) -> tuple[int, str] | None:
    """Common slips worded for the person who made them, instead of the parser's terms."""
    stop = _ParserStop(error, lines, line)
    for explain in _EXPLANATIONS:
        if found := explain(stop):
            return found
    return None


def _unclosed_quote(stop: _ParserStop):
    start = stop.error.context_mark
    if "quoted scalar" in stop.context and "end of stream" in stop.problem and start:
        quote = stop.lines[start.line][start.column] if start.column < len(stop.lines[start.line]) else '"'
        return start.line + 1, f"the quote {quote} opened here is never closed: end the value with {quote} or leave " \
                               f"the quotes out"
    return None


def _text_on_the_block_line(stop: _ParserStop):
    if stop.value and stop.value.group(2)[:1] in "|>" and "block scalar" in stop.context:
        key, mark = stop.value.group(1), stop.value.group(2)[0]
        return stop.line, f"after '{key}: {mark}' the text goes on the lines below, indented by two spaces more " \
                          f"than '{key}'"
    return None


_VALUE_MARK_ERRORS = ("token", "alias", "anchor", "tag", "block scalar", "mapping values")


def _value_starting_with_a_mark(stop: _ParserStop):
    if stop.value and stop.value.group(2)[:1] in "@`%*&!|>" and \
            any(part in stop.problem or part in stop.context for part in _VALUE_MARK_ERRORS):
        key, value = stop.value.groups()
        return stop.line, f"a value cannot start with '{value[0]}' as written: put the whole value in quotes, " \
                          f"e.g. {key}: '{value}'"
    return None


def _list_on_the_key_line(stop: _ParserStop):
    if "sequence entries are not allowed" in stop.problem and stop.value and stop.value.group(2).startswith("-"):
        return stop.line, f"a list cannot start on the line of '{stop.value.group(1)}:': put each item on its own " \
                          f"line below, indented, starting with '- ' (or quote the value)"
    return None


def _line_without_a_key(stop: _ParserStop):
    return (stop.line, "this line has no field name before ':'") if stop.source_line.lstrip().startswith(":") else None


def _colon_inside_a_value(stop: _ParserStop):
    if "mapping values are not allowed" not in stop.problem:
        return None
    if stop.value is None:
        return stop.line, _INDENTATION
    key, value = stop.value.groups()
    if inner := re.search(r"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*):[ ]", value):
        return stop.line, f"'{inner.group(1)}:' starts another field: put it on its own line, lined up with '{key}'"
    return stop.line, f"the value of '{key}' contains ': ': put the whole value in quotes, e.g. {key}: '{value}'"


def _text_after_a_closing_quote(stop: _ParserStop):
    if "expected <block end>" not in stop.problem:
        return None
    after = re.search(r"""(['"\]\}])[^'"\]\}#]*\S""", stop.value.group(2)) if stop.value else None
    if after and stop.value.group(2)[:1] in "'\"[{":
        return stop.line, f"text follows the closing {after.group(1)} of the value of '{stop.value.group(1)}': " \
                          f"{_INSIDE_QUOTES[after.group(1)]}"
    return stop.line, _INDENTATION


def _line_outside_any_field(stop: _ParserStop):
    if "could not find expected ':'" not in stop.problem:
        return None
    start = stop.error.context_mark.line + 1 if stop.error.context_mark else stop.line
    previous = next((stop.lines[n] for n in range(start - 2, -1, -1) if stop.lines[n].strip()), "")
    if _TEXT_BLOCK.search(previous):
        return start, "the text under a '|' field must be indented further than the field name"
    return start, ("this line is neither 'field: value' nor indented under a field: check its indentation and the "
                   "': ' after the field name (a comment starts with '#')")


def _indented_first_line(stop: _ParserStop):
    if "document start" not in stop.problem:
        return None
    first = next((n for n, text in enumerate(stop.lines, 1) if text.strip() and not text.lstrip().startswith("#")),
                 stop.line)
    if first < stop.line and stop.lines[first - 1][:1] == " ":
        return first, "the first line of the file is indented: top-level fields start at the beginning of the line"
    return stop.line, _INDENTATION


def _unclosed_bracket(stop: _ParserStop):
    # A bracket left open at the end of the file keeps the parser's own words (the corpus's invalid-yaml.yml).
    if not stop.context.startswith("while parsing a flow") or "<stream end>" in stop.problem:
        return None
    start = stop.error.context_mark
    if start and start.line + 1 < stop.line:
        opener, closer = ("[", "]") if "sequence" in stop.context else ("{", "}")
        return start.line + 1, f"the '{opener}' on this line is not closed: end the list with '{closer}' on this line"
    if "but got ':'" in stop.problem:
        return stop.line, "an item inside [ ] or { } has a ':' in it: put that item in quotes, e.g. ['10:05 到店']"
    return None


def _stray_bracket(stop: _ParserStop):
    if "expected the node content, but found" in stop.problem and stop.problem[-2:-1] in "]}":
        return stop.line, f"a stray '{stop.problem[-2]}': remove it, or put the whole value in quotes"
    return None


_STRAY_STARTS = ("cannot start any token", "while scanning an anchor", "while scanning an alias", "while parsing a tag",
                 "while scanning a directive", "while scanning a block scalar")


def _stray_character(stop: _ParserStop):
    """A character with a meaning in YAML where text was meant: %, @, `, &, *, !, |, >."""
    if not any(part in stop.problem or part in stop.context for part in _STRAY_STARTS):
        return None
    error = stop.error
    mark = error.context_mark if "while scanning" in stop.context and error.context_mark else error.problem_mark
    source = stop.lines[mark.line] if mark and mark.line < len(stop.lines) else ""
    char = source[mark.column] if mark and mark.column < len(source) else ""
    return (mark.line + 1, f"'{char}' cannot start a value as written: put the whole value in quotes") \
        if char.strip() else None


_EXPLANATIONS = (_unclosed_quote, _text_on_the_block_line, _value_starting_with_a_mark, _list_on_the_key_line,
                 _line_without_a_key, _colon_inside_a_value, _text_after_a_closing_quote, _line_outside_any_field,
                 _indented_first_line, _unclosed_bracket, _stray_bracket, _stray_character)
