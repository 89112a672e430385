"""Writing one file anywhere (`export -o`) atomically, with no partial file left if killed.

The bytes go to an unnamed file in the target's folder (Linux `O_TMPFILE`: the kernel frees it
if the process dies), which is fsynced, given a name through `/proc/self/fd` and renamed over
the target: a reader sees the old file or the new one, and a kill -9 while writing leaves
nothing behind. Where the system has no O_TMPFILE (Windows, macOS), the file system no
unnamed files, or there is no /proc to name one by (PROC_FD missing), a hidden named temp
file takes its place (removed on any error, though a kill -9 can leave it): the portable
path, tested with both hidden (tests/test_portable.py).

Files inside a workspace are written by store/disk/transaction.py instead, staged in the folder git
ignores, under the workspace lock, compared before they are replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from . import fsio
from .pending import testpoint

O_TMPFILE = getattr(os, "O_TMPFILE", 0)  # Linux only
PROC_FD = "/proc/self/fd"  # where Linux names an open descriptor (absent: no /proc)


def write(path: Path, data: bytes, make_dirs: bool = True, mode: int | None = None) -> None:
    """Replace (or create) the file at `path` with `data`, atomically; it keeps its mode, or
    has `mode` from the moment it is in place (a git hook: executable, or git skips it)."""
    folder = path.parent
    if make_dirs:
        folder.mkdir(parents=True, exist_ok=True)
    mode = fsio.mode_for(path) if mode is None else mode
    if not (O_TMPFILE and os.path.isdir(PROC_FD)):
        _write_named(path, data, mode)
        return
    try:
        fd = os.open(folder, O_TMPFILE | os.O_WRONLY | fsio.O_CLOEXEC, 0o600)
    except OSError as e:
        if e.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
            raise
        _write_named(path, data, mode)
        return
    tmp = folder / f".{path.name}.{os.urandom(4).hex()}.tmp"
    try:
        fsio.write_fd(fd, data, mode, sync=True, halfway=_halfway)
        # A name only now, for the two system calls it takes to put it in place.
        try:
            _link_unnamed(fd, tmp)
        except OSError:  # no /proc, or it will not link
            _write_named(path, data, mode)
            return
        try:
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    finally:
        os.close(fd)
    fsio.fsync_dir(folder)


def _link_unnamed(fd: int, name: Path) -> None:
    """Give the unnamed file `fd` a name: linkat through /proc, following its link (plain
    link() would try to link the /proc entry itself)."""
    proc = os.open(PROC_FD, os.O_RDONLY | fsio.O_DIRECTORY | fsio.O_CLOEXEC)
    try:
        os.link(str(fd), name, src_dir_fd=proc, follow_symlinks=True)
    finally:
        os.close(proc)


def _write_named(path: Path, data: bytes, mode: int) -> None:
    tmp = path.parent / f".{path.name}.{os.urandom(4).hex()}.tmp"
    try:
        fsio.write_new(tmp, data, mode, sync=True, halfway=_halfway)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsio.fsync_dir(path.parent)


def _halfway() -> None:
    testpoint("write-half")  # a test stops here to kill us half way
