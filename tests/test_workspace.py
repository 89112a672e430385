"""Workspace-level guarantees not covered through the CLI: atomic batches, safe names."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE
from jixiao.store.disk import atomic, transaction
from jixiao.store.disk.transaction import Change, digest
from jixiao.store.errors import ConflictError
from jixiao.store.workspace.importer import import_files
from jixiao.store.workspace.workspace import Workspace, safe_name


def test_a_transaction_lands_whole_or_puts_back_what_it_replaced(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_bytes(b"old a")
    blocker = tmp_path / "c"
    blocker.write_text("a file where a folder must go")  # fails after a.yaml was replaced
    changes = [
        Change(a, b"new a", digest(b"old a")),
        Change(b, b"new b", None),
        Change(blocker / "x.yaml", b"new c", None),
    ]
    with pytest.raises(OSError):
        transaction.commit(tmp_path, changes, "import")
    assert a.read_bytes() == b"old a"
    assert not b.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".jixiao-cache", "a.yaml", "c"]
    assert not (tmp_path / ".jixiao-cache" / "txn").exists()  # nothing staged is left


def test_write_replaces_and_leaves_no_temp_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "p.yaml"
    atomic.write(path, b"one")
    atomic.write(path, b"two")
    assert path.read_bytes() == b"two"
    assert [p.name for p in path.parent.iterdir()] == ["p.yaml"]


@pytest.mark.parametrize("text", ["../../x", "..", ".", "", "a/b", "a\\b", "x\x00y", " . "])
def test_safe_name_is_one_visible_path_part(text: str) -> None:
    name = safe_name(text)
    assert name and "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".")
    assert Path(name).name == name


def test_save_refuses_to_overwrite_a_file_changed_on_disk(workspace: Workspace) -> None:
    ref = workspace.resolve("法律援助工作经费")
    base = workspace.read_text(ref)
    sheet = workspace.load(ref)
    sheet.goal = "新目标"
    ref.path.write_text(base + "# someone else's edit\n", encoding="utf-8")
    with pytest.raises(ConflictError):
        workspace.save(ref, sheet, base)
    assert ref.path.read_text(encoding="utf-8").endswith("# someone else's edit\n")


def test_an_import_over_many_uncommitted_edits_asks_git_once(
    committed: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in review: `ws.uncommitted()` (several git processes) ran once per updated
    project. Real git behind a shim on PATH that logs each call."""
    log, shim = tmp_path / "git.log", tmp_path / "bin" / "git"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\necho "$*" >> {log}\nexec {shutil.which("git")} "$@"\n')
    shim.chmod(0o755)
    refs = committed.projects()
    for ref in refs:  # an uncommitted edit in every project; the import brings nothing new
        text = ref.path.read_text(encoding="utf-8")
        ref.path.write_text(text.replace("项目经办人: ''", "项目经办人: 张三"), "utf-8")
    monkeypatch.setenv("PATH", f"{shim.parent}{os.pathsep}{os.environ['PATH']}")
    report = import_files(committed, [SAMPLE])
    assert len(refs) == 16 and len(report.unchanged) == 16  # merged: every edit kept
    calls = log.read_text().splitlines()
    assert sum(c.startswith("ls-files --others") for c in calls) == 1, calls
