"""Atomic file writes: a temp file in the same folder, fsync, rename.

`write_all` stages every file first and renames only when all are staged, putting back what
it had replaced if a rename fails, so a batch lands whole or not at all. A batch's files are
flushed to disk together (fsync in threads: one at a time, an import of 2,000 new files spent
seconds waiting on the disk), still all before the first rename.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

_SYNC_THREADS = 16


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _stage(path: Path, data: bytes, make_dirs: bool, sync: bool = True) -> Path:
    if make_dirs:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes 0600; the file should get the mode it had, or what umask allows.
        try:
            mode = path.stat().st_mode & 0o7777
        except OSError:
            mode = 0o666 & ~_umask()
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if sync:
                os.fsync(f.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        _fsync_path(path)


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _each(fn, items: Iterable[Path]) -> None:  # noqa: ANN001
    """fn on every item, in threads when there are many (fsync waits on the disk, not the
    interpreter); the first error is raised once all are done."""
    items = list(items)
    if len(items) < 4:
        for item in items:
            fn(item)
        return
    from concurrent.futures import ThreadPoolExecutor  # only big batches pay its import

    with ThreadPoolExecutor(min(_SYNC_THREADS, len(items))) as pool:
        for _ in pool.map(fn, items):
            pass


def write(path: Path, data: bytes, make_dirs: bool = True) -> None:
    write_all({path: data}, make_dirs)


def write_all(files: dict[Path, bytes], make_dirs: bool = True) -> None:
    """Write every file or none; `make_dirs` creates missing parent folders."""
    staged: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            staged[path] = _stage(path, data, make_dirs, sync=len(files) == 1)
        if len(files) > 1:
            _each(_fsync_path, staged.values())
    except BaseException:
        for tmp in staged.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    old: dict[Path, bytes | None] = {}
    try:
        for path, tmp in staged.items():
            old[path] = path.read_bytes() if path.exists() else None
            os.replace(tmp, path)
    except BaseException:
        for path, content in old.items():
            with contextlib.suppress(OSError):
                if content is None:
                    path.unlink()
                else:
                    os.replace(_stage(path, content, False), path)
        for tmp in staged.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    _each(_fsync_dir, {p.parent for p in files})
