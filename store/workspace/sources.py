"""What `jixiao import` reads: the tab export in any encoding, or a workbook, by content.

Both give Sheets to the same staging (store/ files, change report, all or nothing). A
workbook's sheets first take the layout of the projects they update (`xlsx_fit`), so the
text form of every untouched cell stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..sheet.model import Sheet, SheetLayout
from ..tab import tabfile
from ..xlsx import xlsx_fit, xlsx_read
from ..xlsx.magic import is_workbook

if TYPE_CHECKING:
    from .workspace import Workspace


@dataclass
class Source:
    """The sheets of one file, and the worksheets skipped as holding no sheet."""

    sheets: list[Sheet]
    skipped: list[str] = field(default_factory=list)


def read_source(ws: Workspace, path: Path, data: bytes) -> Source:
    """The sheets of `data` (the bytes of `path`), ready to stage into `ws`."""
    if not is_workbook(data):
        sheets, _ = tabfile.parse(data, str(path))
        return Source(sheets)
    book = xlsx_read.read_workbook(data, str(path))
    usual: SheetLayout | None = None
    sheets = []
    for sheet in book.sheets:
        ref = ws.project_ref(sheet)
        old = ws.load(ref) if ref.path.is_file() else None
        if old is None and usual is None:
            usual = ws.common_layout()
        sheets.append(xlsx_fit.fit(sheet, old, usual or SheetLayout()))
    return Source(sheets, book.skipped)
