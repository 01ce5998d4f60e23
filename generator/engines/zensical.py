"""Zensical (pinned in requirements.txt): kesu's second engine, `kesu build|serve --engine zensical`.

Zensical reads mkdocs.yml, theme overrides (docs/overrides) and extra_javascript/extra_css as
MkDocs does, and writes the same URLs; it runs no MkDocs hooks or plugins. So kesu does around it
what generator/hooks.py does inside MkDocs:

- build: Zensical runs in a process of its own on a small config file that inherits mkdocs.yml
  and names the output folder (Zensical has no option for it). Its messages, coloured and spread
  over many lines, become one line of BuildFailed.
- search: Zensical's search box fetches search.json, whose documents it keeps and renders itself,
  and asks its worker for the ids of matches. publish_search replaces that file by a stub with
  kesu's manifest; docs/assets/javascripts/kesu-zensical.js (loaded by docs/overrides/main.html on
  Zensical's pages only) answers the box from kesu's worker and adds the sections found to the
  box's documents.
- serve: `zensical serve` in a child process writes into a folder of its own and reloads the
  browser; kesu regenerates docs/ when cases/ changes (Zensical then rebuilds) and indexes the
  served folder again after every rebuild, in a process of its own.
"""
from __future__ import annotations

import contextlib
import importlib.util
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import warnings
from pathlib import Path

from ..files import holds, replace_file
from ..settings import Settings
from ..watch import SourceWatcher
from . import Engine, check_address, not_installed

log = logging.getLogger("kesu")

# Written by Zensical and fetched by its search box on every page (Zensical's template, not ours).
SEARCH_FILE = "search.json"
# What the search box loads instead when the site is opened from file://.
SEARCH_SCRIPT = "search.js"
CONFIG_PREFIX = ".kesu-zensical-"
SERVE_PREFIX = "site.serving-"
# A (re)build writes its pages in a burst: index once they have been quiet this long.
SETTLE_SECONDS = 0.3
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_BOX = re.compile(r"[─-╿]")  # box-drawing characters of Zensical's warnings


def zensical_installed() -> bool:
    return importlib.util.find_spec("zensical") is not None


class ZensicalEngine(Engine):
    name = "zensical"
    # Zensical keeps Material's page template: a page's own content is the same element (Engine.article).

    def build(self, root: Path, site_dir: Path, strict: bool) -> None:
        from ..site import BuildFailed

        require_zensical()
        args = ["build", "--strict"] if strict else ["build"]
        with inheriting_config(root, site_dir) as config:
            result = subprocess.run([sys.executable, "-m", "zensical", *args, "-f", str(config)],
                                    cwd=root, capture_output=True, text=True, errors="replace")
        if result.returncode != 0:
            raise BuildFailed(describe_failure(result.stdout, result.stderr))
        if not (site_dir / "index.html").is_file():
            raise BuildFailed("zensical wrote no index.html (is docs/index.md missing?)")
        keep_links_inside_the_site(site_dir)

    def publish_search(self, site_dir: Path, manifest: dict) -> None:
        publish_to_zensical(site_dir, manifest)

    def index(self, root: Path, site_dir: Path) -> None:
        """kesu's search index of the HTML in site_dir, handed to Zensical's search box."""
        from ..search import write_search_index

        write_search_index(site_dir, root / "docs", self)

    def serve(self, root: Path, address: str, port: int, settings: Settings) -> None:
        require_zensical()
        check_address(address, port)
        # kesu's regeneration on edits (hooks.regenerate) reads the run's settings as it does under MkDocs.
        os.environ.update(settings.but(pages_generated=True).environment())
        Server(root, address, port).run()


def require_zensical() -> None:
    if not zensical_installed():
        raise not_installed("zensical")


@contextlib.contextmanager
def inheriting_config(root: Path, site_dir: Path):
    """A config file beside mkdocs.yml that inherits it, writes into site_dir and turns off
    Zensical's own search index.

    Beside it, because Zensical takes the project's folder from the config file's; removed after.
    Zensical's search index is replaced by kesu's anyway (publish_to_zensical), and it refuses
    large libraries: a field's limit falls as the sections grow (16 kB at 5,000 cases, 4 kB at
    20,000), below the deadline page's table. With it off, Zensical's template leaves the search box
    out of the header; kesu-zensical.js puts it back. The `plugins` here replace mkdocs.yml's list,
    which holds only the search plugin (Zensical runs no MkDocs plugins).
    """
    path = root / f"{CONFIG_PREFIX}{os.getpid()}-{site_dir.name}.yml"
    relative = os.path.relpath(site_dir, root)
    path.write_text(f"INHERIT: mkdocs.yml\nsite_dir: {json.dumps(relative)}\n"
                    "plugins:\n  - search:\n      enabled: false\n", encoding="utf-8")
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def describe_failure(stdout: str, stderr: str) -> str:
    """Zensical's failure as one line: its error, or the warnings that --strict refused."""
    from ..site import one_line

    errors = _ANSI.sub("", stderr)
    if match := re.search(r"^Error: (.*)", errors, re.S | re.M):
        detail = match[1].replace("Encountered an error parsing the configuration file: ", "invalid YAML: ")
        return f"zensical: {one_line(detail)}"
    refused = strict_warnings(_ANSI.sub("", stdout + "\n" + stderr))
    if "--strict" in errors and refused:
        return f"zensical --strict: {len(refused)} warning(s): {'; '.join(refused)}"
    lines = [line.strip() for line in errors.splitlines() if line.strip()]
    return f"zensical: {lines[-1] if lines else 'failed without a message'}"


