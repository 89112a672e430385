"""Three-way merge of one project, field by field. Pure: no I/O, no UI.

    r = merge(base, ours, theirs)      # Sheets; base None when both sides added the file
    r.ours, r.theirs                   # the merge, each conflict settled for that side
    r.conflicts                        # [] when the sides agree (then r.ours is the merge)

Header fields, 资金来源 and the layout block merge by key. Indicators are matched to the base
by identity (一级/二级/三级) the way `jixiao diff` matches them (store/merge/diff.py, renames of a
三级指标 included), and each field of a matched row merges on its own. The order merges too:
ours' order, with the rows theirs moved or added put after the row they follow on theirs'
side; rows appended by both sides are both kept, ours first.

A field both sides changed to different values is a conflict, never a silent pick: the
result carries two sheets that agree everywhere except at the conflicts, one settled for
each side. Their difference, read with store/merge/diff.py, *is* the list of conflicts, so a
conflicted file written with markers (store/merge/mergetext.py) and read back gives the same list.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from ..sheet.fields import FUNDING_NAMES, HEADER_FIELDS, LAYOUT_KEY, TAIL_FIELDS
from ..sheet.layoutdata import layout_from_data, layout_to_data
from ..sheet.model import INDICATOR_NAMES, Indicator, Sheet, SheetLayout
from .diff import diff_sheets, kept_order, match_indicators
from .year_flat import ROW, flatten, label_of, unflatten, yaml_path

_HEADER_NAMES = tuple(name for name, _ in HEADER_FIELDS + TAIL_FIELDS)
_MISSING = object()  # the base of a field that did not exist (both sides added it)

RowId = tuple[str, int]  # ('b', base index) | ('o', ours index) | ('t', theirs index)


# ---------------------------------------------------------------------- conflicts


@dataclass(frozen=True)
class Conflict:
    """One place the two sides disagree, in the form's words.

    kind: 'field' (a header field, a 资金来源 or one cell of a row), 'row' (one side
    deleted a row the other changed), 'order' (both moved a row, to different places),
    'layout' (a key of the layout block), or 'markers' (markers left around equal sides).
    `ours`/`theirs` are the cell texts (None: the row is not there on that side). `row` is 1-based on ours' side, or on theirs' side where
    only theirs has the row (`side` says which); `path` names the field for locating its
    line in that side's text.
    """

    kind: str
    label: str
    ours: str | None
    theirs: str | None
    row: int | None = None
    indicator: str = ""
    field: str = ""
    path: tuple[Any, ...] = ()
    side: str = "ours"
    theirs_row: int | None = None  # 'order': the row theirs puts it at (1-based)
    key: tuple[Any, ...] = ()  # a cell of 绩效监控 / 绩效自评: its key (store/merge/year_flat.py)

    def message(self) -> str:
        """'第1行「接收安置帮教人数」本年权重 冲突：我方 15，对方 20'."""
        where = f"第{self.row}行「{self.indicator}」" if self.row is not None else ""
        if self.kind == "row":
            if self.ours is None:
                return f"{where} 冲突：我方 删除了此行，对方 修改了此行"
            return f"{where} 冲突：我方 修改了此行，对方 删除了此行"
        if self.kind == "markers":
            return "合并冲突标记还在文件里（两边相同）；删除 <<<<<<<、=======、>>>>>>> 这几行即可"
        if self.kind == "order":
            return f"{where}位置 冲突：我方 {self.ours}，对方 {self.theirs}"
        return f"{where}{self.label} 冲突：我方 {show(self.ours)}，对方 {show(self.theirs)}"


def show(text: str | None) -> str:
    """A cell's text on one line; an empty cell reads （空）."""
    if not text:
        return "（空）"
    return text.replace("\r\n", "↵").replace("\n", "↵").replace("\r", "↵")


@dataclass
class MergeResult:
    ours: Sheet  # the merge, conflicts settled as ours has them
    theirs: Sheet  # the merge, conflicts settled as theirs has them
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


