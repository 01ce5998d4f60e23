"""Front-end quality of the built site, judged by the tools others use.

The Nu Html Checker (npm vnu-jar, run by Debian's Java) validates every page; axe-core (npm, injected
through Playwright into Debian's chromium) checks a representative set of pages for accessibility.
Both come pinned from package-lock.json (`make test` runs `npm ci`). Select them with `-m quality`.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, build_in, copy_hostile_project, copy_real_project, opened, served
from test_browser import SEARCH_BOXES

pytestmark = pytest.mark.quality

VNU_JAR = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"
AXE_JS = REPO / "node_modules/axe-core/axe.min.js"

# Errors in the themes' own markup that kesu cannot fix short of replacing the theme's base template or
# its navigation partials wholesale (copies that would then stop following the pinned theme). Each
# entry: the message, a fragment of the offending markup that only the theme writes, why, and the
# engines whose theme writes it (Zensical's templates are Material's, reworked).
BOTH = ("mkdocs", "zensical")
THEME_ERRORS = [
    (r"Attribute “autocomplete” is only allowed when the input type is",
     'class="md-toggle"',
     "base.html's drawer/search toggles: checkboxes with autocomplete=off (keeps Firefox from restoring their state)",
     BOTH),
    (r"Attribute “autocomplete” is only allowed when the input type is",
     'class="md-nav__toggle md-toggle"',
     "nav-item.html's section toggles: the same checkbox attribute",
     ("mkdocs",)),
    (r"Bad value “” for attribute “tabindex” on element “label”",
     'class="md-nav__link',
     "nav-item.html writes tabindex=\"\" on section labels of navigation.sections",
     BOTH),
    (r"The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control",
     'for="__toc"',
     "toc.html's title label points at the __toc toggle that nav-item.html writes only for pages in the nav",
     ("mkdocs",)),
    (r"The “aria-hidden” attribute must not be used on any “label” element that is associated with a labelable",
     '<label class="md-overlay" for="__drawer" aria-hidden="true">',
     "Zensical's base.html hides the overlay that closes the drawer from screen readers (they close it by its"
     " own button); the checker forbids aria-hidden on any label of a form control",
     ("zensical",)),
]


def is_theme_error(message: dict, engine: str) -> bool:
    text, extract = message.get("message", ""), message.get("extract", "")
    return any(re.search(pattern, text) and fragment in extract and engine in engines
               for pattern, fragment, _, engines in THEME_ERRORS)


def vnu_messages(target: Path) -> list[dict]:
    assert shutil.which("java"), "Java is missing: run `make test` (it installs Debian's JRE)"
    assert VNU_JAR.exists(), "vnu-jar is missing: run `make test` (npm ci)"
    result = subprocess.run(["java", "-jar", str(VNU_JAR), "--format", "json", "--skip-non-html", str(target)],
                            capture_output=True, text=True, check=False)
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    return json.loads(result.stderr)["messages"]


def vnu_errors(target: Path) -> list[dict]:
    return [m for m in vnu_messages(target) if m["type"] == "error" or m.get("subType") == "fatal"]


def describe(message: dict, root: Path) -> str:
    page = message.get("url", "").split(root.as_posix() + "/", 1)[-1]
    return f"{page}:{message.get('lastLine')}: {message['message']}  [{message.get('extract', '').strip()[:120]}]"


@pytest.fixture(scope="session", params=["mkdocs", "zensical"])
def quality_engine(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def quality_site(tmp_path_factory, quality_engine) -> Path:
    root = copy_real_project(tmp_path_factory.mktemp(f"quality-{quality_engine}"))
    build_in(root, "--engine", quality_engine)
    return root / "site"


def test_the_checker_reports_a_paragraph_wrapped_around_a_div(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<!doctype html><html lang="zh"><title>t</title><p><div>x</div></p></html>', encoding="utf-8")
    assert any("No “p” element in scope" in m["message"] for m in vnu_errors(tmp_path))


def fail_on_kesu_errors(site: Path, engine: str) -> None:
    kesu_errors = [m for m in vnu_errors(site) if not is_theme_error(m, engine)]
    if kesu_errors:
        pytest.fail(f"{len(kesu_errors)} errors, the first 20:\n"
                    + "\n".join(describe(m, site) for m in kesu_errors[:20]), pytrace=False)


def test_every_page_is_valid_html_apart_from_the_themes_listed_errors(quality_site, quality_engine):
    fail_on_kesu_errors(quality_site, quality_engine)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_hostile_sources_leave_every_page_valid_html(tmp_path, engine):
    """Text that tries to close or open elements (tests/corpus/hostile/) stays text in valid pages."""
    root = copy_hostile_project(tmp_path)
    build_in(root, "--engine", engine)
    fail_on_kesu_errors(root / "site", engine)


# One page of each kind a reader meets: generated pages of every template that front-line staff and
# new hires use, the tools, and the hand-written reference pages.
AXE_PAGES = ["/", "/types/product-quality/", "/callcards/product-quality/", "/procedures/follow-up-visit/",
             "/cases/", "/cases/expired-yogurt-promotion/", "/triage/", "/deadlines/", "/quiz/", "/learn/",
             "/glossary/", "/stats/", "/quick-reference/"]


@pytest.fixture(scope="session")
def quality_url(quality_site):
    with served(quality_site) as url:
        yield url


@pytest.fixture
def site_page(browser, quality_url):
    with opened(browser, quality_url) as page:
        yield page


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)")


def target(node: dict) -> str:
    """axe's selector of a node; one inside a shadow root (Zensical's search box) is a list: host, node."""
    return " ".join(part if isinstance(part, str) else " >> ".join(part) for part in node["target"])


def fail_on_serious_violations(page) -> None:
    # Colours are judged as the reader sees them once the theme's fades end: mid-fade (the search
    # output fades in over 400 ms) text is lighter than it will be.
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    found = [f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}: "
             + "; ".join(target(node) for node in v["nodes"][:5])
             for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    if found:
        pytest.fail("\n".join(found), pytrace=False)


@pytest.mark.browser
def test_axe_finds_an_unnamed_button(site_page):
    site_page.set_content('<!doctype html><html lang="zh"><title>t</title><main><button></button></main></html>')
    assert "button-name" in [v["id"] for v in axe_violations(site_page)]


@pytest.mark.browser
@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_serious_or_critical_accessibility_violations(site_page, path):
    site_page.goto(path)
    fail_on_serious_violations(site_page)


@pytest.mark.browser
def test_search_results_have_no_serious_or_critical_accessibility_violations(site_page, quality_engine):
    """The open search dialog with its highlighted words, as a shared ?q= link opens it."""
    box = SEARCH_BOXES[quality_engine]
    box.ask(site_page, "退货")
    site_page.locator(box.link).locator("mark").first.wait_for()
    fail_on_serious_violations(site_page)


def visible_count(page, selector: str) -> int:
    return page.evaluate("s => [...document.querySelectorAll(s)].filter(e => e.checkVisibility()).length", selector)


@pytest.mark.browser
def test_a_printed_type_page_shows_every_channels_scripts_and_the_letters_without_controls(site_page):
    page = site_page
    page.goto("/types/product-quality/")
    scripts = page.locator(".kesu-script[data-channel]").count()
    channels = set(page.eval_on_selector_all(".kesu-script[data-channel]", "es => es.map(e => e.dataset.channel)"))
    assert len(channels) >= 2 and visible_count(page, ".kesu-script[data-channel]") < scripts  # one tab on screen
    controls = [".kesu-fill", ".kesu-copy", ".task-list-control", ".md-search", ".md-sidebar", ".md-footer", ".md-header"]
    assert all(visible_count(page, selector) for selector in controls)  # the script has shown the tools
    page.emulate_media(media="print")
    assert visible_count(page, ".kesu-script[data-channel]") == scripts
    assert visible_count(page, ".kesu-letter") == page.locator(".kesu-letter").count() > 0
    assert visible_count(page, ".tabbed-labels > label") == len(channels)  # each channel's name above its scripts
    assert visible_count(page, ".task-list-item") == page.locator(".task-list-item").count() > 0
    assert {selector: visible_count(page, selector) for selector in controls} == dict.fromkeys(controls, 0)
