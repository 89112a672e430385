"""The files of a workspace that are jixiao's own, which an export must never overwrite.

`export -o jixiao.yaml` once replaced the workspace's settings with a tab export; a target
in store/, .git/ or .jixiao-cache/ would corrupt a project, the repository or the cache the
same way. The check is by resolved path (a symlink to one of them is the same file).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..disk.ignored import CACHE_DIR
from .settings import SETTINGS
from .workspace import STORE

# File or folder (relative to the workspace root) -> what it is, in the user's words.
_OWN = (
    (SETTINGS, f"工作区的设置文件 {SETTINGS}"),
    (".gitattributes", "工作区的 git 设置 .gitattributes"),
    (STORE, f"项目文件夹 {STORE}/"),
    (".git", "git 仓库 .git/"),
    (CACHE_DIR, f"jixiao 的缓存文件夹 {CACHE_DIR}/"),
)


def owned_by(root: Path, target: Path) -> str | None:
    """Which of the workspace's own files `target` is ('是…') or lies in ('在…里'), or None."""
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(target))
    for rel, what in _OWN:
        own = real_root / rel
        if real == own:
            return f"是{what}"
        if own in real.parents:
            return f"在{what}里"
    return None


def refuse_own(root: Path, target: Path, shown: str) -> str | None:
    """The sentence refusing to write `target` (given as `shown`), or None if it is free."""
    what = owned_by(root, target)
    if what is None:
        return None
    return f"{shown}：{what}，是 jixiao 自己的文件，导出不会覆盖它；请换一个文件名（例如 导出.txt）"
