"""The git settings init writes: in one go (one `git config --list`, one file), read back by
git's own parser exactly as meant, and never over a value the user chose."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import git
from jixiao.store.git import gitsetup
from jixiao.store.workspace.workspace import Workspace

HOSTILE = [
    'a "quoted" word',
    "back\\slash \\n not a newline",
    "semi;colon # and hash",
    "\ttab and  two spaces ",
    " leading space",
    "line one\nline two",
    "中文 ✓ $(id) `id` 'single'",
    "",
]


def test_git_reads_back_every_value_exactly(tmp_path: Path) -> None:
    words = [str(tmp_path / "a'b\"c $(id)" / "bin" / "jixiao")]
    values = {f"jixiao.test{k}.v": v for k, v in enumerate(HOSTILE)}
    values["diff.jixiao.textconv"] = gitsetup.textconv(words)
    values["merge.jixiao.driver"] = gitsetup.merge_driver(words)
    values['jixiao.odd "sub\\na.me.y'] = "a subsection with a quote, a backslash, a dot"
    file = tmp_path / "config"
    file.write_text(gitsetup.render(values), "utf-8")
    for key, value in values.items():
        proc = subprocess.run(
            ["git", "config", "-z", "--file", str(file), "--get", key],
            capture_output=True,
            check=True,
        )
        assert proc.stdout.decode("utf-8") == value + "\0", key


@pytest.fixture
def counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `git` first on PATH that logs its arguments, then runs the real one."""
    real = shutil.which("git")
    assert real
    shim = tmp_path / "shim"
    shim.mkdir()
    log = tmp_path / "git.log"
    (shim / "git").write_text(f'#!/bin/sh\necho "$1" >> "{log}"\nexec "{real}" "$@"\n')
    (shim / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{shim}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    (tmp_path / "home").mkdir()
    return log


def _calls(log: Path) -> list[str]:
    calls = log.read_text().split() if log.exists() else []
    log.unlink(missing_ok=True)
    return calls


def test_init_writes_the_settings_in_one_go(counted: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    Workspace.init(ws)
    assert _calls(counted).count("config") <= 2  # one read, one include
    Workspace.init(ws)  # again, as in a clone: one read, nothing to write
    assert _calls(counted).count("config") == 1
    wanted = gitsetup.wanted(gitsetup.command() or [""])
    for key, value in wanted.items():
        assert git(ws, "config", "--get", key).rstrip("\n") == value, key
    assert "jixiao" not in (ws / ".git" / "config").read_text().replace("jixiao.config", "")


def test_a_users_own_settings_are_kept(counted: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    git(ws, "init", "-q")
    git(ws, "config", "diff.jixiao.textconv", "my-own-textconv")
    git(ws, "config", "pull.rebase", "true")
    Workspace.init(ws)
    assert git(ws, "config", "--get", "diff.jixiao.textconv").strip() == "my-own-textconv"
    assert git(ws, "config", "--get", "pull.rebase").strip() == "true"
    assert "jixiao-merge" in git(ws, "config", "--get", "merge.jixiao.driver")


def test_settings_an_older_jixiao_wrote_are_replaced(tmp_path: Path) -> None:
    """Older versions wrote the drivers into .git/config, falling back to PATH and to git's
    line merge; init moves them to its own file."""
    ws = tmp_path / "ws"
    ws.mkdir()
    git(ws, "init", "-q")
    old = "sh -c 'if command -v jixiao >/dev/null 2>&1; then exec jixiao merge-file; fi' "
    git(ws, "config", "include.path", "someone-elses.config")  # an [include] section first
    git(ws, "config", "merge.jixiao.driver", old + "jixiao-merge %O %A %B %P")
    git(ws, "config", "diff.jixiao.textconv", old + "jixiao-textconv")
    Workspace.init(ws)
    assert "command -v" not in (ws / ".git" / "config").read_text()
    wanted = gitsetup.wanted(gitsetup.command() or [""])
    for key in ("merge.jixiao.driver", "diff.jixiao.textconv"):
        assert git(ws, "config", "--get", key).rstrip("\n") == wanted[key]
