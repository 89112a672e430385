"""Project file names are unique by construction (issue 20, point 8).

Before, 扫黑/除恶 and 扫黑_除恶 both became 扫黑_除恶.yaml (one import of two files kept one of
them without a word; two imports refused the second), and two long names alike in their
first 80 characters shared a file (the cut had no hash). Now a name that is changed or cut
ends in `~` and a hash of the whole name; files an older jixiao made keep working.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE, git
from jixiao.store.workspace.workspace import Workspace, legacy_name, safe_name

ROOT = Path(__file__).resolve().parent.parent
DATA = SAMPLE.read_bytes()


def jixiao(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jixiao", "-C", str(root), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )


def renamed(tmp_path: Path, file: str, name: str, old: str = "扫黑除恶") -> Path:
    path = tmp_path / file
    path.write_bytes(DATA.replace(f"\t{old}\t".encode(), f"\t{name}\t".encode()))
    return path


def listed(root: Path) -> list[str]:
    done = jixiao(root, "list", "--format", "json")
    assert done.returncode == 0, done.stderr
    return [p["project"] for p in json.loads(done.stdout)]


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    assert jixiao(tmp_path, "init", str(root)).returncode == 0
    return root


def test_names_that_differ_only_where_a_file_name_cannot_get_two_files(
    ws: Path, tmp_path: Path
) -> None:
    a = renamed(tmp_path, "a.txt", "扫黑/除恶")
    b = renamed(tmp_path, "b.txt", "扫黑_除恶")
    done = jixiao(ws, "import", str(a), str(b))
    assert done.returncode == 0, done.stderr
    files = sorted(p.name for p in (ws / "store").rglob("扫黑_除恶*.yaml"))
    assert files == ["扫黑_除恶.yaml", f"{safe_name('扫黑/除恶')}.yaml"]
    assert files[1].startswith("扫黑_除恶~")
    names = listed(ws)
    assert "扫黑/除恶" in names and "扫黑_除恶" in names  # `project` names each one
    for name in ("扫黑/除恶", "扫黑_除恶"):
        shown = jixiao(ws, "show", name, "--format", "json")
        assert shown.returncode == 0 and f'"预算项目": "{name}"' in shown.stdout, shown.stderr


def test_long_ascii_names_alike_for_80_characters_get_two_files(ws: Path, tmp_path: Path) -> None:
    first, second = "A" * 80 + "-2023", "A" * 80 + "-2024"
    a = renamed(tmp_path, "a.txt", first)
    b = renamed(tmp_path, "b.txt", second, old="执法证工本费")
    done = jixiao(ws, "import", str(a), str(b))
    assert done.returncode == 0, done.stderr
    assert len(list((ws / "store").rglob("AAAA*.yaml"))) == 2
    assert {first, second} <= set(listed(ws))
    assert safe_name(first) != safe_name(second)


def test_two_files_with_one_project_and_different_content_are_refused(
    ws: Path, tmp_path: Path
) -> None:
    a = tmp_path / "a.txt"
    a.write_bytes(DATA)
    b = tmp_path / "b.txt"
    b.write_bytes(DATA.replace("推动法治进程".encode(), "推动法治建设".encode(), 1))
    done = jixiao(ws, "import", str(a), str(b))
    assert done.returncode == 2
    assert "内容不同" in done.stderr and "a.txt" in done.stderr and "b.txt" in done.stderr
    assert not list((ws / "store").rglob("*.yaml"))


def test_a_file_an_older_jixiao_named_is_still_found_and_updated(ws: Path, tmp_path: Path) -> None:
    a = renamed(tmp_path, "a.txt", "扫黑/除恶")
    assert jixiao(ws, "import", str(a)).returncode == 0
    (new,) = (ws / "store").rglob("扫黑_除恶~*.yaml")
    old = new.with_name(f"{legacy_name('扫黑/除恶')}.yaml")  # what the old cut made
    new.rename(old)
    git(ws, "add", "-A")
    git(ws, "commit", "-qm", "old names")
    again = tmp_path / "again.txt"
    again.write_bytes(a.read_bytes().replace("推动法治进程".encode(), "推动法治建设".encode(), 1))
    done = jixiao(ws, "import", str(again))
    assert done.returncode == 0, done.stderr
    assert [p.name for p in (ws / "store").rglob("扫黑_除恶*.yaml")] == ["扫黑_除恶.yaml"]
    shown = jixiao(ws, "show", "扫黑/除恶", "--format", "json")
    assert shown.returncode == 0 and "扫黑/除恶" in shown.stdout
    # The name the old file holds now belongs to 扫黑_除恶: a collision, said, not silent.
    b = renamed(tmp_path, "b.txt", "扫黑_除恶")
    refused = jixiao(ws, "import", str(b))
    assert refused.returncode == 2 and "对应同一个文件名" in refused.stderr


@pytest.mark.parametrize(
    "text", ["甲/乙", " 甲乙", "甲乙.", ".甲", "a" * 81, "法" * 79, "甲乙~0123abcd", ""]
)
def test_a_changed_or_cut_name_carries_the_hash_of_the_whole_name(text: str) -> None:
    name = safe_name(text)
    assert name != text and name[-9] == "~"
    assert len(name) <= 80 and len(name.encode()) <= 255 - 5 - 14


def test_a_name_kept_as_is_has_no_hash() -> None:
    assert safe_name("扫黑除恶") == "扫黑除恶"
    assert safe_name("A" * 80) == "A" * 80


def test_the_sample_keeps_its_file_names(workspace: Workspace) -> None:
    assert all("~" not in r.name for r in workspace.projects())
