"""Importing workbooks (.xlsx, .xls) built from the real sample, in every layout staff hold:
the same values and findings as the text import, only changed fields updated, and bad
workbooks as one sentence naming file, worksheet and cell, the store unchanged."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import _workbooks as books
import pytest
from conftest import SAMPLE, copy_workspace, git
from jixiao import cli
from jixiao.store.tab import tabfile
from jixiao.store.workspace import checking
from jixiao.store.workspace.importer import import_files
from jixiao.store.workspace.workspace import Workspace
from typer.testing import CliRunner

TEXT_SHEETS, _ = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every layout, built once for the module."""
    d = tmp_path_factory.mktemp("books")
    return {
        "one worksheet": books.one_worksheet(d / "grid.xlsx"),
        "one worksheet, no blank rows": books.one_worksheet(d / "dense.xlsx", blank_rows=False),
        "worksheet per sheet": books.worksheet_per_sheet(d / "per-sheet.xlsx"),
        "merged form": books.worksheet_per_sheet(d / "merged.xlsx", merged=True),
        "old .xls": books.xls_worksheet_per_sheet(d / "old.xls"),
    }


@pytest.fixture(scope="module")
def text_ws(tmp_path_factory: pytest.TempPathFactory, committed_template: Path) -> Workspace:
    """The sample imported from the text export, committed: what every workbook must match."""
    return copy_workspace(committed_template, tmp_path_factory.mktemp("text") / "ws")


def run(*args: str):
    return CliRunner().invoke(cli.app, list(args))


def findings(ws: Workspace) -> str:
    return checking.format_json(checking.check_projects(checking.workspace_inputs(ws)))


def tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if rel.startswith(".git"):
            continue
        h.update(rel.encode() + b"\0" + (p.read_bytes() if p.is_file() else b""))
    return h.hexdigest()


LAYOUTS = ["one worksheet", "one worksheet, no blank rows", "worksheet per sheet", "merged form"]


@pytest.mark.parametrize("layout", [*LAYOUTS, "old .xls"])
def test_each_layout_gives_the_values_and_findings_of_the_text_import(
    made: dict[str, Path], text_ws: Workspace, empty_workspace: Workspace, layout: str
) -> None:
    ws = empty_workspace
    report = import_files(ws, [made[layout]])
    assert report.sheets == 16 and len(report.created) == 16
    sheets = [ws.load(r) for r in ws.projects()]
    assert sheets == TEXT_SHEETS  # every value (layout aside), in sheet order
    assert [r.rel for r in ws.projects()] == [r.rel for r in text_ws.projects()]
    assert findings(ws) == findings(text_ws)
    skipped = ["per-sheet.xlsx: 填报说明", "merged.xlsx: 填报说明"]
    assert report.skipped == [s for s in skipped if s.startswith(made[layout].name)]


@pytest.mark.parametrize("layout", [*LAYOUTS, "old .xls"])
def test_a_workbook_over_its_text_import_changes_nothing(
    made: dict[str, Path], text_ws: Workspace, layout: str
) -> None:
    report = import_files(text_ws, [made[layout]])
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 0, 16)
    assert git(text_ws.root, "status", "--porcelain", "store") == ""
    out = text_ws.export([text_ws.load(r) for r in text_ws.projects()])
    assert out == SAMPLE.read_bytes()


def test_a_workbook_is_known_by_its_content_not_its_name(
    made: dict[str, Path], text_ws: Workspace, tmp_path: Path
) -> None:
    renamed = tmp_path / "批复表.txt"
    renamed.write_bytes(made["old .xls"].read_bytes())
    report = import_files(text_ws, [renamed])
    assert len(report.unchanged) == 16


def test_one_edited_cell_is_one_changed_line(
    made: dict[str, Path], tmp_path: Path, committed: Workspace
) -> None:
    """Change 本年权重 of one row in the workbook: one line of git diff, one change reported."""
    import openpyxl

    root = committed.root  # the text import, committed
    wb = openpyxl.load_workbook(made["merged form"])
    ws = wb["安置帮教工作经费"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == "接收安置帮教人数")
    assert ws.cell(row, 9).value == 10
    ws.cell(row, 9).value = 15
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    result = run("-C", str(root), "import", str(edited))
    assert result.exit_code == 0, result.output
    assert "跳过工作表 edited.xlsx: 填报说明" in result.output
    assert "本年权重: 10 → 15" in result.output
    numstat = git(root, "diff", "--numstat", "store").split()
    assert numstat[:2] == ["1", "1"] and len(numstat) == 3
    diff = git(root, "diff", "-U0", "store")
    assert "-  本年权重: 10\n+  本年权重: 15\n" in diff


# ---------------------------------------------------------------------- bad workbooks


def _zip_of(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, data)
    return buf.getvalue()


