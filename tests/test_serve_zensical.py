"""`kesu serve --engine zensical`: Zensical's server with live reload, kesu's regeneration of cases/
edits and its search index after each rebuild around it (Zensical runs no MkDocs hooks)."""
from __future__ import annotations

import json
import sys

import pytest

from conftest import copy_real_project
from generator.site import generate
from generator.watch import address_in_use
from test_serve import CASE, fetch, free_port, running, served_page_table, wait_for


def serve_command(port: int) -> list[str]:
    return [sys.executable, "-m", "generator", "serve", "--engine", "zensical", "-a", f"127.0.0.1:{port}"]


@pytest.fixture
def server(tmp_path):
    root = copy_real_project(tmp_path / "real")
    generate(root)  # as `kesu serve` does before the engine serves
    port = free_port()
    with running(serve_command(port), root, tmp_path / "serve.log") as process:
        yield root, f"http://127.0.0.1:{port}", tmp_path / "serve.log", process


def kesu_index_served(base: str) -> dict | None:
    text = fetch(f"{base}/search.json")
    try:
        return json.loads(text)["config"].get("kesu") if text else None
    except ValueError:
        return None


def test_an_edit_under_cases_is_served_and_searched_and_a_bad_one_keeps_the_last_good_page(server):
    root, base, log, _ = server
    url = f"{base}/cases/expired-yogurt-promotion/"
    wait_for(lambda: "促销堆头上的过期酸奶" in (fetch(url) or ""), 90, "the first build")
    wait_for(lambda: kesu_index_served(base), 60, "kesu's manifest in search.json")
    path = root / CASE
    source = path.read_text(encoding="utf-8")

    path.write_text(source.replace("title: 促销堆头上的过期酸奶", "title: 改过标题的酸奶案例"), encoding="utf-8")
    wait_for(lambda: "改过标题的酸奶案例" in (fetch(url) or ""), 30, "the edited title")
    wait_for(lambda: "改过标题的酸奶案例" in served_page_table(base), 60, "the search index")
    wait_for(lambda: kesu_index_served(base), 60, "search.json to stay kesu's stub")
    assert "WebSocket(" in (fetch(url) or "")  # Zensical's live-reload client is on the page

    path.write_text(source.replace("channel: 当面", "channel: 店面"), encoding="utf-8")
    wait_for(lambda: "field 'channel': expected one of 电话, 当面, 书面/网络, got '店面'" in log.read_text(),
             30, "the error in the terminal")
    assert "改过标题的酸奶案例" in fetch(url)
    assert "Traceback" not in log.read_text()


def test_serving_writes_into_a_folder_of_its_own_and_stopping_stops_zensical_and_removes_it(server):
    root, base, _, process = server
    wait_for(lambda: fetch(f"{base}/") is not None, 90, "the first build")
    assert not (root / "site").exists()  # `kesu build`'s site/ is left alone
    (serving,) = root.glob("site.serving-*")
    assert (serving / "index.html").is_file()
    process.terminate()
    process.wait(timeout=20)
    assert not serving.exists() and not list(root.glob(".kesu-zensical-*"))
    port = int(base.rsplit(":", 1)[1])
    assert address_in_use("127.0.0.1", port) is None  # Zensical's server stopped with kesu
