"""Watching cases/ while serving: one call of `changed` per burst of file events."""
from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import os
import socket
import threading
from pathlib import Path
from typing import Callable

from watchdog.events import (
    FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer


log = logging.getLogger("mkdocs.plugins.kesu")


class SourceWatcher(FileSystemEventHandler):
    """Calls changed() once the files under folder have been quiet for settle seconds."""

    def __init__(self, folder: Path, changed: Callable[[], None], settle: float):
        self.folder, self.changed, self.settle = folder, changed, settle
        self.observer = Observer()
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()
        self.running = threading.Lock()  # a burst during a run waits for it, never overlaps it

    def start(self) -> None:
        self.observer.schedule(self, str(self.folder), recursive=True)
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type in ("opened", "closed_no_write"):
            return
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(self.settle, self._run)
            self.timer.daemon = True
            self.timer.start()

    def _run(self) -> None:
        with self.running:
            self.changed()


def address_in_use(host: str, port: int) -> str | None:
    """Why host:port cannot be served on, or None. Checked before MkDocs builds for nothing."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As the server will: a port left in TIME_WAIT by the last `kesu serve` is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OverflowError:
            return "a port is a number from 1 to 65535"
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return "the port is already in use (is another kesu serve running?)"
            return (error.strerror or str(error)).lower()
    return None


@contextlib.contextmanager
def rebuild_errors_keep_last_site(rebuild_changed: Callable[[], bool] = lambda: False):
    """While serving, a rebuild that fails (a broken mkdocs.yml, a failing plugin) prints one line
    and keeps the last good site served.

    MkDocs' server prints a traceback and stops answering requests until a rebuild succeeds; its
    builder is wrapped here, the only way in without copying mkdocs.commands.serve. The wrapper
    first offers the rebuild to rebuild_changed() (True: done), and the server is told of changes
    by the kernel (inotify) where it can be: MkDocs' polling looks at every file of docs/ twice a
    second, a tenth of a core at 5,000 cases, and sees a change half a second late on average.
    """
    import mkdocs.commands.serve as mkdocs_serve_module

    original = mkdocs_serve_module.LiveReloadServer

    class ForgivingServer(original):
        def __init__(self, builder, **options):
            def build() -> None:
                if not rebuild_changed():
                    builder()
            super().__init__(builder=_logging_failures(build), **options)
            if inotify_available():
                self.observer = ChangeObserver()

    mkdocs_serve_module.LiveReloadServer = ForgivingServer
    try:
        yield
    finally:
        mkdocs_serve_module.LiveReloadServer = original


def _logging_failures(builder: Callable[[], None]) -> Callable[[], None]:
    def build_or_log() -> None:
        from .site import BuildFailed, one_line

        try:
            builder()
        except BuildFailed as error:
            log.error("kesu: %s; still serving the last good site", error)
        except Exception as error:  # noqa: BLE001 - any failure of a rebuild must keep the server answering
            log.error("kesu: rebuild failed: %s; still serving the last good site",
                      one_line(str(error) or type(error).__name__))
    return build_or_log


def drop_removed_pages(site_dir: Path, removed: list[tuple[str, str]]) -> None:
    """Remove pages (output file, URL) from a served site; kesu's indexer, which reads the site's
    pages, leaves them out next."""
    for dest, _ in removed:
        output = site_dir / dest
        output.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # the folder of /cases/<id>/, unless something else is in it
            output.parent.rmdir()


class ChangeObserver(Observer):
    """The kernel's file events of writes only: a file read (by a build, or by the search indexer)
    is an event too, and would start the next rebuild."""

    CHANGES = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent]

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
        return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or self.CHANGES,
                                follow_symlink=follow_symlink)


def inotify_available() -> bool:
    """Whether this process can have one more inotify instance (Linux; limited per user)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fd = libc.inotify_init1(os.O_CLOEXEC)
    except (OSError, AttributeError):
        return False
    if fd < 0:
        return False
    os.close(fd)
    return True
