"""Round trips of the kinds of files real exports come as, each built here from the sample.

Each variant: parse -> emit gives the same bytes, import -> export through a real workspace
gives the same bytes, and the parsed values are what the cells really hold.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE
from jixiao.store.sheet.model import Sheet
from jixiao.store.tab import tabfile
from jixiao.store.workspace.importer import import_files
from jixiao.store.workspace.workspace import Workspace

TEXT = SAMPLE.read_text(encoding="utf-8")
FIRST_GOAL = "应于2024年对刑满释放人员进行安置和帮教,帮助他们顺利融入社会,减少和预防重新违法犯罪,维护社会和谐稳定."


def _lines() -> list[str]:
    return TEXT.split("\n")


def _join(lines: list[str]) -> str:
    return "\n".join(lines)


def _replace_row(old: str, new: str, text: str = TEXT, count: int = 1) -> str:
    assert text.count(old) >= count, old
    return text.replace(old, new, count)


# A variant: (bytes, check) where check looks at the parsed sheets.
Variant = tuple[bytes, Callable[[list[Sheet]], None]]


def _no_check(sheets: list[Sheet]) -> None:
    assert len(sheets) == 16


def gb18030_crlf() -> Variant:
    data = TEXT.replace("\n", "\r\n").encode("gb18030")

    def check(sheets: list[Sheet]) -> None:
        assert sheets[0].layout.file.encoding == "gb18030"
        assert sheets[0].layout.file.newline == "\r\n"
        assert sheets[0].goal == FIRST_GOAL

    return data, check


def utf16le_bom_crlf() -> Variant:
    data = b"\xff\xfe" + TEXT.replace("\n", "\r\n").encode("utf-16-le")

    def check(sheets: list[Sheet]) -> None:
        f = sheets[0].layout.file
        assert (f.encoding, f.bom, f.newline) == ("utf-16-le", True, "\r\n")
        assert sheets[3].project == "法律援助工作经费"

    return data, check


def utf16be_bom() -> Variant:
    data = b"\xfe\xff" + TEXT.encode("utf-16-be")

    def check(sheets: list[Sheet]) -> None:
        f = sheets[0].layout.file
        assert (f.encoding, f.bom, f.newline) == ("utf-16-be", True, "\n")

    return data, check


def utf8_bom() -> Variant:
    data = b"\xef\xbb\xbf" + TEXT.encode("utf-8")

    def check(sheets: list[Sheet]) -> None:
        f = sheets[0].layout.file
        assert (f.encoding, f.bom) == ("utf-8", True)
        assert sheets[0].unit == "135001-大竹县司法局"  # no BOM glued to a value

    return data, check


def cr_endings() -> Variant:
    data = TEXT.replace("\n", "\r").encode()

    def check(sheets: list[Sheet]) -> None:
        assert sheets[0].layout.file.newline == "\r"
        assert sheets[-1].indicators[-1].values()[0]

    return data, check


def final_newline() -> Variant:
    data = (TEXT + "\n").encode()

    def check(sheets: list[Sheet]) -> None:
        assert sheets[0].layout.file.final_newline

    return data, check


def final_newline_crlf() -> Variant:
    return (TEXT + "\n").replace("\n", "\r\n").encode(), _no_check


def no_leading_blank_lines() -> Variant:
    data = TEXT.lstrip("\n").encode()

    def check(sheets: list[Sheet]) -> None:
        assert sheets[0].layout.file.leading_blank_lines == 0

    return data, check


def fullwidth_labels() -> Variant:
    """The first sheet rewritten with ： labels (the sample has two such sheets elsewhere)."""
    lines = _lines()
    for i in range(4, 11):
        lines[i] = lines[i].replace(":", "：").replace("其中： 财政资金", "其中：财政资金")
    data = _join(lines).encode()

    def check(sheets: list[Sheet]) -> None:
        assert sheets[0].layout.colon == "："
        assert sheets[0].funding.fiscal == "150,000"
        assert sheets[0].total == "150,000"
        assert "其中：财政资金：" in tabfile.emit_text(sheets[:1])

    return data, check


def fifteen_columns() -> Variant:
    """The first sheet written with one column fewer (15 instead of 16)."""
    lines = _lines()
    for i in range(4, 18):
        assert lines[i].endswith("\t")
        lines[i] = lines[i][:-1]
    data = _join(lines).encode()

    def check(sheets: list[Sheet]) -> None:
        assert sheets[0].layout.columns == 15
        assert sheets[1].layout.columns == 16

    return data, check


def funding_column_10() -> Variant:
    """The first sheet's 财政专户管理资金 … labels moved from column 9 to column 10."""
    lines = _lines()
    for i in range(7, 11):
        cells = lines[i].split("\t")
        k = 9
        assert cells[k].endswith("资金:") or cells[k] == "银行贷款:"
        cells.insert(k, "")
        cells.pop()  # keep the row's width
        lines[i] = "\t".join(cells)
    data = _join(lines).encode()

    def check(sheets: list[Sheet]) -> None:
        assert sheets[0].layout.funding_column == 10
        assert sheets[0].funding.special == "0"

    return data, check


