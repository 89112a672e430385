"""Editing one project: every change an undoable operation, findings live on every keystroke.

    session = EditSession(sheet, profile, base_text)
    check = session.preview(("indicators", 3, "annual_weight"), "15")   # while typing
    session.set(("indicators", 3, "annual_weight"), "15")               # Enter
    session.undo(); session.redo()

The TUI only wires keys to these methods, so the editing logic is tested and benchmarked
without a terminal. A field is named by the rules engine's paths: ('goal',),
('funding', 'fiscal'), ('indicators', 3, 'weight').
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields, replace
from itertools import count

from ..rules.profile import DEFAULT_PROFILE, Profile
from ..rules.rules import SEVERITY_RANK, Finding, WeightSummary, weight_summary
from ..sheet.fields import FUNDING_NAMES, HEADER_NAMES, INDICATOR_NAMES
from ..sheet.identity import same_sheet
from ..sheet.model import Indicator, RowTrivia, Sheet, format_number
from ..year.findings import all_findings
from ..year.scoring import ScoreCard, score_sheet
from . import year_editing
from .entry import canonical
from .year_editing import is_year_path

FieldPath = tuple[str | int, ...]
# Year fields typed like the approval's: an actual value like a target, a score like a weight.
_YEAR_ENTRY = {"actual": "annual_target", "expected": "annual_target", "score": "annual_weight"}


_serial = count(1)


# ---------------------------------------------------------------------- operations


@dataclass(frozen=True)
class SetField:
    path: FieldPath
    old: str
    new: str
    serial: int = field(default_factory=lambda: next(_serial), compare=False)


@dataclass(frozen=True)
class InsertRow:
    index: int
    indicator: Indicator
    serial: int = field(default_factory=lambda: next(_serial), compare=False)


@dataclass(frozen=True)
class DeleteRow:
    index: int
    indicator: Indicator
    serial: int = field(default_factory=lambda: next(_serial), compare=False)


@dataclass(frozen=True)
class MoveRow:
    index: int
    to: int
    serial: int = field(default_factory=lambda: next(_serial), compare=False)


@dataclass(frozen=True)
class SetFields:
    """Several fields set in one step (a row pasted from a spreadsheet), undone together."""

    fields: tuple[SetField, ...]
    serial: int = field(default_factory=lambda: next(_serial), compare=False)


@dataclass(frozen=True)
class ReplaceSheet:
    """The whole sheet at once: a save that merged changes from disk into the edits. Undoing
    it gives back the edits as they were before the merge, so the history before it works.

    It holds the sheet's own field objects (the indicator list and its rows, not copies):
    earlier steps hold those rows too (an inserted row), and undo and redo must find them."""

    old: dict[str, object]
    new: dict[str, object]
    serial: int = field(default_factory=lambda: next(_serial), compare=False)


Op = SetField | SetFields | InsertRow | DeleteRow | MoveRow | ReplaceSheet


def op_row(op: Op, undone: bool = False) -> int | None:
    """The indicator row the cursor belongs on after `op` was applied (or undone)."""
    match op:
        case SetField(path=("indicators", int(i), _)):
            return i
        case SetFields(fields=(first, *_)):
            return op_row(first)
        case InsertRow(index=i):
            return max(i - 1, 0) if undone else i
        case DeleteRow(index=i):
            return i if undone else i
        case MoveRow(index=i, to=j):
            return i if undone else j
    return None


# ---------------------------------------------------------------------- what the checks say


@dataclass(frozen=True)
class Check:
    """The rules engine's view of the sheet at one moment, arranged for display."""

    findings: tuple[Finding, ...]
    weights: WeightSummary
    rows: frozenset[int]  # indicator rows with findings
    cells: frozenset[tuple[int, str]]  # (row, field name) the findings point at
    fields: frozenset[str]  # header fields the findings point at: 'total', 'funding.fiscal'
    # indicator row -> the gravest severity of its findings ('error' | 'warning' | 'info')
    row_severity: dict[int, str] = field(default_factory=dict, compare=False)
    card: ScoreCard | None = field(default=None, compare=False)  # the self-evaluation's scores

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def status(self) -> str:
        """What to change to make the weights add up: '合计 100 ✓', '还差 5', '多 5', or
        which weight cannot be counted (as its finding says it)."""
        w = self.weights
        if not w.readable:
            return w.unreadable or w.status  # the words of its E102 finding
        sep = " " if w.ok else "，"
        return f"合计 {format_number(w.total)}{sep}{w.status}"


