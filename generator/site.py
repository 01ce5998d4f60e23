"""Writing generated pages into docs/ and building the site into site/ safely.

Pages are written only when their text changed, so live reload sees real edits only and
unchanged pages keep their timestamps. The site is built beside site/ and swapped in only
after a successful build: a failed build leaves the previous site/ as it was.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .files import describe_os_error, holds, is_stale_aside, process_alive, replace_file
from .htmlguard import UnsafePage, refuse_unsafe_pages
from .load import Project, load_project
from .problems import Problem, SourceErrors
from . import registry
from .registry import Generation
from .render import merged, render_outputs
from .search import write_search_index
from .settings import Settings

log = logging.getLogger("kesu")


class BuildFailed(Exception):
    pass


@dataclass
class WriteReport:
    written: int
    unchanged: int
    removed: int
    # What this generation saw and wrote, for the next one to re-render only what changed.
    generation: Generation | None = None


def write_pages(docs_dir: Path, pages: dict[str, str], removed: Iterable[str] | None = None) -> WriteReport:
    """Write the pages whose text changed; remove `removed`, or (None) every other file kesu generates."""
    changed = []
    for rel, text in pages.items():
        target = docs_dir / rel
        data = text.encode("utf-8")
        if not holds(target, data):
            changed.append((target, data))
    # Compared first, written in one burst: `kesu serve` rebuilds once the writes have settled for
    # 0.1 s, and writes spread over the comparison of a thousand pages would start two rebuilds.
    for target, data in changed:
        replace_file(target, data)
    written, unchanged = len(changed), len(pages) - len(changed)
    candidates = stale_candidates(docs_dir) if removed is None else [docs_dir / rel for rel in removed]
    return WriteReport(written, unchanged, remove_stale(docs_dir, candidates, pages))


def stale_candidates(docs_dir: Path) -> list[Path]:
    """Every file under the registry's generated roots (their asides included)."""
    candidates = [docs_dir / name for name in registry.GENERATED_FILES]
    for folder in registry.GENERATED_DIRS:
        candidates += sorted((docs_dir / folder).rglob("*")) if (docs_dir / folder).is_dir() else []
    return candidates


def remove_stale(docs_dir: Path, candidates: list[Path], pages: dict[str, str]) -> int:
    removed = 0
    for path in candidates:
        if path.name.startswith("."):
            if is_stale_aside(path):  # its writer was killed; a live writer's file is left alone
                path.unlink(missing_ok=True)
            continue
        if path.is_file() and path.relative_to(docs_dir).as_posix() not in pages:
            path.unlink(missing_ok=True)  # `kesu serve` or another command may have removed it first
            removed += 1
    return removed


def generate(root: Path, settings: Settings | None = None, previous: Generation | None = None
             ) -> tuple[Project, WriteReport]:
    """Validate cases/ and write the generated pages; raises SourceErrors before writing anything.

    previous: the last generation of this project in this process (kesu serve): only the outputs that
    depend on a changed source are rendered again, and only the outputs that are gone are removed.
    """
    settings = settings or Settings()
    project = load_project(root, settings)
    outputs = registry.outputs(project, settings)
    versions = registry.source_versions(project)
    todo = outputs if previous is None else previous.stale(settings, versions, outputs)
    rendered = rendered_files(project, settings, todo)
    pages = merged(rendered)
    files = {} if previous is None else {o.path: previous.files.get(o.path, frozenset()) for o in outputs}
    files |= {path: frozenset(group) for path, group in rendered.items()}
    if previous is None:
        report = write_pages(root / "docs", pages)
    else:
        report = write_pages(root / "docs", pages, removed=previous.all_files() - set().union(*files.values()))
    report.generation = registry.Generation(settings, versions, {o.path: o.sources for o in outputs}, files)
    return project, report


def current_generation(root: Path, settings: Settings) -> Generation | None:
    """The generation docs/ holds, without rendering: for `kesu serve`, whose pages were just written.
    None when the sources do not load (the next generation is then a full one)."""
    try:
        project = load_project(root, settings)
    except SourceErrors:
        return None
    outputs = registry.outputs(project, settings)
    # A group's files are known by rendering it (a few, cheap): the others' by their path.
    files = {o.path: frozenset(rendered_files(project, settings, [o])[o.path]) if o.group else
             frozenset({o.path} if (root / "docs" / o.path).is_file() else ()) for o in outputs}
    return registry.Generation(settings, registry.source_versions(project), {o.path: o.sources for o in outputs},
                               files)


def rendered_pages(project: Project, settings: Settings | None = None) -> dict[str, str]:
    """Every generated page; a failure of a template is one problem, never a traceback.

    `kesu check` renders too (in memory): sources that pass it also generate and build.
    """
    return merged(rendered_files(project, settings))


def rendered_files(project: Project, settings: Settings | None = None, outputs: list | None = None
                   ) -> dict[str, dict[str, str]]:
    """{output path: {file: text}} of every output (or of `outputs`); SourceErrors as rendered_pages."""
    settings = settings or Settings()
    try:
        files, problems = render_outputs(registry.outputs(project, settings) if outputs is None else outputs)
    except Exception as error:  # noqa: BLE001 - a bug in a template must still end as one line
        detail = one_line(f"{type(error).__name__}: {error}")
        raise SourceErrors([Problem("cases/", 1, "", f"the pages could not be generated ({detail}); the "
                                                     f"sources pass every check, so please report this")]) from None
    if problems:
        raise SourceErrors(problems)  # one problem per page that cannot be rendered, naming its source
    return files


