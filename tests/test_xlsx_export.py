"""`jixiao export -o FILE.xlsx`: a printable worksheet per project, read back to the same
values; export -> edit one cell in a spreadsheet -> import changes exactly that field; and
`git diff` of a committed workbook reads as text."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE, copy_workspace, git
from jixiao import cli
from jixiao.store.tab import tabfile
from jixiao.store.workspace.workspace import Workspace
from jixiao.store.xlsx.xlsx_write import cell_number, worksheet_names
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SHEETS, _ = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(cli.app, list(args))
    assert result.exit_code == code, (result.output, result.exception)
    return result


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory, committed_template: Path) -> Path:
    """The sample's workspace exported once as .xlsx."""
    root = copy_workspace(committed_template, tmp_path_factory.mktemp("export") / "ws").root
    result = run("-C", str(root), "export", "-o", "2024.xlsx")
    assert "已把 16 个项目写入 2024.xlsx" in result.output
    return root / "2024.xlsx"


def test_a_worksheet_per_project_in_export_order(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [s.project for s in SHEETS]


def test_the_printed_form(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb["安置帮教工作经费"]
    # landscape A4, one page wide, the table's header row on every page
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth in (None, 1)  # absent is 1 page wide (OOXML's default)
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$9:$9"
    assert [c.value for c in ws[9]][:10] == ["一级指标", "二级指标", "三级指标", "指标性质",
                                              "指标值", "本年绩效指标值", "度量单位", "权重(%)",
                                              "本年权重", "备注"]  # fmt: skip
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:P1" in merged and ws["A1"].value == "绩效目标批复表"
    assert {"A5:A8", "B5:J8"} <= merged  # 年度目标 beside the funding block
    assert "A10:A11" in merged  # 产出指标 over its two rows
    # label and value cells; amounts are numbers shown #,##0; weights numbers
    assert (ws["A2"].value, ws["B2"].value) == ("单位信息:", "135001-大竹县司法局")
    assert (ws["K3"].value, ws["L3"].value, ws["L3"].number_format) == (
        "项目总额:",
        150000,
        "#,##0",
    )
    assert (ws["B4"].value, ws["I10"].value, ws["E10"].value) == (10, 10, 500)
    assert ws["D14"].value == "=" and ws["D14"].data_type == "s"  # 指标性质 =, not a formula
    assert ws["C10"].border.left.style == "thin" and ws["C10"].alignment.wrap_text
    widths = {k: d.width for k, d in ws.column_dimensions.items()}
    assert widths["C"] >= 24 and widths["A"] >= 12  # Chinese text fits, wrapped
    assert ws.row_dimensions[5].height and ws.row_dimensions[5].height >= 18


def test_worksheet_names_follow_excels_rules() -> None:
    names = worksheet_names(["a/b:c?", "甲" * 40, "甲" * 40, "History", "Ab", "aB", "'x'", ""])
    assert names[0] == "a_b_c_"
    assert names[1] == "甲" * 31 and names[2] == "甲" * 28 + "(2)"
    assert names[3] == "History(2)" and names[4:6] == ["Ab", "aB(2)"]
    assert names[6:] == ["x", "Sheet"]
    assert all(len(n) <= 31 for n in names)


@pytest.mark.parametrize(
    ("text", "amount", "number"),
    [("150,000", True, 150000), ("150000", True, 150000), ("10", False, 10), ("2.5", False, 2.5),
     ("0500", False, None), ("10.0", False, None), ("1,000", False, None), ("≥90", False, None)],
)  # fmt: skip
def test_a_number_only_where_it_reads_back_the_same(text: str, amount: bool, number) -> None:
    assert cell_number(text, amount) == number


def test_export_import_of_the_untouched_workbook_changes_nothing(book: Path) -> None:
    root = book.parent
    result = run("-C", str(root), "import", str(book))
    assert "16 张表：新建 0，更新 0，未变 16" in result.output
    assert git(root, "status", "--porcelain", "store") == ""


def test_export_edit_one_cell_import_changes_exactly_that_field(
    book: Path, tmp_path: Path, committed: Workspace
) -> None:
    root = committed.root  # the sample imported and committed
    wb = openpyxl.load_workbook(book)
    ws = wb["第一书记和驻村工作队工作经费"]
    assert ws["L3"].value == 36000
    ws["L3"].value = 40000  # 项目总额, as a person types it
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    result = run("-C", str(root), "import", str(edited))
    assert "更新 1，未变 15" in result.output
    assert "项目总额: 36,000 → 40,000" in result.output
    diff = git(root, "diff", "-U0", "store")
    assert [x for x in diff.splitlines() if x[:1] in "+-" and x[:3] not in ("+++", "---")] == [
        "-项目总额: 36000",
        "+项目总额: 40000",
    ]
    changes = run("-C", str(root), "diff").output
    assert changes.count("→") == 2  # the field, and nothing else but the heading
    assert "项目总额: 36,000 → 40,000" in changes


def test_text_into_a_workbook_name_is_never_silent(book: Path) -> None:
    root = book.parent
    result = run("-C", str(root), "export", "--format", "txt", "-o", "plain.xlsx")
    assert "注意" in result.output and "制表符文本" in result.output
    assert (root / "plain.xlsx").read_bytes() == SAMPLE.read_bytes()
    result = run("-C", str(root), "export", "-o", "old.xls", code=2)
    assert ".xls" in result.output and not (root / "old.xls").exists()
    # Found in review: .xlsm got .xlsx content, which Excel refuses to open.
    for args in (["-o", "macro.xlsm"], ["--format", "xlsx", "-o", "macro.XLSM"]):
        result = run("-C", str(root), "export", *args, code=2)
        assert "不能写带宏的 .xlsm" in result.output and "改为 .xlsx" in result.output
    assert not list(root.glob("macro.*"))
    result = run("-C", str(root), "export", "--format", "xlsx", "-o", "forced.bin")
    assert "注意" in result.output and (root / "forced.bin").read_bytes()[:4] == b"PK\x03\x04"
    piped = CliRunner().invoke(cli.app, ["-C", str(root), "export", "--format", "xlsx"])
    assert piped.exit_code == 0 and piped.stdout_bytes[:4] == b"PK\x03\x04"  # into a pipe
    result = run("-C", str(root), "export", "-o", "quiet.xlsx")
    assert "注意" not in result.output


def test_any_value_comes_back_as_it_was(tmp_path: Path, committed: Workspace) -> None:
    """Control characters, CR LF inside a cell, '_x0041_' and leading blanks survive the
    workbook: re-importing the export of such a project changes nothing."""
    root = committed.root
    path = root / "store" / "135001-大竹县司法局" / "法律援助工作经费.yaml"
    text = path.read_text()
    text = text.replace("项目经办人: ''", '项目经办人: "  a\\x01b _x0041_"')
    text = text.replace("项目经办人电话: ''", '项目经办人电话: "0818\\r\\n1234"')
    path.write_text(text)
    git(root, "commit", "-qam", "hostile values")
    run("-C", str(root), "export", "-o", "x.xlsx")
    result = run("-C", str(root), "import", "x.xlsx")
    assert "更新 0，未变 16" in result.output
    assert path.read_text() == text


def test_git_diff_of_a_committed_workbook_reads_as_fields(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = book.parent
    assert "*.xlsx -text diff=jixiao" in (root / ".gitattributes").read_text()
    git(root, "config", "diff.jixiao.textconv", f'"{sys.executable}" -m jixiao textconv')
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    target = root / "committed.xlsx"
    target.write_bytes(book.read_bytes())
    git(root, "add", "committed.xlsx")
    git(root, "commit", "-qm", "workbook")
    wb = openpyxl.load_workbook(target)
    wb["安置帮教工作经费"]["E10"].value = 600
    wb.save(target)
    out = git(root, "diff", "--", "committed.xlsx")
    changed = [x for x in out.splitlines() if x[:1] in "+-" and x[:3] not in ("+++", "---")]
    assert len(changed) == 2, out
    assert "指标值 500 | 本年绩效指标值 500" in changed[0]
    assert "指标值 600 | 本年绩效指标值 500" in changed[1]
    assert "@@ == 安置帮教工作经费 (135001-大竹县司法局) ==" in out
