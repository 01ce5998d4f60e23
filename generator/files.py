"""Writing files that something may be reading at the same moment (a watcher, a browser, another build)."""
from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from pathlib import Path
from typing import Callable


def holds(target: Path, data: bytes) -> bool:
    """Whether target already holds exactly data (then it is not rewritten and keeps its time)."""
    return target.is_file() and target.read_bytes() == data


def aside_name(target: Path) -> Path:
    """A hidden name beside target, unique to this process and call: two writers never share one."""
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


_ASIDE = re.compile(r"^\..+\.(\d+)-[0-9a-f]{8}\.tmp$")


def process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    except (OverflowError, ValueError):
        return False
    return True


def is_stale_aside(path: Path) -> bool:
    """A file left by a writer killed before its rename (see aside_name)."""
    match = _ASIDE.match(path.name)
    return bool(match) and not process_alive(int(match[1]))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def replace_file(target: Path, data: bytes) -> None:
    """Write aside and rename: a reader sees the old file or the new one, never half of one.

    On any failure (a full disk, no permission) the aside file is removed and target is untouched.
    """
    _write_aside_then(target, data, os.replace)


def create_file(target: Path, data: bytes) -> None:
    """Like replace_file, but FileExistsError if target exists: a new file appears whole or not at all."""
    def link_then_drop(aside: Path, target: Path) -> None:
        try:
            os.link(aside, target)  # fails if target exists, unlike a rename
        finally:
            os.unlink(aside)
    _write_aside_then(target, data, link_then_drop)


def _write_aside_then(target: Path, data: bytes, move: Callable[[Path, Path], None]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = aside_name(target)
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        move(aside, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(aside)
        if isinstance(error, OSError) and error.filename is None:  # os.write names no file
            raise OSError(error.errno, error.strerror, str(target)) from None
        raise


def describe_os_error(error: OSError, root: Path | None = None) -> str:
    """'cannot write docs/x.md: no space left on device (free some space and run again)'."""
    name = error.filename
    where = ""
    if name is not None:
        path = Path(os.fsdecode(name))
        with contextlib.suppress(ValueError):
            path = path.relative_to(root) if root is not None and path.is_absolute() else path
        where = f" {path.as_posix()}"
    reason = (error.strerror or type(error).__name__).lower()
    advice = {errno.ENOSPC: "free some space and run again", errno.EDQUOT: "free some space and run again",
              errno.EACCES: "check the folder's permissions",
              errno.EPERM: "check the folder's permissions"}.get(error.errno or 0)
    verb = "cannot write" if error.errno in _WRITE_ERRORS else "cannot use"
    return f"{verb}{where}: {reason}" + (f" ({advice})" if advice else "")


# What writing fails with; other errors (a folder deleted meanwhile, a name too long) are said neutrally.
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS, errno.EFBIG}
