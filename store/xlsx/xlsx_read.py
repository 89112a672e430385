"""Workbooks (.xlsx, .xlsm, .xls) -> the Sheets the tab parser gives for the same form.

Staff hold the sheets as workbooks: the text export opened and saved in Excel or WPS (one
worksheet holding the whole grid), a worksheet per project, or a printed form with merged
title and label cells. Whatever the layout, a sheet is read the way the form means it: the
title row starts it, each header label's value is the cell after the label (after the label's
merged range), the indicator table's columns are found by its header row, and a value merged
down several rows of the table (一级指标 over its rows) belongs to every row. Numbers a
spreadsheet typed come back as the form writes them (10.0 -> "10", 0.95 shown `0%` -> "95%",
1000 shown `#,##0` -> "1,000"; number formats from `xlsx_formats`).

The values only: a workbook has no encoding, quoting or colon style worth keeping, so the
sheets come without a recorded layout; `xlsx_fit` gives them the project's own.

python-calamine reads all three formats with merged ranges, ~10x faster than openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..errors import WorkbookError
from ..sheet.fields import (
    FUNDING_FIELDS,
    FUNDING_NAMES,
    HEADER_FIELDS,
    TABLE_HEADER,
    TAIL_FIELDS,
    TITLE,
)
from ..sheet.model import INDICATOR_NAMES, Funding, Indicator, Sheet, SheetLayout
from ..tab.tabfile import field_of_label
from . import xlsx_formats, xlsx_limits
from .magic import OLE_MAGIC, ZIP_MAGIC

_LABELS = {name: label for name, label in HEADER_FIELDS + TAIL_FIELDS + FUNDING_FIELDS}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass
class Workbook:
    """The sheets found, in worksheet order, and the worksheets that hold none."""

    sheets: list[Sheet] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) -> 'A17'."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def shown(text: str) -> str:
    """A name from the file, safe to print in a message (no control characters)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def number_text(value: float) -> str:
    """A spreadsheet number as the form writes it: 10.0 -> '10', 0.30000000000000004 -> '0.3'
    (Excel keeps 15 significant digits), never an exponent."""
    if not math.isfinite(value):
        return str(value)
    value = float(f"{value:.15g}")
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def cell_text(value: Any) -> str:
    """The text of a cell as the form holds it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if value is None:
        return ""
    return str(value)


def formatted_text(value: Any, kind: str) -> str | None:
    """A number as its cell shows it, where that is the form's text: 0.95 shown `0%` is
    '95%', 1000 shown `#,##0` is '1,000' (None: not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if kind == xlsx_formats.PERCENT:
        return number_text(value * 100) + "%"
    whole, dot, frac = number_text(value).partition(".")
    return f"{int(whole):,}{dot}{frac}"


# ---------------------------------------------------------------------- the workbook


def read_workbook(data: bytes, name: str) -> Workbook:
    """Every sheet of every worksheet; raises WorkbookError (one sentence) for a workbook that
    is corrupt, locked by a password, holds no sheet, holds one cut short, or is larger than
    `xlsx_limits` allow (checked before anything is allocated for it)."""
    import python_calamine as calamine

    xlsx_limits.check(data, name)

    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - calamine raises many kinds for a damaged file
        if _password_protected(data):
            raise WorkbookError(_LOCKED.format(name=name)) from None
        raise WorkbookError(f"{name}：不是可读的 Excel 工作簿（文件已损坏或被截断）") from None
    if data.startswith(ZIP_MAGIC):
        shown_as = xlsx_formats.number_kinds(data)
    else:
        shown_as = xlsx_formats.xls_number_kinds(data)
    out = Workbook()
    for meta in book.sheets_metadata:
        title = meta.name
        if meta.typ != calamine.SheetTypeEnum.WorkSheet:  # a chart, a dialog or macro sheet
            out.skipped.append(title)
            continue
        try:
            ws = book.get_sheet_by_name(title)
            rows = ws.to_python(skip_empty_area=False)
            merges = ws.merged_cell_ranges or []
        except calamine.PasswordError:
            raise WorkbookError(_LOCKED.format(name=name)) from None
        except Exception:  # noqa: BLE001
            raise WorkbookError(
                f"{name}，工作表“{shown(title)}”：已损坏或被截断，无法读取", title
            ) from None
        grid = [[cell_text(v) for v in row] for row in rows]
        for (r, c), kind in shown_as.get(title, {}).items():
            if r < len(rows) and c < len(rows[r]):
                grid[r][c] = formatted_text(rows[r][c], kind) or grid[r][c]
        found = read_grid(grid, merges, name, title)
        if found:
            out.sheets += found
        else:
            out.skipped.append(title)
    if not out.sheets:
        names = "、".join(f"“{shown(t)}”" for t in book.sheet_names) or "没有工作表"
        raise WorkbookError(f"{name}：没有一个工作表含有{TITLE}（工作表：{names}）")
    return out


_LOCKED = "{name}：工作簿受密码保护，无法读取；请在 Excel 中取消密码、另存后再导入"
_ENCRYPTED_OOXML = "EncryptionInfo".encode("utf-16-le")  # the stream Excel's password adds


def _password_protected(data: bytes) -> bool:
    """Why a compound file would not open: Excel's encrypted .xlsx is a compound file with
    an EncryptionInfo stream; an .xls says so in its FILEPASS record, which calamine reports
    when it is told the format (it is not, reading from memory)."""
    if not data.startswith(OLE_MAGIC):
        return False
    if _ENCRYPTED_OOXML in data:
        return True
    import tempfile

    import python_calamine as calamine

    with tempfile.NamedTemporaryFile(suffix=".xls") as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            calamine.CalamineWorkbook.from_path(tmp.name)
        except calamine.PasswordError:
            return True
        except Exception:  # noqa: BLE001
            return False
    return False


# ---------------------------------------------------------------------- one worksheet


Merge = tuple[tuple[int, int], tuple[int, int]]


def read_grid(grid: list[list[str]], merges: list[Merge], name: str, title: str) -> list[Sheet]:
    """The sheets of one worksheet's grid of cell texts (0-based rows and columns)."""
    starts = [r for r, row in enumerate(grid) if _is_title(row)]
    if not starts:
        # A worksheet per project may leave the title out: it starts at 单位信息.
        starts = [r for r, row in enumerate(grid) if _first_field(row) == "unit"][:1]
    if not starts:
        return []
    right_of = {(r0, c0): c1 for (r0, c0), (_, c1) in merges}
    sheets = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(grid)
        reader = _SheetReader(grid, right_of, merges, name, title)
        sheets.append(reader.read(start, end, k + 1))
    return sheets


def _is_title(row: list[str]) -> bool:
    filled = [c.strip() for c in row if c.strip()]
    return filled == [TITLE]


def _first_field(row: list[str]) -> str | None:
    for cell in row:
        if cell.strip():
            return field_of_label(cell)
    return None


def _header_name(cell: str) -> str:
    return cell.replace(" ", "").replace("\u3000", "").replace("（", "(").replace("）", ")")


_COLUMN_OF_HEADER = {_header_name(h): k for k, h in enumerate(TABLE_HEADER)}
_COLUMN_OF_HEADER["权重"] = TABLE_HEADER.index("权重(%)")


@dataclass
class _SheetReader:
    grid: list[list[str]]
    right_of: dict[tuple[int, int], int]  # top-left of a merged range -> its last column
    merges: list[Merge]
    name: str
    title: str

    def where(self, row: int, col: int = 0) -> str:
        return f"{self.name}，工作表“{shown(self.title)}”，{cell_ref(row, col)}"

    def fail(self, row: int, col: int, what: str) -> WorkbookError:
        return WorkbookError(f"{self.where(row, col)}：{what}", self.title, cell_ref(row, col))

    def read(self, start: int, end: int, number: int) -> Sheet:
        grid = self.grid
        table = next((r for r in range(start, end) if _is_table_header(grid[r])), None)
        if table is None:
            last = max((r for r in range(start, end) if any(grid[r])), default=start)
            raise self.fail(
                last,
                0,
                f"第{number}张表到此结束，没有指标表头（{TABLE_HEADER[0]} {TABLE_HEADER[1]} …）；"
                "文件是否不完整？",
            )
        values = self._header(start, table)
        columns = self._columns(table)
        rows = self._indicator_rows(table + 1, end, columns)
        if not rows:
            raise self.fail(table, 0, "指标表头下没有指标行；文件是否不完整？")
        return Sheet(
            **{f: values[f] for f, _ in HEADER_FIELDS + TAIL_FIELDS},
            funding=Funding(**{f: values[f] for f in FUNDING_NAMES}),
            indicators=[Indicator(**dict(zip(INDICATOR_NAMES, r, strict=True))) for r in rows],
            layout=SheetLayout(recorded=False),
        )

    def _header(self, start: int, table: int) -> dict[str, str]:
        """Each label's value: the cell just right of the label (of its merged range)."""
        values: dict[str, str] = {}
        for r in range(start, table):
            row = self.grid[r]
            c = 0
            while c < len(row):
                name = field_of_label(row[c]) if row[c].strip() else None
                if name is not None and name not in values:
                    at = self.right_of.get((r, c), c) + 1
                    values[name] = row[at] if at < len(row) else ""
                    c = at + 1
                else:
                    c += 1
        for name, label in _LABELS.items():
            if name not in values:
                raise self.fail(
                    start,
                    0,
                    f"第{start + 1}行起的表头缺少“{label}”标签（应有{TITLE}的表头：单位信息 … 银行贷款）",
                )
        return values

    def _columns(self, table: int) -> list[int]:
        """The grid column of each of the form's ten indicator columns."""
        found: dict[int, int] = {}
        for c, cell in enumerate(self.grid[table]):
            k = _COLUMN_OF_HEADER.get(_header_name(cell))
            if k is not None and k not in found:
                found[k] = c
        for k, label in enumerate(TABLE_HEADER):
            if k not in found:
                raise self.fail(table, 0, f"指标表头缺少“{label}”列")
        return [found[k] for k in range(len(TABLE_HEADER))]

    def _indicator_rows(self, first: int, end: int, columns: list[int]) -> list[list[str]]:
        """The table's rows in form order; a value merged down the table fills its rows."""
        fill: dict[tuple[int, int], str] = {}
        for (r0, c0), (r1, _) in self.merges:
            if r1 > r0 and first <= r0 < end and r0 < len(self.grid):
                top = self.grid[r0][c0] if c0 < len(self.grid[r0]) else ""
                for r in range(r0 + 1, min(r1, end - 1) + 1):
                    fill[(r, c0)] = top
        rows = []
        for r in range(first, end):
            row = self.grid[r]
            cells = [fill.get((r, c)) or (row[c] if c < len(row) else "") for c in columns]
            if any(cells):
                rows.append(cells)
        return rows


def _is_table_header(row: list[str]) -> bool:
    """The indicator table's header row, whatever order its columns are in."""
    names = {_header_name(cell) for cell in row}
    return TABLE_HEADER[0] in names and TABLE_HEADER[2] in names
