"""Sheets -> a printable .xlsx: one worksheet per project, the form as staff print it.

Each worksheet is the official grid (the cells where the tab export has them, so
`xlsx_read` reads it back like any other workbook) dressed as the printed form: the title
merged across the table, label and value cells, the funding block, 年度目标, the indicator
table with its header, borders, wrapped text, column widths that fit Chinese text, numbers
stored as numbers (amounts shown `#,##0`), landscape A4 fitted to one page wide, and the
table's header row repeated on every printed page.

The promise is value-exact, not byte-exact: export, edit one cell, import, and exactly that
field changes. A cell becomes a number only where the number reads back as the same text;
text is always written as text (XlsxWriter escapes control characters and CR as `_xHHHH_`,
which the reader turns back, so any value comes back as it was).

XlsxWriter rather than openpyxl: it writes the same styled workbook ~10x faster (a cell's
style in openpyxl is hashed on every assignment), which matters for thousands of projects.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Sequence

from ..sheet.fields import (
    AMOUNT_FIELDS,
    FUNDING_FIELDS,
    FUNDING_NAMES,
    HEADER_FIELDS,
    TABLE_HEADER,
    TAIL_FIELDS,
    TITLE,
)
from ..sheet.model import INDICATOR_NAMES, Sheet, SheetLayout, as_number, format_amount
from ..tab.tabfile import label_text, standard_positions
from .xlsx_read import number_text

COLUMNS = 16  # A..P, as the official grid
FUNDING_COLUMN = 10  # the funding labels under 项目总额 and 财政资金, so the block lines up
NOTE_COLUMN = TABLE_HEADER.index("备注")
# Column widths (in Excel's units: one Latin digit; a Chinese character takes two).
_BASE_WIDTHS = [12, 16, 24, 8, 12, 12, 8, 8, 8, 8, 18, 6, 6, 6, 6, 6]
_MAX_WIDTHS = [16, 22, 40, 10, 24, 24, 12, 9, 9, 8, 18, 6, 6, 6, 6, 6]
_NUMERIC_FIELDS = {"exec_weight", "weight", "annual_weight", "target", "annual_target"}
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_LABEL_FIELDS = HEADER_FIELDS + TAIL_FIELDS + FUNDING_FIELDS


def write_workbook(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx holding one printable worksheet per sheet, in this order."""
    import xlsxwriter

    buf = io.BytesIO()
    options = {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    wb = xlsxwriter.Workbook(buf, {**options, "strings_to_urls": False})
    styles = _Styles(wb)
    names = worksheet_names([s.project for s in sheets])
    for sheet, name in zip(sheets, names, strict=True):
        _Form(wb.add_worksheet(name), sheet, styles).write()
    wb.close()
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
    """The formats of the form, made once per workbook (by name: label, value, amount, …)."""

    def __init__(self, wb) -> None:
        base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "vcenter"}
        base["text_wrap"] = True
        kinds = {
            "title": {"font_size": 16, "bold": True, "align": "center", "border": 0},
            "label": {"bold": True, "align": "left"},
            "text": {"align": "left", "num_format": "@"},
            "goal": {"align": "left", "valign": "top", "num_format": "@"},
            "center": {"align": "center", "num_format": "@"},
            "number": {"align": "right"},
            "amount": {"align": "right", "num_format": "#,##0"},
            "amount.00": {"align": "right", "num_format": "#,##0.00"},
            "head": {"bold": True, "align": "center", "bg_color": "#EDEDED"},
            "blank": {},
        }
        self.of = {name: wb.add_format({**base, **extra}) for name, extra in kinds.items()}