def ungrouped_amounts() -> Variant:
    text = TEXT
    for old in ("项目总额:\t150,000", "财政资金:\t150,000"):
        text = _replace_row(old, old.replace(",", ""), text)
    data = text.encode()

    def check(sheets: list[Sheet]) -> None:
        assert sheets[0].total == "150000" and sheets[0].funding.fiscal == "150000"
        assert not sheets[0].layout.grouping
        assert sheets[1].total == "36,000" and sheets[1].layout.grouping

    return data, check


def empty_cells() -> Variant:
    """Empty 权重(%) with a 本年权重 (in the sample), plus an empty 指标值 and 年度目标."""
    text = _replace_row(f"年度目标:\t{FIRST_GOAL}", "年度目标:\t")
    text = _replace_row("\t≥\t500\t500\t人\t", "\t≥\t\t500\t\t", text)
    data = text.encode()

    def check(sheets: list[Sheet]) -> None:
        first = sheets[0]
        assert first.goal == ""
        assert first.indicators[0].target == "" and first.indicators[0].measure == ""
        assert first.indicators[5].weight == "" and first.indicators[5].annual_weight == "10"

    return data, check


QUOTED_GOAL = '第一行\n第二行 "重点" \t结束'


def excel_quoted_cells() -> Variant:
    """A cell holding a line break, a tab and a ", quoted by Excel with "" inside."""
    excel = '"' + QUOTED_GOAL.replace('"', '""') + '"'
    text = _replace_row(f"年度目标:\t{FIRST_GOAL}", f"年度目标:\t{excel}")
    text = _replace_row("接收安置帮教人数", '"接收""安置帮教""人数"', text)
    text = _replace_row("\t元/人·次\t", '\t"元/人\t次"\t', text)
    data = text.replace("\n", "\r\n").encode("gb18030")

    def check(sheets: list[Sheet]) -> None:
        first = sheets[0]
        assert first.goal == QUOTED_GOAL.replace("\n", "\r\n")
        assert first.indicators[0].level3 == '接收"安置帮教"人数'
        assert first.indicators[4].measure == "元/人\t次"
        assert first.indicators[1].level1 == "产出指标"  # the rows after still line up

    return data, check


def excel_quoted_cells_lf() -> Variant:
    excel = '"' + QUOTED_GOAL.replace('"', '""') + '"'
    data = _replace_row(f"年度目标:\t{FIRST_GOAL}", f"年度目标:\t{excel}").encode()

    def check(sheets: list[Sheet]) -> None:
        assert sheets[0].goal == QUOTED_GOAL
        assert sheets[0].funding.special == "0"

    return data, check


def needless_quotes() -> Variant:
    """Quotes around cells that did not need them, in the header and in the table."""
    text = _replace_row("\t≥\t500\t500\t人\t", '\t≥\t500\t500\t"人"\t')
    text = _replace_row("预算项目:\t安置帮教工作经费", '预算项目:\t"安置帮教工作经费"', text)
    data = text.encode()

    def check(sheets: list[Sheet]) -> None:
        assert sheets[0].indicators[0].measure == "人"
        assert sheets[0].project == "安置帮教工作经费"

    return data, check


def extra_cells() -> Variant:
    """Text beyond 备注 in an indicator row and in a header row; a row longer than the rest."""
    lines = _lines()
    row = lines[12].split("\t")
    row[12] = "附注"
    lines[12] = "\t".join(row)
    lines[13] += "\t\t多出来的"
    head = lines[5].split("\t")
    head[14] = "旁注"
    lines[5] = "\t".join(head)
    data = _join(lines).encode()

    def check(sheets: list[Sheet]) -> None:
        first = sheets[0]
        assert first.indicators[0].trivia.cells == {12: "附注"}
        assert first.indicators[1].trivia.cells == {17: "多出来的"}
        assert first.indicators[0].note == ""
        assert first.total == "150,000"

    return data, check


def short_rows() -> Variant:
    """An indicator row cut after 本年权重 (no 备注, no padding) and a short header row."""
    lines = _lines()
    lines[12] = "\t".join(lines[12].split("\t")[:9])
    lines[8] = lines[8].rstrip("\t")
    data = _join(lines).encode()

    def check(sheets: list[Sheet]) -> None:
        ind = sheets[0].indicators[0]
        assert ind.annual_weight == "10" and ind.note == ""
        assert ind.trivia.width == 9
        assert sheets[0].funding.unit_funds == "0"

    return data, check