def strict_warnings(output: str) -> list[str]:
    """'glossary.md:156: page does not exist' for each warning Zensical printed."""
    found = []
    for match in re.finditer(r"^Warning: (.*)\n.*?\[ ([^\]]+?):(\d+):\d+ \]", output, re.M):
        found.append(f"{match[2]}:{match[3]}: {_BOX.sub('', match[1]).strip()}")
    return found


_RELATIVE_URL = re.compile(r'((?:href|src)=")((?:\.\./)+)')


def keep_links_inside_the_site(site_dir: Path) -> None:
    """Take off the '../' that Zensical adds beyond the site's root to kesu's raw HTML links.

    kesu's templates write raw <a href> relative to the page's URL, as MkDocs publishes them
    ("../../callcards/x/" on /types/x/). Zensical reads every relative href in raw HTML as relative to
    the Markdown file and adds a '../' on pages under directory URLs: on a server at the domain's
    root the browser drops the surplus, but below a path (an intranet's /kesu/) and from file:// the
    link leaves the site. A relative URL never needs to climb above the root, so the surplus goes.
    """
    for page in site_dir.rglob("*.html"):
        depth = len(page.relative_to(site_dir).parts) - 1

        def clamp(match: re.Match) -> str:
            return match[1] + "../" * min(depth, len(match[2]) // 3)

        text = page.read_text(encoding="utf-8")
        clamped = _RELATIVE_URL.sub(clamp, text)
        if clamped != text:
            page.write_text(clamped, encoding="utf-8")


def publish_to_zensical(site_dir: Path, manifest: dict) -> None:
    """Replace Zensical's search.json (every section's text, fetched by every page) by a stub.

    The stub keeps Zensical's search config, adds kesu's manifest and no documents: the search
    box then asks kesu-zensical.js, which finds the manifest in the config it is handed.
    """
    path = site_dir / SEARCH_FILE
    try:
        config = json.loads(path.read_text(encoding="utf-8")).get("config", {})
    except (OSError, ValueError):
        config = {}
    config = {key: value for key, value in config.items() if key != "kesu"}
    stub = json.dumps({"config": {**config, "kesu": manifest}, "items": []}, ensure_ascii=False,
                      separators=(",", ":"))
    for target, text in ((path, stub), (site_dir / SEARCH_SCRIPT, f"var __index = {stub}\n")):
        data = text.encode("utf-8")
        if not holds(target, data):
            replace_file(target, data)  # while serving, a browser may be reading the previous version


# --- serve ----------------------------------------------------------------------------------------


class Server:
    """`zensical serve` in a child process, kesu's regeneration and indexing around it."""

    def __init__(self, root: Path, address: str, port: int):
        self.root = root.resolve()  # the indexer runs in another folder
        self.dev_addr = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        self.site_dir = self.root / f"{SERVE_PREFIX}{os.getpid()}"
        self.indexing: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def run(self) -> None:
        from ..hooks import regenerate

        self.site_dir.mkdir(exist_ok=True)
        # watchdog warns when Zensical creates folders faster than it adds their watches; it copes.
        warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"watchdog\.")
        # Stopped by a signal (a service manager, a test): Zensical and the watchers stop as on Ctrl+C.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        sources = SourceWatcher(self.root / "cases", lambda: regenerate(self.root), 0.1)
        rebuilt = PageWatcher(self.site_dir, self.reindex, SETTLE_SECONDS)
        with inheriting_config(self.root, self.site_dir) as config:
            try:
                rebuilt.start()
                sources.start()
                log.info("kesu is watching 'cases' for changes")
                child = subprocess.Popen([sys.executable, "-m", "zensical", "serve", "-f", str(config),
                                          "-a", self.dev_addr], cwd=self.root)
                try:
                    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C reaches Zensical too
                        child.wait()
                finally:
                    if child.poll() is None:
                        child.terminate()
                        child.wait()
            finally:
                sources.stop()
                rebuilt.stop()
                self.stop_indexing()
                shutil.rmtree(self.site_dir, ignore_errors=True)

    def reindex(self) -> None:
        """After a rebuild: kesu's index of the served pages, in a process of its own (the browser
        reloads the edited page without waiting for it). An index still being built is obsolete."""
        with self.lock:
            self.stop_indexing()
            self.indexing = subprocess.Popen([sys.executable, "-m", "generator.engines.zensical",
                                              str(self.root), str(self.site_dir)],
                                             cwd=Path(__file__).resolve().parents[2])

    def stop_indexing(self) -> None:
        if self.indexing is not None and self.indexing.poll() is None:
            self.indexing.terminate()
            self.indexing.wait()


class PageWatcher(SourceWatcher):
    """Calls changed() once Zensical has written pages and been quiet for `settle` seconds. Zensical
    writes search.json early in a build, the pages after it; kesu's indexer writes no .html files,
    so its own writes start nothing."""

    def on_any_event(self, event) -> None:
        paths = (event.src_path, getattr(event, "dest_path", "") or "")
        if any(os.fsdecode(path).endswith(".html") for path in paths if path):
            super().on_any_event(event)


if __name__ == "__main__":  # `kesu serve --engine zensical` indexes each rebuild in a process of its own
    with contextlib.suppress(KeyboardInterrupt):
        try:
            ZensicalEngine().index(Path(sys.argv[1]), Path(sys.argv[2]))
        except (OSError, ValueError, KeyError) as error:  # a rebuild removed a page while it was read
            print(f"kesu: search index not rebuilt: {error}", file=sys.stderr)