def remove_generated(root: Path) -> list[str]:
    """Remove the registry's generated roots from docs/, site/ and the folders of killed builds.
    Returns what was removed, relative to root."""
    remove_stale_build_folders(root)
    targets = [root / "docs" / name for name in registry.GENERATED_ROOTS] + [root / "site"]
    targets += sorted(root.glob(f"{STAGING_PREFIX}*")) + sorted(root.glob(f"{OLD_PREFIX}*"))
    removed = []
    for path in targets:
        if path.exists() or path.is_symlink():
            removed.append(path.relative_to(root).as_posix() + ("/" if path.is_dir() else ""))
            remove_path(path)
    return removed


# A relative link to a folder (MkDocs' directory URLs: "../types/x/", "./", "..", "../#anchor").
_FOLDER_LINK = re.compile(r'href="((?:\.{1,2}/|[^":?#/]+/)*(?:\.{1,2}|[^":?#/]+/)?)(#[^"]*)?"')


def folder_link_to_file(match: re.Match) -> str:
    folder, anchor = match.group(1), match.group(2) or ""
    if not folder or (not folder.endswith("/") and folder not in (".", "..")):
        return match.group(0)  # "#anchor" alone, or a link to a file
    if folder in (".", "./"):
        return f'href="index.html{anchor}"'
    return f'href="{folder.rstrip("/")}/index.html{anchor}"'


def link_files_for_offline_use(site: Path) -> None:
    """Point every relative folder link at the folder's index.html.

    Browsers open a folder as a file listing from file://, not its index.html; the URLs keep
    their /types/<id>/ shape on a server, and the offline copy opens with a double click.
    """
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        linked = _FOLDER_LINK.sub(folder_link_to_file, text)
        if linked != text:
            path.write_text(linked, encoding="utf-8")


def build_site(root: Path, strict: bool = False, offline: bool = False, engine: str = "mkdocs") -> Path:
    """Build with the engine into a sibling folder of site/, add kesu's search index, then swap it in.

    offline: links point at index.html files, for opening the site from the file system.
    The caller holds build_lock(root): builds of one project never overlap.
    """
    from .engines import get_engine

    builder = get_engine(engine)
    site = root / "site"
    remove_stale_build_folders(root)
    staging = make_staging_folder(root)
    try:
        builder.build(root, staging, strict)
        refuse_unsafe_pages(staging)
        write_search_index(staging, root / "docs", builder)
        if offline:
            link_files_for_offline_use(staging)
    except (UnsafePage, OSError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(describe_build_error(error, root)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_into_place(staging, site)
    return site


def describe_build_error(error: BaseException, root: Path) -> str:
    if isinstance(error, OSError):
        return describe_os_error(error, root)
    return one_line(str(error) or type(error).__name__)


def one_line(message: str) -> str:
    """MkDocs', Zensical's and PyYAML's messages span lines; kesu prints one."""
    message = message.replace("MkDocs encountered an error parsing the configuration file: ", "invalid YAML: ")
    message = re.sub(r'\s*in "([^"]*)", line (\d+), column \d+', lambda m: f" ({Path(m[1]).name}:{m[2]})", message)
    return "; ".join(part.strip() for part in message.splitlines() if part.strip())


# --- one build at a time, and a complete site/ at every instant -------------------------------

LOCK_NAME = ".kesu-build.lock"
STAGING_PREFIX = "site.building-"
OLD_PREFIX = "site.old-"


@contextlib.contextmanager
def build_lock(root: Path, waiting: Callable[[str], None] = lambda message: None):
    """Hold the project's build lock; a second build waits for the first (waiting() is told once).

    flock is released by the kernel when its holder exits, even by kill -9: a lock is never stale.
    """
    path = root / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            waiting(f"another kesu build (process {holder}) is running in this folder; waiting for it to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def make_staging_folder(root: Path) -> Path:
    """site.building-<pid>-<random>: the pid says whose it is, for remove_stale_build_folders."""
    return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=root))


def _owner_alive(folder: Path) -> bool:
    match = re.match(rf"(?:{STAGING_PREFIX}|{OLD_PREFIX})(\d+)(?:-|$)", folder.name)
    return bool(match) and process_alive(int(match[1]))


def remove_stale_build_folders(root: Path) -> None:
    """Folders left by builds that were killed; site.old-* is first put back if site/ is missing."""
    site = root / "site"
    for folder in sorted(root.glob(f"{OLD_PREFIX}*")):
        if not site.exists() and folder.is_dir() and not _owner_alive(folder):
            os.replace(folder, site)  # a kill between the two renames of the fallback swap
    for folder in root.glob(f"{STAGING_PREFIX}*"):
        if folder.is_dir() and not _owner_alive(folder):
            shutil.rmtree(folder, ignore_errors=True)
    for folder in root.glob(f"{OLD_PREFIX}*"):
        if not _owner_alive(folder):
            remove_path(folder)


def swap_into_place(staging: Path, site: Path) -> None:
    """Make staging the new site/ so that site/ is complete at every instant, then drop the old one.

    Linux swaps two folders in one step (renameat2 with RENAME_EXCHANGE): a web server or a reader
    of site/ sees the old tree or the new one. Elsewhere (or on a file system without it) the two
    renames leave site/ missing for a moment; a kill in between is repaired by the next build.
    """
    if site.is_dir() and not site.is_symlink() and exchange(staging, site):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old site
        return
    old = None
    if site.exists() or site.is_symlink():
        old = site.with_name(f"{OLD_PREFIX}{os.getpid()}")
        os.replace(site, old)
    os.replace(staging, site)
    if old is not None:
        remove_path(old)


def remove_path(path: Path) -> None:
    """Remove a folder, a file or a link, whichever site/ had become."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))
