"""Atomic file writes: a temp file in the same folder, fsync, rename.

`write_all` stages every file first and renames only when all are staged, putting back what
it had replaced if a rename fails, so a batch lands whole or not at all.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _stage(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write(path: Path, data: bytes) -> None:
    write_all({path: data})


def write_all(files: dict[Path, bytes]) -> None:
    staged: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            staged[path] = _stage(path, data)
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
                    os.replace(_stage(path, content), path)
        for tmp in staged.values():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    for parent in {p.parent for p in files}:
        _fsync_dir(parent)
