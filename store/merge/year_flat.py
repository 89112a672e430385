"""The year blocks of a sheet as flat fields, for diff and merge by field.

Every cell of 绩效监控 / 绩效自评 gets a key that does not depend on row order: an indicator's
cells are keyed by its identity (一级/二级/三级, and which occurrence of it), a funding cell
by its row label. So `jixiao diff` names what changed in the form's words, and a merge takes
each cell from the side that changed it: two people filling different indicators' actual
values never meet, the same one filled both ways is a conflict naming it.

    flat = flatten(sheet)                       # key -> cell text (presence keys too)
    sheet.monitoring, sheet.evaluation = unflatten(flat)
"""

from __future__ import annotations

from typing import Any

from ..sheet.fields import (
    ACTUAL_FIELDS,
    EVALUATION_FIELDS,
    EVALUATION_FUNDING_FIELDS,
    EVALUATION_KEY,
    INDICATORS_KEY,
    MONITOR_FUNDING_FIELDS,
    MONITOR_KEY,
    PROGRESS_FIELDS,
    YEAR_FUNDING_KEY,
    YEAR_FUNDING_ROWS,
)
from ..sheet.year_model import (
    ActualRow,
    Monitoring,
    ProgressFunding,
    ProgressRow,
    SelfEvaluation,
    SpentRow,
)

Key = tuple[Any, ...]
ROW = "行"  # the presence of an indicator row: its value is the three names
PRESENT = ""  # the presence of a block or funding row

_ROW_LABEL = dict(YEAR_FUNDING_ROWS)
_ROW_NAME = {label: name for name, label in YEAR_FUNDING_ROWS}
_SEP = "\x1f"


def _blocks(sheet: Any) -> list[tuple[str, Any, tuple, tuple]]:
    out = []
    if sheet.monitoring is not None:
        out.append((MONITOR_KEY, sheet.monitoring, MONITOR_FUNDING_FIELDS, PROGRESS_FIELDS))
    if sheet.evaluation is not None:
        out.append((EVALUATION_KEY, sheet.evaluation, EVALUATION_FUNDING_FIELDS, ACTUAL_FIELDS))
    return out


def flatten(sheet: Any) -> dict[Key, str]:
    """Every year cell of a sheet by a key that names it (block, part, row, field)."""
    flat: dict[Key, str] = {}
    for block, data, money, cells in _blocks(sheet):
        flat[(block,)] = PRESENT
        if block == EVALUATION_KEY:
            for name, label in EVALUATION_FIELDS:
                flat[(block, label)] = getattr(data, name)
        for name, row in data.funding.items():
            label = _ROW_LABEL[name]
            flat[(block, YEAR_FUNDING_KEY, label)] = PRESENT
            for f, f_label in money:
                flat[(block, YEAR_FUNDING_KEY, label, f_label)] = getattr(row, f)
        seen: dict[Any, int] = {}
        for r in data.indicators:
            ident = r.key()
            n = seen.get(ident, 0)
            seen[ident] = n + 1
            at = (block, INDICATORS_KEY, ident, n)
            flat[(*at, ROW)] = _SEP.join((r.level1, r.level2, r.level3))
            for f, f_label in cells:
                flat[(*at, f_label)] = getattr(r, f)
    return flat


def unflatten(flat: dict[Key, str]) -> tuple[Monitoring | None, SelfEvaluation | None]:
    """The blocks back from flat cells (rows in the order their keys first appear). A cell
    whose row or block is gone brings it back: a change is never dropped silently."""
    blocks: dict[str, Any] = {}
    rows: dict[Key, Any] = {}
    for key, value in flat.items():
        block = key[0]
        data = blocks.get(block)
        if data is None:
            data = blocks[block] = Monitoring() if block == MONITOR_KEY else SelfEvaluation()
        if len(key) == 1:
            continue
        if key[1] == YEAR_FUNDING_KEY:
            name = _ROW_NAME[key[2]]
            row = data.funding.get(name)
            if row is None:
                row = data.funding[name] = (
                    SpentRow() if block == EVALUATION_KEY else ProgressFunding()
                )
            if len(key) == 4:
                fields = (
                    EVALUATION_FUNDING_FIELDS if block == EVALUATION_KEY else MONITOR_FUNDING_FIELDS
                )
                setattr(row, {lb: n for n, lb in fields}[key[3]], value)
        elif key[1] == INDICATORS_KEY:
            at = key[:4]
            row = rows.get(at)
            if row is None:
                row = rows[at] = ActualRow() if block == EVALUATION_KEY else ProgressRow()
                names = flat.get((*at, ROW), "")
                parts = (names.split(_SEP) + ["", "", ""])[:3]
                row.level1, row.level2, row.level3 = parts
                data.indicators.append(row)
            if key[4] != ROW:
                cells = ACTUAL_FIELDS if block == EVALUATION_KEY else PROGRESS_FIELDS
                setattr(row, {lb: n for n, lb in cells}[key[4]], value)
        else:
            setattr(data, {lb: n for n, lb in EVALUATION_FIELDS}[key[1]], value)
    for data in blocks.values():  # funding rows in the form's order
        data.funding = {n: data.funding[n] for n, _ in YEAR_FUNDING_ROWS if n in data.funding}
    return blocks.get(MONITOR_KEY), blocks.get(EVALUATION_KEY)


def label_of(key: Key, flat: dict[Key, str]) -> str:
    """A cell's name in the form's words: '绩效自评「接收安置帮教人数」实际完成值',
    '绩效自评/预算执行/年度资金总额/全年执行数'."""
    if len(key) == 1:
        return key[0]
    if key[1] == INDICATORS_KEY:
        names = flat.get((*key[:4], ROW), "").split(_SEP)
        name = names[2] if len(names) == 3 and names[2].strip() else "/".join(names)
        what = "" if key[4] == ROW else key[4]
        return f"{key[0]}「{name}」{what}" if what else f"{key[0]}「{name}」"
    return "/".join(str(k) for k in key)


def key_text(key: Key) -> str:
    """A key as one string (FieldChange.field of a year cell)."""
    return "year:" + _SEP.join(_SEP.join(k) if isinstance(k, tuple) else str(k) for k in key)


def yaml_path(key: Key, sheet: Any) -> tuple[Any, ...]:
    """Where a cell's key stands in the project file (for its line)."""
    if len(key) >= 4 and key[1] == INDICATORS_KEY:
        block = sheet.monitoring if key[0] == MONITOR_KEY else sheet.evaluation
        if block is not None:
            n = 0
            for i, r in enumerate(block.indicators):
                if r.key() == key[2]:
                    if n == key[3]:
                        tail = () if key[4] == ROW else (key[4],)
                        return (key[0], INDICATORS_KEY, i, *tail)
                    n += 1
        return (key[0], INDICATORS_KEY)
    return tuple(k for k in key if k != ROW)
