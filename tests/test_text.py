"""The text pipeline: every source string has a kind, and each place's filter keeps it text."""
from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from generator import text
from generator.load import load_project
from generator.model import KINDS, MARKDOWN, TextKind
from generator.problems import SourceErrors
from generator.render import environment, render_pages

TEMPLATES = Path(__file__).resolve().parent.parent / "generator" / "templates"


def _string_kinds(annotation, metadata=()) -> typing.Iterator[TextKind | None]:
    """The TextKind of every str inside an annotation (None for a str without one)."""
    if typing.get_origin(annotation) is typing.Annotated:
        yield from _string_kinds(typing.get_args(annotation)[0], metadata + annotation.__metadata__)
    elif annotation is str:
        yield next((m for m in metadata if isinstance(m, TextKind)), None)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return  # checked on its own
    else:
        for arg in typing.get_args(annotation):
            yield from _string_kinds(arg)


def _models() -> set[type[BaseModel]]:
    seen, todo = set(), list(KINDS.values())
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for field in model.model_fields.values():
            stack = [field.annotation]
            while stack:
                annotation = stack.pop()
                if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                    todo.append(annotation)
                stack += typing.get_args(annotation)
    return seen


def _fields():
    for model in sorted(_models(), key=lambda m: m.__name__):
        for name, field in model.model_fields.items():
            yield model, name, list(_string_kinds(field.annotation, tuple(field.metadata)))


def test_every_string_field_of_every_model_is_plain_or_markdown():
    missing = [f"{model.__name__}.{name}" for model, name, kinds in _fields() if None in kinds]
    assert missing == []


def markdown_fields() -> set[str]:
    return {name for _, name, kinds in _fields() if MARKDOWN in kinds}


def test_the_markdown_fields_are_the_long_texts():
    assert markdown_fields() == {"summary", "outcome", "answer", "body", "scenario", "customer_brief"}


def test_templates_apply_the_markdown_filter_to_markdown_fields_only():
    uses = []
    for path in TEMPLATES.glob("*.j2"):
        uses += re.findall(r"\{\{\s*[\w.\[\]]*?\.?(\w+)\s*\|\s*md\b", path.read_text(encoding="utf-8"))
    assert uses and set(uses) <= markdown_fields()
    # Letter.body shares Section.body's name but is plain text with placeholders.
    template = (TEMPLATES / "type.md.j2").read_text(encoding="utf-8")
    assert "{{ letter.body | slots" in template and "letter.body | md" not in template


def test_a_template_cannot_print_source_text_without_a_filter():
    with pytest.raises(TypeError, match="without a text filter"):
        environment().from_string("{{ title }}").render(title="<b>x</b>")
    with pytest.raises(TypeError, match="passed a text filter"):
        environment().from_string("{{ items | join(', ') }}").render(items=["a", "b"])
    assert environment().from_string("{{ items | map('plain') | join('、') }}").render(items=["*a*", "b"]) == \
        "&#42;a&#42;、b"
    assert "safe" not in environment().filters and "e" not in environment().filters


@pytest.mark.parametrize("source, expected", [
    ("标题 { onclick=x }", "标题 &#123; onclick=x &#125;"),
    ("a\nb | c", "a b &#124; c"),
    ("- 列表", "&#45; 列表"),
    ("1. 有序", "1&#46; 有序"),
    ("# 标题 #", "&#35; 标题 &#35;"),
    ('"引号" \'单\'', "&#34;引号&#34; &#39;单&#39;"),
    ("&lt;b&gt;", "&#38;lt;b&#38;gt;"),
    ("[x](javascript:y)", "&#91;x&#93;(javascript:y)"),
    ("10:30 :smile: a++b", "10:30 &#58;smile: a&#43;+b"),
    ("nul\x00bell\x07", "nul\ufffdbell\ufffd"),
])
def test_plain_text_is_escaped_for_markdown_html_and_attributes(source, expected):
    assert str(text.plain(source)) == expected


def test_headings_show_angle_brackets_full_width_because_the_title_tag_unescapes():
    assert str(text.heading("</title><img>")) == "＜/title＞＜img＞"


def test_mermaid_labels_keep_quotes_fences_and_directives_as_text():
    assert str(text.mermaid_label('a"]\n```%%{init}%%')) == "a#quot;] #96;#96;#96;#37;#37;#123;init#125;#37;#37;"


