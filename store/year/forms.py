"""The 项目支出绩效自评表 and the 绩效运行监控表 as grids of cell texts, both ways.

    grid = form_grid(sheet, EVALUATION, profile)    # pre-filled from the approval
    fills = read_forms(grid, name)                  # what a colleague filled in
    new, notes = apply_fill(sheet, fill)            # the project with the fill taken

A grid is a list of rows of cell texts; store/year/form_files.py makes it tab text or an
.xlsx and reads it back. Targets (年度指标值), weights (分值) and budgets come from the
approval; scores are always computed (store/year/scoring.py), never read back. The 年度资金总额
row's 年初预算数 is the approval's 项目总额; the 其中 rows' are its 资金来源 (其他资金: 社会投入资金
+ 银行贷款).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import JixiaoError
from ..rules.profile import DEFAULT_PROFILE, Profile
from ..sheet.fields import EVALUATION_TITLE, MONITOR_TITLE, YEAR_FUNDING_ROWS
from ..sheet.model import Sheet, as_number, format_amount, format_number
from ..sheet.year_model import (
    ActualRow,
    Monitoring,
    ProgressFunding,
    ProgressRow,
    SelfEvaluation,
    SpentRow,
    identity_key,
)
from .scoring import quantity, score_sheet

EVALUATION = "自评"
MONITOR = "监控"
TITLES = {EVALUATION: EVALUATION_TITLE, MONITOR: MONITOR_TITLE}
KIND_OF_TITLE = {v: k for k, v in TITLES.items()}

FUNDING_HEAD = "项目资金（元）"
FUNDING_HEAD_WAN = "项目资金（万元）"
WAN = 10_000
ROW_CELLS = {  # how a funding row is labelled on the form
    "total": "年度资金总额",
    "fiscal": "其中：财政资金",
    "special": "财政专户管理资金",
    "unit_funds": "单位资金",
    "other": "其他资金",
}
_ROW_OF_CELL = {"".join(v.split()): k for k, v in ROW_CELLS.items()}
_ROW_OF_CELL.update({"其中:财政资金": "fiscal", "财政资金": "fiscal"})

EVALUATION_FUNDING_HEADER = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
MONITOR_FUNDING_HEADER = ("年初预算数", "1-7月执行数", "全年预计执行数", "执行率")
EVALUATION_HEADER = (
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "年度指标值",
    "度量单位",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)
MONITOR_HEADER = (
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "年度指标值",
    "度量单位",
    "1-7月实际完成值",
    "全年预计完成值",
    "偏差原因",
    "完成目标可能性",
    "整改措施",
)
HEADERS = {EVALUATION: EVALUATION_HEADER, MONITOR: MONITOR_HEADER}
WIDTH = {EVALUATION: len(EVALUATION_HEADER), MONITOR: len(MONITOR_HEADER)}
# Label rows (the label cell ends in a colon, as on the 批复表).
PROJECT_LABEL, DEPARTMENT_LABEL, UNIT_LABEL = "项目名称：", "主管部门：", "实施单位："
GOAL_LABEL, ACHIEVED_LABEL = "年度目标：", "实际完成情况："
PROBLEMS_LABEL, MEASURES_LABEL = "存在问题：", "改进措施："
TOTAL_CELL, GRADE_CELL = "总分", "等级"


def _pad(cells: list[str], width: int) -> list[str]:
    return cells + [""] * (width - len(cells))


def initial_budget(sheet: Sheet, row: str) -> str:
    """The approval's 年初预算数 of a funding row (as the sheet writes amounts)."""
    f = sheet.funding
    if row == "total":
        return sheet.total
    if row == "other":
        parts = [as_number(t) for t in (f.social, f.loan) if t.strip()]
        if not parts or any(p is None for p in parts):
            return " ".join(t for t in (f.social, f.loan) if t.strip())
        return format_amount(sum(parts), sheet.layout.grouping)  # type: ignore[arg-type]
    return getattr(f, row)


def _money(x: object) -> str:
    return "" if x is None else f"{float(x):.2f}"  # type: ignore[arg-type]


def _to_form(text: str, wan: bool) -> str:
    """An amount in 元 as the form shows it: in 万元 when the profile says so (exact: the
    store's amounts have at most two decimals, 万元 shows six)."""
    if not wan:
        return text
    n = as_number(text)
    return text if n is None else format_number(n / WAN)


