"""The git pre-commit hook that runs `jixiao check --staged` before every commit."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from . import git

MARK = "# installed by jixiao"


def hook_script(workspace_root: Path) -> str:
    """The hook: `jixiao check --staged` on what is about to be committed.

    It finds the workspace from the repository's top (so the folder may move) and prefers a
    `jixiao` on PATH; the Python that installed it is the fallback.
    """
    top = git.toplevel(workspace_root) or workspace_root
    rel = workspace_root.resolve().relative_to(top.resolve()).as_posix()
    python = shlex.quote(sys.executable)
    return (
        "#!/bin/sh\n"
        f"{MARK}: check the projects staged for this commit; errors stop the commit.\n"
        "# Skip once with: git commit --no-verify\n"
        "top=$(git rev-parse --show-toplevel) || exit 0\n"
        f'ws="$top/{rel}"\n'
        "if command -v jixiao >/dev/null 2>&1; then\n"
        '  exec jixiao -C "$ws" check --staged\n'
        f"elif {python} -c 'import cli' >/dev/null 2>&1; then\n"
        f'  exec {python} -m cli -C "$ws" check --staged\n'
        "fi\n"
        'echo "jixiao: not found, so the projects were not checked before this commit" >&2\n'
    )


def install_pre_commit(workspace_root: Path) -> str:
    """Install the hook; returns one sentence saying what happened."""
    proc = git.run(["rev-parse", "--git-path", "hooks"], workspace_root)
    hooks = Path(proc.stdout.decode().strip())
    if not hooks.is_absolute():
        hooks = workspace_root / hooks
    hooks.mkdir(parents=True, exist_ok=True)
    path = hooks / "pre-commit"
    if path.exists() and MARK not in path.read_text(encoding="utf-8", errors="replace"):
        return f"{path}: a pre-commit hook of your own is there already; left it as it is"
    path.write_text(hook_script(workspace_root), encoding="utf-8")
    os.chmod(path, 0o755)
    return f"installed the pre-commit hook {path}"
