"""Fuzzing `kesu check`: whatever a source file holds, the answer is exit 0 or 1 and one line per problem.

Examples are derandomized and bounded, so the run takes seconds and fails the same way every time.
"""
from __future__ import annotations

import re
import shutil
import string
import unicodedata

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_PROJECT
from generator.cli import main

FUZZ = settings(max_examples=80, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# What `kesu check` may print on stderr: a problem, a warning, the count, or one Error line.
LINE = re.compile(r"^(cases/[^\n]*:\d+: .+|\d+ problem\(s\) found; nothing was written\.|Error: .+)$")
# Characters that could drive a terminal (escape sequences, carriage returns, direction overrides).
HIDDEN = {"Cc", "Cf", "Cs", "Zl", "Zp"}
SAMPLE = (FIXTURE_PROJECT / "cases/library/sample-case.yml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory, monkeypatch_module):
    root = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(FIXTURE_PROJECT, root)
    monkeypatch_module.chdir(root)
    return root


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KESU_REVIEW_DAYS", "36500")
        yield patch


def check_answers_in_lines(project, source: str | bytes) -> None:
    path = project / "cases/library/fuzz.yml"
    path.write_bytes(source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass"))
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code in (0, 1), result.exc_info
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exc_info
    for line in result.stderr.splitlines():
        assert LINE.match(line), line
        assert not [c for c in line if unicodedata.category(c) in HIDDEN], line
    assert result.exit_code == 0 or result.stderr


# Pieces of YAML syntax, so that random text reaches the parser's corners (tags, anchors, flows, escapes).
TOKENS = st.sampled_from([
    "title: ", "summary: ", "reviewed: ", "types: ", "- ", ": ", "\n", "\n  ", "\t", "{", "}", "[", "]", ",",
    "!!int ", "!!float ", "!!bool ", "!!timestamp ", "!!str ", "!!binary ", "!!set ", "!!python/name:x ", "!x ",
    "&a ", "*a", "? ", "|\n  ", ">\n  ", '"', "'", "\\u202e", "\\x1b[2J", "\\0", "\\L", "#", "---\n", "...\n",
    "%YAML 1.2\n", "2024-02-30", "0000-01-01", "9" * 5000, "1e999", ".nan", "\u200b", "\u202e", "\x1b", "收银",
    "{客户称呼}", "138 1234 5678", "<script>", "index",
])
SCALARS = (st.text(max_size=30) | st.integers() | st.floats() | st.booleans() | st.none() | st.dates()
           | st.integers(min_value=10 ** 60, max_value=10 ** 80))
STRUCTURES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(st.text(max_size=10) | st.sampled_from(["title", "types", "questions"]),
                                            inner, max_size=4), max_leaves=20)
FIELDS = st.sampled_from(["title", "industry", "types", "channel", "severity", "origin", "summary", "timeline",
                          "analysis", "questions", "tags", "reviewed", "owner"])


@FUZZ
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_random_unicode_text(project, text):
    check_answers_in_lines(project, text)


@FUZZ
@given(data=st.binary(max_size=200))
def test_random_bytes(project, data):
    check_answers_in_lines(project, data)


@FUZZ
@given(pieces=st.lists(TOKENS | st.text(alphabet=string.printable + "收银台价签", max_size=5), max_size=30))
def test_random_yaml_syntax(project, pieces):
    check_answers_in_lines(project, "".join(pieces))


@FUZZ
@given(data=STRUCTURES)
def test_random_yaml_structures(project, data):
    check_answers_in_lines(project, yaml.safe_dump(data, allow_unicode=True))


@FUZZ
@given(field=FIELDS, value=STRUCTURES)
def test_a_valid_case_with_one_field_replaced_by_anything(project, field, value):
    case = yaml.safe_load(SAMPLE)
    case[field] = value
    check_answers_in_lines(project, yaml.safe_dump(case, allow_unicode=True))
