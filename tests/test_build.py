"""End to end: the shipped project builds into site/ with pages at stable URLs and Chinese search."""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from conftest import REPO, build_in, copy_real_project
from generator.search import page_table, shard_of
from generator.site import link_files_for_offline_use


def source_ids(kind: str) -> list[str]:
    return sorted(p.stem for p in (REPO / "cases" / kind).glob("*.yml"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_real_project(tmp_path_factory.mktemp("real"))
    build_in(root, "--strict")
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


def load_index_file(path: Path):
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("(") + 1: text.rindex(")")])


def test_search_index_is_keus_own_and_finds_a_word_on_its_page(built):
    search = built / "site/search"
    stub = json.loads((search / "search_index.json").read_text(encoding="utf-8"))
    manifest = stub["config"]["kesu"]
    assert stub["docs"] == []  # Material's whole-site index is not sent to browsers
    assert stub["config"]["separator"].startswith(r"[\s\u200b\-")  # kept for Material's page highlighting
    pages = page_table(lambda path: load_index_file(search / path))
    locations = [page[0] for page in pages]
    assert {f"types/{id_}/" for id_ in source_ids("types")} <= set(locations)
    assert {f"cases/{id_}/" for id_ in source_ids("library")} <= set(locations)
    assert not any(location.startswith("callcards/") for location in locations)  # excluded by front matter
    assert len(list((search / "kesu/f").glob("*.js"))) == len(pages) == manifest["pages"]
    # The word 退货 is in product-quality's page; its shard lists one of that page's sections.
    shard = load_index_file(search / f"kesu/s/{shard_of('退货', manifest['shards'])}.js")
    data = base64.b64decode(shard["退货"])
    count = len(data) // (manifest["id_bytes"] + 1)
    ids = [int.from_bytes(data[i * 2:(i + 1) * 2], "little") for i in range(count)]
    number = locations.index("types/product-quality/")
    first = sum(page[2] for page in pages[:number])
    assert any(first <= section < first + pages[number][2] for section in ids)


def test_the_index_is_read_from_the_html_each_section_at_an_anchor_its_page_has(built):
    site = built / "site"
    pages = page_table(lambda path: load_index_file(site / "search" / path))
    assert len(pages) == len(list((site / "search/kesu/f").glob("*.js")))
    anchors = 0
    for number, (location, *_) in enumerate(pages):
        page = (site / location / "index.html").read_text(encoding="utf-8")
        for anchor, title, text in load_index_file(site / f"search/kesu/f/{number}.js"):
            assert not anchor or f'id="{anchor}"' in page, (location, anchor)
            anchors += bool(anchor)
    assert anchors > 10
    stages = [section for number, (location, *_) in enumerate(pages) if location == "types/product-quality/"
              for section in load_index_file(site / f"search/kesu/f/{number}.js") if section[0].startswith("script-")]
    assert {title.split("话术：")[0] for _, title, _ in stages} == {"电话", "当面", "书面/网络"}
    stub = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert stub["docs"] == [] and stub["config"]["kesu"]["pages"] == len(pages)


def primary_nav(html: str) -> str:
    """Material's sidebar, nested <nav>s included (its first </nav> closes the page's own table of contents)."""
    start, depth = html.index('<nav class="md-nav md-nav--primary'), 0
    for tag in re.finditer(r"<nav\b|</nav>", html[start:]):
        depth += 1 if tag.group() == "<nav" else -1
        if depth == 0:
            return html[start:start + tag.end()]
    raise AssertionError("the sidebar is not closed")


def test_generated_pages_are_not_in_the_sidebar(built):
    nav = primary_nav((built / "site/index.html").read_text(encoding="utf-8"))
    assert 'href="cases/"' in nav and 'href="types/"' in nav  # the indexes are, ...
    assert "expired-yogurt-promotion" not in nav and "product-quality" not in nav  # ... their pages are not


@pytest.mark.parametrize("link, offline", [
    ("../../types/x/", "../../types/x/index.html"),
    ("./", "index.html"),
    (".", "index.html"),
    ("..", "../index.html"),
    ("../#by-type", "../index.html#by-type"),
    ("types/", "types/index.html"),
    ("x/#投诉", "x/index.html#投诉"),
    ("#top", "#top"),
    ("../assets/kesu.css", "../assets/kesu.css"),
    ("https://example.org/a/", "https://example.org/a/"),
    ("mailto:a@example.org", "mailto:a@example.org"),
])
def test_offline_links_point_at_index_files(tmp_path, link, offline):
    page = tmp_path / "cases/x/index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f'<a href="{link}">链接</a>', encoding="utf-8")
    link_files_for_offline_use(tmp_path)
    assert page.read_text(encoding="utf-8") == f'<a href="{offline}">链接</a>'
