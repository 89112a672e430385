"""The few git calls jixiao needs. Everything goes through `run` so errors read the same."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .errors import WorkspaceError


def run(args: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True)
    except FileNotFoundError:
        raise WorkspaceError("git is not installed; jixiao keeps its workspace in git") from None
    if check and proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise WorkspaceError(f"git {args[0]} failed: {msg[-1] if msg else proc.returncode}")
    return proc


def toplevel(path: Path) -> Path | None:
    """The root of the git repository holding `path`, or None."""
    proc = run(["rev-parse", "--show-toplevel"], path, check=False)
    if proc.returncode != 0:
        return None
    return Path(proc.stdout.decode().strip())


def init(path: Path) -> None:
    run(["init", "-q"], path)


def set_config(path: Path, key: str, value: str) -> None:
    run(["config", key, value], path)


def show(root: Path, rev: str, relpath: str) -> bytes | None:
    """A file's content at a revision, or None if it did not exist there."""
    proc = run(["show", f"{rev}:{relpath}"], root, check=False)
    return proc.stdout if proc.returncode == 0 else None


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
    if has_head(root) and show(root, rev, relpath) is not None:
        proc = run(["diff", "--no-color", rev, "--", relpath], root)
    else:
        proc = run(["diff", "--no-color", "--no-index", "/dev/null", relpath], root, check=False)
    return proc.stdout.decode("utf-8", "replace")