def _from_form(text: str, wan: bool, grouping: bool) -> str:
    """An amount from a form back in 元 (as the sheet writes amounts)."""
    if not wan:
        return text
    n = as_number(text)
    if n is None:
        return text
    value = round(n * WAN, 6)
    return format_amount(int(value) if value.is_integer() else value, grouping)


def form_grid(sheet: Sheet, kind: str, profile: Profile | None = None) -> list[list[str]]:
    """One project's form, pre-filled from the approval and the stored year values."""
    profile = profile or DEFAULT_PROFILE
    wan = profile.scoring.form_unit == "万元"
    head = FUNDING_HEAD_WAN if wan else FUNDING_HEAD
    width = WIDTH[kind]
    rows: list[list[str]] = [[TITLES[kind]], []]
    rows.append(
        [PROJECT_LABEL, sheet.project, DEPARTMENT_LABEL, sheet.department, UNIT_LABEL, sheet.unit]
    )
    rows.append([GOAL_LABEL, sheet.goal])
    if kind == EVALUATION:
        ev = sheet.evaluation or SelfEvaluation()
        card = score_sheet(
            sheet if sheet.evaluation else _with(sheet, ev), profile or DEFAULT_PROFILE
        )
        rows.append([ACHIEVED_LABEL, ev.achieved])
        rows.append([head, *EVALUATION_FUNDING_HEADER])
        for name, _ in YEAR_FUNDING_ROWS:
            r = ev.funding.get(name, SpentRow())
            money = (initial_budget(sheet, name), r.budget, r.spent)
            cells = [ROW_CELLS[name], *(_to_form(t, wan) for t in money)]
            if name == "total" and card is not None:
                rate = "" if card.exec_rate is None else f"{float(card.exec_rate) * 100:.2f}%"
                got = "" if card.exec_rate is None else _money(card.exec_score)
                cells += [sheet.exec_weight, rate, got]
            rows.append(cells)
        rows.append(list(EVALUATION_HEADER))
        assert card is not None
        for s in card.indicators:
            i, a = s.indicator, s.actual or ActualRow()
            got = "不适用" if s.score is None else _money(s.score) if a.actual.strip() else ""
            rows.append([i.level1, i.level2, i.level3, i.nature, i.annual_target, i.measure,
                         a.actual, i.annual_weight, got, a.reason])  # fmt: skip
        if sheet.evaluation is None:  # nothing to score yet: no 总分 to claim
            rows.append([TOTAL_CELL, "", GRADE_CELL, ""])
        else:
            rows.append([TOTAL_CELL, _money(card.total), GRADE_CELL, card.grade])
        rows.append([PROBLEMS_LABEL, ev.problems])
        rows.append([MEASURES_LABEL, ev.measures])
    else:
        mo = sheet.monitoring or Monitoring()
        rows.append([head, *MONITOR_FUNDING_HEADER])
        for name, _ in YEAR_FUNDING_ROWS:
            r = mo.funding.get(name, ProgressFunding())
            start = initial_budget(sheet, name)
            b, sp = as_number(start), as_number(r.spent)
            rate = f"{sp / b * 100:.2f}%" if b and sp is not None else ""
            money = [_to_form(t, wan) for t in (start, r.spent, r.expected)]
            rows.append([ROW_CELLS[name], *money, rate])
        rows.append(list(MONITOR_HEADER))
        by = _rows_by_identity(mo.indicators)
        for i in sheet.indicators:
            p = _take(by, i) or ProgressRow()
            rows.append([i.level1, i.level2, i.level3, i.nature, i.annual_target, i.measure,
                         p.actual, p.expected, p.cause, p.likelihood, p.remedy])  # fmt: skip
    return [_pad(r, width) for r in rows]


def _with(sheet: Sheet, ev: SelfEvaluation) -> Sheet:
    s = copy.copy(sheet)
    s.evaluation = ev
    return s


def _rows_by_identity(rows: list) -> dict:
    by: dict = {}
    for r in rows:
        by.setdefault(r.key(), []).append(r)
    return by


def _take(by: dict, ind) -> object:  # noqa: ANN001
    left = by.get(identity_key(ind.level1, ind.level2, ind.level3))
    return left.pop(0) if left else None


