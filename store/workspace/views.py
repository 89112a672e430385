"""Plain-data views of projects for `list` and `show` (text or JSON is the caller's job)."""

from __future__ import annotations

from typing import Any

from ..rules.rules import weight_summary
from ..sheet.fields import (
    FUNDING_FIELDS,
    FUNDING_KEY,
    HEADER_FIELDS,
    INDICATOR_FIELDS,
    INDICATORS_KEY,
    TAIL_FIELDS,
)
from ..sheet.model import Sheet, format_number
from .project_summaries import summaries
from .workspace import Workspace


def project_rows(ws: Workspace) -> list[dict[str, Any]]:
    """One row per project; a file that cannot be read gets a row with its error.

    A file a merge left conflicted is listed with ours' side's values, its `conflicts`
    counted and the conflicts themselves under `error` (one `file:line: …` line each)."""
    rows: list[dict[str, Any]] = []
    for s in summaries(ws):
        if s.error is not None and s.conflicts <= 0:
            row: dict[str, Any] = {"file": s.ref.rel, "error": s.error}
            if s.conflicts:  # conflicted, but neither side reads
                row.update(unit=s.unit, project=s.project, conflicts=1)
            rows.append(row)
            continue
        row = {
            "file": s.ref.rel,
            "unit": s.unit,
            "project": s.project,
            "total": s.total,
            "indicators": s.indicators,
            "weight_total": format_number(s.weight_total),
            "weight_ok": s.weight_ok,
            "findings": s.findings,
            "errors": s.errors,
            "notes": s.notes,
            "conflicts": s.conflicts,
        }
        if s.error is not None:
            row["error"] = s.error
        rows.append(row)
    return rows


def sheet_dict(sheet: Sheet) -> dict[str, Any]:
    """The sheet with the form's labels as keys, every value as its cell text."""
    out: dict[str, Any] = {label: getattr(sheet, name) for name, label in HEADER_FIELDS}
    out[FUNDING_KEY] = {label: getattr(sheet.funding, name) for name, label in FUNDING_FIELDS}
    out.update({label: getattr(sheet, name) for name, label in TAIL_FIELDS})
    out[INDICATORS_KEY] = [
        {label: getattr(ind, name) for name, label in INDICATOR_FIELDS} for ind in sheet.indicators
    ]
    out["本年权重合计"] = format_number(weight_summary(sheet).total)
    return out
