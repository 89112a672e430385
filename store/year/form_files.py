"""The year's forms as files: tab text (the official export's conventions) or a printable .xlsx, and
a filled one read back, whichever of the two it is (by content, as every import).

Text: UTF-8, two empty lines first, one empty line between projects, the title alone on its
line, every other row padded to the form's width, Excel's quoting, no final newline.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from ..errors import JixiaoError
from ..rules.profile import Profile
from ..sheet.model import Sheet
from ..tab import tabcodec
from ..xlsx import xlsx_formats, xlsx_limits
from ..xlsx.magic import ZIP_MAGIC, is_workbook
from ..xlsx.xlsx_read import cell_text, formatted_text
from ..xlsx.xlsx_write import cell_number, display_width, worksheet_names
from .forms import (
    EVALUATION_HEADER,
    HEADERS,
    MONITOR_HEADER,
    TITLES,
    FormFill,
    form_grid,
    form_kind,
    read_forms,
)

Grid = list[list[str]]


def export_text(sheets: Sequence[Sheet], kind: str, profile: Profile) -> bytes:
    blocks = []
    for sheet in sheets:
        grid = form_grid(sheet, kind, profile)
        lines = [grid[0][0], ""] + [tabcodec.join_cells(r) for r in grid[2:]]
        blocks.append("\n".join(lines))
    return ("\n\n" + "\n\n".join(blocks)).encode("utf-8")


_AMOUNT_COLUMNS = {1, 2, 3}  # the funding table's money columns


def export_xlsx(sheets: Sequence[Sheet], kind: str, profile: Profile) -> bytes:
    """One printable worksheet per project: title, labels, the two tables with borders."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf,
        {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
         "strings_to_urls": False},
    )  # fmt: skip
    title = wb.add_format({"bold": True, "font_size": 16, "align": "center"})
    label = wb.add_format({"bold": True, "valign": "vcenter"})
    head = wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                          "text_wrap": True, "bg_color": "#F2F2F2"})  # fmt: skip
    cell = wb.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
    amount = wb.add_format({"border": 1, "valign": "vcenter", "num_format": "#,##0"})
    plain = wb.add_format({"valign": "vcenter", "text_wrap": True})
    width = len(HEADERS[kind])
    header_first = {EVALUATION_HEADER[0], MONITOR_HEADER[0], "项目资金（元）"}
    for sheet, name in zip(sheets, worksheet_names([s.project for s in sheets]), strict=True):
        ws = wb.add_worksheet(name)
        grid = form_grid(sheet, kind, profile)
        ws.merge_range(0, 0, 0, width - 1, TITLES[kind], title)
        widths = [8] * width
        table = False
        for r, row in enumerate(grid[2:], 2):
            first = row[0]
            if first in header_first:
                table = True
                for c, text in enumerate(row):
                    if text:
                        ws.write_string(r, c, text, head)
                continue
            if first.endswith("：") or first in ("总分",):
                table = False
            for c, text in enumerate(row):
                style = (amount if c in _AMOUNT_COLUMNS else cell) if table else (
                    label if c % 2 == 0 and not table else plain)  # fmt: skip
                number = cell_number(text, table and c in _AMOUNT_COLUMNS) if text else None
                if number is not None:
                    ws.write_number(r, c, number, style)
                elif text or table:
                    ws.write_string(r, c, text, style)
                widths[c] = min(40, max(widths[c], display_width(text) + 2))
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
    wb.close()
    return buf.getvalue()


def read_text_grids(data: bytes, name: str) -> tuple[Grid, list[int]]:
    decoded = tabcodec.decode(data, name)
    newline = tabcodec.detect_newline(decoded.text, name)
    lines = tabcodec.split_lines(decoded.text, newline, name)
    return [line.cells for line in lines], [line.number for line in lines]


def _xlsx_grids(data: bytes, name: str) -> list[tuple[str, Grid]]:
    """Each worksheet's grid; a workbook beyond xlsx_limits is refused before calamine sees
    it (a cell at XFD1048576 would have it allocate hundreds of GB)."""
    import python_calamine as calamine

    xlsx_limits.check(data, name)
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - calamine raises many kinds for a damaged file
        raise JixiaoError(f"{name}：不是可读的 Excel 工作簿（文件已损坏或被截断）") from None
    kinds = xlsx_formats.number_kinds(data) if data.startswith(ZIP_MAGIC) else {}
    out = []
    for title in book.sheet_names:
        try:
            rows = book.get_sheet_by_name(title).to_python(skip_empty_area=False)
        except Exception:  # noqa: BLE001
            raise JixiaoError(f"{name}，工作表“{title}”：已损坏或被截断，无法读取") from None
        grid = [[cell_text(v) for v in row] for row in rows]
        for (r, c), kind in kinds.get(title, {}).items():
            if r < len(rows) and c < len(rows[r]):
                grid[r][c] = formatted_text(rows[r][c], kind) or grid[r][c]
        out.append((title, grid))
    return out


def is_form(data: bytes, name: str) -> bool:
    """Whether a file holds a 自评表 or 监控表 (by its title), not a 批复表."""
    try:
        if is_workbook(data):
            return any(form_kind(g) for _, g in _xlsx_grids(data, name))
        grid, _ = read_text_grids(data, name)
    except JixiaoError:
        return False
    return form_kind(grid) is not None


def read_form_file(data: bytes, name: str) -> list[FormFill]:
    """Every filled form in a file (text or workbook)."""
    if is_workbook(data):
        fills = []
        for title, grid in _xlsx_grids(data, name):
            if form_kind(grid):
                fills += read_forms(grid, f"{name}，工作表“{title}”")
        return fills
    grid, lines = read_text_grids(data, name)
    return read_forms(grid, name, lines)