# ---------------------------------------------------------------------- reading a filled form


@dataclass
class FormRow:
    line: int  # where it stands in the file (1-based), for messages
    names: tuple[str, str, str]
    target: str
    weight: str  # 分值 (self-evaluation only)
    cells: dict[str, str]  # what the year adds, by the form's header label


@dataclass
class FormFill:
    """What one filled form says about one project."""

    kind: str
    line: int
    project: str
    unit: str
    funding: dict[str, dict[str, str]] = field(default_factory=dict)  # row -> label -> text
    texts: dict[str, str] = field(default_factory=dict)  # 实际完成情况, 存在问题, 改进措施
    wan: bool = False  # the funding table is in 万元 (by its heading)
    rows: list[FormRow] = field(default_factory=list)


def form_kind(grid: list[list[str]]) -> str | None:
    """The kind of form a grid holds, by its title in the first non-empty cell."""
    for row in grid[:20]:
        cells = ["".join(c.split()) for c in row if c.strip()]
        if cells:
            return KIND_OF_TITLE.get(cells[0])
    return None


def _label(cell: str) -> str:
    return "".join(cell.split()).rstrip(":：")


def read_forms(grid: list[list[str]], name: str, lines: list[int] | None = None) -> list[FormFill]:
    """Every form in a grid (one file may hold several, one after the other)."""
    lines = lines or list(range(1, len(grid) + 1))
    out: list[FormFill] = []
    fill: FormFill | None = None
    section = ""
    header: list[str] = []
    for row, line in zip(grid, lines, strict=True):
        cells = [c.strip() for c in row]
        first = "".join(cells[0].split()) if cells else ""
        if first in KIND_OF_TITLE:
            fill = FormFill(KIND_OF_TITLE[first], line, "", "")
            out.append(fill)
            section = ""
            continue
        if fill is None or not any(cells):
            continue
        label = _label(cells[0])
        if label == _label(PROJECT_LABEL):
            pairs = dict(zip((_label(c) for c in cells[0::2]), cells[1::2], strict=False))
            fill.project = pairs.get(_label(PROJECT_LABEL), "")
            fill.unit = pairs.get(_label(UNIT_LABEL), "")
        elif label in (_label(ACHIEVED_LABEL), _label(PROBLEMS_LABEL), _label(MEASURES_LABEL)):
            fill.texts[label] = cells[1] if len(cells) > 1 else ""
        elif label.startswith("项目资金"):
            section, header = "funding", [_label(c) for c in cells]
            fill.wan = "万元" in label
        elif label == "一级指标":
            section, header = "table", [_label(c) for c in cells]
        elif label == TOTAL_CELL:
            section = ""
        elif section == "funding" and label in _ROW_OF_CELL:
            fill.funding[_ROW_OF_CELL[label]] = {
                h: c for h, c in zip(header[1:], cells[1:], strict=False) if h
            }
        elif section == "table":
            by = {h: c for h, c in zip(header, cells, strict=False) if h}
            fill.rows.append(
                FormRow(
                    line,
                    (by.get("一级指标", ""), by.get("二级指标", ""), by.get("三级指标", "")),
                    by.get("年度指标值", ""),
                    by.get("分值", ""),
                    by,
                )
            )
    for f in out:
        if not f.project:
            raise JixiaoError(
                f"{name}:{f.line}: {TITLES[f.kind]}没有项目名称；应有“项目名称：”一行"
            )
    return out


# ---------------------------------------------------------------------- taking a fill


def _same_number(a: str, b: str) -> bool:
    x, y = quantity(a), quantity(b)
    if x is not None and y is not None:
        return abs(x - y) < 1e-9
    return "".join(a.split()) == "".join(b.split())


def _fill_rows(
    fill: FormFill,
    approved: Any,
    rows: list,
    make: Callable[[str, str, str], Any],
    labels: tuple[tuple[str, str], ...],
    where: str,
    notes: list[str],
    weight: bool,
) -> None:
    """The filled cells of each indicator row into `rows` (matched to the approval by
    identity; a new row made by `make` where none is kept yet); empty cells change nothing."""
    by = _rows_by_identity(rows)
    for r in fill.rows:
        ind = _match(approved, r, where, notes)
        if ind is None:
            continue
        _differs(ind, r, where, notes, weight=weight)
        taken = {k: r.cells.get(lb, "") for k, lb in labels}
        if not any(taken.values()):
            continue
        row = _take(by, ind)
        if row is None:
            row = make(ind.level1, ind.level2, ind.level3)
            rows.append(row)
        for k, v in taken.items():
            if v:
                setattr(row, k, v)


