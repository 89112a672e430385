"""The few system calls every writer of files needs, in one place: the mode a new file
gets, writing bytes to a descriptor in full, creating a file that must not exist, and
flushing a folder so a rename in it survives a power cut."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path


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
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        write_fd(fd, data, mode, sync, halfway)
    finally:
        os.close(fd)


def fsync_path(path: Path) -> None:
    """Flush the file at `path` to disk."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush the folder `path` (its names: a rename in it), where the system allows."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
