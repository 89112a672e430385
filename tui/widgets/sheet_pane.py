"""The open project: its header, weight bar, indicator table, detail line, cell editor and
findings, and the edit session they show.

The pane owns everything that happens inside one sheet: drawing it, typing into it, row
actions and undo, jumping from a finding to its cell. It knows nothing of files: the screen
opens a project into it (`open`), and saves, renames or reloads from `session`. Each change to
the session is announced with `SheetPane.Edited`, so the screen can show the unsaved state.
"""

from __future__ import annotations

from collections.abc import Sequence

from jixiao.store.rules import NATURES, Profile
from jixiao.store.session import (
    Check,
    DeleteRow,
    EditSession,
    FieldPath,
    InsertRow,
    MoveRow,
    Op,
    Paste,
    ReplaceSheet,
    SetField,
    SetFields,
    is_year_path,
    op_row,
    read_paste,
)
from jixiao.store.sheet import CAUSES, EVALUATION_KEY, LIKELIHOODS, MONITOR_KEY, TABLE_HEADER, Sheet
from jixiao.tui.screens.choice import ChoiceScreen
from jixiao.tui.widgets.cell_editor import CellEditor
from jixiao.tui.widgets.detail_line import DetailLine
from jixiao.tui.widgets.findings_list import FindingsList
from jixiao.tui.widgets.indicator_table import NAMES, IndicatorTable, cell_label
from jixiao.tui.widgets.sheet_header import HeaderPanel, path_label
from jixiao.tui.widgets.weight_bar import WeightBar
from jixiao.tui.widgets.year_table import FUNDING, KIND, VIEWS, YearTable, score_line, year_label
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Static

YEAR_VIEW_OF = {EVALUATION_KEY: "自评", MONITOR_KEY: "监控"}


def field_label(path: FieldPath, sheet: Sheet | None = None) -> str:
    """How a field is named to the user: `第3行 本年权重`, `项目总额`."""
    if is_year_path(path) and sheet is not None:
        return year_label(path, sheet)
    if path[0] == "indicators":
        return cell_label(int(path[1]), str(path[2]))
    return path_label(path)