def apply_fill(sheet: Sheet, fill: FormFill, where: str) -> tuple[Sheet, list[str]]:
    """The project with what the form filled in taken (empty cells leave values as they
    were), and a sentence for each thing not taken (a target or weight that differs from the
    approval, an indicator the approval lacks)."""
    new = copy.deepcopy(sheet)
    notes: list[str] = []
    approved = _rows_by_identity_of(new)
    if fill.kind == EVALUATION:
        ev = new.evaluation or SelfEvaluation()
        for name, cells in fill.funding.items():
            row = ev.funding.get(name)
            got = {
                k: _from_form(cells.get(v, ""), fill.wan, new.layout.grouping)
                for k, v in (("budget", "全年预算数"), ("spent", "全年执行数"))
            }
            if any(got.values()):
                row = row or SpentRow()
                for k, v in got.items():
                    if v:
                        setattr(row, k, v)
                ev.funding[name] = row
        ev.funding = {n: ev.funding[n] for n, _ in YEAR_FUNDING_ROWS if n in ev.funding}
        for attr, label in (
            ("achieved", ACHIEVED_LABEL),
            ("problems", PROBLEMS_LABEL),
            ("measures", MEASURES_LABEL),
        ):
            text = fill.texts.get(_label(label), "")
            if text:
                setattr(ev, attr, text)
        labels = (("actual", "实际完成值"), ("reason", "偏差原因分析及改进措施"))
        _fill_rows(fill, approved, ev.indicators, ActualRow, labels, where, notes, weight=True)
        if new.evaluation is not None or ev != SelfEvaluation():
            new.evaluation = ev
    else:
        mo = new.monitoring or Monitoring()
        for name, cells in fill.funding.items():
            got = {
                k: _from_form(cells.get(v, ""), fill.wan, new.layout.grouping)
                for k, v in (("spent", "1-7月执行数"), ("expected", "全年预计执行数"))
            }
            if any(got.values()):
                row = mo.funding.get(name) or ProgressFunding()
                for k, v in got.items():
                    if v:
                        setattr(row, k, v)
                mo.funding[name] = row
        mo.funding = {n: mo.funding[n] for n, _ in YEAR_FUNDING_ROWS if n in mo.funding}
        labels = (("actual", "1-7月实际完成值"), ("expected", "全年预计完成值"), ("cause", "偏差原因"),
                  ("likelihood", "完成目标可能性"), ("remedy", "整改措施"))  # fmt: skip
        _fill_rows(fill, approved, mo.indicators, ProgressRow, labels, where, notes, weight=False)
        if new.monitoring is not None or mo != Monitoring():
            new.monitoring = mo
    return new, notes


def _rows_by_identity_of(sheet: Sheet) -> dict:
    by: dict = {}
    for ind in sheet.indicators:
        by.setdefault(identity_key(ind.level1, ind.level2, ind.level3), []).append(ind)
    return by


def _match(approved: dict, r: FormRow, where: str, notes: list[str]) -> object:
    found = approved.get(identity_key(*r.names))
    if not found:
        notes.append(f"{where}:{r.line}: 指标「{'/'.join(r.names)}」不在批复表中，未导入")
        return None
    return found[0] if len(found) == 1 else found.pop(0)


def _differs(ind, r: FormRow, where: str, notes: list[str], weight: bool) -> None:  # noqa: ANN001
    if r.target and not _same_number(r.target, ind.annual_target):
        notes.append(
            f"{where}:{r.line}: 「{ind.level3}」的年度指标值表中是 {r.target}，批复是 "
            f"{ind.annual_target or '（空）'}；未采用"
        )
    if weight and r.weight and not _same_number(r.weight, ind.annual_weight):
        notes.append(
            f"{where}:{r.line}: 「{ind.level3}」的分值表中是 {r.weight}，批复的本年权重是 "
            f"{ind.annual_weight or '（空）'}；未采用"
        )
