"""A semantic diff of projects: what changed, in the form's words. Pure: no I/O, no UI.

    d = diff_sheets(old, new)                 # one project (either side may be None)
    diffs = diff_projects(old_set, new_set)   # rel path -> Sheet|None on both sides
    print(render_text(diffs)); json.dumps(to_json(diffs))

Indicators are matched by identity (一级/二级/三级 names), so a reorder is not an edit. Rows
left over on both sides are paired when everything but one or two of the names is the same:
that is a renamed 三级指标 (or an indicator moved to another 二级指标), not a removal plus an
addition. Order matters on the form (the export writes rows in sheet order), so a reorder
is reported, but minimally: only rows outside the longest run that kept its relative order
are "moved" (inserting one row does not make every row below it look moved).

Layout facts (encoding, colon style, ...) are not values; when only they differ the project
is reported with one `layout` line naming what differs, because the exported file changes.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..sheet.fields import FUNDING_FIELDS, FUNDING_KEY, HEADER_FIELDS, INDICATOR_FIELDS, TAIL_FIELDS
from ..sheet.layoutdata import layout_to_data
from ..sheet.model import Indicator, Sheet, format_number
from .year_flat import ROW, flatten, key_text, label_of

if TYPE_CHECKING:
    from ..rules.rules import WeightSummary

IDENTITY = ("level1", "level2", "level3")
_REST = tuple(name for name, _ in INDICATOR_FIELDS if name not in IDENTITY)
_IND_LABEL = dict(INDICATOR_FIELDS)
# Header fields in the order of the form, 资金来源 between 项目总额 and 预算执行率权重.
_SHEET_FIELDS: tuple[tuple[str, str], ...] = (
    HEADER_FIELDS
    + tuple((f"funding.{name}", f"{FUNDING_KEY}/{label}") for name, label in FUNDING_FIELDS)
    + TAIL_FIELDS
)


@dataclass(frozen=True)
class FieldChange:
    """One cell, old text -> new text (exact cell texts: '36,000' -> '40,000')."""

    field: str  # English name: 'total', 'funding.fiscal', 'annual_weight'
    label: str  # the form's label: '项目总额', '资金来源/财政资金', '本年权重'
    old: str
    new: str


@dataclass
class IndicatorChange:
    """One indicator that was added, removed, changed, renamed or moved.

    kind: 'added' | 'removed' | 'changed' | 'renamed' | 'moved'. 'renamed' means one of the
    names (usually the 三级指标) changed and was recognised by the rest of the row; `fields`
    then holds the name change (and any other). `moved` is also set on a changed or renamed
    row that changed place. Rows are numbered from 1, as on the form (第3行).
    """

    kind: str
    old: Indicator | None
    new: Indicator | None
    old_row: int | None = None
    new_row: int | None = None
    fields: list[FieldChange] = field(default_factory=list)
    moved: bool = False

    @property
    def indicator(self) -> Indicator:
        """The row as it is now (as it was, for a removed row)."""
        return self.new if self.new is not None else self.old  # type: ignore[return-value]

    @property
    def name(self) -> str:
        """'产出指标/数量指标/接收安置帮教人数' (the new names; old → new for a rename)."""
        if self.kind == "renamed" and self.old is not None and self.new is not None:
            return f"{identity_text(self.old)} → {identity_text(self.new)}"
        return identity_text(self.indicator)


@dataclass
class ProjectDiff:
    """What changed in one project. `status`: 'added' | 'removed' | 'changed' | 'unchanged'."""

    rel: str
    unit: str
    project: str
    status: str
    fields: list[FieldChange] = field(default_factory=list)
    indicators: list[IndicatorChange] = field(default_factory=list)
    weight_before: WeightSummary | None = None
    weight_after: WeightSummary | None = None
    layout: list[str] = field(default_factory=list)  # layout facts that differ ('file.encoding')
    old: Sheet | None = None
    new: Sheet | None = None

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"


def identity_text(ind: Indicator) -> str:
    return "/".join(getattr(ind, n) for n in IDENTITY)


def _identity(ind: Indicator) -> tuple[str, ...]:
    return tuple(getattr(ind, n).strip() for n in IDENTITY)


def _rest(ind: Indicator) -> tuple[str, ...]:
    return tuple(getattr(ind, n) for n in _REST)


# ---------------------------------------------------------------------- matching indicators


def match_indicators(old: list[Indicator], new: list[Indicator]) -> list[tuple[int, int, bool]]:
    """Pairs (old index, new index, renamed) of rows that are the same indicator.

    First by identity (duplicates paired in order of appearance), then rows left over on
    both sides whose non-name fields are all equal and which share at least two of the three
    names — preferring the same 一级/二级 and the nearest place.
    """
    by_key: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for j, ind in enumerate(new):
        by_key[_identity(ind)].append(j)
    pairs: list[tuple[int, int, bool]] = []
    left_old: list[int] = []
    for i, ind in enumerate(old):
        slots = by_key.get(_identity(ind))
        if slots:
            pairs.append((i, slots.pop(0), False))
        else:
            left_old.append(i)
    left_new = sorted(j for slots in by_key.values() for j in slots)
    for i in left_old:
        a = old[i]
        best: tuple[tuple[int, int], int] | None = None
        for j in left_new:
            b = new[j]
            if _rest(a) != _rest(b):
                continue
            same = [x == y for x, y in zip(_identity(a), _identity(b), strict=True)]
            if sum(same) < 2:
                continue
            score = (0 if same[0] and same[1] else 1, abs(i - j))
            if best is None or score < best[0]:
                best = (score, j)
        if best is not None:
            left_new.remove(best[1])
            pairs.append((i, best[1], True))
    return sorted(pairs)


def kept_order(pairs: list[tuple[int, int, bool]]) -> set[int]:
    """Old indices of the longest run of pairs whose new indices increase with the old ones."""
    seq = [j for _, j, _ in pairs]  # pairs are sorted by old index
    tails: list[int] = []  # tails[n]: position in seq of the smallest tail of a run of n+1
    values: list[int] = []  # seq[t] for t in tails, kept sorted for bisect
    prev = [-1] * len(seq)
    for k, j in enumerate(seq):
        pos = bisect.bisect_left(values, j)
        prev[k] = tails[pos - 1] if pos else -1
        if pos == len(tails):
            tails.append(k)
            values.append(j)
        else:
            tails[pos] = k
            values[pos] = j
    kept: set[int] = set()
    k = tails[-1] if tails else -1
    while k >= 0:
        kept.add(pairs[k][0])
        k = prev[k]
    return kept


def _field_changes(a: Indicator, b: Indicator) -> list[FieldChange]:
    return [
        FieldChange(name, label, getattr(a, name), getattr(b, name))
        for name, label in INDICATOR_FIELDS
        if getattr(a, name) != getattr(b, name)
    ]


def diff_indicators(old: list[Indicator], new: list[Indicator]) -> list[IndicatorChange]:
    """Added, removed, changed, renamed and moved rows, in the new sheet's order (a removed
    row comes after the row that preceded it in the old sheet)."""
    pairs = match_indicators(old, new)
    kept = kept_order(pairs)
    new_of_old = {i: j for i, j, _ in pairs}
    placed: list[tuple[tuple[float, int], IndicatorChange]] = []
    for i, j, renamed in pairs:
        a, b = old[i], new[j]
        changes = _field_changes(a, b)
        moved = i not in kept
        if renamed:
            kind = "renamed"
        elif changes:
            kind = "changed"
        elif moved:
            kind = "moved"
        else:
            continue
        placed.append(((j, 0), IndicatorChange(kind, a, b, i + 1, j + 1, changes, moved)))
    for j, b in enumerate(new):
        if j not in new_of_old.values():
            placed.append(((j, 0), IndicatorChange("added", None, b, None, j + 1)))
    for i, a in enumerate(old):
        if i in new_of_old:
            continue
        before = [new_of_old[k] for k in range(i) if k in new_of_old]
        anchor = before[-1] + 0.5 if before else -0.5
        placed.append(((anchor, i), IndicatorChange("removed", a, None, i + 1, None)))
    placed.sort(key=lambda item: item[0])
    return [change for _, change in placed]


# ---------------------------------------------------------------------- projects


def _value(sheet: Sheet, name: str) -> str:
    if name.startswith("funding."):
        return getattr(sheet.funding, name.removeprefix("funding."))
    return getattr(sheet, name)


def _layout_changes(a: Sheet, b: Sheet) -> list[str]:

    la, lb = layout_to_data(a.layout), layout_to_data(b.layout)
    out = [f"file.{k}" for k in la["file"] if la["file"][k] != lb["file"].get(k)]
    out += sorted(k for k in set(la) | set(lb) if k != "file" and la.get(k) != lb.get(k))
    if len(a.indicators) == len(b.indicators):
        if any(x.trivia != y.trivia for x, y in zip(a.indicators, b.indicators, strict=True)):
            out.append("rows")
    return out


def _weights(sheet: Sheet, expected: float) -> WeightSummary:
    """The sheet's weight summary against `expected` (the workspace profile's total)."""
    from ..rules.rules import weight_summary  # not at the top: git's merge driver never asks

    return replace(weight_summary(sheet), expected=expected)


def diff_sheets(
    old: Sheet | None,
    new: Sheet | None,
    rel: str = "",
    expected: float = 100.0,
    weights: bool = True,
) -> ProjectDiff:
    """What changed from `old` to `new` (None: the project did not exist on that side);
    `weights=False` leaves the weight summaries out (the merge engine compares fields only)."""
    if old is None and new is None:
        raise ValueError("diff_sheets needs at least one sheet")
    either: Sheet = new if new is not None else old  # type: ignore[assignment]
    d = ProjectDiff(rel=rel, unit=either.unit, project=either.project, status="unchanged")
    d.old, d.new = old, new
    if old is not None and weights:
        d.weight_before = _weights(old, expected)
    if new is not None and weights:
        d.weight_after = _weights(new, expected)
    if old is None:
        d.status = "added"
        return d
    if new is None:
        d.status = "removed"
        return d
    d.fields = [
        FieldChange(name, label, _value(old, name), _value(new, name))
        for name, label in _SHEET_FIELDS
        if _value(old, name) != _value(new, name)
    ]
    d.fields += year_changes(old, new)
    d.indicators = diff_indicators(old.indicators, new.indicators)
    d.layout = _layout_changes(old, new)
    if d.fields or d.indicators or d.layout:
        d.status = "changed"
    return d


def year_changes(old: Sheet, new: Sheet) -> list[FieldChange]:
    """The cells of 绩效监控 / 绩效自评 that differ, named in the form's words; a block or an
    indicator row that appears or goes is said as 无 → 有 (or 有 → 无)."""
    a, b = flatten(old), flatten(new)
    if a == b:
        return []
    out = []
    for key in list(b) + [k for k in a if k not in b]:
        va, vb = a.get(key), b.get(key)
        if va == vb:
            continue
        label = label_of(key, b if key in b else a)
        if len(key) in (1, 3) or key[-1] == ROW:  # a block, a funding row, a row
            if (va is None) == (vb is None):
                continue
            va, vb = ("无" if va is None else "有"), ("无" if vb is None else "有")
        elif (va or "") == (vb or ""):
            continue  # a cell that came (or went) empty with its row: nothing to read
        out.append(FieldChange(key_text(key), label, va or "", vb or ""))
    return out


def diff_projects(
    old: Mapping[str, Sheet | None], new: Mapping[str, Sheet | None], expected: float = 100.0
) -> list[ProjectDiff]:
    """The projects that differ, keyed by file (rel path); None or a missing key = absent.

    Order: the new side's order, then projects only on the old side in their order.
    """
    out: list[ProjectDiff] = []
    for rel in list(new) + [r for r in old if r not in new]:
        a, b = old.get(rel), new.get(rel)
        if a is None and b is None:
            continue
        d = diff_sheets(a, b, rel, expected)
        if d.changed:
            out.append(d)
    return out


# ---------------------------------------------------------------------- text

_EMPTY = "''"
_LONG = 40


def _show(text: str) -> str:
    return text.replace("\r\n", "↵").replace("\n", "↵") if text else _EMPTY


# What a rendered line says, for whoever colours it (the editor's changes screen):
# title, added, removed, changed (an indicator changed or moved), weights (the weight total
# after the change, `ok` or not) and plain (everything else).
Kind = str
Line = tuple[Kind, str]


def _field_lines(c: FieldChange, indent: str) -> list[Line]:
    if max(len(c.old), len(c.new)) > _LONG or "\n" in c.old + c.new:
        return [
            ("plain", f"{indent}{c.label}:"),
            ("removed", f"{indent}  - {_show(c.old)}"),
            ("added", f"{indent}  + {_show(c.new)}"),
        ]
    return [("plain", f"{indent}{c.label}: {_show(c.old)} → {_show(c.new)}")]


def row_text(ind: Indicator) -> str:
    """The non-name fields of a row, named: '指标性质 ≥ | 指标值 500 | … | 本年权重 10'."""
    return " | ".join(
        f"{_IND_LABEL[name]} {_show(getattr(ind, name))}" for name in _REST if getattr(ind, name)
    )


def _indicator_lines(c: IndicatorChange) -> list[Line]:
    indent = "      "
    if c.kind == "added":
        return [("added", f"    + {c.name} (第{c.new_row}行): {row_text(c.indicator)}")]
    if c.kind == "removed":
        return [("removed", f"    - {c.name} (第{c.old_row}行): {row_text(c.indicator)}")]
    place = f"第{c.old_row}行 → 第{c.new_row}行" if c.moved else f"第{c.new_row}行"
    if c.kind == "moved":
        return [("changed", f"    ↕ {c.name}（移动 {place}）")]
    if c.kind == "renamed":
        tag = f"改名，移动 {place}" if c.moved else f"改名，{place}"
    else:
        tag = f"移动 {place}" if c.moved else place
    name_fields = set(IDENTITY) if c.kind == "renamed" else set()
    lines: list[Line] = [("changed", f"    ~ {c.name}（{tag}）")]
    for f in c.fields:
        if f.field not in name_fields:
            lines += _field_lines(f, indent)
    return lines


def _title(d: ProjectDiff) -> str:
    return f"{d.project}  [{d.unit}]  {d.rel}".rstrip()


def render_project(d: ProjectDiff) -> list[str]:
    return [text for _, text in project_lines(d)]


def project_lines(d: ProjectDiff) -> list[Line]:
    """The lines of one project's diff, each with what it says (see Kind)."""
    if d.status == "added":
        n = len(d.new.indicators) if d.new else 0
        total = d.new.total if d.new else ""
        return [
            ("title", f"+ {_title(d)}"),
            (
                "plain",
                f"    新增：项目总额 {_show(total)}，{n} 条指标，权重合计 {d.weight_after}",
            ),
        ]
    if d.status == "removed":
        n = len(d.old.indicators) if d.old else 0
        total = d.old.total if d.old else ""
        return [
            ("title", f"- {_title(d)}"),
            (
                "plain",
                f"    删除：项目总额 {_show(total)}，{n} 条指标，权重合计 {d.weight_before}",
            ),
        ]
    lines: list[Line] = [("title", f"~ {_title(d)}")]
    for c in d.fields:
        lines += _field_lines(c, "    ")
    for ic in d.indicators:
        lines += _indicator_lines(ic)
    if d.layout:
        lines.append(("plain", f"    导出格式（只影响导出的排版）：{', '.join(d.layout)}"))
    before, after = d.weight_before, d.weight_after
    if before is not None and after is not None:
        kind = "weights-ok" if after.ok else "weights-bad"
        if abs(before.total - after.total) < 1e-9:
            lines.append((kind, f"    权重合计: {after}（未变）"))
        else:
            lines.append((kind, f"    权重合计: {before} → {after}"))
    return lines


