"""What makes two sheets the same sheet: equal values, equal layout, equal row trivia.

One definition serves both the direct comparison (`same_sheet`, used when an import meets a
file it has just parsed) and the stored one (`sheet_digest`, kept in the cache so an
unchanged file need not be parsed at all); they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from .fields import FUNDING_NAMES
from .layoutdata import layout_to_data, trivia_to_data
from .model import Sheet
from .year_yaml import year_identity

_TEXTS = tuple(
    f.name
    for f in fields(Sheet)
    if f.name not in ("funding", "indicators", "layout", "monitoring", "evaluation")
)


def sheet_identity(sheet: Sheet) -> tuple[Any, ...]:
    """Everything the project file records about a sheet, as plain comparable data."""
    return (
        [getattr(sheet, f) for f in _TEXTS],
        {f: getattr(sheet.funding, f) for f in FUNDING_NAMES},
        [(ind.values(), trivia_to_data(ind.trivia)) for ind in sheet.indicators],
        layout_to_data(sheet.layout),
        *year_identity(sheet),
    )


def same_sheet(a: Sheet, b: Sheet) -> bool:
    """Values, layout and row trivia equal (the dataclass == ignores layout and trivia)."""
    return sheet_identity(a) == sheet_identity(b)


def sheet_digest(sheet: Sheet) -> str:
    """Equal digests mean `same_sheet`: the hash of the same identity."""
    import hashlib  # not at the top: the merge driver compares identities, never digests

    return hashlib.sha256(repr(sheet_identity(sheet)).encode("utf-8")).hexdigest()
