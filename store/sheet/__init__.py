"""The model of one 绩效目标批复表: the Sheet, its header, funding and indicators
(dataclasses), the form's labels for every field (field names <-> labels), a sheet's identity
(what makes two sheets the same), the layout facts kept beside the values (FileLayout,
SheetLayout, RowTrivia) and the year's optional blocks (monitoring, self-evaluation), each
with its plain-data form. Pure Python: it uses only the top modules (errors)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..face import lazy_face

if TYPE_CHECKING:
    from .fields import (
        EVALUATION_KEY,
        FUNDING_FIELDS,
        FUNDING_KEY,
        HEADER_FIELDS,
        INDICATOR_FIELDS,
        INDICATORS_KEY,
        LABEL_OF,
        MONITOR_KEY,
        TABLE_HEADER,
        TITLE,
        YEAR_FUNDING_ROWS,
    )
    from .model import Sheet, format_money, format_number
    from .year_model import CAUSES, LIKELIHOODS

# name -> the module that holds it; loaded on first use (start-up counts)
_FACE = {
    "CAUSES": "year_model",
    "EVALUATION_KEY": "fields",
    "FUNDING_FIELDS": "fields",
    "FUNDING_KEY": "fields",
    "HEADER_FIELDS": "fields",
    "INDICATORS_KEY": "fields",
    "INDICATOR_FIELDS": "fields",
    "LABEL_OF": "fields",
    "LIKELIHOODS": "year_model",
    "MONITOR_KEY": "fields",
    "Sheet": "model",
    "TABLE_HEADER": "fields",
    "TITLE": "fields",
    "YEAR_FUNDING_ROWS": "fields",
    "format_money": "model",
    "format_number": "model",
}
__all__ = [
    "CAUSES",
    "EVALUATION_KEY",
    "FUNDING_FIELDS",
    "FUNDING_KEY",
    "HEADER_FIELDS",
    "INDICATORS_KEY",
    "INDICATOR_FIELDS",
    "LABEL_OF",
    "LIKELIHOODS",
    "MONITOR_KEY",
    "Sheet",
    "TABLE_HEADER",
    "TITLE",
    "YEAR_FUNDING_ROWS",
    "format_money",
    "format_number",
]
__getattr__ = lazy_face(__name__, _FACE)
