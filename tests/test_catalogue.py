"""The interface-string catalogue (generator/catalogue.py, generator/strings/zh-Hans.yml)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import Markup

from generator import catalogue
from generator.catalogue import (
    CATALOGUE_FILE, client_script, load_catalogue, strings_from_client_script, t, text, worker_labels,
)
from generator.edition import REGIONS, TRADITIONAL, convert_text_asset, edition_for, edition_settings, simplified_characters
from generator.problems import SourceErrors

ROOT = Path(__file__).resolve().parent.parent
# Where ids are used: templates, the generator's Python, the page scripts and the worker's module.
USING_FILES = sorted([*(ROOT / "generator" / "templates").glob("*.j2"), *(ROOT / "generator").glob("*.py"),
                      *(ROOT / "generator" / "js").glob("*.mjs"), *(ROOT / "docs" / "assets").glob("*.js"),
                      ROOT / "docs" / "assets" / "javascripts" / "kesu-zensical.js"])
# The page scripts and modules kesu writes by hand (not the vendored or generated ones).
SCRIPT_FILES = sorted([*(ROOT / "generator" / "js").glob("*.mjs"), *(ROOT / "docs" / "assets").glob("kesu*.js"),
                       ROOT / "docs" / "assets" / "javascripts" / "kesu-zensical.js"])
HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


# Material's feature flags (mkdocs.yml theme.features) look like ids of the search group.
FEATURE_FLAGS = {"search.suggest", "search.highlight", "search.share"}


def used_ids() -> dict[str, set[str]]:
    """id -> the files using it: every quoted literal shaped group.key whose group the catalogue has
    (a call t("x.y"), kesuText("x.y"), a ternary's branches, the worker's FALLBACK table), and
    every id passed to t(...) or text(...) whatever its group."""
    groups = {id.split(".")[0] for id in catalogue.catalogue()}
    quoted = re.compile(r"""["']((?:%s)\.(?!(?:md|js|mjs|json|yml|html)["'])[a-z][a-z0-9_]*)["']""" % "|".join(groups))
    called = re.compile(r"""\b(?:t|text|label)\(\s*["']([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)["']""")
    found: dict[str, set[str]] = {}
    for path in USING_FILES:
        if path.name == "catalogue.py":
            continue
        source = path.read_text(encoding="utf-8")
        for id in (set(quoted.findall(source)) - FEATURE_FLAGS) | set(called.findall(source)):
            found.setdefault(id, set()).add(path.relative_to(ROOT).as_posix())
    return found


def test_every_id_used_is_defined():
    undefined = {id: files for id, files in used_ids().items() if id not in catalogue.catalogue()}
    assert undefined == {}


def test_every_defined_id_is_used():
    assert sorted(set(catalogue.catalogue()) - set(used_ids())) == []


def strings_and_templates_outside_comments(source: str) -> str:
    """The script without its comments (/* */ and // after a space or at a line's start)."""
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    return re.sub(r"(?:^|(?<=\s))//[^\n]*", "", source, flags=re.M)


# Han characters a script may hold that are no interface text:
ALLOWED = {
    # the query's stop words (folded to Simplified before they are compared: generator/fold.py),
    # the same list as generator/search.py's (tests/test_search.py compares them)
    "generator/js/kesu-search.mjs": re.compile(r"export var STOP_WORDS = \([^)]*\)"),
}


@pytest.mark.parametrize("path", SCRIPT_FILES, ids=lambda p: p.name)
def test_no_script_writes_chinese_of_its_own(path):
    rel = path.relative_to(ROOT).as_posix()
    code = strings_and_templates_outside_comments(path.read_text(encoding="utf-8"))
    if rel in ALLOWED:
        code, count = ALLOWED[rel].subn("", code)
        assert count == 1, f"{rel}: the allowed data is no longer there; update ALLOWED"
    lines = [line.strip() for line in code.splitlines() if HAN.search(line)]
    assert lines == [], f"{rel}: interface text belongs in generator/strings/zh-Hans.yml"


def test_t_escapes_the_text_and_its_values_for_any_place_on_a_page():
    assert t("copy.button") == Markup("复制")
    assert isinstance(t("copy.button"), Markup)
    assert t("copy.letter_label", title="<b>*x*</b>") == Markup("复制信函：&#60;b&#62;&#42;x&#42;&#60;/b&#62;")
    assert t("copy.letter_label", title=Markup("&#42;")) == Markup("复制信函：&#42;")
    assert t("cases.page", page=2, pages=7) == Markup("第 2 / 7 页")


def test_text_fills_values_as_plain_text():
    assert text("deadlines.count_shown", shown=3, total=12) == "显示 3 / 12 条时限"


def test_an_unknown_id_or_a_missing_value_is_an_error_naming_it():
    with pytest.raises(KeyError, match="interface string 'copy.nope' is not in generator/strings/zh-Hans.yml"):
        t("copy.nope")
    with pytest.raises(KeyError, match=r"interface string 'cases.page' needs a value for \{pages\}"):
        text("cases.page", page=1)


@pytest.mark.parametrize("content, message", [
    ("copy:\n  Button: 复制\n", "bad.yml:2: field 'copy.Button': "),
    ("copy:\n  button: 复制 {count\n", "bad.yml:2: field 'copy.button': value error, a brace opens or closes no {name}"),
    ("copy:\n  button: ''\n", "bad.yml:2: field 'copy.button': "),
    ("copy: 复制\n", "bad.yml:1: field 'copy': "),
    ("- 复制\n", "bad.yml:1: expected a mapping of groups"),
])
def test_a_bad_catalogue_is_one_line_per_problem(tmp_path, content, message):
    path = tmp_path / "bad.yml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SourceErrors) as error:
        load_catalogue(path, "bad.yml")
    (line,) = str(error.value).splitlines()
    assert line.startswith(message)


def test_the_shipped_catalogue_is_valid_and_grouped():
    strings = load_catalogue(CATALOGUE_FILE)
    assert len(strings) > 50 and all(re.fullmatch(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*", id) for id in strings)


def project_edition(region: str):
    """The Traditional edition for region, with the shipped project's terms for it."""
    settings, problems = edition_settings(ROOT)
    assert problems == []
    return edition_for(TRADITIONAL, region, getattr(settings.terms, region))


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_the_converted_scripts_strings_leave_no_simplified_character_and_keep_their_names(region):
    edition = project_edition(region)
    converted = strings_from_client_script(convert_text_asset(edition, client_script()))
    assert set(converted) == set(catalogue.catalogue())
    left = {id: simplified_characters(edition, value) for id, value in converted.items()}
    assert {id: chars for id, chars in left.items() if chars} == {}
    names = re.compile(r"\{[a-z_]+\}")
    assert {id: names.findall(value) for id, value in converted.items()} == \
        {id: names.findall(value) for id, value in catalogue.catalogue().items()}


def test_the_worker_gets_the_search_group_as_the_site_has_it(tmp_path):
    assert worker_labels(tmp_path) == {id: value for id, value in catalogue.catalogue().items() if id.startswith("search.")}
    (tmp_path / "assets").mkdir()
    edition = project_edition("tw")
    (tmp_path / "assets" / "kesu-strings.js").write_text(convert_text_asset(edition, client_script()), encoding="utf-8")
    labels = worker_labels(tmp_path)
    assert labels["search.fallback_types"] == "按投訴類型查詢"
    assert set(labels) == {id for id in catalogue.catalogue() if id.startswith("search.")}
