"""Pages work on a closed network: procedure flowcharts render with mermaid served by the site itself."""
from __future__ import annotations

import urllib.parse

import pytest

from conftest import REPO, build_in, build_with_zensical, copy_real_project, opened, served

pytestmark = pytest.mark.browser

MERMAID = REPO / "docs/assets/javascripts/mermaid.min.js"
# Material and Zensical render each chart into a closed shadow root; opened here so that the test can look inside.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (options) { return attach.call(this, {...options, mode: "open"}); };
"""


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_procedure_flowchart_renders_with_every_other_host_blocked(browser, tmp_path, engine):
    assert MERMAID.is_file(), "run make assets (npm ci) first: mermaid is served from docs/assets/"
    root = copy_real_project(tmp_path / "offline")
    if engine == "zensical":
        build_with_zensical(root)
    else:
        build_in(root)
    blocked: list[str] = []

    def only_this_site(route):
        if urllib.parse.urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    requested: list[str] = []
    with served(root / "site") as url, opened(browser, url) as page:
        page.on("request", lambda request: requested.append(request.url))
        page.add_init_script(OPEN_SHADOW_ROOTS)
        page.route("**/*", only_this_site)
        page.goto("/types/cashier-error/")
        page.wait_for_load_state("load")
        assert not any(u.endswith("mermaid.min.js") for u in requested)  # 3.5 MB only where a chart is
        page.goto("/procedures/general-flow/")
        chart = page.locator("div.mermaid svg").first
        chart.wait_for(state="attached", timeout=20_000)
        assert chart.locator("g.node").count() >= 3
    assert blocked == []  # nothing was even asked of another host (no CDN, no fonts)