def note_filled() -> Variant:
    data = _replace_row("\t月\t\t10\t\t", "\t月\t\t10\t年底前完成\t").encode()

    def check(sheets: list[Sheet]) -> None:
        assert sheets[0].indicators[5].note == "年底前完成"

    return data, check


def weight_in_words() -> Variant:
    """A merely wrong value (a weight of 十) is data: it parses and round-trips."""
    data = _replace_row("\t人\t10\t10\t", "\t人\t十\t十\t").encode()

    def check(sheets: list[Sheet]) -> None:
        assert sheets[0].indicators[0].weight == "十"
        assert sheets[0].indicators[0].annual_weight == "十"

    return data, check


def one_sheet() -> Variant:
    lines = _lines()
    return _join(lines[:18]).encode(), lambda sheets: None


VARIANTS = {
    f.__name__: f
    for f in (
        gb18030_crlf,
        utf16le_bom_crlf,
        utf16be_bom,
        utf8_bom,
        cr_endings,
        final_newline,
        final_newline_crlf,
        no_leading_blank_lines,
        fullwidth_labels,
        fifteen_columns,
        funding_column_10,
        ungrouped_amounts,
        empty_cells,
        excel_quoted_cells,
        excel_quoted_cells_lf,
        needless_quotes,
        extra_cells,
        short_rows,
        note_filled,
        weight_in_words,
        one_sheet,
    )
}


@pytest.mark.parametrize("name", VARIANTS)
def test_parse_emit_is_byte_identical(name: str) -> None:
    data, check = VARIANTS[name]()
    assert data != SAMPLE.read_bytes() or name == "none"
    sheets, file = tabfile.parse(data, f"{name}.txt")
    check(sheets)
    assert tabfile.emit(sheets, file) == data


@pytest.mark.parametrize("name", VARIANTS)
def test_import_export_through_workspace_is_byte_identical(
    name: str, tmp_path: Path, empty_workspace: Workspace
) -> None:
    data, check = VARIANTS[name]()
    src = tmp_path / f"{name}.txt"
    src.write_bytes(data)
    ws = empty_workspace
    report = import_files(ws, [src])
    assert len(report.created) == report.sheets
    sheets = [ws.load(r) for r in ws.projects()]
    check(sheets)
    assert ws.export(sheets) == data


def test_sample_has_the_quirks_the_design_names(sample_bytes: bytes) -> None:
    """The sample itself already mixes colon styles, column counts and funding columns."""
    sheets, _ = tabfile.parse(sample_bytes, SAMPLE.name)
    assert {s.layout.colon for s in sheets} == {":", "："}
    assert {s.layout.columns for s in sheets} == {15, 16}
    assert {s.layout.funding_column for s in sheets} == {9, 10}
    assert all(s.layout.grouping for s in sheets)


def test_quoted_cell_is_written_back_quoted() -> None:
    data, _ = excel_quoted_cells_lf()
    sheets, file = tabfile.parse(data, "q.txt")
    text = tabfile.emit(sheets, file).decode()
    assert '年度目标:\t"第一行\n第二行 ""重点"" \t结束"\t' in text


def test_edited_cell_that_now_needs_quotes_is_quoted(sample_bytes: bytes) -> None:
    sheets, file = tabfile.parse(sample_bytes, SAMPLE.name)
    sheets[0].indicators[0].measure = 'a"b'
    out = tabfile.emit(sheets, file)
    assert out.replace(b'\t"a""b"\t', "\t人\t".encode(), 1) == sample_bytes
    again, _ = tabfile.parse(out, "edited.txt")
    assert again[0].indicators[0].measure == 'a"b'


def test_edited_needless_quotes_stay_around_the_new_value() -> None:
    data, _ = needless_quotes()
    sheets, file = tabfile.parse(data, "q.txt")
    sheets[0].indicators[0].measure = "次"
    out = tabfile.emit(sheets, file)
    assert out == data.replace('"人"'.encode(), '"次"'.encode())


def test_a_plain_cell_that_starts_with_a_quote_is_text_not_an_error() -> None:
    """Found in review: '"三官一律"进村人数' written unquoted by a budget system."""
    data = SAMPLE.read_bytes().replace(
        "接收安置帮教人数".encode(), '"三官一律"进村人数'.encode(), 1
    )
    sheets, file = tabfile.parse(data, "plain-quote.txt")
    assert sheets[0].indicators[0].level3 == '"三官一律"进村人数'
    assert tabfile.emit(sheets, file) == data
    sheets[0].indicators[0].level3 = '"三官一律"进村人数（全年）'
    again, _ = tabfile.parse(tabfile.emit(sheets, file), "edited.txt")
    assert again[0].indicators[0].level3 == '"三官一律"进村人数（全年）'
