"""generator/watch.py: one call per burst of changes under cases/ while serving."""
from __future__ import annotations

import threading
from pathlib import Path

from generator.watch import SourceWatcher


def test_a_burst_of_saves_is_one_call_and_the_next_burst_another(tmp_path: Path):
    calls = []
    called = threading.Event()

    def changed():
        calls.append(len(calls))
        called.set()

    watcher = SourceWatcher(tmp_path, changed, settle=0.2)
    watcher.start()
    try:
        for burst in range(2):
            called.clear()
            for number in range(5):  # an editor's write, rename and touch, several files at once
                (tmp_path / f"case-{number}.yml").write_text(f"title: 第{burst}版", encoding="utf-8")
            assert called.wait(timeout=10), "no call after the burst"
        assert calls == [0, 1]
    finally:
        watcher.stop()
