"""The few git calls jixiao needs. Everything goes through `run` so errors read the same."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..errors import WorkspaceError


def run(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True)
    except FileNotFoundError:
        raise WorkspaceError("没有安装 git；jixiao 用 git 保存工作区") from None
    if check and proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise WorkspaceError(f"git {args[0]} 失败：{msg[-1] if msg else proc.returncode}")
    return proc


def toplevel(path: Path) -> Path | None:
    """The root of the git repository holding `path`, or None."""
    proc = run(["rev-parse", "--show-toplevel"], path, check=False)
    if proc.returncode != 0:
        return None
    return Path(proc.stdout.decode().strip())


def inside_git_dir(path: Path) -> bool:
    """Whether `path` (or, if it does not exist yet, its nearest existing parent) lies in a
    bare repository or inside a .git folder: no place for a working tree."""
    here = path
    while not here.is_dir() and here != here.parent:
        here = here.parent
    proc = run(["rev-parse", "--is-bare-repository", "--is-inside-git-dir"], here, check=False)
    return proc.returncode == 0 and "true" in proc.stdout.decode().split()


def init(path: Path) -> None:
    run(["init", "-q"], path)


def set_config(path: Path, key: str, value: str) -> None:
    run(["config", key, value], path)


def get_config(path: Path, key: str) -> str | None:
    proc = run(["config", "--get", key], path, check=False)
    return proc.stdout.decode().strip() if proc.returncode == 0 else None


def show(root: Path, rev: str, relpath: str) -> bytes | None:
    """A file's content at a revision, or None if it did not exist there."""
    proc = run(["show", f"{rev}:./{relpath}"], root, check=False)  # relative to root
    return proc.stdout if proc.returncode == 0 else None


def exists_at(root: Path, rev: str, relpath: str) -> bool:
    """Whether a file exists at a revision (without reading it)."""
    proc = run(["cat-file", "-e", f"{rev}:./{relpath}"], root, check=False)  # relative to root
    return proc.returncode == 0


def has_head(root: Path) -> bool:
    return run(["rev-parse", "--verify", "-q", "HEAD"], root, check=False).returncode == 0


def changed_files(root: Path, rev: str = "HEAD") -> list[str]:
    """Paths (relative to root) that differ from `rev` in the working tree, untracked included."""
    out: list[str] = []
    if has_head(root):
        proc = run(["diff", "--name-only", "-z", rev, "--"], root)
    else:  # before the first commit, everything staged is new
        proc = run(["ls-files", "-z"], root)
    out += [p for p in proc.stdout.decode().split("\0") if p]
    proc = run(["ls-files", "--others", "--exclude-standard", "-z"], root)
    out += [p for p in proc.stdout.decode().split("\0") if p]
    return sorted(set(out))


def diff(root: Path, relpath: str, rev: str = "HEAD") -> str:
    """`git diff` of one file against a revision (untracked files shown as new)."""
    if has_head(root) and exists_at(root, rev, relpath):
        proc = run(["diff", "--no-color", rev, "--", relpath], root)
    else:
        proc = run(["diff", "--no-color", "--no-index", "/dev/null", relpath], root, check=False)
    return proc.stdout.decode("utf-8", "replace")


# ---------------------------------------------------------------------- revisions (jixiao diff)
# Paths below are relative to `root` (the workspace), which may sit below the repository's
# top level: `--relative`, `ls-tree` without --full-name and `REV:./path` all honour the cwd.


def verify_commit(root: Path, rev: str) -> str | None:
    """The commit id `rev` names, or None if it names no commit here."""
    if not rev or rev.startswith("-"):
        return None
    proc = run(
        ["rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}"], root, check=False
    )
    return proc.stdout.decode().strip() if proc.returncode == 0 else None


def _paths(proc: subprocess.CompletedProcess[bytes]) -> list[str]:
    return [p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p]


def files_at(root: Path, rev: str, under: str) -> list[str]:
    """Files under the folder `under` at a revision (`git ls-tree -r --name-only`)."""
    return _paths(run(["ls-tree", "-r", "-z", "--name-only", rev, "--", under], root))


def changed_between(root: Path, rev: str, other: str | None, under: str) -> list[str]:
    """Files under `under` that differ between `rev` and `other` (None: the working tree,
    untracked files included). Renames are reported as a removal and an addition."""
    args = ["diff", "--relative", "--name-only", "--no-renames", "-z", rev]
    if other is not None:
        args.append(other)
    out = _paths(run([*args, "--", under], root))
    if other is None:
        out += _paths(run(["ls-files", "--others", "--exclude-standard", "-z", "--", under], root))
    return sorted(set(out))


def read_blobs(root: Path, rev: str, paths: list[str]) -> dict[str, bytes | None]:
    """Many files at one revision in one `git cat-file --batch` (None: not there)."""
    if not paths:
        return {}
    request = "".join(f"{rev}:./{p}\n" for p in paths).encode("utf-8", "surrogateescape")
    try:
        proc = subprocess.run(
            ["git", "cat-file", "--batch"], cwd=root, input=request, capture_output=True
        )
    except FileNotFoundError:
        raise WorkspaceError("没有安装 git；jixiao 用 git 保存工作区") from None
    if proc.returncode != 0:
        raise WorkspaceError(f"git cat-file 失败：{proc.stderr.decode(errors='replace').strip()}")
    out: dict[str, bytes | None] = {}
    data, pos = proc.stdout, 0
    for p in paths:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        pos = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            out[p] = data[pos : pos + size]
            pos += size + 1  # the blob is followed by a newline
        else:
            out[p] = None  # "<name> missing", or not a blob
    return out
