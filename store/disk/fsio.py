"""The few system calls every writer of files needs, in one place: the mode a new file
gets, writing bytes to a descriptor in full, creating a file that must not exist, flushing a
folder so a rename in it survives a power cut, and opening a file of ours without following
a link.

The operating system shows here (and in lock.py, atomic.py, files.py): flags that only some
systems have (O_CLOEXEC, O_NOFOLLOW, O_DIRECTORY, O_NONBLOCK) are 0 where missing, with a
portable check in their place (`open_nofollow` looks at the name first where there is no
O_NOFOLLOW); `owned` is true where the system has no user ids (Windows).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation
_getuid = getattr(os, "getuid", None)


def owned(st: os.stat_result) -> bool:
    """Whether this user owns the file `st` describes (always, where there are no uids)."""
    return _getuid is None or st.st_uid == _getuid()


def not_our_folder(path: Path) -> str | None:
    """What is wrong with `path` as a folder jixiao writes in (None: a real folder of this
    user's, or nothing there yet): a symlink, a file, another user's folder."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(st.st_mode):
        return "是符号链接"
    if not stat.S_ISDIR(st.st_mode):
        return "不是文件夹"
    if not owned(st):
        return "属于另一个用户"
    return None


def open_nofollow(path: Path, flags: int, mode: int = 0o644) -> int:
    """os.open that never follows a symlink at `path` itself (OSError ELOOP instead); where
    the system has no O_NOFOLLOW, the name is looked at first."""
    if not O_NOFOLLOW:
        with contextlib.suppress(FileNotFoundError):
            if stat.S_ISLNK(os.lstat(path).st_mode):
                raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))
    return os.open(path, flags | O_NOFOLLOW | O_CLOEXEC | O_BINARY, mode)


def umask() -> int:
    """The process's umask (reading it means setting it: set back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def mode_for(path: Path) -> int:
    """The mode the file at `path` has, or, when there is none, the one a new file gets:
    a write keeps the mode the person gave the file."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return 0o666 & ~umask()


def write_fd(
    fd: int, data: bytes, mode: int, sync: bool = False, halfway: Callable[[], None] | None = None
) -> None:
    """Give `fd` the mode `mode` and write all of `data` (`halfway` is called when half is
    written: a test's stop point); fsync it if `sync`."""
    if hasattr(os, "fchmod"):  # Windows before 3.13 has none: the mode there is the default
        os.fchmod(fd, mode)
    view = memoryview(data)
    half = len(view) // 2 if halfway else len(view)
    for k, part in enumerate((view[:half], view[half:])):
        if k and halfway:
            halfway()
        while part:
            part = part[os.write(fd, part) :]
    if sync:
        os.fsync(fd)


def write_new(
    path: Path,
    data: bytes,
    mode: int,
    sync: bool = False,
    halfway: Callable[[], None] | None = None,
) -> None:
    """Create the file `path` (it must not exist) holding `data`, with mode `mode`."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_CLOEXEC | O_BINARY, 0o600)
    try:
        write_fd(fd, data, mode, sync, halfway)
    finally:
        os.close(fd)


def fsync_path(path: Path) -> None:
    """Flush the file at `path` to disk."""
    fd = os.open(path, os.O_RDONLY | O_CLOEXEC | O_BINARY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush the folder `path` (its names: a rename in it), where the system allows."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY | O_DIRECTORY)  # Windows: fails, skipped
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
