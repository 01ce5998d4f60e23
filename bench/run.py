"""`make bench`: kesu on synthetic case libraries of 100, 1,000 and 5,000 cases.

For each size, in bench/work/<size>/ (a copy of this project plus bench/synth.py's cases):
- generate_s         `kesu generate` on the fresh copy (validate all sources, write the pages);
- build_s            `kesu build`: validate, generate, MkDocs build, kesu's search index;
- edition_build_s    `kesu build --edition zh-Hant` right after it (the Traditional edition into
                     site/zh-Hant/: validate, convert docs/ with OpenCC, MkDocs build, search index);
                     for the shipped site too (its builds, a few seconds each, are timed three times
                     and the fastest kept: SHIPPED_REPEATS);
- baseline_build_s   `mkdocs build` of the same generated Markdown with the same mkdocs.yml
                     (the same plugins: Material's search, jieba included) and no kesu code;
- site_mb, search_index_kb   the size of site/ and of site/search/ (kesu's whole index);
- search_first_result_after_load_ms   the same, counted from the page's load event (the issue-11
                     target "first result after page load"): what search adds to a page that is up;
- search_first_result_ms     Chromium, empty cache: from navigation start of /?q=<query>
                     (Material opens search with the query) to the first result on screen,
                     the median over five queries, after one untimed load that starts the
                     browser's processes;
- search_transfer_kb the bytes those page loads moved for search: worker, index files;
- search_recall      over QUERIES: of the indexed pages whose text contains the query, the share
                     the search returns (its full result list, read from the worker);
- type_first_share   what staff type (every type's name and the first 12 characters of every
                     customer phrase): the share for which the type's page is the first result
                     (of the results the search box lists, as it ranks them for a reader);
- serve_edit_s       (1,000 to 5,000 cases) `kesu serve`: from saving an edited case title to
                     the new title being served, the slowest of three edits;
- cases_first_view_kb   everything the browser loads for /cases/ (empty cache) until the network
                     is idle: HTML, styles, scripts, fonts, the case data it fetches; served with
                     gzip as a web server sends text (the other figures count raw bytes);
- cases_filter_ms    in that page: each select of <form class="kesu-case-filter"> set to a value
                     and back, from the change event to #kesu-case-results carrying the matching
                     data-applied (performance.now() in the page), the slowest of these; None
                     ("not available") while /cases/ has no filter form;
- zensical_build_s   `kesu build --engine zensical` of the same project; None ("not available")
                     until kesu has the engine. The shipped site (no synthetic cases) is built
                     with both engines too ("shipped" in results.json);
- colloquial_top3, colloquial_empty   over bench/colloquial.yml (what callers say, each with its
                     expected page or pages): the share whose expected page is among the first
                     three results the search box lists, and the share answered with no result at all (kesu's
                     suggestions of the type index and the escalation page do not count);
- stock_colloquial_top3, stock_colloquial_empty   the same queries, in the same run, answered by
                     Material's stock search (its own worker, jieba included) on the baseline
                     build of the same pages; measured up to 1,000 cases (Material's in-browser
                     index of 5,000 cases takes minutes to build).
It writes bench/results.json (a run replaces the figures of the sizes it measured), prints a table
and the targets of issues 7, 11 and 14, and exits 1 when a target is missed. Usage: python bench/run.py
[--sizes 100,1000,5000] [--out bench/results.json] [--colloquial bench/colloquial.yml] [--serve-only]
[--no-serve] [--no-shipped]; SIZES=100 measures the colloquial figures in about a minute.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))
from synth import write_synthetic_cases  # noqa: E402

from generator.registry import generated_copy_filter  # noqa: E402

BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# What staff look up: single words and short phrases of the project's own vocabulary.
QUERIES = ["退款", "投诉", "道歉", "赔偿", "经理", "质量问题", "快递", "维修", "态度", "发票"]
TIMED_QUERIES = ["退款", "服务态度差", "快递延误", "发票", "维修质量"]
ENV = {**os.environ, "KESU_REVIEW_DAYS": "36500", "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"}
COLLOQUIAL = REPO / "bench" / "colloquial.yml"
# Measuring Material's own search needs its index built in the browser: minutes above this size.
STOCK_MAX_CASES = 1000
# `kesu serve` is measured where it has a target; at 20,000 cases its first build alone takes minutes.
SERVE_MAX_CASES = 5000
CASE_FILTERS = ("type", "industry", "severity", "channel", "origin")
TARGETS = """\
- build_s <= 1.15 x baseline_build_s at 1,000 cases
- build_s at 5,000 <= 5.5 x build_s at 1,000
- first search result <= 300 ms after page load and <= 300 kB moved at 1,000 cases; <= 500 ms at 5,000
- search_recall >= 0.95; type pages first for what staff type (type_first_share >= 0.95)
- an edited case served within 3 s under kesu serve at 1,000 cases; within 2 s at 5,000
- /cases/ at 5,000: first view <= 300 kB moved; a filter answers in <= 200 ms
- at 20,000: build_s <= 4.4 x build_s at 5,000; first search <= 500 kB moved
- the Zensical build time reported beside MkDocs' (shipped site and each size)
- the Traditional edition: edition_build_s <= 1.2 x build_s for the shipped site and at 1,000 cases
- colloquial queries: colloquial_top3 >= 0.90 and >= stock_colloquial_top3 + 0.25; colloquial_empty == 0"""


def prepare(work: Path, cases: int) -> Path:
    """A copy of the project's sources and docs with `cases` synthetic cases; the hook is this checkout's."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(REPO / "cases", work / "cases")
    shutil.copytree(REPO / "docs", work / "docs", ignore=generated_copy_filter(REPO / "docs"))
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (work / "mkdocs.yml").write_text(
        config.replace("- generator/hooks.py", f"- {(REPO / 'generator' / 'hooks.py').as_posix()}"), encoding="utf-8")
    # The baseline: the same configuration without kesu's hook.
    (work / "baseline.yml").write_text(re.sub(r"\nhooks:\n(  - .*\n)+", "\n", config), encoding="utf-8")
    write_synthetic_cases(work, cases)
    return work


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{result.stdout}{result.stderr}")
    return elapsed


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# What a web server compresses: text. Images and fonts are compressed already.
COMPRESSED_SUFFIXES = {".html", ".css", ".js", ".json", ".svg", ".txt", ".xml"}


