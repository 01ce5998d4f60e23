"""Writing files that something may be reading at the same moment (a watcher, a browser)."""
from __future__ import annotations

import os
from pathlib import Path


def holds(target: Path, data: bytes) -> bool:
    """Whether target already holds exactly data (then it is not rewritten and keeps its time)."""
    return target.is_file() and target.read_bytes() == data


def replace_file(target: Path, data: bytes) -> None:
    """Write aside and rename: a reader sees the old file or the new one, never half of one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = target.with_name(f".{target.name}.tmp")
    aside.write_bytes(data)
    os.replace(aside, target)