_STATUS_WORDS = {"changed": "修改", "added": "新增", "removed": "删除"}


def summary_line(diffs: list[ProjectDiff]) -> str:
    counts = {s: sum(d.status == s for d in diffs) for s in _STATUS_WORDS}
    if not diffs:
        return "没有差异"
    parts = [f"{_STATUS_WORDS[s]} {n} 个" for s, n in counts.items() if n]
    return f"{len(diffs)} 个项目：" + "，".join(parts)


def render_text(diffs: list[ProjectDiff], summary: bool = True) -> str:
    """The diffs grouped by project, in the form's words; ends with a newline."""
    lines: list[str] = []
    for d in diffs:
        if lines:
            lines.append("")
        lines += render_project(d)
    if summary:
        if lines:
            lines.append("")
        lines.append(summary_line(diffs))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- JSON


def _indicator_dict(ind: Indicator | None) -> dict[str, str] | None:
    if ind is None:
        return None
    return {label: getattr(ind, name) for name, label in INDICATOR_FIELDS}


def _field_dict(c: FieldChange) -> dict[str, str]:
    return {"field": c.field, "label": c.label, "old": c.old, "new": c.new}


def _weight_dict(w: WeightSummary | None) -> dict[str, Any] | None:
    if w is None:
        return None
    return {
        "total": format_number(w.total),
        "expected": format_number(w.expected),
        "ok": w.ok,
        "status": w.status,
    }


def project_dict(d: ProjectDiff) -> dict[str, Any]:
    return {
        "file": d.rel,
        "unit": d.unit,
        "project": d.project,
        "status": d.status,
        "fields": [_field_dict(c) for c in d.fields],
        "indicators": [
            {
                "change": c.kind,
                "name": c.name,
                "old_row": c.old_row,
                "new_row": c.new_row,
                "moved": c.moved,
                "fields": [_field_dict(f) for f in c.fields],
                "old": _indicator_dict(c.old),
                "new": _indicator_dict(c.new),
            }
            for c in d.indicators
        ],
        "weight": {"before": _weight_dict(d.weight_before), "after": _weight_dict(d.weight_after)},
        "layout": list(d.layout),
    }


def to_json(diffs: list[ProjectDiff]) -> list[dict[str, Any]]:
    """Plain dicts and lists, ready for json.dumps."""
    return [project_dict(d) for d in diffs]