def conflicts_between(ours: Sheet, theirs: Sheet) -> list[Conflict]:
    """What differs between the two settlements of a merge, as conflicts (sheet order)."""
    d = diff_sheets(ours, theirs, weights=False)
    out: list[Conflict] = []
    for c in d.fields:
        if c.field.startswith("year:"):
            continue  # below, by key
        path: tuple[Any, ...] = (
            ("funding", c.field.removeprefix("funding."))
            if c.field.startswith("funding.")
            else (c.field,)
        )
        out.append(Conflict("field", c.label, c.old, c.new, field=c.field, path=path))
    for ic in d.indicators:
        if ic.kind == "added":  # only theirs has it: ours deleted what theirs changed
            k = (ic.new_row or 1) - 1
            at = {"row": k + 1, "indicator": ic.indicator.level3, "path": ("indicators", k)}
            out.append(Conflict("row", "行", None, "", side="theirs", **at))
            continue
        k = (ic.old_row or 1) - 1
        at = {"row": k + 1, "indicator": ic.old.level3 if ic.old is not None else ""}
        if ic.kind == "removed":
            out.append(Conflict("row", "行", "", None, path=("indicators", k), **at))
            continue
        for f in ic.fields:
            path = ("indicators", k, f.field)
            out.append(Conflict("field", f.label, f.old, f.new, field=f.field, path=path, **at))
        if ic.moved:
            out.append(
                Conflict(
                    "order",
                    "位置",
                    f"第{k + 1}行",
                    f"第{ic.new_row}行",
                    path=("indicators", k),
                    theirs_row=ic.new_row,
                    **at,
                )  # fmt: skip
            )
    out += _year_conflicts(ours, theirs)
    if d.layout:
        lo, lt = _flat_layout(ours), _flat_layout(theirs)
        for key in sorted(set(lo) | set(lt)):
            if lo.get(key) != lt.get(key):
                label = f"{LAYOUT_KEY}/{key}"
                values = _text(lo.get(key)), _text(lt.get(key))
                out.append(Conflict("layout", label, *values, field=key, path=(LAYOUT_KEY,)))
        for k, (a, b) in enumerate(zip(ours.indicators, theirs.indicators, strict=False)):
            if a.trivia != b.trivia and a.values() == b.values():
                values = _text(a.trivia), _text(b.trivia)
                where = {"row": k + 1, "indicator": a.level3, "path": ("indicators", k, LAYOUT_KEY)}
                out.append(Conflict("layout", LAYOUT_KEY, *values, field="trivia", **where))
    return out


def _year_conflicts(ours: Sheet, theirs: Sheet) -> list[Conflict]:
    """The cells of the year blocks the two settlements disagree on (a row or block one side
    dropped while the other changed a cell of it comes back on both: nothing to settle)."""
    fo, ft = flatten(ours), flatten(theirs)
    out = []
    for key in list(fo) + [k for k in ft if k not in fo]:
        vo, vt = fo.get(key), ft.get(key)
        if (vo or "") == (vt or "") or len(key) in (1, 3) or key[-1] == ROW:
            continue
        label = label_of(key, fo if key in fo else ft)
        path = yaml_path(key, ours if key in fo else theirs)
        out.append(Conflict("field", label, vo or "", vt or "", path=path, key=key))
    return out


