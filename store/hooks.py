"""The git hooks that run `jixiao check --staged` before a commit and before a merge's commit.

pre-commit stops a commit with an error; pre-merge-commit stops a merge whose result has one
(each side may add up to 100 while the merge does not). `--no-verify` skips either once.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from . import atomic, files, git
from .transaction import testpoint

MARK = "# installed by jixiao"
HOOKS = ("pre-commit", "pre-merge-commit")


def hook_script(workspace_root: Path, hook: str = "pre-commit") -> str:
    """The hook: `jixiao check --staged` on what is about to be committed.

    It finds the workspace from the repository's top at run time (so the folder may move)
    and prefers a `jixiao` on PATH; the Python that installed it is the fallback. The only
    text from outside is shell-quoted: a folder may be called `ws$(id)` or `a"b`.
    """
    top = git.toplevel(workspace_root) or workspace_root
    rel = workspace_root.resolve().relative_to(top.resolve()).as_posix()
    python = shlex.quote(sys.executable)
    what = "this merge" if hook == "pre-merge-commit" else "this commit"
    return (
        "#!/bin/sh\n"
        f"{MARK}: check the projects staged for {what}; errors stop it.\n"
        f"# Skip once with: git {'merge' if hook == 'pre-merge-commit' else 'commit'} "
        "--no-verify\n"
        "top=$(git rev-parse --show-toplevel) || exit 0\n"
        f'ws="$top"/{shlex.quote(rel)}\n'
        "if command -v jixiao >/dev/null 2>&1; then\n"
        '  exec jixiao -C "$ws" check --staged\n'
        f"elif {python} -c 'import cli' >/dev/null 2>&1; then\n"
        f'  exec {python} -m cli -C "$ws" check --staged\n'
        "fi\n"
        'echo "jixiao: 找不到 jixiao，没有检查项目" >&2\n'
    )


def _ours(path: Path) -> bool:
    """Whether the hook file is one jixiao wrote (a FIFO, a device or a huge file is not)."""
    try:
        return MARK in files.read_regular(path, files.MB).decode("utf-8", "replace")
    except (OSError, files.FileKindError):
        return False


def install_hooks(workspace_root: Path) -> list[str]:
    """Install both hooks; one sentence per hook saying what happened."""
    proc = git.run(["rev-parse", "--git-path", "hooks"], workspace_root)
    hooks = Path(proc.stdout.decode().strip())
    if not hooks.is_absolute():
        hooks = workspace_root / hooks
    hooks.mkdir(parents=True, exist_ok=True)
    out = []
    for name in HOOKS:
        path = hooks / name
        if os.path.lexists(path) and not _ours(path):
            out.append(f"{path}: 已有你自己的 {name} 钩子，保持原样")
            continue
        atomic.write(path, hook_script(workspace_root, name).encode("utf-8"), mode=0o755)
        testpoint("hook-written")  # a test looks at the hook here: executable already
        out.append(f"已安装 {name} 钩子 {path}")
    return out


def install_pre_commit(workspace_root: Path) -> str:
    """Install the hooks (pre-commit and pre-merge-commit); what happened, one line each."""
    return "\n".join(install_hooks(workspace_root))
