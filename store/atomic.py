"""Atomic file writes: a temp file in the same folder, fsync, rename.

`write_all` stages every file first and renames only when all are staged, putting back what
it had replaced if a rename fails, so a batch lands whole or not at all.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _stage(path: Path, data: bytes, make_dirs: bool) -> Path:
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


def write(path: Path, data: bytes, make_dirs: bool = True) -> None:
    write_all({path: data}, make_dirs)


def write_all(files: dict[Path, bytes], make_dirs: bool = True) -> None:
    """Write every file or none; `make_dirs` creates missing parent folders."""
    staged: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            staged[path] = _stage(path, data, make_dirs)
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
    for parent in {p.parent for p in files}:
        _fsync_dir(parent)