def _text(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Typed:
    """A value the person typed to settle a field conflict (neither side's)."""

    text: str


Choice = str | Typed  # 'ours' | 'theirs' | Typed(text)


def resolve(result: MergeResult, choices: list[Choice]) -> Sheet:
    """The merge with each conflict settled as chosen (one choice per conflict, in order).

    All 'ours' gives `result.ours`, all 'theirs' gives `result.theirs`; a typed value is
    allowed for a field conflict only (for the others it counts as 'ours').
    """
    sheet = copy.deepcopy(result.ours)
    rows = sheet.indicators
    at = list(rows)  # rows by their place in ours' settlement, before anything moves
    gone: list[Indicator] = []
    moves: list[tuple[Indicator, int]] = []
    added: list[tuple[int, Indicator]] = []
    year: dict[Any, str] = {}
    for c, choice in zip(result.conflicts, choices, strict=True):
        if choice == "ours" or (isinstance(choice, Typed) and c.kind != "field"):
            continue
        if c.key:
            year[c.key] = choice.text if isinstance(choice, Typed) else (c.theirs or "")
        elif c.kind == "field":
            text = choice.text if isinstance(choice, Typed) else (c.theirs or "")
            _set(sheet, at, c.path, text)
        elif c.kind == "layout" and c.field == "trivia" and c.row is not None:
            at[c.row - 1].trivia = copy.deepcopy(result.theirs.indicators[c.row - 1].trivia)
        elif c.kind == "layout":
            flat = _flat_layout(sheet)
            flat[c.field] = _flat_layout(result.theirs).get(c.field, _MISSING)
            sheet.layout = _layout(flat)
        elif c.kind == "row" and c.row is not None:
            if c.side == "ours":
                gone.append(at[c.row - 1])
            else:
                added.append((c.row - 1, copy.deepcopy(result.theirs.indicators[c.row - 1])))
        elif c.kind == "order" and c.row is not None and c.theirs_row is not None:
            moves.append((at[c.row - 1], c.theirs_row - 1))
    for ind in gone:
        rows[:] = [r for r in rows if r is not ind]
    for ind, to in moves:
        rows[:] = [r for r in rows if r is not ind]
        rows.insert(min(to, len(rows)), ind)
    for k, ind in sorted(added, key=lambda item: item[0]):
        rows.insert(min(k, len(rows)), ind)
    if year:
        sheet.monitoring, sheet.evaluation = unflatten({**flatten(sheet), **year})
    return sheet


def _set(sheet: Sheet, rows: list[Indicator], path: tuple[Any, ...], text: str) -> None:
    match path:
        case ("funding", str(name)):
            setattr(sheet.funding, name, text)
        case ("indicators", int(k), str(name)):
            setattr(rows[k], name, text)
        case (str(name),):
            setattr(sheet, name, text)


# ---------------------------------------------------------------------- the merge


def _pick(base: Any, ours: Any, theirs: Any) -> tuple[Any, Any]:
    """One value merged three ways: (as ours settles it, as theirs settles it); the two
    differ only where both sides changed it differently."""
    if ours == theirs or theirs == base:
        return ours, ours
    if ours == base:
        return theirs, theirs
    return ours, theirs


def merge(base: Sheet | None, ours: Sheet, theirs: Sheet) -> MergeResult:
    """Merge two edits of a project made from `base` (None: both sides created it)."""
    so = Sheet(layout=SheetLayout())
    st = Sheet(layout=SheetLayout())
    for name in _HEADER_NAMES:
        b = getattr(base, name) if base is not None else _MISSING
        vo, vt = _pick(b, getattr(ours, name), getattr(theirs, name))
        setattr(so, name, vo)
        setattr(st, name, vt)
    for name in FUNDING_NAMES:
        b = getattr(base.funding, name) if base is not None else _MISSING
        vo, vt = _pick(b, getattr(ours.funding, name), getattr(theirs.funding, name))
        setattr(so.funding, name, vo)
        setattr(st.funding, name, vt)
    so.layout, st.layout = _merge_layout(
        base.layout if base is not None else None, ours.layout, theirs.layout
    )
    so.indicators, st.indicators = _merge_rows(
        base.indicators if base is not None else [], ours.indicators, theirs.indicators
    )
    so.monitoring, so.evaluation, st.monitoring, st.evaluation = _merge_year(base, ours, theirs)
    return MergeResult(so, st, conflicts_between(so, st))


def _merge_year(base: Sheet | None, ours: Sheet, theirs: Sheet) -> tuple[Any, Any, Any, Any]:
    """The year blocks merged cell by cell (store/merge/year_flat.py): rows in ours' order, then
    the rows only theirs has. Returns ours' settlement's two blocks, then theirs'."""
    fb = flatten(base) if base is not None else {}
    fo, ft = flatten(ours), flatten(theirs)
    if fo == ft:
        return (*unflatten(fo), *unflatten(ft))
    so: dict[Any, str] = {}
    st: dict[Any, str] = {}
    for key in list(fo) + [k for k in ft if k not in fo]:
        b = fb.get(key)  # None: not in the base
        if base is None and len(key) not in (1, 3) and key[-1] != ROW:
            b = ""  # both sides added the file: a cell left empty on one side is not a change
        vo, vt = _pick(b, fo.get(key), ft.get(key))
        if vo is not None and vo is not _MISSING:
            so[key] = vo
        if vt is not None and vt is not _MISSING:
            st[key] = vt
    for side in (so, st):  # a cell kept brings back its row's names
        for key in list(side):
            if len(key) == 5 and (*key[:4], ROW) not in side:
                side[(*key[:4], ROW)] = fo.get((*key[:4], ROW)) or ft.get((*key[:4], ROW), "")
    return (*unflatten(so), *unflatten(st))


# ---------------------------------------------------------------------- layout


def _flat_layout(sheet: Sheet) -> dict[str, Any]:
    """The layout block as flat keys ('colon', 'file.encoding'); {} when none is recorded."""
    if not sheet.layout.recorded:
        return {}
    return _flatten(layout_to_data(sheet.layout))


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in data.items():
        if k == "file":
            out.update({f"file.{fk}": fv for fk, fv in v.items()})
        else:
            out[k] = v
    return out


def _unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"file": {}}
    for k, v in flat.items():
        if v is _MISSING:
            continue
        if k.startswith("file."):
            out["file"][k.removeprefix("file.")] = v
        else:
            out[k] = v
    return out


