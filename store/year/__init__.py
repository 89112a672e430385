"""The year after the approval: scoring the self-evaluation (自评) by 财预〔2020〕10号
with the profile's numbers, the rules of the monitoring (绩效监控) and the self-evaluation, and
the two forms as tab text or workbooks, out and back in. The blocks themselves are part of the
sheet (sheet/year_model.py). Uses xlsx/, rules/, sheet/ and the top modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..face import lazy_face

if TYPE_CHECKING:
    from .form_files import export_text, export_xlsx
    from .forms import ROW_CELLS, initial_budget
    from .scoring import IndicatorScore

# name -> the module that holds it; loaded on first use (start-up counts)
_FACE = {
    "IndicatorScore": "scoring",
    "ROW_CELLS": "forms",
    "export_text": "form_files",
    "export_xlsx": "form_files",
    "initial_budget": "forms",
}
__all__ = [
    "IndicatorScore",
    "ROW_CELLS",
    "export_text",
    "export_xlsx",
    "initial_budget",
]
__getattr__ = lazy_face(__name__, _FACE)
