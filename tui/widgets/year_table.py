"""The year views of the open project: the monitoring (监控) and the self-evaluation (自评).

One table per view, in the form's order: first the 预算执行 rows (年度资金总额 and its 其中
rows), then one row per approved indicator, then (自评) the texts 实际完成情况, 存在问题 and
改进措施. The approval's cells (三级指标, 指标性质, 年度指标值, 分值 …) are shown, not edited;
the year's cells are edited as the approval's are (Enter or just type; Enter keeps and moves
down, Tab right). In the
self-evaluation, 得分 is computed on every keystroke (store/year/scoring.py); a 定性 row takes
a hand-given 得分 in that column.
"""

from __future__ import annotations

from jixiao.store.session import EVALUATION, MONITORING, Check, FieldPath, value
from jixiao.store.sheet import YEAR_FUNDING_ROWS, Sheet
from jixiao.store.year import ROW_CELLS, IndicatorScore, initial_budget
from jixiao.tui.frames import SteadyScrollbars
from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

VIEWS = ("批复", "监控", "自评")
KIND = {"监控": MONITORING, "自评": EVALUATION}
FUNDING = tuple(name for name, _ in YEAR_FUNDING_ROWS)
TEXTS = (("achieved", "实际完成情况"), ("problems", "存在问题"), ("measures", "改进措施"))

# (key, header, width) of each view's columns after the row number.
COLUMNS = {
    EVALUATION: (
        ("name", "三级指标", 20),
        ("nature", "性质", 4),
        ("target", "年度指标值", 12),
        ("measure", "单位", 6),
        ("actual", "实际完成值", 14),
        ("weight", "分值", 5),
        ("score", "得分", 6),
        ("reason", "偏差原因分析及改进措施", 24),
    ),
    MONITORING: (
        ("name", "三级指标", 18),
        ("nature", "性质", 4),
        ("target", "年度指标值", 10),
        ("measure", "单位", 6),
        ("actual", "1-7月实际完成值", 10),
        ("expected", "全年预计完成值", 10),
        ("cause", "偏差原因", 8),
        ("likelihood", "完成目标可能性", 8),
        ("remedy", "整改措施", 16),
    ),
}
# The funding rows' editable columns: the 自评's 全年预算数 / 全年执行数, the 监控's
# 1-7月执行数 / 全年预计执行数.
FUNDING_FIELD = {
    EVALUATION: {"target": "budget", "actual": "spent"},
    MONITORING: {"actual": "spent", "expected": "expected"},
}
FUNDING_LABEL = {
    EVALUATION: {"budget": "全年预算数", "spent": "全年执行数"},
    MONITORING: {"spent": "1-7月执行数", "expected": "全年预计执行数"},
}
CELL_LABEL = {
    "actual": "实际完成值",
    "reason": "偏差原因分析及改进措施",
    "score": "得分",
    "expected": "全年预计完成值",
    "cause": "偏差原因",
    "likelihood": "完成目标可能性",
    "remedy": "整改措施",
}
ROW_EDITABLE = {
    EVALUATION: ("actual", "score", "reason"),
    MONITORING: ("actual", "expected", "cause", "likelihood", "remedy"),
}


# How far each column gives way when the terminal is narrow (the rest keep their width).
FLOOR = {"name": 8, "target": 6, "measure": 4, "actual": 8, "reason": 6, "remedy": 6,
         "expected": 6, "cause": 6, "likelihood": 6}  # fmt: skip
SHRINK_ORDER = ("reason", "remedy", "name", "target", "actual", "expected", "measure", "cause",
                "likelihood")  # fmt: skip
PADDING = 2