def _merge_layout(
    base: SheetLayout | None, ours: SheetLayout, theirs: SheetLayout
) -> tuple[SheetLayout, SheetLayout]:
    """The layout block by key; a block that is there on one side only is one value."""
    sides = [
        _flatten(layout_to_data(x)) if x is not None and x.recorded else None
        for x in (base, ours, theirs)
    ]
    fb, fo, ft = sides
    if fo is None or ft is None:
        lo, lt = _pick(fb if base is not None else _MISSING, fo, ft)
        return _layout(lo), _layout(lt)
    merged_o: dict[str, Any] = {}
    merged_t: dict[str, Any] = {}
    for key in dict.fromkeys([*fo, *ft, *(fb or {})]):
        b = fb.get(key, _MISSING) if fb is not None else _MISSING
        merged_o[key], merged_t[key] = _pick(b, fo.get(key, _MISSING), ft.get(key, _MISSING))
    return _layout(merged_o), _layout(merged_t)


def _layout(flat: dict[str, Any] | None) -> SheetLayout:
    if flat is None:
        return SheetLayout(recorded=False)
    return layout_from_data(_unflatten(flat), "合并后的版式")


# ---------------------------------------------------------------------- indicators


def _same_row(a: Indicator, b: Indicator) -> bool:
    return a.values() == b.values() and a.trivia == b.trivia


def _merge_row(base: Indicator | None, ours: Indicator, theirs: Indicator) -> tuple[Indicator, ...]:
    ro, rt = Indicator(), Indicator()
    for name in INDICATOR_NAMES:
        b = getattr(base, name) if base is not None else _MISSING
        vo, vt = _pick(b, getattr(ours, name), getattr(theirs, name))
        setattr(ro, name, vo)
        setattr(rt, name, vt)
    b_trivia = base.trivia if base is not None else _MISSING
    to, tt = _pick(b_trivia, ours.trivia, theirs.trivia)
    ro.trivia, rt.trivia = copy.deepcopy(to), copy.deepcopy(tt)
    return ro, rt


