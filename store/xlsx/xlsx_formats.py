"""Which cells of a workbook show their number as a percent or with digit grouping.

A spreadsheet turns the text '95%' into the number 0.95 shown `0%`, and '1,000' into 1000
shown `#,##0`; the form means the text. python-calamine gives values without their number
formats, so this reads the two things needed straight from the file. An .xlsx: the styles
that show a percent or group digits (xl/styles.xml), and the cells that use them (the
worksheets' `<c r=".." s="..">` tags, scanned only when such a style exists at all). An old
.xls: its BIFF records through xlrd (`xls_number_kinds`), which reads their formats.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree as ET

PERCENT = "percent"
GROUPED = "grouped"
_BUILTIN = {3: GROUPED, 4: GROUPED, 9: PERCENT, 10: PERCENT}  # #,##0  #,##0.00  0%  0.00%
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*)>")
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_STYLE = re.compile(rb'\bs="(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')

Kinds = dict[tuple[int, int], str]  # 0-based (row, col) -> PERCENT or GROUPED


def number_kinds(data: bytes) -> dict[str, Kinds]:
    """Worksheet name -> its cells shown as a percent or grouped; {} for anything that is
    not a readable .xlsx (the reader reports that) or has no such style."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            styles = _styles(z)
            if not styles:
                return {}
            return {name: _cells(z.read(path), styles) for name, path in _sheet_paths(z)}
    except (zipfile.BadZipFile, KeyError, ET.ParseError, OSError, ValueError):
        return {}


def xls_number_kinds(data: bytes) -> dict[str, Kinds]:
    """The same for an .xls; {} for anything xlrd cannot read (the reader reports that)."""
    import xlrd

    try:
        book = xlrd.open_workbook(  # its warnings go nowhere: never into `textconv`'s output
            file_contents=data,
            formatting_info=True,
            on_demand=True,
            logfile=io.StringIO(),
            verbosity=0,
        )
    except Exception:  # noqa: BLE001 - xlrd raises many kinds for what it cannot read
        return {}
    try:
        styles: dict[int, str] = {}
        for k, xf in enumerate(book.xf_list):
            fmt = book.format_map.get(xf.format_key)
            kind = _kind(fmt.format_str) if fmt is not None else None
            if kind:
                styles[k] = kind
        if not styles:
            return {}
        out: dict[str, Kinds] = {}
        for index, name in enumerate(book.sheet_names()):
            sheet = book.sheet_by_index(index)
            out[name] = {
                (r, c): styles[sheet.cell_xf_index(r, c)]
                for r in range(sheet.nrows)
                for c in range(sheet.row_len(r))
                if sheet.cell_type(r, c) == xlrd.XL_CELL_NUMBER
                and sheet.cell_xf_index(r, c) in styles
            }
            book.unload_sheet(index)
        return out
    except Exception:  # noqa: BLE001 - a damaged sheet: its numbers read as plain numbers
        return {}
    finally:
        book.release_resources()


def _kind(code: str) -> str | None:
    """PERCENT or GROUPED for a number format code that shows one (quoted text and [..]
    sections aside), else None."""
    code = re.sub(r'"[^"]*"|\[[^\]]*\]', "", code)
    return PERCENT if "%" in code else GROUPED if "#,#" in code or "0,0" in code else None


def _styles(z: zipfile.ZipFile) -> dict[int, str]:
    """Cell style index -> kind, for the styles whose number format is one of the kinds."""
    root = ET.fromstring(z.read("xl/styles.xml"))
    codes: dict[int, str] = {}
    for fmt in root.iter(f"{_NS}numFmt"):
        kind = _kind(fmt.get("formatCode", ""))
        if kind:
            codes[int(fmt.get("numFmtId", "-1"))] = kind
    xfs = root.find(f"{_NS}cellXfs")
    out: dict[int, str] = {}
    for k, xf in enumerate(xfs if xfs is not None else []):
        fid = int(xf.get("numFmtId", "0"))
        kind = codes.get(fid) or _BUILTIN.get(fid)
        if kind:
            out[k] = kind
    return out


def _sheet_paths(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    out = []
    for sheet in book.iter(f"{_NS}sheet"):
        t = target.get(sheet.get(_REL), "")
        path = t.lstrip("/") if t.startswith("/") else posixpath.normpath(f"xl/{t}")
        if path in z.namelist():
            out.append((sheet.get("name", ""), path))
    return out


def _cells(xml: bytes, styles: dict[int, str]) -> Kinds:
    out: Kinds = {}
    for m in _CELL.finditer(xml):
        attrs = m.group(1)
        s = _STYLE.search(attrs)
        if s is None or int(s.group(1)) not in styles:
            continue
        t = _TYPE.search(attrs)
        if t is not None and t.group(1) != b"n":
            continue
        ref = _REF.search(attrs)
        if ref is None:
            continue
        col = 0
        for ch in ref.group(1):
            col = col * 26 + ch - 64
        out[(int(ref.group(2)) - 1, col - 1)] = styles[int(s.group(1))]
    return out