@functools.lru_cache(maxsize=4096)
def compressed(path: Path, mtime_ns: int) -> bytes:
    """A file's gzip form, made once (as web servers keep or pre-build it: nginx's gzip_static)."""
    return gzip.compress(path.read_bytes(), compresslevel=6)


class CompressingHandler(QuietHandler):
    """Text files gzip-compressed when the browser accepts it, as any production web server sends them."""

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urllib.parse.urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        if not (path.is_file() and path.suffix in COMPRESSED_SUFFIXES
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().do_GET()
        body = compressed(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve_folder(folder: Path, compress: bool = False) -> tuple[ThreadingHTTPServer, str]:
    handler = CompressingHandler if compress else QuietHandler
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# A block the site marks data-search-exclude (as Material's search does) is not searchable text.
SEARCH_EXCLUDED = re.compile(r"<(\w+)\b[^>]*\sdata-search-exclude\b[^>]*>.*?</\1>", re.S)


def article_text(html: str) -> str:
    start, end = html.find("<article"), html.find("</article>")
    return re.sub(r"<[^>]+>", "", SEARCH_EXCLUDED.sub("", html[start:end])) if start != -1 else ""


def pages_containing(site: Path, indexed: set[str], term: str) -> set[str]:
    """Indexed pages whose article text contains term: what a complete search returns."""
    found = set()
    for path in site.rglob("index.html"):
        location = path.parent.relative_to(site).as_posix() + "/" if path.parent != site else ""
        if location in indexed and term in article_text(path.read_text(encoding="utf-8")):
            found.add(location)
    return found


def indexed_locations(site: Path) -> set[str]:
    sys.path.insert(0, str(REPO))
    from generator.search import page_table, unwrapped

    return {row[0] for row in page_table(lambda path: unwrapped((site / "search" / path).read_text(encoding="utf-8")))}


FIRST_RESULT_PROBE = """
new MutationObserver((_, observer) => {
  if (document.querySelector(".md-search-result__item")) {
    window.__firstResult = performance.now(); observer.disconnect()
  }
}).observe(document, {childList: true, subtree: true})
addEventListener("load", () => { window.__loaded = performance.now() })
"""
SEARCH_FILE = re.compile(r"/search/|kesu-search\.js|/workers/|/lunr/")


def first_result(browser, base: str, query: str) -> tuple[float, int, float]:
    """(ms from navigation start to the first result, bytes moved for search, ms from the page's load
    event to the first result) in an empty context."""
    context = browser.new_context()
    context.add_init_script(FIRST_RESULT_PROBE)
    moved = []
    context.on("requestfinished", lambda request: SEARCH_FILE.search(request.url) and moved.append(request))
    page = context.new_page()
    page.goto(f"{base}/?q={urllib.parse.quote(query)}")
    page.wait_for_function("window.__firstResult !== undefined", timeout=60_000)
    elapsed = page.evaluate("window.__firstResult")
    page.wait_for_function("window.__loaded !== undefined", timeout=60_000)
    after_load = max(0.0, elapsed - page.evaluate("window.__loaded"))
    total = 0
    for request in moved:
        sizes = request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    context.close()
    return elapsed, total, after_load


def search_worker(browser, base: str):
    """A page whose search worker is set up; returns (context, worker) for direct queries."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/?q=%E6%8A%95%E8%AF%89")
    # Material's stock worker builds its index of every page first: minutes on a busy machine.
    page.locator(".md-search-result__item").first.wait_for(timeout=300_000)
    return context, page.workers[0]


def all_results(worker, query: str) -> list[str]:
    return worker.evaluate("q => self.kesuSearch({type: 2, data: q, all: true}).then(reply => reply.data.locations)",
                           query)


def listed_results(worker, query: str) -> list[str]:
    """The pages the search box lists for query, as it ranks them (over the heads of long lists
    when they settle the list, see kesu-search.mjs's rankingIsSettled)."""
    return worker.evaluate("q => self.kesuSearch({type: 2, data: q}).then(reply => reply.data.locations)", query)


def top_locations(worker, query: str) -> list[str]:
    """Material's worker answering query: the pages of its result groups, best first.

    The query is posted to the worker from inside it, and its reply is taken before it reaches
    the page (which would show it in the search box's result list)."""
    return worker.evaluate("""q => new Promise(resolve => {
      const post = self.postMessage
      self.postMessage = function (message) {
        if (message.type !== 3) return post.apply(self, arguments)
        self.postMessage = post
        resolve(message.data.items.map(group => group[0].location.split("#")[0].split("?")[0]))
      }
      self.dispatchEvent(new MessageEvent("message", {data: {type: 2, data: q}}))
    })""", query)


def colloquial_queries(path: Path) -> list[tuple[str, list[str]]]:
    import yaml

    entries = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else []
    return [(entry["query"], entry["expect"] if isinstance(entry["expect"], list) else [entry["expect"]])
            for entry in entries or []]


def colloquial_shares(answers: list[list[str]], queries: list[tuple[str, list[str]]]) -> tuple[float, float]:
    """(share with an expected page in the first three, share with no result)."""
    top3 = sum(1 for found, (_, expect) in zip(answers, queries) if set(found[:3]) & set(expect))
    empty = sum(1 for found in answers if not found)
    return round(top3 / len(queries), 3), round(empty / len(queries), 3)


def measure_stock_colloquial(site: Path, queries: list[tuple[str, list[str]]]) -> dict:
    """Material's stock search on the baseline build (plain `mkdocs build`, no kesu hook)."""
    from playwright.sync_api import sync_playwright

    server, base = serve_folder(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context, worker = search_worker(browser, base)
            answers = [top_locations(worker, query) for query, _ in queries]
            context.close()
            browser.close()
    finally:
        server.shutdown()
    top3, empty = colloquial_shares(answers, queries)
    return {"stock_colloquial_top3": top3, "stock_colloquial_empty": empty}


def type_queries(root: Path) -> list[tuple[str, str]]:
    sys.path.insert(0, str(REPO))
    from generator.load import load_project
    from generator.settings import Settings

    types = load_project(root, Settings(review_days=36500)).types
    queries = [(type_id, item.name) for type_id, item in types.items()]
    queries += [(type_id, phrase[:12]) for type_id, item in types.items() for phrase in item.customer_says]
    return queries


def measure_search(site: Path, root: Path, colloquial: list[tuple[str, list[str]]]) -> dict:
    from playwright.sync_api import sync_playwright

    server, base = serve_folder(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            first_result(browser, base, QUERIES[0])  # warm-up: the browser's own start is not the page's
            timings = [first_result(browser, base, query) for query in TIMED_QUERIES]
            context, worker = search_worker(browser, base)
            indexed = indexed_locations(site)
            recalls = []
            for query in QUERIES:
                expected = pages_containing(site, indexed, query)
                returned = set(all_results(worker, query))
                recalls.append(len(expected & returned) / len(expected) if expected else 1.0)
            queries = type_queries(root)
            first = sum(1 for type_id, query in queries if listed_results(worker, query)[:1] == [f"types/{type_id}/"])
            answers = [listed_results(worker, query) for query, _ in colloquial]
            context.close()
            browser.close()
    finally:
        server.shutdown()
    result = {
        "search_first_result_ms": round(statistics.median(ms for ms, _, _ in timings)),
        "search_first_result_after_load_ms": round(statistics.median(after for _, _, after in timings)),
        "search_transfer_kb": round(max(moved for _, moved, _ in timings) / 1024, 1),
        "search_recall": round(min(recalls), 3),
        "type_first_share": round(first / len(queries), 3),
    }
    if colloquial:
        result["colloquial_queries"] = len(colloquial)
        result["colloquial_top3"], result["colloquial_empty"] = colloquial_shares(answers, colloquial)
    return result


# One filter of the case library, applied through its form as a reader would, timed from the event to
# the list showing it (data-applied holds the URL parameters the list shows, see kesu-cases.js).
CASE_FILTER_PROBE = """async ([name, value]) => {
  const form = document.querySelector("form.kesu-case-filter")
  const list = document.getElementById("kesu-case-results")
  const field = name === "page" ? null : form.elements[name]
  if (field) field.value = value === "<first>" ? field.options[1].value : value
  const params = new URLSearchParams()
  for (const facet of ["type", "industry", "severity", "channel", "origin"]) {
    if (form.elements[facet].value) params.set(facet, form.elements[facet].value)
  }
  if (form.elements.q.value.trim()) params.set("q", form.elements.q.value.trim())
  if (name === "page") params.set("page", value)
  const expected = params.toString()
  const shown = new Promise(resolve => new MutationObserver((_, observer) => {
    if (list.getAttribute("data-applied") === expected) { observer.disconnect(); resolve(performance.now()) }
  }).observe(list, {attributes: true, attributeFilter: ["data-applied"]}))
  const next = [...document.querySelectorAll(".kesu-pager button")].find(b => b.textContent === "下一页")
  if (!field && (!next || next.disabled)) return 0  // a library of one page
  const started = performance.now()
  if (field) field.dispatchEvent(new Event("change", {bubbles: true}))
  else next.click()
  const late = new Promise((_, reject) => setTimeout(() => reject(new Error("no answer to " + expected)), 60000))
  return (await Promise.race([shown, late])) - started
}"""
# Each filter narrows the one before, then free text (its first use loads the texts), then the next page.
CASE_FILTERS = [("severity", "重大"), ("type", "<first>"), ("severity", ""), ("q", "退款"), ("q", "顾客 道歉"),
                ("type", ""), ("q", ""), ("page", "2")]


def measure_case_library(base_url: str) -> dict:
    """/cases/ in Chromium with an empty cache.

    cases_first_view_kb: everything the first view moves (page, theme, scripts, the search worker's
    start, case data), from navigation until the network is idle, as served at base_url (serve it with
    serve_folder(site, compress=True) for what a web server sends; cases_page_kb is the page and its
    case data only);
    cases_filter_ms: the slowest of CASE_FILTERS, from the form's change event to the list showing it
    (the first filter and the first free text include loading their data; the text box's focus, which
    starts loading the texts for a reader, is left out); cases_facet_filter_ms and cases_text_filter_ms
    split it into the selects and paging, and free text; cases_filter_each_ms lists them all.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        moved: list = []
        context.on("requestfinished", lambda request: moved.append(request))
        page = context.new_page()
        page.goto(f"{base_url}/cases/")
        page.wait_for_selector("#kesu-case-results[data-applied]", state="attached", timeout=60_000)
        page.wait_for_load_state("networkidle")
        sizes = [(request.url, request.sizes()) for request in moved]
        first_view = sum(size["responseBodySize"] + size["responseHeadersSize"] for _, size in sizes)
        own = sum(size["responseBodySize"] + size["responseHeadersSize"] for url, size in sizes
                  if urllib.parse.urlsplit(url).path.startswith("/cases/"))
        timings = [page.evaluate(CASE_FILTER_PROBE, [name, value]) for name, value in CASE_FILTERS]
        context.close()
        browser.close()
    return {"cases_first_view_kb": round(first_view / 1024, 1), "cases_page_kb": round(own / 1024, 1),
            "cases_filter_ms": round(max(timings)),
            "cases_facet_filter_ms": round(max(ms for ms, (name, _) in zip(timings, CASE_FILTERS) if name != "q")),
            "cases_text_filter_ms": round(max(ms for ms, (name, _) in zip(timings, CASE_FILTERS) if name == "q")),
            "cases_filter_each_ms": [round(ms) for ms in timings]}


def measure_case_library_site(site: Path) -> dict:
    """measure_case_library on site/ served compressed, as a web server would serve it."""
    for path in site.rglob("*"):  # compressed ahead, as a server with pre-built gzip files sends them
        if path.suffix in COMPRESSED_SUFFIXES:
            compressed(path, path.stat().st_mtime_ns)
    server, base = serve_folder(site, compress=True)
    try:
        return measure_case_library(base)
    finally:
        server.shutdown()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_until(condition, timeout: float) -> float:
    """Seconds until condition() holds, checked every 20 ms (the measurement's resolution)."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"timed out after {timeout} s")
        time.sleep(0.02)
    return time.perf_counter() - started


def measure_serve_edit(root: Path, edits: int = 3) -> float:
    port = free_port()
    log = (root / "serve.log").open("w")
    process = subprocess.Popen([str(BIN / "kesu"), "serve", "-a", f"127.0.0.1:{port}"], cwd=root, env=ENV,
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/cases/synthetic-0001/"
    path = root / "cases/library/synthetic-0001.yml"
    try:
        wait_until(lambda: "<article" in fetch(url), 900)
        slowest = 0.0
        for edit in range(1, edits + 1):
            source = path.read_text(encoding="utf-8")
            title = re.search(r"^title: (.*)$", source, re.M).group(1)
            marker = f"（第{edit}次修改）"
            path.write_text(source.replace(f"title: {title}", f"title: {title.split('（第')[0]}{marker}", 1),
                            encoding="utf-8")
            slowest = max(slowest, wait_until(lambda: marker in fetch(url), 120))
        return round(slowest, 2)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def zensical_build(root: Path) -> tuple[float | None, str]:
    """(seconds of `kesu build --engine zensical`, "") or (None, why it is not available)."""
    kesu = str(BIN / "kesu")
    usage = subprocess.run([kesu, "build", "--help"], cwd=root, env=ENV, capture_output=True, text=True).stdout
    if "--engine" not in usage:
        return None, "kesu build has no --engine option yet"
    started = time.perf_counter()
    result = subprocess.run([kesu, "build", "--engine", "zensical"], cwd=root, env=ENV, capture_output=True, text=True)
    if result.returncode != 0:
        return None, (result.stderr.strip().splitlines() or ["failed"])[-1]
    return round(time.perf_counter() - started, 2), ""


def with_zensical(result: dict, root: Path) -> dict:
    seconds, why = zensical_build(root)
    result["zensical_build_s"] = seconds
    if why:
        result["zensical_not_available"] = why
    return result


# The shipped site builds in seconds, where a busy machine's noise is a good part of the figure (and
# the edition's target is a ratio of two such figures): its builds are timed this many times each,
# alternately, and the fastest of each is kept.
SHIPPED_REPEATS = 3


def run_shipped(work_root: Path) -> dict:
    """The shipped site, no synthetic case: its build time with MkDocs and with Zensical."""
    print("-- shipped site", flush=True)
    root = prepare(work_root / "shipped", 0)
    builds, editions = [], []
    for _ in range(SHIPPED_REPEATS):  # `kesu build` replaces site/, the edition included: build both again
        builds.append(round(timed([str(BIN / "kesu"), "build"], root), 2))
        editions.append(edition_build(root))
    return with_zensical({"build_s": min(builds), "edition_build_s": min(editions)}, root)


def edition_build(root: Path) -> float:
    """Seconds of `kesu build --edition zh-Hant`, the main site being built already."""
    return round(timed([str(BIN / "kesu"), "build", "--edition", "zh-Hant"], root), 2)


def run_size(cases: int, work_root: Path, serve: bool, colloquial: list[tuple[str, list[str]]]) -> dict:
    print(f"-- {cases} cases", flush=True)
    root = prepare(work_root / str(cases), cases)
    kesu = str(BIN / "kesu")
    result: dict = {"cases": cases}
    result["generate_s"] = round(timed([kesu, "generate"], root), 2)
    result["build_s"] = round(timed([kesu, "build"], root), 2)
    result["edition_build_s"] = edition_build(root)
    result["baseline_build_s"] = round(timed(
        [str(BIN / "mkdocs"), "build", "-q", "-f", "baseline.yml", "-d", str(root / "site-baseline")], root), 2)
    site = root / "site"
    result["site_mb"] = round(folder_bytes(site) / 1024 / 1024, 1)
    result["search_index_kb"] = round(folder_bytes(site / "search") / 1024, 1)
    result |= measure_search(site, root, colloquial)
    result |= measure_case_library_site(site)  # the 300 kB target counts what a web server sends
    if colloquial and cases <= STOCK_MAX_CASES:
        result |= measure_stock_colloquial(root / "site-baseline", colloquial)
    shutil.rmtree(root / "site-baseline")
    with_zensical(result, root)  # last: it replaces site/
    if serve:
        result["serve_edit_s"] = measure_serve_edit(root)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return result


COLUMNS = ["cases", "generate_s", "build_s", "edition_build_s", "baseline_build_s", "zensical_build_s", "site_mb", "search_index_kb",
           "search_first_result_ms", "search_first_result_after_load_ms", "search_transfer_kb", "search_recall", "type_first_share", "serve_edit_s",
           "cases_first_view_kb", "cases_filter_ms",
           "colloquial_top3", "stock_colloquial_top3", "colloquial_empty", "stock_colloquial_empty"]
# Figures that a missing feature leaves empty, rather than not measured at this size.
NOT_AVAILABLE = {"zensical_build_s", "cases_filter_ms"}


def table(runs: list[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(run, column) for column in COLUMNS) + " |" for run in runs]
    return "\n".join(lines)


def cell(run: dict, column: str) -> str:
    if run.get(column) is None and column in NOT_AVAILABLE and column in run:
        return "not available"
    return str(run.get(column, "–"))


def shipped_line(shipped: dict) -> str:
    zensical = shipped["zensical_build_s"]
    return (f"shipped site: kesu build {shipped['build_s']} s with MkDocs "
            f"(the Traditional edition {shipped.get('edition_build_s', '–')} s), "
            + (f"{zensical} s with Zensical" if zensical is not None
               else f"Zensical not available ({shipped.get('zensical_not_available')})"))


def missed_colloquial(run: dict) -> list[str]:
    if "colloquial_top3" not in run:
        return []
    missed = []
    top3, stock = run["colloquial_top3"], run.get("stock_colloquial_top3")
    if top3 < 0.9 or (stock is not None and top3 < stock + 0.25):
        missed.append(f"{run['cases']}: colloquial top 3 {top3} (stock search {stock})")
    if run["colloquial_empty"] > 0:
        missed.append(f"{run['cases']}: colloquial queries without a result {run['colloquial_empty']}")
    return missed


def missed_targets(runs: list[dict]) -> list[str]:
    by_size = {run["cases"]: run for run in runs}
    missed = []
    for run in runs:
        if run["search_recall"] < 0.95 or run["type_first_share"] < 0.95:
            missed.append(f"{run['cases']}: recall {run['search_recall']}, type first {run['type_first_share']}")
        missed += missed_colloquial(run)
    if 1000 in by_size:
        run = by_size[1000]
        missed += missed_edition(run, "1000")
        if run["build_s"] > 1.15 * run["baseline_build_s"]:
            missed.append(f"1000: build {run['build_s']} s > 1.15 x baseline {run['baseline_build_s']} s")
        if run.get("search_first_result_after_load_ms", 0) > 300 or run["search_transfer_kb"] > 300:
            missed.append(f"1000: first result {run.get('search_first_result_after_load_ms')} ms after load, "
                          f"{run['search_transfer_kb']} kB")
        if run.get("serve_edit_s", 0) > 3:
            missed.append(f"1000: edit served after {run['serve_edit_s']} s")
    if 5000 in by_size:
        run = by_size[5000]
        if 1000 in by_size and run["build_s"] > 5.5 * by_size[1000]["build_s"]:
            missed.append(f"5000: build {run['build_s']} s > 5.5 x {by_size[1000]['build_s']} s")
        if run.get("search_first_result_after_load_ms", 0) > 500:
            missed.append(f"5000: first result {run.get('search_first_result_after_load_ms')} ms after load")
        if run.get("serve_edit_s", 0) > 2:
            missed.append(f"5000: edit served after {run['serve_edit_s']} s")
        missed += missed_case_library(run)
    if 20000 in by_size:
        run = by_size[20000]
        if 5000 in by_size and run["build_s"] > 4.4 * by_size[5000]["build_s"]:
            missed.append(f"20000: build {run['build_s']} s > 4.4 x {by_size[5000]['build_s']} s")
        if run["search_transfer_kb"] > 500:
            missed.append(f"20000: first search moved {run['search_transfer_kb']} kB")
    return missed


def missed_edition(run: dict, label: str) -> list[str]:
    """The Traditional edition's build against the Simplified one's."""
    if run.get("edition_build_s") is not None and run["edition_build_s"] > 1.2 * run["build_s"]:
        return [f"{label}: Traditional edition build {run['edition_build_s']} s > 1.2 x build {run['build_s']} s"]
    return []


def missed_case_library(run: dict) -> list[str]:
    """The /cases/ targets at 5,000 cases."""
    missed = []
    if run.get("cases_first_view_kb", 0) > 300:
        missed.append(f"{run['cases']}: /cases/ first view {run['cases_first_view_kb']} kB")
    if "cases_filter_ms" in run and (run["cases_filter_ms"] is None or not 0 <= run["cases_filter_ms"] <= 200):
        shown = "not available" if run["cases_filter_ms"] is None else f"{run['cases_filter_ms']} ms"
        missed.append(f"{run['cases']}: /cases/ filter {shown}")
    return missed


def write_results(out: Path, runs: list[dict], shipped: dict | None) -> None:
    """results.json: this run's figures replace those of the same sizes; other sizes are kept."""
    previous = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    measured = {run["cases"] for run in runs}
    kept = [run for run in previous.get("runs", []) if run["cases"] not in measured]
    results = {"runs": sorted(kept + runs, key=lambda run: run["cases"])}
    if shipped or previous.get("shipped"):
        results["shipped"] = shipped or previous["shipped"]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="comma-separated library sizes")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.json")
    parser.add_argument("--work", type=Path, default=REPO / "bench" / "work")
    parser.add_argument("--no-serve", action="store_true", help="skip the kesu serve measurement")
    parser.add_argument("--serve-only", action="store_true",
                        help="only the kesu serve edit measurement at each size (prints it; results.json is left alone)")
    parser.add_argument("--no-shipped", action="store_true", help="skip the build of the shipped site")
    parser.add_argument("--colloquial", type=Path, default=COLLOQUIAL, help="colloquial queries and expected pages")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.serve_only:
        for size in args.sizes.split(","):
            root = prepare(args.work / size, int(size))
            print(json.dumps({"cases": int(size), "serve_edit_s": measure_serve_edit(root)}), flush=True)
        return 0
    colloquial = colloquial_queries(args.colloquial)
    if not colloquial:
        print(f"no colloquial queries in {args.colloquial}: colloquial figures skipped", flush=True)
    shipped = None if args.no_shipped else run_shipped(args.work)
    runs = [run_size(int(size), args.work, serve=not args.no_serve and 1000 <= int(size) <= SERVE_MAX_CASES,
                     colloquial=colloquial)
            for size in args.sizes.split(",")]
    write_results(args.out, runs, shipped)
    print(table(runs))
    if shipped:
        print(shipped_line(shipped))
    print(f"\nwrote {args.out} in {time.perf_counter() - started:.0f} s\n\nTargets:\n{TARGETS}")
    missed = missed_targets(runs) + (missed_edition(shipped, "shipped") if shipped else [])
    for line in missed:
        print("MISSED", line)
    print("all targets met" if not missed else f"{len(missed)} target(s) missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
