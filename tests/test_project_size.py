"""One limit on a project file's size, the same where it is written and where it is read.

Before, a 72 MB sheet was imported as a 72 MB project file that every command refused (the
reader's cap), peaking near 3 GB on the way. Now the import refuses a sheet whose project
file would be over PROJECT_LIMIT before making its YAML, in a sentence naming the limit,
and the reader refuses the same size with the same number. (tests/bench/bench_limits.py
measures the big files.)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _bounded import run_bounded
from conftest import SAMPLE
from jixiao.store.disk import files
from jixiao.store.disk.transaction import digest
from jixiao.store.errors import TooLargeError
from jixiao.store.workspace.workspace import Workspace
from test_tui_app import PROJECT, yaml_path

MiB = 1 << 20
LIMIT = f"{files.PROJECT_LIMIT // MiB} MB 的上限"


def _with_goal(tmp_path: Path, goal: str) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    cell = "年度目标:\t应于2024年对刑满释放人员"
    assert cell in text
    path = tmp_path / "big.txt"
    path.write_text(text.replace(cell, f"年度目标:\t{goal}", 1), encoding="utf-8")
    return path


def test_import_refuses_a_sheet_too_large_for_a_project_file(
    committed: Workspace, tmp_path: Path
) -> None:
    before = yaml_path(committed).read_bytes()
    source = _with_goal(tmp_path, "目" * (files.PROJECT_LIMIT // 3 + 1))  # 3 bytes each
    done = run_bounded(["-C", str(committed.root), "import", str(source)], committed.root)
    assert done.returncode == 2, done.stderr[-500:]
    assert "Traceback" not in done.stderr
    assert f"第 1 张表（{PROJECT}）" in done.stderr and LIMIT in done.stderr, done.stderr
    assert yaml_path(committed).read_bytes() == before  # nothing written
    assert done.peak_bytes < 512 * MiB, done.peak_bytes


def test_the_reader_refuses_the_same_size_in_the_same_words(committed: Workspace) -> None:
    path = yaml_path(committed)
    with open(path, "ab") as f:
        f.write(b"# " + b"x" * files.PROJECT_LIMIT + b"\n")
    done = run_bounded(["-C", str(committed.root), "show", PROJECT], committed.root)
    assert done.returncode == 2 and LIMIT in done.stderr, done.stderr


def test_a_save_never_writes_a_file_the_reader_refuses(committed: Workspace) -> None:
    ref = committed.resolve(PROJECT)
    before = ref.path.read_bytes()
    text = before.decode() + "# " + "x" * files.PROJECT_LIMIT + "\n"
    with pytest.raises(TooLargeError, match=LIMIT):
        committed.write_checked(ref, text, digest(before))
    assert ref.path.read_bytes() == before


def test_a_sheet_file_over_its_limit_is_refused_before_it_is_read(
    committed: Workspace, tmp_path: Path
) -> None:
    sparse = tmp_path / "huge.txt"
    with open(sparse, "wb") as f:
        f.truncate(files.SHEET_LIMIT + 1)
    done = run_bounded(["-C", str(committed.root), "import", str(sparse)], committed.root)
    assert done.returncode == 2
    assert f"超过 {files.SHEET_LIMIT // MiB} MB 的上限" in done.stderr, done.stderr
    assert done.peak_bytes < 256 * MiB
    assert os.path.getsize(sparse) == files.SHEET_LIMIT + 1


def test_import_over_a_project_file_too_large_to_read_never_reads_it(
    committed: Workspace,
) -> None:
    """A clone may hold one: the import says so (the reader's sentence) without reading it.
    Before, the cache read and parsed it whatever its size."""
    path = yaml_path(committed)
    with open(path, "ab") as f:
        f.write(b"# " + b"x" * files.PROJECT_LIMIT + b"\n")
    before = path.stat().st_size
    done = run_bounded(["-C", str(committed.root), "import", str(SAMPLE)], committed.root)
    assert done.returncode == 2, done.stderr[-500:]
    assert path.name in done.stderr and LIMIT in done.stderr, done.stderr
    assert path.stat().st_size == before
    assert done.peak_bytes < 256 * MiB, done.peak_bytes