@pytest.mark.parametrize("target, url", [
    ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&c=2"),
    ("../types/x.md#anchor", "../types/x.md#anchor"),
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    ("&#106;avascript:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("vbscript:msgbox", None),
    ("data:text/html,x", None),
    ("//evil.example/x", None),
    ("mailto:a@b", None),
    ('x"onmouseover=', "x%22onmouseover="),
])
def test_links_keep_http_https_and_relative_targets_only(target, url):
    assert text.safe_url(target) == url


def test_markdown_subset_keeps_emphasis_lists_and_safe_links():
    source = "**重点** _斜体_\n\n- 一\n    - 二\n1. 三\n\n[好](https://example.org/) [坏](javascript:x) 行尾  \n下一行"
    assert str(text.markdown(source)) == (
        "**重点** _斜体_\n\n- 一\n    - 二\n1. 三\n\n[好](https://example.org/) 坏 行尾  \n下一行")


def test_markdown_subset_escapes_every_other_syntax():
    source = "# 标题\n> 引用\n```\n    缩进\n<b>x</b>{: onclick=x }\n![图](y)\n[r]: javascript:x\n<https://a.b>\n=== \"t\""
    rendered = str(text.markdown(source))
    for live in ("# ", "> ", "```", "<b>", "{:", "![", "[r]:", "<https", '=== "'):
        assert live not in rendered, live
    assert "\n    " not in rendered  # no code block outside a list
    assert str(text.markdown("段落\n\n        - 缩进的项\n    - 二级")) == "段落\n\n- 缩进的项\n    - 二级"


def test_first_line_of_markdown_gives_plain_words_for_index_tables():
    from generator.render import first_sentence
    assert first_sentence("[价签](https://x.y/)**不一致**。顾客要求退差价。") == "价签不一致。"


def _write_module_with_options(fixture_project: Path, count: int) -> None:
    path = fixture_project / "cases/modules/basics.yml"
    options = "".join(f"      - text: 选项{i}\n" for i in range(count - 1)) + "      - text: 对的\n        correct: true\n"
    source = path.read_text(encoding="utf-8")
    start = source.index("    options:\n") + len("    options:\n")
    end = source.index("    explanation:")
    path.write_text(source[:start] + options + source[end:], encoding="utf-8")


def test_a_question_with_eight_options_renders_all_eight(fixture_project):
    _write_module_with_options(fixture_project, 8)
    page = render_pages(load_project(fixture_project))["learn/basics.md"]
    assert "H. 对的</label>" in page and "正确答案：H. 对的。" in page


def test_a_question_with_more_options_than_letters_is_one_problem(fixture_project):
    _write_module_with_options(fixture_project, 27)
    with pytest.raises(SourceErrors) as raised:
        load_project(fixture_project)
    assert [str(p) for p in raised.value.problems] == [
        "cases/modules/basics.yml:13: field 'questions[0].options': at most 26 item(s) allowed, got 27"]


def test_a_page_that_cannot_be_generated_is_one_problem_naming_its_source(fixture_project, monkeypatch):
    project = load_project(fixture_project)
    render_pages(project)

    def broken(value):
        if str(value) == "收银台的差价":
            raise ValueError("cannot show this")
        return text.plain(value)

    monkeypatch.setitem(environment().filters, "heading", broken)
    with pytest.raises(SourceErrors) as raised:
        render_pages(project)
    assert [str(p) for p in raised.value.problems] == [
        "cases/library/sample-case.yml:1: page cases/sample-case.md cannot be generated: ValueError: cannot show this",
    ]


def test_generate_reports_a_page_that_cannot_be_rendered_as_a_problem(fixture_project, monkeypatch):
    project = load_project(fixture_project)
    monkeypatch.setitem(environment().filters, "heading", lambda value: 1 / 0)
    with pytest.raises(SourceErrors) as raised:
        render_pages(project)
    assert "cases/library/sample-case.yml:1: page cases/sample-case.md cannot be generated: " \
        "ZeroDivisionError: division by zero" in [str(p) for p in raised.value.problems]


def test_kesu_generate_turns_a_render_failure_into_one_line_per_page(fixture_project, monkeypatch):
    from click.testing import CliRunner
    from generator.cli import main

    monkeypatch.setitem(environment().filters, "heading", lambda value: 1 / 0)
    monkeypatch.chdir(fixture_project)
    result = CliRunner().invoke(main, ["generate"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert "cases/library/sample-case.yml:1: page cases/sample-case.md cannot be generated: " \
        "ZeroDivisionError: division by zero" in lines
    assert lines[-1].endswith("problem(s) found; nothing was written.")
    assert not (fixture_project / "docs" / "cases").exists()
