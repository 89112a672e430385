"""`export -o` never writes over the workspace's own files (issue 20, point 10).

Before, `jixiao export -o jixiao.yaml` replaced the settings with a tab export; a target in
store/, .git/ or .jixiao-cache/ (or a symlink to one) would corrupt them the same way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from jixiao.store.workspace.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent


def export(ws: Path, target: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jixiao", "export", "-o", target],
        cwd=ws,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("jixiao.yaml", "是工作区的设置文件 jixiao.yaml"),
        ("sub/../jixiao.yaml", "是工作区的设置文件"),
        ("link.txt", "是工作区的设置文件"),
        (".gitattributes", ".gitattributes"),
        ("store/135001-大竹县司法局/执法证工本费.yaml", "在项目文件夹 store/里"),
        ("store/新导出.txt", "在项目文件夹 store/里"),
        (".git/config", "在git 仓库 .git/里"),
        (".jixiao-cache/export.txt", "缓存文件夹 .jixiao-cache/"),
    ],
)
def test_export_refuses_to_overwrite_the_workspaces_own_files(
    committed: Workspace, target: str, words: str
) -> None:
    root = committed.root
    (root / "sub").mkdir()
    (root / "link.txt").symlink_to("jixiao.yaml")
    before = _snapshot(root)
    done = export(root, target)
    assert done.returncode == 2, done.stderr
    assert words in done.stderr and "导出不会覆盖它" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert _snapshot(root) == before  # nothing written anywhere


def test_export_beside_the_store_still_works(committed: Workspace) -> None:
    done = export(committed.root, "导出.txt")
    assert done.returncode == 0, done.stderr
    assert "安置帮教工作经费" in (committed.root / "导出.txt").read_bytes().decode(
        "utf-8", "replace"
    )
