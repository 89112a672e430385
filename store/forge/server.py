"""`jixiao init --server BARE`: install the pre-receive gate (store.forge_gate) in a bare
repository, made with `git init --bare` when the path does not exist yet.

The hook calls the jixiao installed on this machine by the absolute path found now (never a
`jixiao` looked up on PATH at push time, never anything from the repository), under its own
Python in isolated mode (`-I`: no PYTHON* variables, neither the current folder nor the
script's folder on sys.path), so nothing pushed can be imported or run.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

from ..disk import atomic, files
from ..errors import WorkspaceError
from ..git import git

MARK = "# installed by jixiao init --server"


def installed_command() -> list[str]:
    """How to start this jixiao by absolute paths: its Python, `-I`, then its script (or
    `-m jixiao` when no `jixiao` script is found)."""
    found = shutil.which("jixiao")
    if found:
        script = Path(os.path.realpath(found))
        python = _shebang_python(script)
        if python is not None:
            return [python, "-I", str(script)]
    return [os.path.realpath(sys.executable), "-I", "-m", "jixiao"]


def _shebang_python(script: Path) -> str | None:
    try:
        first = files.read_regular(script, files.MB).split(b"\n", 1)[0].decode("utf-8")
    except (OSError, files.FileKindError, UnicodeDecodeError):
        return None
    if not first.startswith("#!"):
        return None
    words = first[2:].split()
    if len(words) == 1 and "python" in Path(words[0]).name and Path(words[0]).is_absolute():
        return words[0]
    return None


def gate_script(command: list[str]) -> str:
    """The hook: stdin goes to `jixiao hook pre-receive` unchanged."""
    run = " ".join(shlex.quote(w) for w in command)
    return (
        "#!/bin/sh\n"
        f"{MARK}: refuse a push whose new tip brings new jixiao errors.\n"
        "# It runs the jixiao installed on this server, never code from the repository.\n"
        f"exec {run} hook pre-receive\n"
    )


def _is_bare(path: Path) -> bool:
    proc = git.run(["rev-parse", "--is-bare-repository"], path, check=False)
    return proc.returncode == 0 and proc.stdout.decode().strip() == "true"


def _ours(path: Path) -> bool:
    try:
        return MARK in files.read_regular(path, files.MB).decode("utf-8", "replace")
    except (OSError, files.FileKindError):
        return False


def install_server(path: Path) -> tuple[list[str], str | None]:
    """Install the gate; what happened (sentences), and the hook text to add by hand when the
    repository already has a pre-receive hook of its own."""
    said: list[str] = []
    if not os.path.lexists(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        git.run(["init", "-q", "--bare", str(path)], path.parent)
        said.append(f"已新建裸仓库 {path}")
    elif not path.is_dir() or not _is_bare(path):
        raise WorkspaceError(
            f"{path}: 不是裸仓库（git init --bare 建的仓库）；服务器钩子只装在裸仓库中"
        )
    hooks = Path(git.run(["rev-parse", "--git-path", "hooks"], path).stdout.decode().strip())
    if not hooks.is_absolute():
        hooks = path / hooks
    hooks.mkdir(parents=True, exist_ok=True)
    hook = hooks / "pre-receive"
    script = gate_script(installed_command())
    if (hooks / "pre-receive.d").is_dir() and os.path.lexists(hook) and not _ours(hook):
        # Gitea (and GitLab's custom_hooks) run every script in pre-receive.d/ with the
        # same stdin: ours goes beside theirs.
        hook = hooks / "pre-receive.d" / "jixiao"
    if os.path.lexists(hook) and not _ours(hook):
        said.append(f"{hook}: 已有你自己的 pre-receive 钩子，保持原样；请把下面一行加到其中：")
        return said, script.splitlines()[-1] + "\n"
    atomic.write(hook, script.encode("utf-8"), mode=0o755)
    said.append(f"已安装 pre-receive 钩子 {hook}：推送带来新错误时拒绝")
    return said, None
