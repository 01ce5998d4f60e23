"""`kesu serve --edition zh-Hant`: the Traditional edition at /zh-Hant/, an edit shown converted."""
from __future__ import annotations

import sys

import pytest

from conftest import copy_real_project
from generator.edition import TextConverter, traditional_edition
from test_serve import CASE, fetch, free_port, running, served_page_table, wait_for


@pytest.fixture
def edition_server(tmp_path):
    root = copy_real_project(tmp_path / "real")
    port = free_port()
    with running([sys.executable, "-m", "generator", "serve", "--edition", "zh-Hant", "-a", f"127.0.0.1:{port}"],
                 root, tmp_path / "serve.log") as process:
        yield root, f"http://127.0.0.1:{port}/zh-Hant", tmp_path / "serve.log", process


def test_an_edit_to_a_case_is_served_converted_and_indexed(edition_server):
    root, base, log, _ = edition_server
    t = TextConverter(traditional_edition(root))
    url = f"{base}/cases/expired-yogurt-promotion/"
    wait_for(lambda: t("促销堆头上的过期酸奶") in (fetch(url) or ""), 120, "the first build")
    assert t("促销堆头上的过期酸奶") != "促销堆头上的过期酸奶"
    # The switch leads to the same page at the Simplified site's address on the same server.
    assert '<a href="../../../cases/expired-yogurt-promotion/" hreflang="zh-Hans"' in fetch(url)
    path = root / CASE
    path.write_text(path.read_text(encoding="utf-8").replace("title: 促销堆头上的过期酸奶", "title: 改过标题的酸奶案例"),
                    encoding="utf-8")
    wait_for(lambda: t("改过标题的酸奶案例") in (fetch(url) or ""), 60, "the edited title, converted")
    assert "改过标题" not in fetch(url)
    wait_for(lambda: t("改过标题的酸奶案例") in served_page_table(base), 60, "the search index")
    assert "Traceback" not in log.read_text()


def test_an_edit_to_a_hand_written_page_is_served_converted(edition_server):
    root, base, _, process = edition_server
    t = TextConverter(traditional_edition(root))
    url = f"{base}/glossary/"
    wait_for(lambda: fetch(url), 120, "the first build")
    page = root / "docs/glossary.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n新加的一段说明文字\n", encoding="utf-8")
    wait_for(lambda: t("新加的一段说明文字") in (fetch(url) or ""), 60, "the added paragraph, converted")
    # The converted copy lives beside the project while serving and is gone when serving stops.
    assert len(list(root.glob(".kesu-zh-Hant-*"))) == 1
    process.terminate()
    process.wait(timeout=20)
    assert not list(root.glob(".kesu-zh-Hant-*"))
