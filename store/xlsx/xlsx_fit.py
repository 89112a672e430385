"""A sheet read from a workbook takes the text layout of the project it updates.

A workbook holds values only. So that importing one changes exactly the fields whose values
changed (and `jixiao export` of the untouched cells stays byte-identical), the sheet gets the
project's own layout and row trivia, and a cell that reads as the same number as the
project's text (a spreadsheet's 150000 for '150,000', 10 for '10.0') keeps the project's text,
as does a line break a cell cannot hold as CR LF.
A new project gets the workspace's usual layout; its amounts are written the way that layout
groups them.
"""

from __future__ import annotations

import copy

from ..sheet.fields import AMOUNT_FIELDS, FUNDING_FIELDS, HEADER_FIELDS, TAIL_FIELDS
from ..sheet.model import INDICATOR_NAMES, Indicator, Sheet, SheetLayout, as_number, format_amount

_FIELDS = [name for name, _ in HEADER_FIELDS + TAIL_FIELDS]
_FUNDING = [name for name, _ in FUNDING_FIELDS]


def fit(sheet: Sheet, old: Sheet | None, usual: SheetLayout) -> Sheet:
    """`sheet` (from a workbook) with `old`'s layout and texts where the values agree."""
    layout = copy.deepcopy(old.layout if old is not None else usual)
    layout.recorded = True
    grouping = layout.grouping
    for name in _FIELDS:
        before = getattr(old, name) if old is not None else None
        setattr(sheet, name, _text(getattr(sheet, name), before, name in AMOUNT_FIELDS, grouping))
    for name in _FUNDING:
        before = getattr(old.funding, name) if old is not None else None
        setattr(sheet.funding, name, _text(getattr(sheet.funding, name), before, True, grouping))
    pairs = _pair(sheet.indicators, old.indicators if old is not None else [])
    for ind, prev in pairs:
        if prev is None:
            continue
        for name in INDICATOR_NAMES:
            setattr(ind, name, _text(getattr(ind, name), getattr(prev, name), False, grouping))
        ind.trivia = copy.deepcopy(prev.trivia)
    sheet.layout = layout
    return sheet


def _text(new: str, old: str | None, amount: bool, grouping: bool) -> str:
    if old is not None:
        if new == old or new == old.replace("\r\n", "\n"):  # a cell keeps no CR
            return old
        number = as_number(new)
        if number is not None and number == as_number(old):
            return old
    if amount:
        number = as_number(new)
        if number is not None and new.strip() == new:
            return format_amount(number, grouping)
    return new


def _pair(new: list[Indicator], old: list[Indicator]) -> list[tuple[Indicator, Indicator | None]]:
    """Each new row with the old row it continues: by position when the table kept its
    length (an edited name is still that row), else by 一级/二级/三级 in order."""
    if len(new) == len(old):
        return list(zip(new, old, strict=True))
    unused: dict[tuple[str, str, str], list[Indicator]] = {}
    for ind in old:
        unused.setdefault((ind.level1, ind.level2, ind.level3), []).append(ind)
    pairs: list[tuple[Indicator, Indicator | None]] = []
    for ind in new:
        same = unused.get((ind.level1, ind.level2, ind.level3))
        pairs.append((ind, same.pop(0) if same else None))
    return pairs
