"""A clone is data: what another person committed is never obeyed, run or written through.

Each test commits the hostile files to a workspace, makes a real `git clone` of it, and runs
the installed `jixiao` in the clone as a real process with a fresh HOME (no global git config).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from store.transaction import digest
from store.workspace import Workspace
from tests.conftest import SAMPLE, git

JIXIAO = Path(sys.executable).parent / "jixiao"  # the console script of this environment


def fresh_env(home: Path, path: str | None = None) -> dict[str, str]:
    """The environment of a user with an empty HOME: no ~/.gitconfig, no system config."""
    home.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "JIXIAO_LOCK_WAIT": "1"}
    env.pop("XDG_CONFIG_HOME", None)
    env.pop("GIT_CONFIG_GLOBAL", None)
    if path is not None:
        env["PATH"] = path
    return env


def jixiao(ws: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(JIXIAO), "-C", str(ws), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=ws,
    )


def commit_and_clone(src: Path, dest: Path, *paths: str) -> Path:
    git(src, "add", "-f", "--", *paths)
    git(src, "commit", "-qm", "hostile")
    subprocess.run(["git", "clone", "-q", str(src), str(dest)], check=True, capture_output=True)
    return dest


def test_a_committed_journal_is_not_obeyed_in_a_clone(committed: Workspace, tmp_path: Path) -> None:
    src = committed.root
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("mine")
    (src / "store" / "evil").symlink_to(outside)  # a folder that leads out of the workspace
    folder = src / ".jixiao-cache" / "txn" / "import-evil"
    folder.mkdir(parents=True)
    (folder / "0.new").write_text("pwned")
    (folder / "folder-id").write_text("2049:1234\n")  # a guess at the clone's folder
    plan = {
        "format": 1,
        "kind": "import",
        "pid": 1,
        "entries": [
            {
                "target": "store/evil/x.yaml",
                "old": None,
                "new": digest(b"pwned"),
                "staged": "0.new",
            },
            {
                "target": "store/stolen.txt",
                "old": None,
                "new": digest(b"mine"),
                "staged": str(secret),
            },
        ],
    }
    (folder / "journal.json").write_text(json.dumps(plan))
    clone = commit_and_clone(src, tmp_path / "clone", ".jixiao-cache/txn", "store/evil")
    env = fresh_env(tmp_path / "home")

    for args in (["list"], ["init"], ["check"]):
        proc = jixiao(clone, *args, env=env)
        assert proc.returncode in (0, 1), proc.stderr
        assert "import-evil" in proc.stderr and "已忽略" in proc.stderr, proc.stderr
        assert list(outside.iterdir()) == []  # nothing written through the symlinked folder
        assert secret.read_text() == "mine"  # nothing moved in from elsewhere
        assert not (clone / "store" / "stolen.txt").exists()
    # `check` names the tracked folder and the fix.
    assert "git rm -r --cached .jixiao-cache" in proc.stderr
    # The plan is left as it came: ignored, not acted on, not removed.
    assert (clone / ".jixiao-cache" / "txn" / "import-evil" / "journal.json").is_file()


def test_init_keeps_the_cache_out_of_git(tmp_path: Path) -> None:
    env = fresh_env(tmp_path / "home")
    ws = tmp_path / "ws"
    proc = subprocess.run([str(JIXIAO), "init", str(ws)], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "/.jixiao-cache/" in (ws / ".gitignore").read_text().splitlines()
    # A second init does not add the line again.
    subprocess.run([str(JIXIAO), "init", str(ws)], check=True, capture_output=True, env=env)
    assert (ws / ".gitignore").read_text().count(".jixiao-cache") == 1
    proc = jixiao(ws, "check", env=env)
    assert "cached" not in proc.stderr  # nothing tracked, no warning


def test_a_committed_lock_symlink_is_never_written_through(
    committed: Workspace, tmp_path: Path
) -> None:
    src = committed.root
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    cache = src / ".jixiao-cache"
    cache.mkdir(exist_ok=True)
    (cache / "lock").unlink(missing_ok=True)
    (cache / "lock").symlink_to(victim)
    clone = commit_and_clone(src, tmp_path / "clone", ".jixiao-cache/lock")
    env = fresh_env(tmp_path / "home")

    proc = jixiao(clone, "import", str(SAMPLE), "--force", env=env)
    assert proc.returncode == 2, proc.stderr
    assert "lock" in proc.stderr and "符号链接" in proc.stderr and "删除" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert victim.read_text() == "precious\n"
    proc = jixiao(clone, "list", env=env)  # reading goes on, without the cache
    assert proc.returncode == 0, proc.stderr
    assert "法律援助工作经费" in proc.stdout
    assert victim.read_text() == "precious\n"


def test_a_committed_cache_folder_symlink_is_never_written_through(
    committed: Workspace, tmp_path: Path
) -> None:
    src = committed.root
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(src / ".jixiao-cache", ignore_errors=True)
    (src / ".jixiao-cache").symlink_to(outside)
    clone = commit_and_clone(src, tmp_path / "clone", ".jixiao-cache")
    env = fresh_env(tmp_path / "home")

    proc = jixiao(clone, "import", str(SAMPLE), "--force", env=env)
    assert proc.returncode == 2, proc.stderr
    assert ".jixiao-cache" in proc.stderr and "符号链接" in proc.stderr
    for args in (["list"], ["check"], ["export", "-o", str(tmp_path / "out.txt")]):
        proc = jixiao(clone, *args, env=env)
        assert proc.returncode in (0, 1), proc.stderr
    assert (tmp_path / "out.txt").read_bytes() == SAMPLE.read_bytes()
    assert list(outside.iterdir()) == []  # no lock, cache or journal went there


def test_a_writer_refuses_a_lock_that_is_not_a_regular_file(workspace: Workspace) -> None:
    lock = workspace.root / ".jixiao-cache" / "lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()
    proc = subprocess.run(
        [str(JIXIAO), "-C", str(workspace.root), "import", str(SAMPLE), "--force"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "不是普通文件" in proc.stderr, proc.stderr
