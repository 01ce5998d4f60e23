"""The build-time guard: built pages with event handlers or script URLs are not published."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from conftest import UNSAFE_PAGE_REFUSAL, unsafe_heading_project
from generator.cli import main
from generator.htmlguard import page_findings, source_of, unsafe_attribute


@pytest.mark.parametrize("tag, name, value, finding", [
    ("img", "onerror", "alert(1)", "event handler attribute onerror on <img>"),
    ("div", "ONMOUSEOVER", "x", "event handler attribute onmouseover on <div>"),
    ("a", "href", "javascript:alert(1)", "javascript URL in href of <a>"),
    ("a", "href", " java\tscript:alert(1)", "javascript URL in href of <a>"),
    ("a", "href", "VBScript:x", "vbscript URL in href of <a>"),
    ("iframe", "src", "data:text/html,x", "data URL in src of <iframe>"),
    ("button", "formaction", "javascript:x", "javascript URL in formaction of <button>"),
    ("use", "xlink:href", "javascript:x", "javascript URL in xlink:href of <use>"),
    ("img", "srcset", "a.png 1x, data:image/svg+xml,x 2x", "data URL in srcset of <img>"),
    ("animate", "values", "#a;javascript:x", "javascript URL in values of <animate>"),
    ("div", "style", "background: expression(alert(1))", "script or URL in style of <div>"),
    ("a", "href", "https://example.org/javascript:", None),
    ("a", "href", "../types/x/", None),
    ("input", "data-slot", "onclick=x", None),
])
def test_unsafe_attributes_are_named(tag, name, value, finding):
    assert unsafe_attribute(tag, name, value) == finding


def test_entities_in_an_attribute_are_decoded_before_the_check():
    assert page_findings('<a href="&#106;avascript&#58;alert(1)">x</a>') == ["javascript URL in href of <a>"]


def test_attributes_are_read_as_browsers_read_them():
    assert page_findings('<img src=x alt=">" onerror=alert(1)>') == ["event handler attribute onerror on <img>"]
    assert page_findings("<svg/onload=alert(1)>") == ["event handler attribute onload on <svg>"]
    assert page_findings('<a title="x"onmouseover=alert(1)>y</a>') == ["event handler attribute onmouseover on <a>"]
    assert page_findings("<p>onclick=alert(1) as text, javascript:x</p><!-- <img onerror=x> -->") == []
    assert page_findings("<script>if (a<b && c.onclick=d) {}</script>") == []


def test_active_elements_count_inside_the_page_content_only():
    theme = '<head><script src="assets/javascripts/bundle.js"></script></head>'
    assert page_findings(theme + "<article><p>text</p></article>") == []
    assert page_findings(theme + "<article><p><script>x</script></p></article>") == [
        "a <script> element in the page content"]


def test_pages_are_traced_to_their_source_file():
    assert source_of("cases/late-refund/index.html") == "cases/library/late-refund.yml"
    assert source_of("callcards/product-quality/index.html") == "cases/types/product-quality.yml"
    assert source_of("cases/index.html") is None


def test_build_refuses_a_page_where_a_handler_got_through(tmp_path, monkeypatch):
    """A gap in the text pipeline (simulated: headings printed raw) is caught before publishing."""
    root = unsafe_heading_project(tmp_path / "real", monkeypatch)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == UNSAFE_PAGE_REFUSAL
    assert not (root / "site").exists()
    assert not list(root.glob("site.building-*"))
