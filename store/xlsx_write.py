"""Sheets -> a printable .xlsx: one worksheet per project, the form as staff print it.

Each worksheet is the official grid (the cells where the tab export has them, so
`xlsx_read` reads it back like any other workbook) dressed as the printed form: the title
merged across the table, label and value cells, the funding block, 年度目标, the indicator
table with its header, borders, wrapped text, column widths that fit Chinese text, numbers
stored as numbers (amounts shown `#,##0`), landscape A4 fitted to one page wide, and the
table's header row repeated on every printed page.

The promise is value-exact, not byte-exact: export, edit one cell, import, and exactly that
field changes. A cell becomes a number only where the number reads back as the same text.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Sequence

from .errors import JixiaoError
from .fields import AMOUNT_FIELDS, FUNDING_FIELDS, HEADER_FIELDS, TABLE_HEADER, TAIL_FIELDS, TITLE
from .model import INDICATOR_NAMES, Sheet, SheetLayout, as_number, format_amount
from .tabfile import label_text, standard_positions
from .xlsx_read import number_text

COLUMNS = 16  # A..P, as the official grid
FUNDING_COLUMN = 10  # the funding labels under 项目总额 and 财政资金, so the block lines up
NOTE_COLUMN = TABLE_HEADER.index("备注")
# Column widths (in Excel's units: one Latin digit; a Chinese character takes two).
_BASE_WIDTHS = [12, 16, 24, 8, 12, 12, 8, 8, 8, 8, 18, 6, 6, 6, 6, 6]
_MAX_WIDTHS = [16, 22, 40, 10, 24, 24, 12, 9, 9, 8, 18, 6, 6, 6, 6, 6]
_NUMERIC_FIELDS = {"exec_weight", "weight", "annual_weight", "target", "annual_target"}
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what an .xlsx cannot hold
_LABEL_FIELDS = HEADER_FIELDS + TAIL_FIELDS + FUNDING_FIELDS
_FUNDING_NAMES = {name for name, _ in FUNDING_FIELDS}


def write_workbook(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx holding one printable worksheet per sheet, in this order."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    names = worksheet_names([s.project for s in sheets])
    styles = _Styles()
    for sheet, name in zip(sheets, names, strict=True):
        _Form(wb.create_sheet(name), sheet, styles).write()
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def worksheet_names(projects: Sequence[str]) -> list[str]:
    """A worksheet name per 预算项目: Excel's forbidden characters replaced, at most 31
    characters, no two alike (Excel compares names without case)."""
    taken = {"history"}  # Excel reserves it
    out = []
    for project in projects:
        base = _SHEET_NAME_BAD.sub("_", project).strip().strip("'") or "Sheet"
        name = base[:31]
        k = 2
        while name.casefold() in taken:
            suffix = f"({k})"
            name = base[: 31 - len(suffix)] + suffix
            k += 1
        taken.add(name.casefold())
        out.append(name)
    return out


def display_width(text: str) -> int:
    """Columns a text takes on screen: wide (Chinese) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cell_number(text: str, amount: bool) -> int | float | None:
    """The number to store for a cell's text, only if it reads back as the same text."""
    number = as_number(text)
    if number is None or not math.isfinite(number):
        return None
    value: int | float = int(number) if number.is_integer() and abs(number) < 1e15 else number
    if amount:
        ok = text in (format_amount(value, True), format_amount(value, False))
    else:
        ok = text == number_text(number)
    return value if ok else None


