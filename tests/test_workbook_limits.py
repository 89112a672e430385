"""Workbooks that claim or inflate to gigabytes are refused before anything is allocated.

Before `store/xlsx/xlsx_limits.py`, a 2 KB .xlsx whose dimension or one cell said XFD1048576 made
python-calamine reserve hundreds of GB and abort the process (and `git log -p` with it), a
cell at XFD5000 took 3.9 GB, and a zip bomb grew the process to twice its XML. Each runs here
as a real `jixiao` process whose address space is capped (a failure cannot hurt the machine),
and must end with one sentence naming the limit, exit 2, in bounded memory.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import _workbooks
import pytest
from _bounded import ROOT, GiB, run_bounded
from _hostile_workbooks import SHEET_PART, bomb, cell, understate, workbook, worksheet
from conftest import git
from jixiao.store.errors import WorkbookError
from jixiao.store.xlsx import xlsx_limits

MiB = 1 << 20


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("limits") / "ws"
    done = subprocess.run(
        [sys.executable, "-m", "jixiao", "init", str(root)],
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    return root


def _refused(ws: Path, path: Path, *words: str, limit: int = 2 * GiB) -> int:
    done = run_bounded(["-C", str(ws), "import", str(path)], ws, limit=limit)
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for w in words:
        assert w in lines[0], lines[0]
    assert not list((ws / "store").rglob("*.yaml"))  # nothing imported
    return done.peak_bytes


def test_a_dimension_of_a_whole_sheet_is_refused_by_its_rows(ws: Path, tmp_path: Path) -> None:
    xml = worksheet("A1:XFD1048576", f'<row r="1">{cell("A1")}</row>')
    path = workbook(tmp_path / "dimension.xlsx", xml)
    assert path.stat().st_size < 8 * 1024
    _refused(ws, path, "dimension.xlsx", "A1:XFD1048576", "1,048,576 行", "200,000 行的上限")


def test_one_far_cell_is_refused_by_its_rows_or_columns(ws: Path, tmp_path: Path) -> None:
    far = f'<row r="1">{cell("A1")}</row><row r="1048576">{cell("XFD1048576")}</row>'
    _refused(ws, workbook(tmp_path / "far.xlsx", worksheet("A1", far)), "XFD1048576", "上限")
    wide = f'<row r="1">{cell("A1")}</row><row r="5000">{cell("XFD5000")}</row>'
    _refused(ws, workbook(tmp_path / "wide.xlsx", worksheet("A1", wide)), "16,384 列", "1,024 列")
    # Within rows and columns, the grid they span is what a reader allocates.
    box = f'<row r="1">{cell("A1")}</row><row r="199999">{cell("AMJ199999")}</row>'
    _refused(ws, workbook(tmp_path / "box.xlsx", worksheet("A1", box)), "4,000,000 个单元格")


def test_a_zip_bomb_is_refused_in_little_memory(ws: Path, tmp_path: Path) -> None:
    path = bomb(tmp_path / "bomb.xlsx", 160 * MiB)
    assert path.stat().st_size < 2 * MiB
    peak = _refused(ws, path, "bomb.xlsx", "解压后超过 128 MB 的上限")
    assert peak < 256 * MiB, peak


def test_a_bomb_whose_header_understates_it_is_never_inflated(ws: Path, tmp_path: Path) -> None:
    path = understate(bomb(tmp_path / "liar.xlsx", 160 * MiB), SHEET_PART, 4096)
    peak = _refused(ws, path, "liar.xlsx", "不是可读的 Excel 工作簿", SHEET_PART)
    assert peak < 256 * MiB, peak


def test_textconv_shows_the_sentence_and_git_log_p_succeeds(ws: Path, tmp_path: Path) -> None:
    """The diff driver never fails `git log -p`: a refused workbook shows why, as text."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    conv = f'"{sys.executable}" -m jixiao textconv'
    git(repo, "config", "diff.jixiao.textconv", conv)
    (repo / ".gitattributes").write_text("*.xlsx diff=jixiao\n")
    far = f'<row r="1">{cell("A1")}</row><row r="1048576">{cell("XFD1048576")}</row>'
    workbook(repo / "far.xlsx", worksheet("A1:XFD1048576", far))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "hostile")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * GiB, 2 * GiB))

    done = subprocess.run(
        ["git", "log", "-p"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=cap,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "1,048,576 行，超过每个工作表 200,000 行的上限" in done.stdout


def test_limits_are_parameters_and_a_real_workbook_is_within_them(tmp_path: Path) -> None:
    data = _workbooks.one_worksheet(tmp_path / "real.xlsx").read_bytes()
    xlsx_limits.check(data, "real.xlsx")  # the sample as staff hold it: no refusal
    with pytest.raises(WorkbookError, match="超过每个工作表 10 行的上限"):
        xlsx_limits.check(data, "real.xlsx", xlsx_limits.Limits(rows=10))
    with pytest.raises(WorkbookError, match="解压后超过 1,000 字节的上限"):
        xlsx_limits.check(data, "real.xlsx", xlsx_limits.Limits(inflated_bytes=1000))


def test_textconv_of_a_file_over_the_sheet_limit_says_so_and_succeeds(
    ws: Path, tmp_path: Path
) -> None:
    sparse = tmp_path / "huge.xlsx"
    with open(sparse, "wb") as f:
        f.truncate(65 * MiB)
    done = run_bounded(["textconv", str(sparse)], ws, limit=2 * GiB)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# ") and "超过 64 MB 的上限" in done.stdout
    assert done.peak_bytes < 256 * MiB


def test_an_xls_with_one_far_cell_is_refused_in_little_memory(ws: Path, tmp_path: Path) -> None:
    """5.6 KB: before, python-calamine made its 65,536 × 256 grid (1.4 GB peak)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("S")
    sheet.write(0, 0, "x")
    sheet.write(65535, 255, "y")
    path = tmp_path / "far.xls"
    book.save(str(path))
    peak = _refused(ws, path, "far.xls", "65,536 行 × 256 列", "4,000,000 个单元格的上限")
    assert peak < 256 * MiB, peak


def test_cells_without_references_are_counted(ws: Path, tmp_path: Path) -> None:
    """A cell may leave out `r`: a reader places it after the one before, so rows and the
    cells of the widest row are counted as well (across chunk boundaries)."""
    bare = '<c t="inlineStr"><is><t>x</t></is></c>'
    rows = "<row>" + bare + "</row>"
    tall = workbook(tmp_path / "tall.xlsx", worksheet("A1", rows * 200_001))
    _refused(ws, tall, "200,001 行", "200,000 行的上限")
    wide = workbook(tmp_path / "wide.xlsx", worksheet("A1", "<row>" + bare * 1025 + "</row>"))
    _refused(ws, wide, "1,025 列", "1,024 列的上限")
    exact = worksheet("A1", rows * 200_000)  # just within: the same count, not one more
    data = workbook(tmp_path / "exact.xlsx", exact).read_bytes()
    xlsx_limits.check(data, "exact.xlsx")
