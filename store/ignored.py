"""The workspace's private folder, `.jixiao-cache/`, which git never shows.

It holds the caches, the workspace lock and the staging area of writes in progress. It ignores
itself: its first file is a `.gitignore` of `*`, written before anything else goes in, so
neither `git status` nor `git add -A` ever sees a temp file, in any clone and whatever the
repository's own .gitignore says (`jixiao init` also lists it there, for people who look).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

CACHE_DIR = ".jixiao-cache"
IGNORE_ALL = b"*\n# jixiao's private folder (caches, lock, writes in progress): never committed\n"


def ignored_dir(root: Path, create: bool = True) -> Path:
    """<root>/.jixiao-cache, made (with its .gitignore first) if `create` and missing."""
    d = root / CACHE_DIR
    if create and not (d / ".gitignore").is_file():
        d.mkdir(exist_ok=True)
        # `*` is the first byte written: even a write cut short leaves the folder ignored.
        with contextlib.suppress(FileExistsError):
            fd = os.open(d / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            try:
                os.write(fd, IGNORE_ALL)
            finally:
                os.close(fd)
    return d