class _Styles:
    """The few styles of the form, made once (openpyxl shares equal styles anyway)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.title_font = Font(name="宋体", size=16, bold=True)
        self.font = Font(name="宋体", size=10)
        self.bold = Font(name="宋体", size=10, bold=True)
        self.fill = PatternFill("solid", fgColor="EDEDED")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.right = Alignment(horizontal="right", vertical="center", wrap_text=True)
        self.top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)


class _Form:
    """One sheet as one printable worksheet."""

    def __init__(self, ws, sheet: Sheet, styles: _Styles) -> None:
        self.ws = ws
        self.sheet = sheet
        self.st = styles
        self.layout = sheet.layout if sheet.layout.recorded else SheetLayout()
        self.widths = list(_BASE_WIDTHS)
        self.lines: dict[int, float] = {}  # row -> text lines it needs

    # -- cells

    def put(self, row: int, col: int, text: str, *, what: str, amount=False, numeric=False):
        """Write a cell (1-based row, 0-based col): a number where it reads back the same,
        else text (never a formula: '=' is the form's 指标性质)."""
        bad = _ILLEGAL.search(text)
        if bad:
            raise JixiaoError(
                f"{self.sheet.project}：{what}含有 Excel 无法保存的控制字符"
                f"（U+{ord(bad.group()):04X}），无法导出为 .xlsx"
            )
        cell = self.ws.cell(row, col + 1)
        number = cell_number(text, amount) if (amount or numeric) and text else None
        if number is not None:
            cell.value = number
            if amount:
                cell.number_format = "#,##0" if isinstance(number, int) else "#,##0.00"
        elif text:
            cell.value = text
            cell.data_type = "s"
            cell.number_format = "@"
        cell.font = self.st.font
        return cell

    def merge(self, row: int, col: int, last_row: int, last_col: int) -> None:
        if (last_row, last_col) != (row, col):
            self.ws.merge_cells(
                start_row=row, start_column=col + 1, end_row=last_row, end_column=last_col + 1
            )

    def need(self, rows: range, text: str, width: float) -> None:
        """Remember that `rows` together must show `text` wrapped in `width` columns."""
        lines = sum(
            max(1, math.ceil(display_width(part) / max(width - 1, 1))) for part in text.split("\n")
        )
        each = math.ceil(lines / len(rows))
        for r in rows:
            self.lines[r] = max(self.lines.get(r, 1), each)

    # -- the form

    def write(self) -> None:
        header_rows = 7
        table = 2 + header_rows  # 1-based row of the indicator table's header
        self._title()
        self._header(first=2)
        last = self._table(table)
        self._dress(last)
        self._print(table, last)

    def _title(self) -> None:
        cell = self.put(1, 0, TITLE, what=TITLE)
        cell.font = self.st.title_font
        cell.alignment = self.st.center
        self.merge(1, 0, 1, COLUMNS - 1)
        self.ws.row_dimensions[1].height = 32

    def _header(self, first: int) -> None:
        positions = standard_positions(FUNDING_COLUMN)
        by_row: dict[int, list[tuple[int, str]]] = {}
        for name, _ in _LABEL_FIELDS:
            r, c = positions[name]
            by_row.setdefault(r, []).append((c, name))
        for r, items in by_row.items():
            items.sort()
            row = first + r
            for k, (c, name) in enumerate(items):
                label = self.put(row, c, label_text(name, self.layout), what=name)
                label.font = self.st.bold
                label.alignment = self.st.left
                end = items[k + 1][0] - 1 if k + 1 < len(items) else COLUMNS - 1
                if name == "goal":
                    end = FUNDING_COLUMN - 1
                value = self._value(name)
                cell = self.put(
                    row,
                    c + 1,
                    value,
                    what=dict(_LABEL_FIELDS)[name],
                    amount=name in AMOUNT_FIELDS,
                    numeric=name in _NUMERIC_FIELDS,
                )
                cell.alignment = self.st.top_left if name == "goal" else self.st.left
                if name == "goal":  # 年度目标 takes the rows beside the funding block
                    self.merge(row, c, row + 3, c)
                    self.merge(row, c + 1, row + 3, end)
                    self.need(range(row, row + 4), value, sum(self.widths[c + 1 : end + 1]))
                else:
                    self.merge(row, c + 1, row, end)
                    self.need(range(row, row + 1), value, sum(self.widths[c + 1 : end + 1]))

    def _value(self, name: str) -> str:
        return getattr(self.sheet.funding if name in _FUNDING_NAMES else self.sheet, name)

    def _table(self, row: int) -> int:
        for c, text in enumerate(TABLE_HEADER):
            cell = self.put(row, c, text, what=text)
            cell.font = self.st.bold
            cell.fill = self.st.fill
            cell.alignment = self.st.center
        self.merge(row, NOTE_COLUMN, row, COLUMNS - 1)
        rows = [ind.values() for ind in self.sheet.indicators]
        for c in range(NOTE_COLUMN):  # columns as wide as their texts, within limits
            longest = max([display_width(TABLE_HEADER[c])] + [display_width(r[c]) for r in rows])
            self.widths[c] = max(self.widths[c], min(longest + 2, _MAX_WIDTHS[c]))
        for k, values in enumerate(rows):
            r = row + 1 + k
            for c, (name, text) in enumerate(zip(INDICATOR_NAMES, values, strict=True)):
                cell = self.put(r, c, text, what=TABLE_HEADER[c], numeric=name in _NUMERIC_FIELDS)
                numeric = cell.data_type == "n" and cell.value is not None
                cell.alignment = self.st.right if numeric else self.st.left
                if c < 4 or c == 6:
                    cell.alignment = self.st.center
                width = sum(self.widths[NOTE_COLUMN:]) if c == NOTE_COLUMN else self.widths[c]
                self.need(range(r, r + 1), text, width)
            self.merge(r, NOTE_COLUMN, r, COLUMNS - 1)
        self._merge_level1(row + 1, rows)
        return row + len(rows)

    def _merge_level1(self, first: int, rows: list[tuple[str, ...]]) -> None:
        """一级指标 merged down the rows it heads, as the printed form has it."""
        start = 0
        for k in range(1, len(rows) + 1):
            if k == len(rows) or rows[k][0] != rows[start][0]:
                if k - 1 > start and rows[start][0]:
                    self.merge(first + start, 0, first + k - 1, 0)
                start = k

    def _dress(self, last: int) -> None:
        from openpyxl.utils import get_column_letter

        for r in range(2, last + 1):
            for c in range(COLUMNS):
                self.ws.cell(r, c + 1).border = self.st.border
        for r, lines in self.lines.items():
            self.ws.row_dimensions[r].height = max(18, 14 * lines + 4)
        for c, width in enumerate(self.widths):
            self.ws.column_dimensions[get_column_letter(c + 1)].width = width

    def _print(self, table: int, last: int) -> None:
        from openpyxl.worksheet.page import PageMargins

        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as the table needs
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        ws.print_title_rows = f"{table}:{table}"
        ws.print_area = f"A1:P{last}"
