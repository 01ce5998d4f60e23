"""End to end: the shipped project builds into site/ with pages at stable URLs and Chinese search."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, copy_real_project
from generator.cli import main


def source_ids(kind: str) -> list[str]:
    return sorted(p.stem for p in (REPO / "cases" / kind).glob("*.yml"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_real_project(tmp_path_factory.mktemp("real"))
    old = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, ["build", "--strict"])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.parametrize("kind, url", [("types", "types"), ("procedures", "procedures"), ("library", "cases")])
def test_every_source_has_a_page_at_its_stable_url(built, kind, url):
    ids = source_ids(kind)
    assert ids, f"no sources in cases/{kind}"
    for id_ in ids:
        assert (built / "site" / url / id_ / "index.html").is_file(), f"/{url}/{id_}/ missing"
    assert (built / "site" / url / "index.html").is_file()


def test_type_page_has_checklist_boxes_and_a_tab_per_channel(built):
    html = (built / "site/types/product-quality/index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<input type="checkbox"', html)) >= 6
    for channel in ("电话", "当面", "书面/网络"):
        assert f">{channel}</label>" in html
    assert "cases/types/product-quality.yml" in html


def test_search_index_holds_jieba_segmented_chinese(built):
    index = json.loads((built / "site/search/search_index.json").read_text(encoding="utf-8"))
    page = next(doc for doc in index["docs"] if doc["location"] == "types/product-quality/")
    # jieba splits words with zero-width spaces: 投诉 and 处理 are separate tokens, not one run of characters.
    assert "\u200b" in page["text"]
    tokens = set(re.split(r"[\s\u200b]+", " ".join(doc["text"] for doc in index["docs"])))
    assert {"投诉", "顾客", "处理"} <= tokens
    assert index["config"]["separator"].startswith(r"[\s\u200b\-")


def test_generated_pages_are_not_in_the_sidebar(built):
    html = (built / "site/index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary'):]
    nav = nav[: nav.index("</nav>")]
    assert "expired-yogurt-promotion" not in nav
