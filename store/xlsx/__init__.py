"""Workbooks in and out: reading .xlsx/.xls as the form means it (merged cells,
spreadsheet-typed numbers back to the form's text), fitting a worksheet's grid to a sheet, and
writing a printable workbook. Uses tab/ (labels and positions), sheet/ and the top modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..face import lazy_face

if TYPE_CHECKING:
    from .xlsx_write import write_workbook

# name -> the module that holds it; loaded on first use (start-up counts)
_FACE = {
    "write_workbook": "xlsx_write",
}
__all__ = [
    "write_workbook",
]
__getattr__ = lazy_face(__name__, _FACE)
