"""The Zensical engine: the shipped site built by Zensical has MkDocs' pages at MkDocs' URLs, kesu's
page scripts and overrides, kesu's search index; Zensical's failures end as one line."""
from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath

import pytest

from conftest import REPO, build_in, build_with_zensical, copy_real_project
from generator.engines import zensical as zensical_engine
from generator.engines.zensical import ZensicalEngine, describe_failure, strict_warnings
from generator.site import BuildFailed, generate



def extra_javascript() -> list[str]:
    """The scripts mkdocs.yml lists under extra_javascript (kesu's own page scripts)."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    block = re.search(r"^extra_javascript:\n((?:[ #].*\n|\n)*)", config, re.M)[1]
    return re.findall(r"^  - (\S+)", block, re.M)


KESU_SCRIPTS = extra_javascript()


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> tuple[Path, Path]:
    """The shipped project built by MkDocs and by Zensical: (MkDocs' site, Zensical's site)."""
    mkdocs_root = copy_real_project(tmp_path_factory.mktemp("mkdocs"))
    build_in(mkdocs_root)
    zensical_root = copy_real_project(tmp_path_factory.mktemp("zensical"))
    build_with_zensical(zensical_root)
    return mkdocs_root / "site", zensical_root / "site"


def pages(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html")}


def test_zensical_builds_every_page_at_the_url_mkdocs_gives_it(both):
    mkdocs_site, zensical_site = both
    built = pages(zensical_site)
    assert built == pages(mkdocs_site)
    for url in ("types/product-quality/index.html", "cases/index.html", "callcards/product-quality/index.html",
                "quick-reference/index.html", "skills/apology/index.html", "learn/roleplay/index.html"):
        assert url in built


RELATIVE_LINK = re.compile(r'(?:href|src)="((?:\.\./|\./)[^"#?]*|[a-z][^":#?]*/)["#?]')


def link_targets(site: Path, page: str) -> list[str]:
    """Where the page's relative links lead, as paths from the site's root ('..' kept if they climb out)."""
    folder = PurePosixPath("/site") / page
    targets = []
    for href in RELATIVE_LINK.findall((site / page).read_text(encoding="utf-8")):
        parts: list[str] = list(folder.parent.parts[1:])
        for part in href.split("/"):
            if part == "..":
                parts = parts[:-1] if parts else [".."]
            elif part not in ("", "."):
                parts.append(part)
        targets.append("/".join(parts))
    return targets


def test_every_link_leads_where_mkdocs_leads_and_none_leaves_the_site(both):
    """Zensical rewrites raw HTML links as if relative to the Markdown file; ZensicalEngine puts back
    those that then climb out of the site (they break below a path and from file://)."""
    mkdocs_site, zensical_site = both
    for page in ("types/product-quality/index.html", "deadlines/index.html", "quiz/index.html",
                 "learn/frontline/index.html", "callcards/product-quality/index.html", "cases/wet-floor-fall/index.html"):
        zensical_targets = link_targets(zensical_site, page)
        assert not [target for target in zensical_targets if not target.startswith("site")], page
        pages_linked = {target for target in link_targets(mkdocs_site, page) if not target.startswith("site/assets/")}
        assert pages_linked and pages_linked <= set(zensical_targets), page  # the themes' own files differ


def test_a_link_climbing_out_of_the_site_is_clamped_at_its_root(tmp_path):
    page = tmp_path / "types/x/index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<a href="../../../callcards/x/">卡</a><a href="../y/">邻</a><img src="../../a.png">', encoding="utf-8")
    zensical_engine.keep_links_inside_the_site(tmp_path)
    assert page.read_text(encoding="utf-8") == '<a href="../../callcards/x/">卡</a><a href="../y/">邻</a><img src="../../a.png">'


@pytest.mark.parametrize("page", ["index.html", "types/product-quality/index.html", "cases/wet-floor-fall/index.html"])
def test_zensical_pages_load_kesus_scripts_and_its_search_override(both, page):
    assert "assets/kesu.js" in KESU_SCRIPTS
    html = (both[1] / page).read_text(encoding="utf-8")
    prefix = "../" * page.count("/")
    for script in KESU_SCRIPTS:
        assert f'<script src="{prefix or "./"}{script}"' in html, script
    assert f'<link rel="stylesheet" href="{prefix or "./"}assets/kesu.css"' in html
    # docs/overrides/main.html: Zensical's search box is answered by kesu's worker through the adapter.
    assert "assets/javascripts/workers/kesu-search.js" in html
    assert re.search(r'<script src="[./]*assets/javascripts/kesu-zensical\.js"', html)
    assert '<article class="md-content__inner' in html  # ZensicalEngine.article: the indexed content


def test_zensical_pages_carry_no_search_adapter_on_mkdocs(both):
    assert "kesu-zensical.js" not in (both[0] / "index.html").read_text(encoding="utf-8")


def test_zensicals_search_file_holds_kesus_manifest_and_no_documents(both):
    zensical_site = both[1]
    stub = json.loads((zensical_site / "search.json").read_text(encoding="utf-8"))
    assert stub["items"] == []  # the text of every section is not sent to every page
    manifest = stub["config"]["kesu"]
    assert manifest["pages"] == len(list((zensical_site / "search/kesu/f").glob("*.js"))) > 50
    assert (zensical_site / "search.js").read_text(encoding="utf-8").startswith("var __index = {")


def test_zensical_builds_no_search_index_of_its_own_so_a_page_of_any_size_builds(fixture_project):
    """Zensical's own index caps a section's text by the number of sections in the site (16 kB at
    5,000 cases, 4 kB at 20,000: the deadline page's table was refused); kesu's index replaces it."""
    generate_fixture(fixture_project)
    rows = "".join(f"| 第 {day} 天 | {'处理时限的说明文字' * 8} |\n" for day in range(300))
    (fixture_project / "docs/table.md").write_text(f"# 大表格\n\n| 时限 | 说明 |\n| --- | --- |\n{rows}",
                                                   encoding="utf-8")
    out = fixture_project / "out"
    ZensicalEngine().build(fixture_project, out, False)
    table = (out / "table/index.html").read_text(encoding="utf-8")
    assert table.count("处理时限的说明文字") == 300 * 8 and len(table.encode()) > 4 * 16384
    assert json.loads((out / "search.json").read_text(encoding="utf-8"))["items"] == []


def test_mkdocs_yml_has_no_plugin_that_the_inheriting_config_would_drop():
    """inheriting_config's `plugins` (search off) replace mkdocs.yml's list rather than merge into it."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    block = re.search(r"^plugins:\n((?:[ #].*\n|\n)*)", config, re.M)[1]
    assert re.findall(r"^  - ([\w/-]+)", block, re.M) == ["search"]


def test_a_broken_mkdocs_yml_is_one_line(fixture_project):
    generate_fixture(fixture_project)
    (fixture_project / "mkdocs.yml").write_text("site_name: [broken\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        ZensicalEngine().build(fixture_project, fixture_project / "out", False)
    assert str(failure.value).startswith("zensical: invalid YAML: while parsing a flow sequence")
    assert "\n" not in str(failure.value)
    assert not list(fixture_project.glob(".kesu-zensical-*"))  # the inheriting config is removed


def test_strict_refuses_a_broken_link_naming_its_page_and_line(fixture_project):
    generate_fixture(fixture_project)
    (fixture_project / "docs/index.md").write_text("# 首页\n\n[断开的链接](nowhere.md)\n", encoding="utf-8")
    ZensicalEngine().build(fixture_project, fixture_project / "out", False)  # a warning only
    with pytest.raises(BuildFailed) as failure:
        ZensicalEngine().build(fixture_project, fixture_project / "out", True)
    assert str(failure.value) == "zensical --strict: 1 warning(s): index.md:3: page does not exist"


def test_a_missing_zensical_is_one_line_saying_how_to_install_it(fixture_project, monkeypatch):
    monkeypatch.setattr(zensical_engine, "zensical_installed", lambda: False)
    with pytest.raises(BuildFailed, match=r"^the zensical engine is not installed: run `make venv`"):
        ZensicalEngine().build(fixture_project, fixture_project / "out", False)


def test_warnings_are_read_from_zensicals_coloured_boxes():
    output = ("\x1b[33mWarning:\x1b[0m page does not exist\n     \x1b[38;5;246m╭─[\x1b[0m glossary.md:156:12 "
              "\x1b[38;5;246m]\x1b[0m\n")
    assert strict_warnings(zensical_engine._ANSI.sub("", output)) == ["glossary.md:156: page does not exist"]
    assert describe_failure("", "Traceback ...\nRuntimeError: boom\n") == "zensical: RuntimeError: boom"


def generate_fixture(root: Path) -> None:
    """The fixture project with a minimal mkdocs.yml and home page, generated."""
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs/index.md").write_text("# 首页\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: 测试\ntheme:\n  name: material\n  language: zh\n", encoding="utf-8")
    generate(root)