def run_checks(sheet: Sheet, profile: Profile) -> Check:
    findings = tuple(all_findings(sheet, profile))
    rows: set[int] = set()
    cells: set[tuple[int, str]] = set()
    fields_: set[str] = set()
    row_severity: dict[int, str] = {}
    for f in findings:
        p = f.path
        if f.row is not None:
            rows.add(f.row)
            worst = row_severity.get(f.row)
            if worst is None or SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst]:
                row_severity[f.row] = f.severity
        if len(p) == 3 and p[0] == "indicators":
            cells.add((p[1], p[2]))  # type: ignore[arg-type]
        elif p and p[0] != "indicators":
            fields_.add(".".join(str(x) for x in p))
    return Check(
        findings,
        weight_summary(sheet, profile),
        frozenset(rows),
        frozenset(cells),
        frozenset(fields_),
        row_severity,
        score_sheet(sheet, profile),
    )


# ---------------------------------------------------------------------- the session


class EditSession:
    """One open project: the Sheet being edited, its undo/redo history and the file it came from."""

    def __init__(
        self, sheet: Sheet, profile: Profile | None = None, base_text: str | None = None
    ) -> None:
        self.sheet = sheet
        self.profile = profile or DEFAULT_PROFILE
        self.base_text = base_text  # the file's text when loaded or last saved
        self._undo: list[Op] = []
        self._redo: list[Op] = []
        self._saved_at = 0  # serial of the newest applied op when the file was last written
        self.check: Check = run_checks(sheet, self.profile)

    # -- reading --------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self._token() != self._saved_at

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def value(self, path: FieldPath) -> str:
        if is_year_path(path):
            return year_editing.value(self.sheet, path)
        owner, name = self._owner(path)
        return getattr(owner, name)

    def entry(self, path: FieldPath, text: str) -> str:
        """What the sheet stores when `text` is typed into that field (store.entry)."""
        name = str(path[-1])
        if is_year_path(path):  # an amount as the sheet writes them; a value as a target
            name = "total" if path[1] == "funding" else _YEAR_ENTRY.get(name, "note")
        return canonical(name, text, self.sheet.layout.grouping)

    def preview(self, path: FieldPath, text: str) -> Check:
        """The checks as they would be with `text` in that field; the sheet is left as it was."""
        text = self.entry(path, text)
        if is_year_path(path):
            old = self.value(path)
            if old == text:
                return self.check
            year_editing.set_value(self.sheet, path, text)
            try:
                return run_checks(self.sheet, self.profile)
            finally:
                year_editing.set_value(self.sheet, path, old)
        owner, name = self._owner(path)
        old = getattr(owner, name)
        if old == text:
            return self.check
        setattr(owner, name, text)
        try:
            return run_checks(self.sheet, self.profile)
        finally:
            setattr(owner, name, old)

    # -- changing -------------------------------------------------------------------------

    def set(self, path: FieldPath, text: str) -> bool:
        """Commit one field's typed text (in its canonical form, see `entry`); False (and no
        history entry) if that does not change it."""
        text = self.entry(path, text)
        old = self.value(path)
        if old == text:
            return False
        self._do(SetField(path, old, text))
        return True

    def set_many(self, cells: list[tuple[FieldPath, str]]) -> SetFields | None:
        """Commit several fields as one undoable step (a pasted row); None if none changed."""
        changes = []
        for path, typed in cells:
            text, old = self.entry(path, typed), self.value(path)
            if text != old:
                changes.append(SetField(path, old, text))
        if not changes:
            return None
        op = SetFields(tuple(changes))
        self._do(op)
        return op

    def insert_row(self, index: int, indicator: Indicator) -> int:
        index = max(0, min(index, len(self.sheet.indicators)))
        self._do(InsertRow(index, indicator))
        return index

    def new_row(self, after: int | None) -> int:
        """A new row below `after`, in the same 一级/二级指标 and with the same 指标性质."""
        rows = self.sheet.indicators
        if after is None or not rows:
            at = len(rows)
            src = rows[-1] if rows else None
        else:
            at = after + 1
            src = rows[after]
        ind = Indicator()
        if src is not None:
            ind.level1, ind.level2, ind.nature = src.level1, src.level2, src.nature
            ind.trivia = RowTrivia(width=src.trivia.width)
        return self.insert_row(at, ind)

    def duplicate_row(self, index: int) -> int:
        src = self.sheet.indicators[index]
        copy = replace(src, trivia=RowTrivia(width=src.trivia.width))
        return self.insert_row(index + 1, copy)

    def delete_row(self, index: int) -> None:
        self._do(DeleteRow(index, self.sheet.indicators[index]))

    def move_row(self, index: int, delta: int) -> int | None:
        """Move a row up (delta < 0) or down; the row's new index, or None at an edge."""
        to = index + delta
        if not (0 <= index < len(self.sheet.indicators)) or not (
            0 <= to < len(self.sheet.indicators)
        ):
            return None
        self._do(MoveRow(index, to))
        return to

    def undo(self) -> Op | None:
        if not self._undo:
            return None
        op = self._undo.pop()
        self._apply(op, inverse=True)
        self._redo.append(op)
        self._recheck()
        return op

    def redo(self) -> Op | None:
        if not self._redo:
            return None
        op = self._redo.pop()
        self._apply(op)
        self._undo.append(op)
        self._recheck()
        return op

    def adopt(self, sheet: Sheet) -> ReplaceSheet | None:
        """`sheet` in place of the one edited, as one undoable step (my edits merged with what
        changed on disk, about to be saved); None if it is the same sheet."""
        if same_sheet(sheet, self.sheet):
            return None
        new = copy.deepcopy(sheet)  # the caller's sheet stays its own
        names = [f.name for f in fields(Sheet)]
        op = ReplaceSheet(
            {n: getattr(self.sheet, n) for n in names}, {n: getattr(new, n) for n in names}
        )
        self._do(op)
        return op

    def mark_saved(self, text: str) -> None:
        """The sheet was written; `text` is what the file holds now."""
        self.base_text = text
        self._saved_at = self._token()

    # -- inside ---------------------------------------------------------------------------

    def _token(self) -> int:
        return self._undo[-1].serial if self._undo else 0

    def _do(self, op: Op) -> None:
        self._apply(op)
        self._undo.append(op)
        self._redo.clear()
        self._recheck()

    def _recheck(self) -> None:
        self.check = run_checks(self.sheet, self.profile)

    def _apply(self, op: Op, inverse: bool = False) -> None:
        rows = self.sheet.indicators
        match op:
            case SetField(path=path, old=old, new=new) if is_year_path(path):
                year_editing.set_value(self.sheet, path, old if inverse else new)
            case SetField(path=path, old=old, new=new):
                owner, name = self._owner(path)
                setattr(owner, name, old if inverse else new)
            case SetFields(fields=changes):
                for change in reversed(changes) if inverse else changes:
                    self._apply(change, inverse)
            case InsertRow(index=i, indicator=ind):
                if inverse:
                    del rows[i]
                else:
                    rows.insert(i, ind)
            case DeleteRow(index=i, indicator=ind):
                if inverse:
                    rows.insert(i, ind)
                else:
                    del rows[i]
            case MoveRow(index=i, to=j):
                a, b = (j, i) if inverse else (i, j)
                rows.insert(b, rows.pop(a))
            case ReplaceSheet(old=old, new=new):
                for name, value in (old if inverse else new).items():
                    setattr(self.sheet, name, value)  # in place: the editor holds this Sheet

    def _owner(self, path: FieldPath) -> tuple[object, str]:
        match path:
            case (str(name),) if name in HEADER_NAMES:
                return self.sheet, name
            case ("funding", str(name)) if name in FUNDING_NAMES:
                return self.sheet.funding, name
            case ("indicators", int(i), str(name)) if name in INDICATOR_NAMES:
                return self.sheet.indicators[i], name
        raise KeyError(f"not a field of a sheet: {path!r}")
