"""Editing one project: undoable operations on a sheet and what people type,
stored in the form's canonical form. Uses rules/, sheet/ and the top modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..face import lazy_face

if TYPE_CHECKING:
    from .editing import (
        Check,
        DeleteRow,
        EditSession,
        FieldPath,
        InsertRow,
        MoveRow,
        Op,
        ReplaceSheet,
        SetField,
        SetFields,
        op_row,
    )
    from .entry import NUMBER_FIELDS, Paste, is_number_entry, read_paste
    from .year_editing import EVALUATION, MONITORING, is_year_path, value

# name -> the module that holds it; loaded on first use (start-up counts)
_FACE = {
    "Check": "editing",
    "DeleteRow": "editing",
    "EVALUATION": "year_editing",
    "EditSession": "editing",
    "FieldPath": "editing",
    "InsertRow": "editing",
    "MONITORING": "year_editing",
    "MoveRow": "editing",
    "NUMBER_FIELDS": "entry",
    "Op": "editing",
    "Paste": "entry",
    "ReplaceSheet": "editing",
    "SetField": "editing",
    "SetFields": "editing",
    "is_number_entry": "entry",
    "is_year_path": "year_editing",
    "op_row": "editing",
    "read_paste": "entry",
    "value": "year_editing",
}
__all__ = [
    "Check",
    "DeleteRow",
    "EVALUATION",
    "EditSession",
    "FieldPath",
    "InsertRow",
    "MONITORING",
    "MoveRow",
    "NUMBER_FIELDS",
    "Op",
    "Paste",
    "ReplaceSheet",
    "SetField",
    "SetFields",
    "is_number_entry",
    "is_year_path",
    "op_row",
    "read_paste",
    "value",
]
__getattr__ = lazy_face(__name__, _FACE)
