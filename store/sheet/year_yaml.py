"""The year blocks of a project file (绩效监控, 绩效自评) as YAML data, both ways.

Plain data here means nested dicts and lists of cell texts keyed by the forms' labels
(store/sheet/fields.py), in the order the file writes them. store/projectfile/yamlfile.py reads the blocks
through `*_from_data` (handing in its own cell reader, so errors carry the YAML path and
find their line); store/projectfile/yamlsave.py writes `*_to_data` and edits a file field by field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import ProjectFileError
from .fields import (
    ACTUAL_FIELDS,
    EVALUATION_FIELDS,
    EVALUATION_FUNDING_FIELDS,
    EVALUATION_KEY,
    IDENTITY_FIELDS,
    INDICATORS_KEY,
    MONITOR_FUNDING_FIELDS,
    MONITOR_KEY,
    PROGRESS_FIELDS,
    YEAR_AMOUNT_LABELS,
    YEAR_FUNDING_KEY,
    YEAR_FUNDING_ROWS,
)
from .year_model import (
    ActualRow,
    Monitoring,
    ProgressFunding,
    ProgressRow,
    SelfEvaluation,
    SpentRow,
)

# Reads one YAML value as cell text: (value, path, what to call it, amount?) -> text.
TextOf = Callable[[Any, tuple, str, bool], str]

ROW_NAME = {label: name for name, label in YEAR_FUNDING_ROWS}
ROW_LABEL = dict(YEAR_FUNDING_ROWS)
OPTIONAL_LABELS = frozenset({"得分"})  # written only when it holds something


# ---------------------------------------------------------------------- model -> data


def evaluation_to_data(ev: SelfEvaluation) -> dict[str, Any]:
    return {
        YEAR_FUNDING_KEY: _funding_to_data(ev.funding, EVALUATION_FUNDING_FIELDS),
        EVALUATION_FIELDS[0][1]: ev.achieved,
        INDICATORS_KEY: [_row_to_data(r, ACTUAL_FIELDS) for r in ev.indicators],
        **{label: getattr(ev, name) for name, label in EVALUATION_FIELDS[1:]},
    }


def monitoring_to_data(mo: Monitoring) -> dict[str, Any]:
    return {
        YEAR_FUNDING_KEY: _funding_to_data(mo.funding, MONITOR_FUNDING_FIELDS),
        INDICATORS_KEY: [_row_to_data(r, PROGRESS_FIELDS) for r in mo.indicators],
    }


def _funding_to_data(funding: Mapping[str, Any], fields: tuple) -> dict[str, Any]:
    return {
        label: {f_label: getattr(funding[name], f) for f, f_label in fields}
        for name, label in YEAR_FUNDING_ROWS
        if name in funding
    }


def _row_to_data(row: Any, fields: tuple) -> dict[str, str]:
    out = {label: getattr(row, name) for name, label in IDENTITY_FIELDS}
    for name, label in fields:
        value = getattr(row, name)
        if value or label not in OPTIONAL_LABELS:
            out[label] = value
    return out


def year_data(sheet: Any) -> dict[str, Any]:
    """The year blocks a sheet has, as plain data in file order ({} when none)."""
    out: dict[str, Any] = {}
    if sheet.monitoring is not None:
        out[MONITOR_KEY] = monitoring_to_data(sheet.monitoring)
    if sheet.evaluation is not None:
        out[EVALUATION_KEY] = evaluation_to_data(sheet.evaluation)
    return out


def year_identity(sheet: Any) -> tuple[Any, ...]:
    """What the year blocks add to a sheet's identity: () when it has none, so the digest
    of a sheet without them is what it always was."""
    data = year_data(sheet)
    return (data,) if data else ()


# ---------------------------------------------------------------------- data -> model


def evaluation_from_data(data: Any, text: TextOf) -> SelfEvaluation:
    at = (EVALUATION_KEY,)
    m = _mapping(data, at, "应包含 预算执行、年度目标完成情况、绩效指标、存在问题、改进措施")
    known = {YEAR_FUNDING_KEY, INDICATORS_KEY} | {label for _, label in EVALUATION_FIELDS}
    _known_keys(m, at, known, EVALUATION_KEY)
    ev = SelfEvaluation()
    for name, label in EVALUATION_FIELDS:
        setattr(ev, name, text(m.get(label), (*at, label), f"{EVALUATION_KEY}的{label}", False))
    ev.funding = _funding_from_data(m.get(YEAR_FUNDING_KEY), at, EVALUATION_FUNDING_FIELDS, text)
    ev.indicators = _rows_from_data(m.get(INDICATORS_KEY), at, ACTUAL_FIELDS, ActualRow, text)
    return ev


def monitoring_from_data(data: Any, text: TextOf) -> Monitoring:
    at = (MONITOR_KEY,)
    m = _mapping(data, at, "应包含 预算执行、绩效指标")
    _known_keys(m, at, {YEAR_FUNDING_KEY, INDICATORS_KEY}, MONITOR_KEY)
    return Monitoring(
        funding=_funding_from_data(m.get(YEAR_FUNDING_KEY), at, MONITOR_FUNDING_FIELDS, text),
        indicators=_rows_from_data(m.get(INDICATORS_KEY), at, PROGRESS_FIELDS, ProgressRow, text),
    )


def _mapping(data: Any, at: tuple, why: str) -> Mapping:
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ProjectFileError("", f"{at[-1]} {why}", path=at)
    return data


def _known_keys(m: Mapping, at: tuple, known: set[str], here: str) -> None:
    for key in m:
        if key not in known:
            raise ProjectFileError(
                "", f"{here}：未知的键 {key!r}；应为 {'、'.join(sorted(known))}", path=(*at, key)
            )


def _funding_from_data(data: Any, at: tuple, fields: tuple, text: TextOf) -> dict[str, Any]:
    at = (*at, YEAR_FUNDING_KEY)
    labels = "、".join(label for _, label in YEAR_FUNDING_ROWS)
    m = _mapping(data, at, f"应以 {labels} 为键")
    kind = SpentRow if fields is EVALUATION_FUNDING_FIELDS else ProgressFunding
    out: dict[str, Any] = {}
    for key, row in m.items():
        name = ROW_NAME.get(key)
        if name is None:
            raise ProjectFileError(
                "", f"{YEAR_FUNDING_KEY}：未知的行 {key!r}；应为 {labels}", path=(*at, key)
            )
        here = (*at, key)
        rm = _mapping(row, here, f"应包含 {'、'.join(label for _, label in fields)}")
        _known_keys(rm, here, {label for _, label in fields}, f"{YEAR_FUNDING_KEY}的{key}")
        out[name] = kind(
            **{
                f: text(rm.get(label), (*here, label), f"{key}的{label}", True)
                for f, label in fields
            }
        )
    return {name: out[name] for name, _ in YEAR_FUNDING_ROWS if name in out}


def _rows_from_data(data: Any, at: tuple, fields: tuple, kind: type, text: TextOf) -> list[Any]:
    at = (*at, INDICATORS_KEY)
    if data is None:
        return []
    if not isinstance(data, list):
        raise ProjectFileError("", f"{at[0]}的{INDICATORS_KEY} 应为指标的列表", path=at)
    known = {label for _, label in IDENTITY_FIELDS + fields}
    out = []
    for k, item in enumerate(data):
        here = f"{at[0]}第 {k + 1} 条指标"
        if not isinstance(item, Mapping):
            raise ProjectFileError(
                "", f"{here}：应以 一级指标、二级指标、三级指标 为键", path=(*at, k)
            )
        for key in item:
            if key not in known:
                raise ProjectFileError("", f"{here}：未知的键 {key!r}", path=(*at, k, key))
        out.append(
            kind(
                **{
                    name: text(item.get(label), (*at, k, label), f"{here}的{label}", False)
                    for name, label in IDENTITY_FIELDS + fields
                }
            )
        )
    return out


def is_amount(label: str) -> bool:
    return label in YEAR_AMOUNT_LABELS