def _no_sheet(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "封面"
    wb.active["A1"] = "2024 年绩效目标"
    wb.save(path)
    return path


def _cut(src: Path, path: Path, keep_rows: int) -> Path:
    """The second sheet's worksheet cut after `keep_rows` rows."""
    import openpyxl

    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[2]
    ws.delete_rows(keep_rows + 1, ws.max_row)
    wb.save(path)
    return path


def _locked_xls(src: Path, path: Path) -> Path:
    """An .xls whose workbook stream says it is encrypted (a FILEPASS record, RC4)."""
    data = src.read_bytes()
    at = data.find(b"\xe1\x00\x02\x00")  # INTERFACHDR, right after the BOF record
    assert at > 0
    path.write_bytes(data[:at] + b"\x2f\x00\x02\x00\x01\x00" + data[at + 6 :])
    return path


def _encrypted_xlsx(src: Path, path: Path) -> Path:
    """A compound file holding an EncryptionInfo stream: Excel's password-protected .xlsx."""
    data = bytearray(src.read_bytes())
    name = "Workbook".encode("utf-16-le") + b"\0\0"
    at = data.find(name)
    new = "EncryptionInfo".encode("utf-16-le") + b"\0\0"
    data[at : at + len(new)] = new
    data[at + 64 : at + 66] = len(new).to_bytes(2, "little")
    path.write_bytes(bytes(data))
    return path


def _bad(case: str, made: dict[str, Path], d: Path) -> tuple[Path, list[str]]:
    grid = made["worksheet per sheet"]
    if case == "corrupt":
        p = d / "broken.xlsx"
        p.write_bytes(grid.read_bytes()[: grid.stat().st_size // 2])
        return p, ["broken.xlsx", "已损坏"]
    if case == "a zip that is no workbook":
        p = d / "notes.xlsx"
        p.write_bytes(_zip_of("notes.txt", "说明".encode()))
        return p, ["notes.xlsx", "不是可读的 Excel 工作簿"]
    if case == "password .xls":
        return _locked_xls(made["old .xls"], d / "locked.xls"), ["locked.xls", "密码"]
    if case == "password .xlsx":
        return _encrypted_xlsx(made["old .xls"], d / "locked.xlsx"), ["locked.xlsx", "密码"]
    if case == "no sheet":
        return _no_sheet(d / "cover.xlsx"), ["cover.xlsx", "“封面”", "没有一个工作表"]
    if case == "cut before the table":
        p = _cut(grid, d / "cut.xlsx", 6)
        return p, ["cut.xlsx", "工作表“第一书记和驻村工作队工作经费”", "A6", "没有指标表头"]
    if case == "cut after the table header":
        p = _cut(grid, d / "cut2.xlsx", 10)
        return p, ["cut2.xlsx", "工作表“第一书记和驻村工作队工作经费”", "A10", "没有指标行"]
    raise AssertionError(case)


@pytest.mark.parametrize(
    "case",
    [
        "corrupt",
        "a zip that is no workbook",
        "password .xls",
        "password .xlsx",
        "no sheet",
        "cut before the table",
        "cut after the table header",
    ],
)
def test_a_bad_workbook_is_one_sentence_exit_2_store_unchanged(
    made: dict[str, Path], text_ws: Workspace, tmp_path: Path, case: str
) -> None:
    root = text_ws.root
    before = tree_hash(root)
    path, words = _bad(case, made, tmp_path)
    result = run("-C", str(root), "import", str(path))
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert message.count("\n") == 0 and "Traceback" not in message
    for word in words:
        assert word in message
    assert tree_hash(root) == before


def test_a_form_of_its_own_labels_merged_across_columns_reordered_no_title() -> None:
    """A form drawn by hand: no title row, each label merged across two columns with its
    value after the merge, the indicator columns in another order, a blank spacer row."""
    from jixiao.store.sheet.fields import FUNDING_FIELDS, HEADER_FIELDS, TABLE_HEADER, TAIL_FIELDS
    from jixiao.store.xlsx.xlsx_read import read_grid

    want = TEXT_SHEETS[0]
    grid: list[list[str]] = []
    merges = []
    labels = HEADER_FIELDS + TAIL_FIELDS + FUNDING_FIELDS
    for k in range(0, len(labels), 3):  # three label/value pairs a row
        row: list[str] = []
        for name, label in labels[k : k + 3]:
            value = getattr(want.funding if (name, label) in FUNDING_FIELDS else want, name)
            merges.append(((len(grid), len(row)), (len(grid), len(row) + 1)))
            row += [f"{label}：", "", value]
        grid.append(row)
    grid.append([])
    order = [9, *range(9)]  # 备注 first
    grid.append([TABLE_HEADER[k] for k in order])
    for ind in want.indicators:
        grid.append([ind.values()[k] for k in order])
    sheets = read_grid(grid, merges, "own.xlsx", "表一")
    assert sheets == [want]


@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_percent_and_grouped_numbers_come_back_as_the_form_writes_them(
    tmp_path: Path, kind: str, empty_workspace: Workspace
) -> None:
    """'90%' typed into a spreadsheet is 0.9 shown 0%, '1,000' is 1000 shown #,##0; in an old
    .xls too (its formats read through xlrd)."""
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("≥\t90\t90\t%", "≥\t90%\t90%\t", 1).replace(
        "\t500\t500\t", "\t1,000\t500\t", 1
    )
    source = tmp_path / "edited.txt"
    source.write_text(text, encoding="utf-8")
    want, _ = tabfile.parse(source.read_bytes(), source.name)
    assert "90%" in {i.target for s in want for i in s.indicators}
    if kind == "xlsx":
        book = books.one_worksheet(tmp_path / "typed.xlsx", text=text)
    else:
        book = books.xls_worksheet_per_sheet(tmp_path / "typed.xls", text=text)
    ws = empty_workspace
    import_files(ws, [book])
    assert [ws.load(r) for r in ws.projects()] == want


def test_a_chart_sheet_is_skipped_and_named(
    made: dict[str, Path], tmp_path: Path, empty_workspace: Workspace
) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(made["one worksheet"])
    wb.create_chartsheet("图表")
    path = tmp_path / "with-chart.xlsx"
    wb.save(path)
    report = import_files(empty_workspace, [path])
    assert len(report.created) == 16 and report.skipped == ["with-chart.xlsx: 图表"]
