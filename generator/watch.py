"""Watching cases/ while serving: one call of `changed` per burst of file events."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer


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
