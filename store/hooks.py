"""The git pre-commit hook that runs `jixiao check --changed` before every commit."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from . import git

MARK = "# installed by jixiao"


def hook_script(workspace_root: Path) -> str:
    python = shlex.quote(sys.executable)
    return (
        "#!/bin/sh\n"
        f"{MARK}: check the projects changed in this commit; errors stop the commit.\n"
        "# Skip once with: git commit --no-verify\n"
        f"exec {python} -m cli -C {shlex.quote(str(workspace_root))} check --changed\n"
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
