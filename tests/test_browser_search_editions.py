"""Search across scripts in the browser: 快遞遺失 and 快递遗失 typed into the search box of the Simplified
site and of the Traditional edition (site/zh-Hant/, `kesu build --edition zh-Hant`) find the same page.
The lookups of every type name and customer phrase in both scripts and editions: tests/js/built-site.test.mjs."""
from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from conftest import build_in, copy_real_project, served
from test_browser import MaterialSearchBox

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def both_editions(tmp_path_factory) -> Path:
    root = copy_real_project(tmp_path_factory.mktemp("editions"))
    build_in(root)  # the Simplified site first: it replaces site/
    build_in(root, "--edition", "zh-Hant")
    return root


@pytest.fixture(scope="module")
def site_url(both_editions):
    with served(both_editions / "site") as url:
        yield url


@pytest.mark.parametrize("edition, marked", [("", "快递"), ("zh-Hant/", "快遞")])
@pytest.mark.parametrize("query", ["快遞遺失", "快递遗失"])
def test_a_query_in_either_script_finds_the_lost_parcel_type_in_either_edition(browser, site_url, edition, marked,
                                                                                query):
    box = MaterialSearchBox()
    context = browser.new_context(base_url=site_url)
    try:
        page = context.new_page()
        box.type(page, query, start=f"/{edition}")
        hit = page.locator(box.link).first
        hit.wait_for()
        assert urllib.parse.urlsplit(hit.get_attribute("href")).path == f"/{edition}types/parcel-lost-damaged/"
        # The page's own script is marked, whichever script was typed.
        marks = page.locator(f"{box.teaser} mark").all_inner_texts()
        assert marked in marks, marks
    finally:
        context.close()
