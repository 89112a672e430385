"""The workspace's private folder, `.jixiao-cache/`, which git never shows.

It holds the caches, the workspace lock and the staging area of writes in progress. It ignores
itself: its first file is a `.gitignore` of `*`, written before anything else goes in, so
neither `git status` nor `git add -A` ever sees a temp file, in any clone and whatever the
repository's own .gitignore says (`jixiao init` also lists it there, for people who look).

A clone may carry one anyway (someone ran `git add -f`): it is data, never a place to write
through. A `.jixiao-cache` that is a symlink, a file or another user's folder is refused by
`ignored_dir` (writers stop with one sentence) and makes `usable` false (readers and caches
carry on without it).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ..errors import WorkspaceError
from .fsio import O_BINARY, O_CLOEXEC, not_our_folder

CACHE_DIR = ".jixiao-cache"
IGNORE_ALL = b"*\n# jixiao's private folder (caches, lock, writes in progress): never committed\n"


class UnsafeCacheDir(WorkspaceError):
    """`.jixiao-cache` (or a folder in it) is not a real folder of this user's."""


def refusal(path: Path, problem: str) -> UnsafeCacheDir:
    return UnsafeCacheDir(
        f"{path}: {problem}，jixiao 不经由它写入任何文件；"
        "它只应存放本机的缓存和锁，请删除它后重试（jixiao 会重建）"
    )


def usable(root: Path) -> bool:
    """Whether <root>/.jixiao-cache may be read and written: missing, or a real folder."""
    return not_our_folder(root / CACHE_DIR) is None


def ignored_dir(root: Path, create: bool = True) -> Path:
    """<root>/.jixiao-cache, made (with its .gitignore first) if `create` and missing;
    UnsafeCacheDir if it is anything but a real folder of this user's."""
    d = root / CACHE_DIR
    problem = not_our_folder(d)
    if problem:
        raise refusal(d, problem)
    if create and not (d / ".gitignore").is_file():
        d.mkdir(exist_ok=True)
        # `*` is the first byte written: even a write cut short leaves the folder ignored.
        with contextlib.suppress(FileExistsError):
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_CLOEXEC | O_BINARY
            fd = os.open(d / ".gitignore", flags, 0o644)
            try:
                os.write(fd, IGNORE_ALL)
            finally:
                os.close(fd)
    return d


def sub_dir(root: Path, name: str) -> Path:
    """<root>/.jixiao-cache/<name>, made if missing, refused like the folder itself."""
    d = ignored_dir(root) / name
    problem = not_our_folder(d)
    if problem:
        raise refusal(d, problem)
    d.mkdir(exist_ok=True)
    return d
