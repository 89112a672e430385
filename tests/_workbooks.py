"""Workbooks made from the real sample, in the layouts staff hold them.

Numbers are typed as a spreadsheet types them when the text export is opened in Excel or WPS:
'150,000' becomes the number 150000 shown `#,##0`, '10' the number 10; everything else stays
text. Each builder writes one file and returns its path.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import SAMPLE
from jixiao.store.sheet.fields import TABLE_HEADER, TITLE

TEXT = SAMPLE.read_text(encoding="utf-8")
_INT = re.compile(r"\d+|\d{1,3}(,\d{3})+")


def sheet_blocks(text: str = TEXT) -> list[list[list[str]]]:
    """The sample's sheets, each as its lines of cells (title first, no blank lines after)."""
    blocks: list[list[list[str]]] = []
    for line in text.split("\n"):
        cells = line.split("\t")
        if cells[0] == TITLE:
            blocks.append([])
        if blocks:
            blocks[-1].append(cells)
    for block in blocks:
        while block and not any(block[-1]):
            block.pop()
    return blocks


def typed(text: str):
    """What a spreadsheet makes of a cell's text: (value, number format)."""
    if text.endswith("%") and text[:-1].isdigit():
        return int(text[:-1]) / 100, "0%"
    if _INT.fullmatch(text):
        return int(text.replace(",", "")), ("#,##0" if "," in text else "General")
    return text, None


def _put_openpyxl(ws, row: int, col: int, text: str) -> None:
    if text == "":
        return
    value, fmt = typed(text)
    cell = ws.cell(row, col, value)
    if fmt is None:
        cell.data_type = "s"  # '=' is text, not a formula
    else:
        cell.number_format = fmt


def one_worksheet(path: Path, blank_rows: bool = True, text: str = TEXT) -> Path:
    """Layout (a): the text export saved as a workbook, one worksheet holding the grid."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "绩效目标批复表"
    lines = [line.split("\t") for line in text.split("\n")]
    if not blank_rows:
        lines = [cells for cells in lines if any(cells)]
    for r, cells in enumerate(lines, 1):
        for c, text in enumerate(cells, 1):
            _put_openpyxl(ws, r, c, text)
    wb.save(path)
    return path


def worksheet_per_sheet(path: Path, merged: bool = False) -> Path:
    """Layout (b): a cover worksheet, then one worksheet per sheet named by 预算项目; with
    `merged`, layout (c): the title merged across the table, 年度目标 and its value merged
    down the funding rows, 一级指标 merged down its rows, 备注 merged across."""
    import openpyxl

    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "填报说明"
    cover["A1"] = "本工作簿由各项目的绩效目标批复表组成"
    for block in sheet_blocks():
        ws = wb.create_sheet(block[2][3][:31])
        for r, cells in enumerate(block, 1):
            for c, text in enumerate(cells, 1):
                _put_openpyxl(ws, r, c, text)
        if merged:
            _merge_like_a_form(ws, block)
    wb.save(path)
    return path


def _merge_like_a_form(ws, block: list[list[str]]) -> None:
    width = max(len(cells) for cells in block)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    goal = next(r for r, cells in enumerate(block, 1) if cells[0].startswith("年度目标"))
    ws.merge_cells(start_row=goal, start_column=1, end_row=goal + 3, end_column=1)
    ws.merge_cells(start_row=goal, start_column=2, end_row=goal + 3, end_column=9)
    table = next(r for r, cells in enumerate(block, 1) if cells[0] == TABLE_HEADER[0])
    rows = list(range(table + 1, len(block) + 1))
    for r in [table, *rows]:
        ws.merge_cells(start_row=r, start_column=10, end_row=r, end_column=width)
    start = rows[0]
    for r in [*rows[1:], None]:
        if r is None or block[r - 1][0] != block[start - 1][0]:
            end = (r or len(block) + 1) - 1
            if end > start:
                ws.merge_cells(start_row=start, start_column=1, end_row=end, end_column=1)
            start = r or start


def xls_worksheet_per_sheet(path: Path, text: str = TEXT) -> Path:
    """Layout (b) and (c) as an old .xls: 一级指标 merged down its rows."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    styles = {f: xlwt.easyxf(num_format_str=f) for f in ("#,##0", "0%")}
    for block in sheet_blocks(text):
        ws = wb.add_sheet(block[2][3][:31])
        table = next(r for r, cells in enumerate(block) if cells[0] == TABLE_HEADER[0])
        merged: set[int] = set()
        r = table + 1
        while r < len(block):
            end = r
            while end + 1 < len(block) and block[end + 1][0] == block[r][0]:
                end += 1
            if end > r:
                ws.write_merge(r, end, 0, 0, block[r][0])
                merged.update(range(r, end + 1))
            r = end + 1
        for r, cells in enumerate(block):
            for c, text in enumerate(cells):
                if text == "" or (c == 0 and r in merged):
                    continue
                value, fmt = typed(text)
                if fmt in styles:
                    ws.write(r, c, value, styles[fmt])
                else:
                    ws.write(r, c, value)
    wb.save(str(path))
    return path
