"""The git hooks that run `jixiao check --staged` before a commit and before a merge's commit.

pre-commit stops a commit with an error; pre-merge-commit stops a merge whose result has one
(each side may add up to 100 while the merge does not). `--no-verify` skips either once.

Each hook runs the jixiao that installed it, by absolute path (store/git/installed.py): never a
`jixiao` looked up on PATH, never code imported from the repository. A `core.hooksPath` set
outside the repository (a company's shared hooks folder) is left alone: writing there would
change every repository of the user; the sentence returned says how to enable the check here.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from ..disk import atomic, files
from ..disk.pending import testpoint
from . import git
from .installed import FIX, command

MARK = "# installed by jixiao"
HOOKS = ("pre-commit", "pre-merge-commit")


def hook_script(workspace_root: Path, hook: str = "pre-commit") -> str:
    """The hook: `jixiao check --staged` on what is about to be committed.

    It finds the workspace from the repository's top at run time (so the folder may move)
    and runs the program `jixiao init` ran as, by absolute path; where that is gone it says
    so and lets the commit go on unchecked. The only text from outside is shell-quoted: a
    folder may be called `ws$(id)` or `a"b`.
    """
    top = git.toplevel(workspace_root) or workspace_root
    rel = workspace_root.resolve().relative_to(top.resolve()).as_posix()
    words = command() or [""]
    what = "这次合并" if hook == "pre-merge-commit" else "这次提交"
    rest = "".join(f" {shlex.quote(w)}" for w in words[1:])  # -I -m …, the last resort
    missing = f"jixiao: 找不到 jixiao 程序 {words[0] or 'jixiao'}，{what}没有检查；{FIX}"
    return (
        "#!/bin/sh\n"
        f"{MARK}: check the projects staged for this {'merge' if hook == 'pre-merge-commit' else 'commit'}; errors stop it.\n"
        f"# Skip once with: git {'merge' if hook == 'pre-merge-commit' else 'commit'} "
        "--no-verify\n"
        "# The program is the one `jixiao init` ran as; run init again to change it.\n"
        f"program={shlex.quote(words[0])}\n"
        "top=$(git rev-parse --show-toplevel) || exit 0\n"
        f'ws="$top"/{shlex.quote(rel)}\n'
        'if [ ! -x "$program" ]; then\n'
        f"  printf '%s\\n' {shlex.quote(missing)} >&2\n"
        "  exit 0\n"
        "fi\n"
        f'exec "$program"{rest} -C "$ws" check --staged --hook {hook}\n'
    )


def _ours(path: Path) -> bool:
    """Whether the hook file is one jixiao wrote (a FIFO, a device or a huge file is not)."""
    try:
        return MARK in files.read_regular(path, files.MB).decode("utf-8", "replace")
    except (OSError, files.FileKindError):
        return False


def shared_hooks(workspace_root: Path) -> str | None:
    """A sentence when core.hooksPath is set outside this repository (global or system
    config): the folder is shared, and jixiao does not write there (None: it is not)."""
    proc = git.run(
        ["config", "--show-scope", "--show-origin", "--get", "core.hooksPath"],
        workspace_root,
        check=False,
    )
    line = proc.stdout.decode("utf-8", "replace").rstrip("\n")
    scope, _, rest = line.partition("\t")
    origin, _, folder = rest.partition("\t")
    if proc.returncode != 0 or scope in ("local", "worktree", "command"):
        return None
    return (
        f"core.hooksPath 指向共享的钩子文件夹 {folder}（设于 {origin.removeprefix('file:')}），"
        "jixiao 没有在那里安装钩子，以免改动你的其他仓库；要在本仓库启用提交前检查，"
        "请在本仓库运行 git config core.hooksPath .git/hooks 后再运行 jixiao hook"
        "（本仓库从此不用共享的钩子），或在共享的 pre-commit 钩子里调用 jixiao check --staged"
    )


def install_hooks(workspace_root: Path) -> list[str]:
    """Install both hooks; one sentence per hook saying what happened (or one saying why
    not: a shared core.hooksPath)."""
    shared = shared_hooks(workspace_root)
    if shared:
        return [shared]
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
