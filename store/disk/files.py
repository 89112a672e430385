"""Files jixiao reads or writes by name: regular files only, and bounded in size.

A FIFO would block a read forever, `/dev/zero` never ends, a sparse file of 5 GB reads as
5 GB; a character device or a FIFO given to `export -o` would be replaced by a regular file
(or block the write). Every file jixiao reads by name goes through `read_regular`, and the
target of `export -o` through `output_target`, so each of these is one sentence instead.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import FileKindError, TooLargeError
from .fsio import O_BINARY, O_CLOEXEC, O_NONBLOCK

MB = 1 << 20
# Parsing a sheet file takes ~20 times its size in memory: 64 MB keeps that near 1.3 GB.
SHEET_LIMIT = 64 * MB  # an exported sheet file (the sample is 40 KB; 2,000 sheets ~6 MB)
YAML_LIMIT = 64 * MB  # jixiao.yaml, a cache file
PROJECT_LIMIT = 8 * MB  # a project file, read or written (store/projectfile/projectsize.py)
_CHUNK = 4 * MB

_KINDS = (
    (stat.S_ISDIR, "文件夹"),
    (stat.S_ISFIFO, "命名管道（FIFO）"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
    (stat.S_ISSOCK, "套接字"),
)


def kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words (None: a regular file)."""
    if stat.S_ISREG(mode):
        return None
    for test, name in _KINDS:
        if test(mode):
            return name
    return "特殊文件"


def read_regular(path: str | Path, limit: int, name: str | None = None) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    Raises FileKindError (one sentence naming `name`, or the path) for anything that is not
    a regular file, or that holds more than `limit` bytes; OSError as open() would.
    """
    shown = name or str(path)
    # O_NONBLOCK: opening a FIFO does not wait for a writer (it has no effect on a file).
    fd = os.open(path, os.O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_BINARY)
    try:
        st = os.fstat(fd)
        kind = kind_of(st.st_mode)
        if kind is not None:
            raise FileKindError(shown, f"是{kind}，不是普通文件；jixiao 只读普通文件")
        if st.st_size > limit:
            raise _too_large(shown, st.st_size, limit)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while we read
                raise _too_large(shown, total, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _too_large(shown: str, size: int, limit: int) -> TooLargeError:
    return TooLargeError(
        shown, f"文件有 {size:,} 字节，超过 {limit // MB} MB 的上限，不像是 jixiao 能读的文件"
    )


def output_target(path: Path, shown: str) -> Path:
    """Where `export -o PATH` writes: PATH, or the file its symlink points to.

    A symlink is written through (the link stays, its target gets the new bytes and keeps
    its mode); anything that is not a regular file — a device, a FIFO, a folder — is refused
    with a sentence (`-o -` is standard output).
    """
    target = Path(os.path.realpath(path))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise FileKindError(shown, f"文件夹 {target.parent} 不存在") from None
        return target
    kind = kind_of(st.st_mode)
    if kind is not None:
        raise FileKindError(
            shown, f"是{kind}，不是普通文件，jixiao 不写入它；要写到标准输出请用 -o -"
        )
    return target