class _Form:
    """One sheet as one printable worksheet (rows and columns 0-based, as XlsxWriter)."""

    def __init__(self, ws, sheet: Sheet, styles: _Styles) -> None:
        self.ws = ws
        self.sheet = sheet
        self.of = styles.of
        self.layout = sheet.layout if sheet.layout.recorded else SheetLayout()
        self.widths = list(_BASE_WIDTHS)
        self.lines: dict[int, int] = {}  # row -> text lines it needs
        self.filled: set[tuple[int, int]] = set()

    # -- cells

    def put(
        self,
        cell: tuple[int, int],
        text: str,
        kind: str = "text",
        *,
        to: tuple[int, int] | None = None,
        amount: bool = False,
        numeric: bool = False,
    ) -> None:
        """Write a cell, merged through `to` if given: a number where it reads back as the
        same text, else text (never a formula: '=' is the form's 指标性质)."""
        number = cell_number(text, amount) if (amount or numeric) and text else None
        if number is not None:
            if amount:
                kind = "amount" if isinstance(number, int) else "amount.00"
            elif kind == "text":
                kind = "number"
        (r, c), (r1, c1) = cell, to or cell
        value = number if number is not None else text
        if (r1, c1) != (r, c):
            self.ws.merge_range(r, c, r1, c1, value, self.of[kind])
        elif number is not None:
            self.ws.write_number(r, c, number, self.of[kind])
        elif text:
            self.ws.write_string(r, c, text, self.of[kind])
        else:
            self.ws.write_blank(r, c, None, self.of[kind])
        self.filled.update((y, x) for y in range(r, r1 + 1) for x in range(c, c1 + 1))

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
        table = 1 + 7  # the row of the indicator table's header: after the title, 7 header rows
        self.put((0, 0), TITLE, "title", to=(0, COLUMNS - 1))
        self._header(first=1)
        last = self._table(table)
        self._dress(last)
        self._print(table, last)

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
                end = items[k + 1][0] - 1 if k + 1 < len(items) else COLUMNS - 1
                value = self._value(name)
                kinds = {"amount": name in AMOUNT_FIELDS, "numeric": name in _NUMERIC_FIELDS}
                if name == "goal":  # 年度目标 takes the rows beside the funding block
                    end = FUNDING_COLUMN - 1
                    self.put((row, c), label_text(name, self.layout), "label", to=(row + 3, c))
                    self.put((row, c + 1), value, "goal", to=(row + 3, end))
                    self.need(range(row, row + 4), value, sum(self.widths[c + 1 : end + 1]))
                else:
                    self.put((row, c), label_text(name, self.layout), "label")
                    self.put((row, c + 1), value, "text", to=(row, end), **kinds)
                    self.need(range(row, row + 1), value, sum(self.widths[c + 1 : end + 1]))

    def _value(self, name: str) -> str:
        return getattr(self.sheet.funding if name in FUNDING_NAMES else self.sheet, name)

    def _table(self, row: int) -> int:
        for c, text in enumerate(TABLE_HEADER):
            to = (row, COLUMNS - 1) if c == NOTE_COLUMN else None
            self.put((row, c), text, "head", to=to)
        rows = [ind.values() for ind in self.sheet.indicators]
        for c in range(NOTE_COLUMN):  # columns as wide as their texts, within limits
            longest = max([display_width(TABLE_HEADER[c])] + [display_width(r[c]) for r in rows])
            self.widths[c] = max(self.widths[c], min(longest + 2, _MAX_WIDTHS[c]))
        level1 = self._level1_spans(rows)
        for k, values in enumerate(rows):
            r = row + 1 + k
            for c, (name, text) in enumerate(zip(INDICATOR_NAMES, values, strict=True)):
                kind = "center" if c < 4 or c == 6 else "text"
                numeric = name in _NUMERIC_FIELDS
                if c == 0 and k in level1:
                    self.put((r, c), text, kind, to=(r + level1[k], c))
                elif c == NOTE_COLUMN:
                    self.put((r, c), text, kind, to=(r, COLUMNS - 1))
                elif (r, c) not in self.filled:
                    self.put((r, c), text, kind, numeric=numeric)
                width = sum(self.widths[NOTE_COLUMN:]) if c == NOTE_COLUMN else self.widths[c]
                self.need(range(r, r + 1), text, width)
        return row + len(rows)

    @staticmethod
    def _level1_spans(rows: list[tuple[str, ...]]) -> dict[int, int]:
        """一级指标 merged down the rows it heads, as the printed form has it: first row ->
        how many rows more it covers."""
        spans: dict[int, int] = {}
        start = 0
        for k in range(1, len(rows) + 1):
            if k == len(rows) or rows[k][0] != rows[start][0]:
                if k - 1 > start and rows[start][0]:
                    spans[start] = k - 1 - start
                start = k
        return spans

    def _dress(self, last: int) -> None:
        for r in range(1, last + 1):
            for c in range(COLUMNS):
                if (r, c) not in self.filled:
                    self.ws.write_blank(r, c, None, self.of["blank"])
        for r, lines in self.lines.items():
            self.ws.set_row(r, max(18, 14 * lines + 4))
        for c, width in enumerate(self.widths):
            self.ws.set_column(c, c, width)
        self.ws.set_row(0, 32)

    def _print(self, table: int, last: int) -> None:
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)  # one page wide, as many down as the table needs
        ws.center_horizontally()
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        ws.repeat_rows(table)
        ws.print_area(0, 0, last, COLUMNS - 1)
