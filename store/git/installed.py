"""The jixiao program git's hooks and drivers run, by the absolute path `jixiao init` found.

A hook or driver that looks `jixiao` up on PATH stops working in any terminal where the
environment is not activated, and the merge driver then fell back to git's line merge without
a word; a hook that ran `python -c 'import cli'` from the repository's top ran whatever
`cli.py` a clone carried. So `init` records the program it runs as — the `jixiao` console
script, by absolute path — in every hook and driver (a clone's `init` brings them up to
date), and nothing they run has the repository on sys.path: a console script's sys.path[0]
is its own folder; the last resort, this interpreter with `-I` (isolated: no current folder,
no PYTHON* variables) and `-m` of the module this process was started as.

Where the recorded program is gone (the environment was removed or moved), each hook and
driver says so in one sentence naming the fix (`FIX`), and the merge driver leaves the file
conflicted rather than merging it by line.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

NAMES = ("jixiao", "jixiao.exe")
FIX = "请在装有 jixiao 的环境中（如激活虚拟环境后）运行 jixiao init"


def command() -> list[str] | None:
    """The words that start this jixiao: the console script's absolute path, or, started
    without one (`python -m …` from a checkout), the interpreter with -I -m; None if
    neither can be named."""
    argv0 = sys.argv[0] if sys.argv else ""
    if Path(argv0).name in NAMES and os.path.isfile(argv0):
        return [_shell_path(os.path.abspath(argv0))]  # a pipx symlink stays a symlink
    folder = Path(sys.executable).parent
    for name in NAMES:  # the console script of the environment running this code
        if (folder / name).is_file():
            return [_shell_path(str(folder / name))]
    found = shutil.which("jixiao")
    if found:
        return [_shell_path(os.path.abspath(found))]
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name and not spec.name.startswith(("pytest", "_pytest")):
        return [sys.executable, "-I", "-m", spec.name.removesuffix(".__main__")]
    return None


def _shell_path(path: str) -> str:
    """A path as git's sh reads it: forward slashes (Git for Windows' sh takes C:/…)."""
    return Path(path).as_posix()


def shell_words(words: list[str]) -> str:
    """The words as one shell-quoted string."""
    return " ".join(shlex.quote(w) for w in words)