class SheetPane(Vertical):
    """One project's sheet being edited (see the module docstring)."""

    class Edited(Message):
        """The session changed (an edit, an undo, a row action): the sheet is maybe dirty."""

    def __init__(self, profile: Profile, **kwargs) -> None:
        super().__init__(**kwargs)
        self.profile = profile
        self.session: EditSession | None = None
        self.view = VIEWS[0]  # 批复 (the approval), 监控 or 自评 (F6)

    def compose(self) -> ComposeResult:
        yield HeaderPanel(id="header")
        yield WeightBar(id="weights")
        yield IndicatorTable(id="table")
        yield Static("", id="year-score")
        yield YearTable(id="year")
        yield DetailLine(id="detail")
        yield CellEditor(id="editor")
        yield FindingsList(id="findings")

    def on_mount(self) -> None:
        self.editor.finish = self.finish_edit
        self.year.display = False
        self.query_one("#year-score").display = False
        # The pane is laid out from the start, under the screen's hint and out of the focus
        # chain, so that opening the first project fills widgets that already have their
        # sizes rather than laying the pane out for the first time.
        self.set_reachable(False)

    def set_reachable(self, yes: bool) -> None:
        for widget in (self.header, self.table, self.findings, self.year):
            widget.can_focus = yes

    @property
    def year(self) -> YearTable:
        return self.query_one(YearTable)

    @property
    def in_year(self) -> bool:
        return self.view != VIEWS[0]

    def switch_view(self) -> None:
        """批复 → 监控 → 自评 → 批复: the same project, its year shown beside the targets."""
        if self.session is None:
            return
        self.commit_editor()
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.table.display = not self.in_year
        self.year.display = self.in_year
        self.query_one("#year-score").display = self.in_year
        if self.in_year:
            room = self.table.size.width or self.size.width
            self.year.load(self.session.sheet, self.session.check, KIND[self.view], room)
            self._score_line(self.session.check)
            self.year.move_cursor(row=0, column=5 if self.view == "自评" else 5, animate=False)
            self.screen.set_focus(self.year)
        else:
            self.screen.set_focus(self.table)
        self.update_detail()

    def _score_line(self, check: Check) -> None:
        if self.session is not None and self.in_year:
            line = score_line(self.session.sheet, check, KIND[self.view])
            self.query_one("#year-score", Static).update(line)

    # -- widgets
    @property
    def table(self) -> IndicatorTable:
        return self.query_one(IndicatorTable)

    @property
    def header(self) -> HeaderPanel:
        return self.query_one(HeaderPanel)

    @property
    def editor(self) -> CellEditor:
        return self.query_one(CellEditor)

    @property
    def findings(self) -> FindingsList:
        return self.query_one(FindingsList)

    @property
    def weights(self) -> WeightBar:
        return self.query_one(WeightBar)

    @property
    def detail(self) -> DetailLine:
        return self.query_one(DetailLine)

    def draw_chains(self) -> list[Sequence[Widget]]:
        """The pane's widgets an open refills, for `tui.frames.draw_once`."""
        return [(w,) for w in (self.header, self.weights, self.table, self.detail, self.findings)]

    # ------------------------------------------------------------------ opening, drawing

    def open(self, sheet: Sheet, text: str) -> EditSession:
        """Start editing `sheet` (read from `text`), cursor and focus on its first cell."""
        self.editor.close()
        if self.session is None:
            self.set_reachable(True)
        self.session = EditSession(sheet, self.profile, text)
        self.redraw()
        self.table.go(0, "level1")
        # Focus now rather than through the app's queue (Widget.focus), so the restyling it
        # brings is in the same frame as the rest of the sheet, not a frame of its own. A year
        # view stays: the next project (or the file as it is now on disk) opens in it.
        self.screen.set_focus(self.year if self.in_year else self.table)
        self.update_detail()
        return self.session

    def close(self) -> None:
        """No sheet (its project was deleted): the screen covers the pane with its hint."""
        self.editor.close()
        self.session = None
        self.set_reachable(False)

    def redraw(self) -> None:
        s = self.session
        if s is None:
            return
        self.header.show(s.sheet, s.check)
        self.weights.show(s.check)
        self.table.load(s.sheet, s.check)
        if self.in_year:
            self.year.load(s.sheet, s.check, KIND[self.view])
            self._score_line(s.check)
        self.findings.show(s.check.findings)

    def show_check(self, check: Check) -> None:
        """Everything that depends on the findings, without rebuilding the table."""
        self.weights.show(check)
        self.table.show_check(check)
        if self.in_year:
            self.year.show_check(check)
            self._score_line(check)
        self.findings.show(check.findings)

    def update_detail(self) -> None:
        s = self.session
        if s is not None and self.in_year:
            path = self.year.path
            if path is None:
                self.detail.show(self.view, "（批复表的内容，只显示；在有下划线或可填的格中输入）")
            else:
                self.detail.show(field_label(path, s.sheet), s.value(path))
            return
        if s is None or not self.table.row_count:
            self.detail.show("指标表", "没有指标，按 Insert 新增一行")
            return
        row = self.table.cursor_coordinate.row
        name = self.table.field_name
        n = len([f for f in s.check.findings if f.row == row])
        note = (f"本行有 {n} 个问题" if n else "") + self.hidden_note()
        if name is None:
            self.detail.show(f"第{row + 1}行", s.sheet.indicators[row].level3, note)
            return
        path = ("indicators", row, name)
        self.detail.show(field_label(path), s.value(path), note)

    def hidden_note(self) -> str:
        """A line naming the columns that did not fit and the key that brings them back
        ('' when every column is shown)."""
        if not self.table.hidden:
            return ""
        hidden = "、".join(TABLE_HEADER[NAMES.index(h)] for h in self.table.hidden)
        return f"\n未显示 {hidden}：F2 隐藏项目列表即可显示"

    def show_text(self, path: FieldPath, text: str, check: Check) -> None:
        """Show `text` in the field at `path` (being typed, or back to its value)."""
        assert self.session is not None
        if is_year_path(path):
            self.year.set_text(path, text)
            self.detail.show(field_label(path, self.session.sheet), text)
        elif path[0] == "indicators":
            self.table.set_text(int(path[1]), str(path[2]), text)
            self.detail.show(field_label(path), text, self.hidden_note())
        else:
            self.header.show(self.session.sheet, check, {path: text})

    # ------------------------------------------------------------------ editing a field

    def choices(self, path: FieldPath) -> list[str]:
        assert self.session is not None
        name = path[-1]
        if is_year_path(path):
            if name == "cause":
                return list(CAUSES)
            if name == "likelihood":
                return list(LIKELIHOODS)
            if name == "actual" and path[1] == "indicators" and path[0] == "evaluation":
                ind = self.session.sheet.indicators[int(path[2])]
                if ind.nature.strip() == "定性":
                    return [b[0] for b in self.profile.scoring.bands]
            return []
        if name == "level1":
            return list(self.profile.levels)
        if name == "level2":
            row = self.session.sheet.indicators[int(path[1])]
            level1 = self.profile.level1(row.level1)
            if level1 is not None:
                return list(self.profile.levels[level1])
            return [v for vs in self.profile.levels.values() for v in vs]
        if name == "nature":
            return list(NATURES)
        return []

    def start_edit(self, path: FieldPath, typed: str | None = None) -> None:
        if self.session is None:
            return
        self.editor.open(
            path,
            field_label(path, self.session.sheet),
            self.session.value(path),
            self.choices(path),
            multiline=path == ("goal",),
            typed=typed,
        )

    def path_here(self) -> FieldPath | None:
        """The field under the focus: the table's cell, or the header's field."""
        if self.session is None:
            return None
        focused = self.screen.focused
        if focused is self.table:
            name = self.table.field_name
            if name is None or not self.table.row_count:
                return None
            return ("indicators", self.table.cursor_coordinate.row, name)
        if focused is self.header:
            return self.header.path
        if focused is self.year:
            return self.year.path
        return None

    def copied(self) -> tuple[str, str]:
        """What ctrl+c copies, and how the notice names it: the rows selected with
        shift+↑/↓ (or on the # column the cursor's row), one line each, cells tab-separated;
        else the field under the focus."""
        s = self.session
        assert s is not None
        path = self.path_here()
        if self.screen.focused is self.year:
            if path is not None:
                return field_label(path, s.sheet), s.value(path)
            return self.year.shown_cell()
        on_table = self.screen.focused is self.table
        rows = self.table.selection if on_table else None
        if rows is None and path is None and self.row is not None and on_table:
            rows = range(self.row, self.row + 1)
        if rows is not None:  # whole rows, as a spreadsheet copies them
            lines = ["\t".join(s.value(("indicators", i, n)) for n in NAMES) for i in rows]
            where = f"第{rows[0] + 1}行" if len(rows) == 1 else f"第{rows[0] + 1}–{rows[-1] + 1}行"
            return f"{where}（{len(NAMES)} 列，制表符分隔）", "\n".join(lines)
        if path is None:
            path = ("indicators", self.row, self.table.field_name or "level3")
            if self.row is None:
                path = self.header.path
        return field_label(path), s.value(path)

    async def route(self, event: events.Key | events.Paste) -> bool:
        """Act on a key or paste for the sheet now, before the next one is looked at;
        whether it was taken (if not, Textual delivers it as usual).

        The app hands every key here as it arrives, so the keys of a burst typed faster than
        the screen updates act one after another in the order typed: a key that opens or
        closes the cell editor has moved the focus before the next key is looked at, and the
        table's and the editor's own keys (arrows, Backspace, …) are run here too, not
        queued behind the others. Enter and typing on a field start an edit there and then
        (any printable character, as in a spreadsheet); in the editor Enter keeps the text
        and moves down a row, Tab and shift+Tab move right and left.
        """
        ed = self.editor
        if self.session is None:
            return False
        focused = self.screen.focused
        if not ed.is_open and focused not in (self.table, self.header, self.year):
            return False
        if isinstance(event, events.Paste):
            return self.paste(event.text, ed.path if ed.is_open else self.path_here())
        key = event.key
        active = self.app.active_bindings.get(key)
        if active is not None and active.binding.priority:
            return False  # the app's own (quit, the command palette)
        char = event.character if event.is_printable else None
        if ed.is_open:
            if ed.multiline:
                return False  # the 年度目标 area takes its keys (Enter is a new line) in order
            if key == "enter":
                self.finish_edit(True, down=1)
            elif key in ("tab", "shift+tab"):
                self.finish_edit(True, right=1 if key == "tab" else -1)
            elif key == "escape":
                self.finish_edit(False)
            elif key in ("up", "down"):
                ed.action_choice(-1 if key == "up" else 1)
            elif char:
                ed.feed(char)
            else:
                return await self.run_binding(active)
            return True
        if focused is self.table:
            if key in ("shift+up", "shift+down"):
                self.table.extend_selection(-1 if key == "shift+up" else 1)
                return True
            if key != "ctrl+c":
                self.table.clear_selection()
        path = self.path_here()
        if key == "enter" and path is not None:
            self.start_edit(path)
            return True
        if char and path is not None and path != ("goal",):
            self.start_edit(path, typed=char)
            return True
        if focused in (self.table, self.year) and key in ("tab", "shift+tab"):
            await focused.run_action("cursor_right" if key == "tab" else "cursor_left")
            return True
        return await self.run_binding(active)

    async def run_binding(self, active) -> bool:  # noqa: ANN001 (textual's ActiveBinding)
        """Run a key's binding as Textual would, but now (see `route`)."""
        if active is None or not active.enabled:
            return False
        # False when the action declined (Textual then tries the next binding of the key).
        return await self.app.run_action(active.binding.action, active.node)

    def paste(self, text: str, path: FieldPath | None) -> bool:
        """Pasted text, into the open editor or the field at `path`; nothing is dropped.

        Cells copied from a spreadsheet (tabs) fill the cells to the right and the rows
        below, as one undoable step; several lines into a one-line cell are joined, and the
        notice says so; the multi-line 年度目标 takes the text as it is.
        """
        if self.session is None or path is None or not text:
            return False
        ed = self.editor
        pasted = read_paste(text)
        if pasted.is_grid and path[0] == "indicators":
            if ed.is_open:
                ed.action_cancel()
            self.fill(path, pasted)
            return True
        if path == ("goal",) or pasted.lines == 1 and not pasted.is_grid:
            one = text if path == ("goal",) else text.strip("\r\n")
        else:
            one = pasted.joined()
            label = field_label(path, self.session.sheet)
            self.notify(f"粘贴了 {pasted.lines} 行，{label} 只有一行：已用空格连成一行")
        if ed.is_open:
            ed.feed(one)
        else:
            self.start_edit(path, typed=one)
        return True

    def fill(self, path: FieldPath, pasted: Paste) -> None:
        """Cells pasted from a spreadsheet, from the cell at `path` rightwards and down."""
        s = self.session
        assert s is not None
        row, col = int(path[1]), NAMES.index(str(path[2]))
        width = max(len(r) for r in pasted.rows)
        if col + width > len(NAMES) or row + pasted.lines > len(s.sheet.indicators):
            self.notify(
                f"没有粘贴：复制的内容有 {pasted.lines} 行 {width} 列，"
                f"从{field_label(path)}起放不下（只有 {len(NAMES) - col} 列、"
                f"{len(s.sheet.indicators) - row} 行）",
                severity="warning",
                timeout=8,
            )
            return
        cells = [
            (("indicators", row + i, NAMES[col + j]), cell)
            for i, line in enumerate(pasted.rows)
            for j, cell in enumerate(line)
        ]
        op = s.set_many(cells)
        if op is not None:
            self.after_change(op)
            self.table.go(row, str(path[2]))
        self.screen.set_focus(self.table)
        self.notify(f"已粘贴 {pasted.lines} 行 {width} 列（^z 一步撤销）")

    @on(DataTable.CellSelected, "#table")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        col = event.coordinate.column
        if 1 <= col <= len(self.table.names):
            self.start_edit(("indicators", event.coordinate.row, self.table.names[col - 1]))

    @on(IndicatorTable.Fitted)
    def _fitted(self) -> None:
        self.update_detail()

    @on(DataTable.CellSelected, "#year")
    def _year_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        path = self.year.path
        if path is not None:
            self.start_edit(path)

    @on(DataTable.CellHighlighted, "#year")
    def _year_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.update_detail()

    @on(DataTable.CellHighlighted, "#table")
    def _cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.update_detail()

    @on(HeaderPanel.EditRequested)
    def _header_edit(self, event: HeaderPanel.EditRequested) -> None:
        self.start_edit(event.path)

    @on(HeaderPanel.Moved)
    def _header_moved(self, event: HeaderPanel.Moved) -> None:
        if self.session is not None:
            self.detail.show(path_label(event.path), self.session.value(event.path))

    @on(CellEditor.Changed)
    def _typing(self, event: CellEditor.Changed) -> None:
        """Every keystroke: check the sheet as it would be, show it, commit nothing."""
        ed = self.editor
        if self.session is None or ed.path != event.path or ed.text != event.text:
            return  # the editor was closed (or typed on) since: nothing to preview
        check = self.session.preview(event.path, event.text)
        self.show_check(check)
        self.show_text(event.path, event.text, check)

    def finish_edit(self, commit: bool, down: int = 0, right: int = 0) -> None:
        """Close the editor, keeping its text (`commit`) or not, and move the cursor by
        `down` rows and `right` columns from the cell (as Enter and Tab do in a spreadsheet);
        the focus is back on the table or header before the next key is looked at."""
        ed = self.editor
        path = ed.path
        if path is None:
            return
        text = ed.text
        ed.close()
        s = self.session
        if s is None:
            return
        if commit:
            self.apply_set(path, text)
        else:
            self.show_check(s.check)
            self.show_text(path, s.value(path), s.check)
        if path[0] == "indicators":
            row = max(0, min(int(path[1]) + down, self.table.row_count - 1))
            self.table.go(row, self.table.step(str(path[2]), right))
            self.screen.set_focus(self.table)
            self.update_detail()
        elif is_year_path(path):
            self.year.step(path, down, right)
            self.screen.set_focus(self.year)
            self.update_detail()
        else:
            self.screen.set_focus(self.header)

    def apply_set(self, path: FieldPath, text: str) -> None:
        assert self.session is not None
        self.session.set(path, text)
        self.after_change(SetField(path, "", text))

    def commit_editor(self) -> None:
        """Apply what is in an open editor now (before save, quit or switching projects)."""
        ed = self.editor
        if ed.is_open and ed.path is not None:
            path, text = ed.path, ed.text
            ed.close()
            self.apply_set(path, text)

    def after_change(self, op: Op, undone: bool = False, column: str | None = None) -> None:
        """Redraw what an applied (or undone) operation touched, and put the cursor there."""
        s = self.session
        assert s is not None
        match op:
            case SetField(path=path) if is_year_path(path):
                self.show_check(s.check)
                if self.in_year:
                    self.year.set_text(path, s.value(path))
                    self.year.go_path(path)
            case SetField(path=("indicators", int(i), str(name))):
                self.table.set_text(i, name, s.value(("indicators", i, name)))
                self.show_check(s.check)
                self.header.show(s.sheet, s.check)
                self.table.go(i, name)
            case SetField(path=path):
                self.show_check(s.check)
                self.header.show(s.sheet, s.check)
                self.header.select(path)
            case InsertRow() | DeleteRow() | MoveRow() | SetFields():
                self.redraw()
                row = op_row(op, undone)
                if row is not None:
                    self.table.go(row, column)
            case ReplaceSheet():
                self._redraw_in_place()
        self.update_detail()
        self.post_message(self.Edited())

    def adopt(self, sheet: Sheet) -> None:
        """Show `sheet` (my edits merged with the disk's, being saved) as one step of the
        history; the cursor stays where it was. The screen marks it saved."""
        assert self.session is not None
        self.commit_editor()
        if self.session.adopt(sheet) is not None:
            self._redraw_in_place()
            self.update_detail()

    def _redraw_in_place(self) -> None:
        """Everything drawn again, the cursor on the same row and column (or the last row)."""
        row, column = self.row, self.table.field_name
        self.redraw()
        if row is not None and self.table.row_count:
            self.table.go(min(row, self.table.row_count - 1), column)

    # ------------------------------------------------------------------ rows and history

    @property
    def row(self) -> int | None:
        """The indicator row under the cursor (None without a sheet or rows)."""
        if self.session is None or not self.table.row_count:
            return None
        return self.table.cursor_coordinate.row

    def _inserted(self, at: int, column: str | None = None) -> None:
        assert self.session is not None
        self.after_change(InsertRow(at, self.session.sheet.indicators[at]), column=column)
        self.screen.set_focus(self.table)

    def rows_here(self) -> bool:
        """Rows are added, moved and deleted in the approval; say so in a year view."""
        if self.in_year:
            self.notify("指标行在批复视图中增删、移动（F6 切换）", severity="warning")
            return False
        return True

    def add_row(self) -> None:
        """A new row below the cursor's (same 一级/二级指标), the cursor on its 三级指标."""
        if self.session is not None and self.rows_here():
            self._inserted(self.session.new_row(self.row), "level3")

    def duplicate_row(self) -> None:
        row = self.row
        if self.session is not None and row is not None and self.rows_here():
            self._inserted(self.session.duplicate_row(row))

    @work(group="sheet-dialog")
    async def delete_row(self) -> None:
        """Delete the cursor's row, once the user confirms (undo brings it back)."""
        s, row = self.session, self.row
        if s is None or row is None or not self.rows_here():
            return
        ind = s.sheet.indicators[row]
        name = f"「{ind.level3}」" if ind.level3 else ""
        answer = await self.app.push_screen_wait(
            ChoiceScreen(
                "删除行",
                f"删除第{row + 1}行{name}？（可用 ^z 撤销）",
                [("delete", "删除"), ("cancel", "取消")],
            )
        )
        if answer == "delete" and self.session is s and s.sheet.indicators[row] is ind:
            s.delete_row(row)
            self.after_change(DeleteRow(row, ind))
            self.screen.set_focus(self.table)

    def move_row(self, delta: int) -> None:
        row = self.row
        if self.session is None or row is None or not self.rows_here():
            return
        to = self.session.move_row(row, delta)
        if to is not None:
            self.after_change(MoveRow(row, to))

    def undo(self) -> None:
        assert self.session is not None
        op = self.session.undo()
        if op is None:
            self.notify("没有可撤销的修改")
        else:
            self.after_change(op, undone=True)

    def redo(self) -> None:
        assert self.session is not None
        op = self.session.redo()
        if op is None:
            self.notify("没有可重做的修改")
        else:
            self.after_change(op)

    # ------------------------------------------------------------------ focus and jumps

    def focus_table(self) -> None:
        if self.session is not None:
            self.screen.set_focus(self.year if self.in_year else self.table)

    def focus_findings(self) -> None:
        if self.session is not None:
            self.screen.set_focus(self.findings)

    def focus_header(self) -> None:
        if self.session is not None:
            self.screen.set_focus(self.header)
            self.detail.show(path_label(self.header.path), self.session.value(self.header.path))

    @on(FindingsList.Jump)
    def _jump(self, event: FindingsList.Jump) -> None:
        f = event.finding
        p = f.path
        if p and p[0] in YEAR_VIEW_OF:  # a finding of the 监控 or 自评: to its view
            while self.view != YEAR_VIEW_OF[str(p[0])]:
                self.switch_view()
            if f.row is not None:
                self.year.move_cursor(row=len(FUNDING) + f.row, animate=False)
            self.screen.set_focus(self.year)
            return
        if len(p) == 3 and p[0] == "indicators":
            self.table.go(int(p[1]), str(p[2]))
            self.screen.set_focus(self.table)
        elif f.row is not None:
            self.table.go(f.row)
            self.screen.set_focus(self.table)
        elif p and p[0] != "indicators":
            path: FieldPath = p if p != ("funding",) else ("funding", "fiscal")
            self.header.select(path)
            self.screen.set_focus(self.header)
        else:
            self.screen.set_focus(self.table)
