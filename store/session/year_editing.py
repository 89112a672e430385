"""Editing the year's cells through the editor's field paths (store/session/editing.py).

    ('evaluation', 'indicators', 3, 'actual')       # row 3 of the APPROVAL, its 实际完成值
    ('evaluation', 'funding', 'total', 'spent')     # 年度资金总额 / 全年执行数
    ('evaluation', 'problems')                      # 存在问题
    ('monitoring', 'indicators', 0, 'likelihood')   # 完成目标可能性

An indicator is named by its approved row; its year row is found by identity and made on the
first value typed into it. A year row, funding row or block left with nothing in it goes
again, so an edit undone leaves the sheet exactly as it was (and not dirty).
"""

from __future__ import annotations

from ..sheet.fields import YEAR_FUNDING_ROWS
from ..sheet.model import Sheet
from ..sheet.year_model import (
    ActualRow,
    Monitoring,
    ProgressFunding,
    ProgressRow,
    SelfEvaluation,
    SpentRow,
    identity_key,
)

EVALUATION, MONITORING = "evaluation", "monitoring"
BLOCKS = (EVALUATION, MONITORING)


def is_year_path(path: tuple) -> bool:
    return bool(path) and path[0] in BLOCKS


def _block(sheet: Sheet, kind: str, make: bool) -> SelfEvaluation | Monitoring | None:
    block = getattr(sheet, kind)
    if block is None and make:
        block = SelfEvaluation() if kind == EVALUATION else Monitoring()
        setattr(sheet, kind, block)
    return block


def _row(block, sheet: Sheet, i: int, make: bool):  # noqa: ANN001, ANN202
    ind = sheet.indicators[i]
    key = identity_key(ind.level1, ind.level2, ind.level3)
    # The k-th approved row with this identity takes the k-th year row with it.
    k = sum(1 for j in sheet.indicators[:i] if identity_key(j.level1, j.level2, j.level3) == key)
    found = [r for r in block.indicators if r.key() == key]
    if k < len(found):
        return found[k]
    if not make:
        return None
    kind = ActualRow if isinstance(block, SelfEvaluation) else ProgressRow
    row = kind(ind.level1, ind.level2, ind.level3)
    block.indicators.append(row)
    return row


def _owner(sheet: Sheet, path: tuple, make: bool):  # noqa: ANN202
    """The object holding the field at `path` and the field's name (None: not there yet)."""
    kind = str(path[0])
    block = _block(sheet, kind, make)
    if block is None:
        return None
    match path[1:]:
        case ("indicators", int(i), str(_)):
            return _row(block, sheet, i, make)
        case ("funding", str(name), str(_)):
            row = block.funding.get(name)
            if row is None and make:
                row = SpentRow() if kind == EVALUATION else ProgressFunding()
                block.funding[name] = row
                block.funding = _in_order(block.funding)
            return row
        case (str(_),):
            return block
    raise KeyError(f"not a field of the year: {path!r}")


def _in_order(funding: dict) -> dict:
    return {n: funding[n] for n, _ in YEAR_FUNDING_ROWS if n in funding}


def value(sheet: Sheet, path: tuple) -> str:
    owner = _owner(sheet, path, make=False)
    return "" if owner is None else getattr(owner, str(path[-1]))


def set_value(sheet: Sheet, path: tuple, text: str) -> None:
    owner = _owner(sheet, path, make=True)
    setattr(owner, str(path[-1]), text)
    if not text:
        _prune(sheet, str(path[0]), owner)


def _prune(sheet: Sheet, kind: str, owner: object) -> None:
    """The row (or block) just emptied goes, as if it had never been typed into."""
    block = getattr(sheet, kind)
    if owner is not block and not _filled(owner, skip=3 if hasattr(owner, "level1") else 0):
        block.indicators[:] = [r for r in block.indicators if r is not owner]
        for name in [n for n, r in block.funding.items() if r is owner]:
            del block.funding[name]
    empty = SelfEvaluation() if kind == EVALUATION else Monitoring()
    if block == empty:
        setattr(sheet, kind, None)


def _filled(row, skip: int = 0) -> bool:  # noqa: ANN001
    return any(v for v in list(vars(row).values())[skip:])