def _merge_rows(
    base: list[Indicator], ours: list[Indicator], theirs: list[Indicator]
) -> tuple[list[Indicator], list[Indicator]]:
    """The rows as each side settles the conflicts, in the merged order."""
    to_ours = {i: j for i, j, _ in match_indicators(base, ours)}
    to_theirs = {i: j for i, j, _ in match_indicators(base, theirs)}
    id_o: list[RowId] = [("o", j) for j in range(len(ours))]
    for i, j in to_ours.items():
        id_o[j] = ("b", i)
    id_t: list[RowId] = [("t", j) for j in range(len(theirs))]
    for i, j in to_theirs.items():
        id_t[j] = ("b", i)
    # A row both sides added under the same names is one row (its fields must agree).
    new_o = [j for j, x in enumerate(id_o) if x[0] == "o"]
    new_t = [j for j, x in enumerate(id_t) if x[0] == "t"]
    pairs = match_indicators([ours[j] for j in new_o], [theirs[j] for j in new_t])
    for a, b, renamed in pairs:
        if not renamed:
            id_t[new_t[b]] = ("o", new_o[a])

    rows_o: dict[RowId, Indicator | None] = {}
    rows_t: dict[RowId, Indicator | None] = {}
    of_ours = dict(zip(id_o, ours, strict=True))
    of_theirs = dict(zip(id_t, theirs, strict=True))
    for x in dict.fromkeys([*id_o, *id_t]):
        o, t = of_ours.get(x), of_theirs.get(x)
        b = base[x[1]] if x[0] == "b" else None
        if o is not None and t is not None:
            rows_o[x], rows_t[x] = _merge_row(b, o, t)
        elif b is None:  # added on one side only
            rows_o[x] = rows_t[x] = o if o is not None else t
        elif o is None and t is None:
            rows_o[x] = rows_t[x] = None
        elif o is None:  # ours deleted it: gone unless theirs changed it
            rows_o[x], rows_t[x] = (None, None) if _same_row(t, b) else (None, t)  # type: ignore[arg-type]
        else:  # theirs deleted it
            rows_o[x], rows_t[x] = (None, None) if _same_row(o, b) else (o, None)
    id_b: list[RowId] = [("b", i) for i in range(len(base))]
    order_o = merge_order(id_b, id_o, id_t, theirs_wins=False)
    order_t = merge_order(id_b, id_o, id_t, theirs_wins=True)
    return (
        [r for x in order_o if (r := rows_o[x]) is not None],
        [r for x in order_t if (r := rows_t[x]) is not None],
    )


def _moved(base: list[RowId], side: list[RowId]) -> set[RowId]:
    """Base rows this side moved: those outside the longest run that kept its order
    (store/merge/diff.py's reading of a reorder)."""
    place = {x: j for j, x in enumerate(side)}
    pairs = [(i, place[x], False) for i, x in enumerate(base) if x in place]
    kept = kept_order(pairs)
    return {base[i] for i, _, _ in pairs if i not in kept}


def merge_order(
    base: list[RowId], ours: list[RowId], theirs: list[RowId], theirs_wins: bool
) -> list[RowId]:
    """Ours' order with theirs' moves and additions put after the row they follow on
    theirs' side. A row both sides moved stays where ours put it unless `theirs_wins`
    (if both put it after the same row, that is the same place either way)."""
    moved_o, moved_t = _moved(base, ours), _moved(base, theirs)
    in_ours = set(ours)
    in_base = set(base)
    in_theirs = set(theirs)
    out = list(ours)
    for k, x in enumerate(theirs):
        if x in in_ours and x not in moved_t:
            continue
        if x in moved_o and not theirs_wins:
            continue
        anchor = theirs[k - 1] if k else None
        if x in out:
            out.remove(x)
        pos = out.index(anchor) + 1 if anchor is not None else 0
        if x not in in_ours:  # an added row goes after the rows ours added there
            while pos < len(out) and out[pos] not in in_base and out[pos] not in in_theirs:
                pos += 1
        out.insert(pos, x)
    return out