def fit_widths(kind: str, room: int) -> dict[str, int]:
    """Each column's width so that the row fits `room` cells (the 得分 column first of all)."""
    widths = {key: max(w, cell_len(h) // 2 + 2) for key, h, w in COLUMNS[kind]}
    over = 3 + PADDING + sum(w + PADDING for w in widths.values()) - room
    for key in SHRINK_ORDER:
        if over <= 0:
            break
        if key in widths:
            give = min(over, widths[key] - FLOOR.get(key, widths[key]))
            widths[key] -= max(give, 0)
            over -= max(give, 0)
    return widths


def year_label(path: FieldPath, sheet: Sheet) -> str:
    """A year cell as the user names it: '自评 第1行「接收安置帮教人数」实际完成值'."""
    view = "自评" if path[0] == EVALUATION else "监控"
    match path[1:]:
        case ("indicators", int(i), str(name)):
            label = "1-7月实际完成值" if (view, name) == ("监控", "actual") else CELL_LABEL[name]
            return f"{view} 第{i + 1}行「{sheet.indicators[i].level3}」{label}"
        case ("funding", str(row), str(name)):
            return f"{view} {ROW_CELLS[row]} {FUNDING_LABEL[str(path[0])][name]}"
        case (str(name),):
            return f"{view} {dict(TEXTS)[name]}"
    return view


def _cell(text: str, width: int, style: str = "", right: bool = False) -> Text:
    text = text.replace("\r", "").replace("\n", "⏎")
    return Text(text, style=style, no_wrap=True, overflow="ellipsis",
                justify="right" if right else "left")  # fmt: skip


def _money(x: object) -> str:
    return "" if x is None else f"{float(x):.2f}"  # type: ignore[arg-type]


class YearTable(SteadyScrollbars, DataTable):
    """The 监控 or 自评 of the open project (see the module docstring)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=True, **kwargs)
        self.kind = EVALUATION
        self.sheet: Sheet | None = None
        self.check: Check | None = None
        self._built: tuple | None = None  # (kind, widths) the columns were made for

    # -- positions ------------------------------------------------------------------------

    def column_key(self) -> str | None:
        col = self.cursor_coordinate.column
        cols = COLUMNS[self.kind]
        return cols[col - 1][0] if 1 <= col <= len(cols) else None

    def path_at(self, row: int, key: str | None) -> FieldPath | None:
        """The editable field under a cell (None: an approval cell, shown only)."""
        if self.sheet is None or key is None:
            return None
        n = len(FUNDING)
        if row < n:
            name = FUNDING_FIELD[self.kind].get(key)
            return (self.kind, "funding", FUNDING[row], name) if name else None
        i = row - n
        if i < len(self.sheet.indicators):
            return (self.kind, "indicators", i, key) if key in ROW_EDITABLE[self.kind] else None
        t = i - len(self.sheet.indicators)
        if self.kind == EVALUATION and t < len(TEXTS) and key == "actual":
            return (self.kind, TEXTS[t][0])
        return None

    @property
    def path(self) -> FieldPath | None:
        return self.path_at(self.cursor_coordinate.row, self.column_key())

    def go_path(self, path: FieldPath) -> None:
        """Put the cursor on the cell of `path`."""
        if self.sheet is None:
            return
        n = len(FUNDING)
        match path[1:]:
            case ("indicators", int(i), str(key)):
                row, key = n + i, key
            case ("funding", str(name), str(field)):
                row = FUNDING.index(name)
                key = {v: k for k, v in FUNDING_FIELD[self.kind].items()}[field]
            case (str(name),):
                row = n + len(self.sheet.indicators) + [t for t, _ in TEXTS].index(name)
                key = "actual"
            case _:
                return
        col = [k for k, _, _ in COLUMNS[self.kind]].index(key) + 1
        self.move_cursor(row=row, column=col, animate=False)

    def step(self, path: FieldPath, down: int, right: int) -> None:
        """Put the cursor `down` rows and `right` columns from the cell of `path` (after
        Enter or Tab in its editor, as a spreadsheet moves)."""
        self.go_path(path)
        if not self.row_count:
            return
        at = self.cursor_coordinate
        row = max(0, min(at.row + down, self.row_count - 1))
        col = max(1, min(at.column + right, len(self.columns) - 1))
        self.move_cursor(row=row, column=col, animate=False)

    def shown_cell(self) -> tuple[str, str]:
        """The cell under the cursor as shown (an approval's cell, a score), and its name:
        what ctrl+c copies where there is no field of the year to copy."""
        at = self.cursor_coordinate
        key = self.column_key()
        header = dict((k, h) for k, h, _ in COLUMNS[self.kind]).get(key or "", "#")
        cell = self.get_cell_at(at) if self.row_count else ""
        text = cell.plain if isinstance(cell, Text) else str(cell)
        view = "自评" if self.kind == EVALUATION else "监控"
        return f"{view} 第{at.row + 1}行 {header}", text.strip()

    # -- drawing --------------------------------------------------------------------------

    def load(self, sheet: Sheet, check: Check, kind: str, room: int = 0) -> None:
        self.sheet, self.check, self.kind = sheet, check, kind
        where = self.cursor_coordinate
        room = room or self.size.width or 120
        built = (kind, tuple(fit_widths(kind, room).values()))
        self.clear(columns=self._built != built)
        if self._built != built:
            self._built = built
            self.add_column(Text("#", justify="right"), key="#", width=3)
            widths = fit_widths(kind, room)
            for key, header, _ in COLUMNS[kind]:
                self.add_column(header, key=key, width=widths[key])
        for r in range(self._rows()):
            self.add_row(*self._cells(r), key=str(r))
        if self.row_count:
            self.move_cursor(row=min(where.row, self.row_count - 1),
                             column=max(where.column, 1), animate=False)  # fmt: skip

    def on_resize(self) -> None:
        if self.sheet is not None and self.check is not None and self.size.width:
            if self._built != (self.kind, tuple(fit_widths(self.kind, self.size.width).values())):
                self.load(self.sheet, self.check, self.kind, self.size.width)

    def _rows(self) -> int:
        assert self.sheet is not None
        extra = len(TEXTS) if self.kind == EVALUATION else 0
        return len(FUNDING) + len(self.sheet.indicators) + extra

    def _cells(self, r: int, typed: tuple[FieldPath, str] | None = None) -> list[Text]:
        sheet, check = self.sheet, self.check
        assert sheet is not None and check is not None
        n = len(FUNDING)
        values: dict[str, str] = {}
        number = ""

        def val(path: FieldPath) -> str:
            if typed is not None and typed[0] == path:
                return typed[1]
            return _value(sheet, path)

        if r < n:
            name = FUNDING[r]
            values["name"] = ROW_CELLS[name]
            fields = FUNDING_FIELD[self.kind]
            for key, field in fields.items():
                values[key] = val((self.kind, "funding", name, field))
            if self.kind == MONITORING:
                values["target"] = initial_budget(sheet, name)
            card = check.card
            if self.kind == EVALUATION and name == "total" and card is not None:
                values["weight"] = sheet.exec_weight
                rate = "" if card.exec_rate is None else f"{float(card.exec_rate) * 100:.1f}%"
                values["measure"] = rate
                values["score"] = _money(card.exec_score) if card.exec_rate is not None else ""
        elif r - n < len(sheet.indicators):
            i = r - n
            ind = sheet.indicators[i]
            number = str(i + 1)
            values.update(name=ind.level3, nature=ind.nature, target=ind.annual_target,
                          measure=ind.measure, weight=ind.annual_weight)  # fmt: skip
            for key in ROW_EDITABLE[self.kind]:
                values[key] = val((self.kind, "indicators", i, key))
            if self.kind == EVALUATION:
                values["score"] = self._score_text(i, values["score"], values["actual"])
        else:
            key, label = TEXTS[r - n - len(sheet.indicators)]
            values["name"] = label
            values["actual"] = val((self.kind, key))
        marks = check.row_severity.get(r - n) if number else None
        out = [_cell(("✗" if marks == "error" else "!" if marks else "") + number, 3, "dim", True)]
        for key, _, width in COLUMNS[self.kind]:
            style = "bold" if key in ("score",) else ""
            if self.path_at(r, key) is not None and key != "score":
                style = "underline" if not values.get(key) else ""
            out.append(_cell(values.get(key, ""), width, style, key in ("weight", "score")))
        return out

    def _score_text(self, i: int, hand: str, actual: str) -> str:
        card = self.check.card if self.check is not None else None
        if card is None or i >= len(card.indicators):
            return hand
        s: IndicatorScore = card.indicators[i]
        if s.score is None:
            return "不适用"
        if not actual.strip():  # (the card's row object may be a preview's, since undone)
            return ""
        return _money(s.score) + ("✎" if s.hand else "")

    def show_check(self, check: Check) -> None:
        """New scores and marks: every row redrawn (a few dozen cells)."""
        self.check = check
        if self.sheet is None or self.row_count != self._rows():
            return
        for r in range(self.row_count):
            for c, cell in enumerate(self._cells(r)):
                self.update_cell_at((r, c), cell)  # type: ignore[arg-type]

    def set_text(self, path: FieldPath, text: str) -> None:
        """Show what is being typed into the cell of `path`."""
        if self.sheet is None or self.check is None:
            return
        for r in range(self.row_count):
            for key, _, _ in COLUMNS[self.kind]:
                if self.path_at(r, key) == path:
                    for c, cell in enumerate(self._cells(r, (path, text))):
                        self.update_cell_at((r, c), cell)  # type: ignore[arg-type]
                    return


def _value(sheet: Sheet, path: FieldPath) -> str:
    return value(sheet, path)


def score_line(sheet: Sheet, check: Check, kind: str) -> str:
    """The line above the table: the 总分 and 等级 as they are now (自评), or the progress."""
    if kind == EVALUATION:
        card = check.card
        if card is None:
            return "自评：还没有填写（在实际完成值中输入即开始）"
        rate = "—" if card.exec_rate is None else f"{float(card.exec_rate) * 100:.2f}%"
        return (
            f"自评  预算执行率 {rate}（{_money(card.exec_score)} 分）  "
            f"总分 {_money(card.total)}  等级 {card.grade}"
        )
    mo = sheet.monitoring
    filled = 0 if mo is None else sum(1 for r in mo.indicators if r.actual.strip())
    return f"监控  已填 {filled}/{len(sheet.indicators)} 条指标的 1-7月实际完成值"
