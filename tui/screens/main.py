"""The main screen: the project list on the left, the open project on the right.

All editing goes through store.editing.EditSession; this module only wires keys and widgets
to it and decides what to redraw.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from store import git, projects, yamlfile
from store.changes import against_revision
from store.editing import (
    Check,
    DeleteRow,
    EditSession,
    FieldPath,
    InsertRow,
    MoveRow,
    Op,
    SetField,
    op_row,
)
from store.errors import JixiaoError
from store.fields import LABEL_OF, TABLE_HEADER
from store.index import Summary, summaries, summarize
from store.profile import DEFAULT_PROFILE, Profile
from store.rules import NATURES
from store.workspace import ConflictError, ProjectRef, Workspace
from tui.frames import draw_once
from tui.keys import MAIN_COMMANDS, bindings
from tui.screens.changes import ChangesScreen
from tui.screens.choice import ChoiceScreen
from tui.screens.prompt import PromptScreen
from tui.widgets.cell_editor import CellEditor
from tui.widgets.detail_line import DetailLine
from tui.widgets.findings_list import FindingsList
from tui.widgets.footer import QuietFooter
from tui.widgets.indicator_table import NAMES, IndicatorTable
from tui.widgets.project_list import ProjectList
from tui.widgets.sheet_header import HeaderPanel, path_label
from tui.widgets.weight_bar import WeightBar

NATURE_CHOICES = ["≥", "≤", "=", ">", "<", "定性"]
assert set(NATURE_CHOICES) == set(NATURES)


def load_profile(ws: Workspace) -> tuple[Profile, str | None]:
    """The workspace's profile, or the default with the reason it could not be used."""
    try:
        return ws.profile(), None
    except JixiaoError as e:
        return DEFAULT_PROFILE, str(e)


class MainScreen(Screen[None]):
    BINDINGS = bindings(MAIN_COMMANDS)

    def __init__(self, ws: Workspace, project: str | None = None) -> None:
        super().__init__()
        self.ws = ws
        self.profile, self.profile_error = load_profile(ws)
        self.start = project
        self.ref: ProjectRef | None = None
        self.session: EditSession | None = None
        self.moved_from: dict[str, str] = {}  # project file -> its path before a move or rename

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            yield ProjectList(summaries(self.ws, self.profile), id="left")
            with Vertical(id="right"):
                yield Static("选择左侧的项目，按 Enter 打开。  / 筛选 · F1 帮助", id="empty")
                with Vertical(id="sheet"):
                    yield HeaderPanel(id="header")
                    yield WeightBar(id="weights")
                    yield IndicatorTable(id="table")
                    yield DetailLine(id="detail")
                    yield CellEditor(id="editor")
                    yield FindingsList(id="findings")
        yield QuietFooter()

    def on_mount(self) -> None:
        self.table.typing = self.table_typing
        self.header.typing = self.header_typing
        # The sheet pane is laid out from the start, under the hint and out of the focus
        # chain, so that opening the first project fills widgets that already have their
        # sizes rather than laying the pane out for the first time (and again when each
        # widget learns its size).
        self._sheet_focusable(False)
        if self.profile_error:
            self.notify(
                f"jixiao.yaml 的 profile 无法使用，按默认规则检查：{self.profile_error}",
                severity="error",
                timeout=10,
            )
        if self.start:
            try:
                ref = self.ws.resolve(self.start)
            except JixiaoError as e:
                self.notify(str(e), severity="error", timeout=10)
            else:
                self.open_project(ref)
                return
        self.projects.tree.focus()

    def _sheet_focusable(self, yes: bool) -> None:
        for widget in (self.header, self.table, self.query_one(FindingsList)):
            widget.can_focus = yes

    # -- widgets
    @property
    def projects(self) -> ProjectList:
        return self.query_one(ProjectList)

    @property
    def table(self) -> IndicatorTable:
        return self.query_one(IndicatorTable)

    @property
    def header(self) -> HeaderPanel:
        return self.query_one(HeaderPanel)

    @property
    def editor(self) -> CellEditor:
        return self.query_one(CellEditor)

    # ------------------------------------------------------------------ opening

    def open_project(self, ref: ProjectRef) -> bool:
        """Load one project (fast C loader; the round trip happens only at save)."""
        try:
            text = self.ws.read_text(ref)
            sheet = yamlfile.loads(text, ref.rel)
        except JixiaoError as e:
            self.notify(str(e), severity="error", timeout=10)
            return False
        self.editor.close()
        if self.session is None:  # the first project opened: uncover the sheet pane
            self.query_one("#empty").display = False
            self._sheet_focusable(True)
        self.ref = ref
        self.session = EditSession(sheet, self.profile, text)
        self.projects.set_current(ref)
        self.redraw()
        self.table.go(0, "level1")
        # Focus now rather than through the app's queue (Widget.focus), so the restyling it
        # brings is in the same frame as the rest of the sheet, not a frame of its own.
        self.set_focus(self.table)
        self.update_detail()
        # One layout and one frame for all of it, not one per widget (see tui/frames.py).
        title = self.query_one(Header)
        draw_once(
            self,
            [
                (self.projects.tree,),
                (self.header,),
                (self.query_one(WeightBar),),
                (self.table,),
                (self.query_one(DetailLine),),
                (self.query_one(FindingsList),),
                (title, title.query_one("HeaderTitle")),  # the new title
            ],
        )
        return True

    def redraw(self, check: Check | None = None) -> None:
        s = self.session
        if s is None:
            return
        check = check or s.check
        self.header.show(s.sheet, check)
        self.query_one(WeightBar).show(check)
        self.table.load(s.sheet, check)
        self.query_one(FindingsList).show(check.findings)
        self.update_title()

    def show_check(self, check: Check) -> None:
        """Everything that depends on the findings, without rebuilding the table."""
        self.query_one(WeightBar).show(check)
        self.table.show_check(check)
        self.query_one(FindingsList).show(check.findings)

    def update_title(self) -> None:
        s = self.session
        if s is None or self.ref is None:
            self.app.title, self.app.sub_title = "jixiao", ""
            return
        self.app.title = f"{s.sheet.project}{' *' if s.dirty else ''}"
        self.app.sub_title = self.ref.rel + ("  未保存" if s.dirty else "")

    def update_detail(self) -> None:
        s = self.session
        if s is None or not self.table.row_count:
            self.query_one(DetailLine).show("指标表", "没有指标，按 a 新增一行")
            return
        row = self.table.cursor_coordinate.row
        name = self.table.field_name
        n = len([f for f in s.check.findings if f.row == row])
        note = f"本行有 {n} 个问题" if n else ""
        if name is None:
            ind = s.sheet.indicators[row]
            self.query_one(DetailLine).show(f"第{row + 1}行", ind.level3, note)
            return
        text = s.value(("indicators", row, name))
        self.query_one(DetailLine).show(
            f"第{row + 1}行 {TABLE_HEADER[NAMES.index(name)]}", text, note
        )

    # ------------------------------------------------------------------ editing

    def choices(self, path: FieldPath) -> list[str]:
        assert self.session is not None
        name = path[-1]
        if name == "level1":
            return list(self.profile.levels)
        if name == "level2":
            row = self.session.sheet.indicators[int(path[1])]
            level1 = self.profile.level1(row.level1)
            if level1 is not None:
                return list(self.profile.levels[level1])
            return [v for vs in self.profile.levels.values() for v in vs]
        if name == "nature":
            return NATURE_CHOICES
        return []

    def start_edit(self, path: FieldPath, typed: str | None = None) -> None:
        if self.session is None:
            return
        if path[0] == "indicators":
            label = f"第{int(path[1]) + 1}行 {TABLE_HEADER[NAMES.index(str(path[2]))]}"
        else:
            label = path_label(path)
        self.editor.open(
            path,
            label,
            self.session.value(path),
            self.choices(path),
            multiline=path == ("goal",),
            typed=typed,
        )

    def table_typing(self, event: events.Key | events.Paste) -> bool:
        """Keys and pastes on the table, before its bindings (see `typing`)."""
        path: FieldPath | None = None
        name = self.table.field_name
        if self.session is not None and name is not None and self.table.row_count:
            path = ("indicators", self.table.cursor_coordinate.row, name)
        return self.typing(event, path, type_to_edit=True)

    def header_typing(self, event: events.Key | events.Paste) -> bool:
        """Keys and pastes on the header (see `typing`); 年度目标 opens with Enter only."""
        path = self.header.path if self.session is not None else None
        return self.typing(event, path, type_to_edit=path != ("goal",))

    def typing(
        self, event: events.Key | events.Paste, path: FieldPath | None, type_to_edit: bool
    ) -> bool:
        """Whether a key (or paste) on the field at `path` starts or feeds an edit.

        Enter edits the field at once, with no message round trip; a printable character
        that is no command key starts editing it with that character (as a spreadsheet
        does). Keys still on their way to the table or header when the editor opened go on
        to the editor, so typing straight after Enter loses nothing.
        """
        ed = self.editor
        if isinstance(event, events.Paste):
            text = event.text.splitlines()[0] if event.text else ""
            key, char = None, text or None
        else:
            key, char = event.key, event.character if event.is_printable else None
        if ed.is_open:
            if key == "enter":
                ed.commit()
            elif key == "escape":
                ed.action_cancel()
            elif char:
                ed.feed(char)
            else:
                return False
            return True
        if path is None:
            return False
        if key == "enter":
            self.start_edit(path)
            return True
        if type_to_edit and char and (key is None or key not in self.app.active_bindings):
            self.start_edit(path, typed=char)
            return True
        return False

    @on(DataTable.CellSelected, "#table")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        col = event.coordinate.column
        if col >= 1:
            self.start_edit(("indicators", event.coordinate.row, NAMES[col - 1]))

    @on(DataTable.CellHighlighted, "#table")
    def _cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.update_detail()

    @on(HeaderPanel.EditRequested)
    def _header_edit(self, event: HeaderPanel.EditRequested) -> None:
        self.start_edit(event.path)

    @on(HeaderPanel.Moved)
    def _header_moved(self, event: HeaderPanel.Moved) -> None:
        if self.session is not None:
            self.query_one(DetailLine).show(path_label(event.path), self.session.value(event.path))

    @on(CellEditor.Changed)
    def _typing(self, event: CellEditor.Changed) -> None:
        """Every keystroke: check the sheet as it would be, show it, commit nothing."""
        if self.session is None:
            return
        check = self.session.preview(event.path, event.text)
        self.show_check(check)
        self.show_text(event.path, event.text, check)

    def show_text(self, path: FieldPath, text: str, check: Check) -> None:
        assert self.session is not None
        if path[0] == "indicators":
            self.table.set_text(int(path[1]), str(path[2]), text)
            self.query_one(DetailLine).show(
                f"第{int(path[1]) + 1}行 {TABLE_HEADER[NAMES.index(str(path[2]))]}", text
            )
        else:
            self.header.show(self.session.sheet, check, {path: text})

    @on(CellEditor.Committed)
    def _committed(self, event: CellEditor.Committed) -> None:
        self.apply_set(event.path, event.text)
        self.refocus(event.path)

    @on(CellEditor.Cancelled)
    def _cancelled(self, event: CellEditor.Cancelled) -> None:
        if self.session is None:
            return
        self.show_check(self.session.check)
        self.show_text(event.path, self.session.value(event.path), self.session.check)
        self.refocus(event.path)

    def refocus(self, path: FieldPath) -> None:
        if path[0] == "indicators":
            self.table.focus()
            self.update_detail()
        else:
            self.header.focus()

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

    def after_change(self, op: Op, undone: bool = False) -> None:
        """Redraw what an applied (or undone) operation touched, and put the cursor there."""
        s = self.session
        assert s is not None
        match op:
            case SetField(path=("indicators", int(i), str(name))):
                self.table.set_text(i, name, s.value(("indicators", i, name)))
                self.show_check(s.check)
                self.header.show(s.sheet, s.check)
                self.table.go(i, name)
            case SetField(path=path):
                self.show_check(s.check)
                self.header.show(s.sheet, s.check)
                self.header.select(path)
            case InsertRow() | DeleteRow() | MoveRow():
                self.redraw()
                row = op_row(op, undone)
                if row is not None:
                    self.table.go(row)
        self.update_title()
        self.update_detail()

    # ------------------------------------------------------------------ actions: rows

    def _row(self) -> int | None:
        if self.session is None or not self.table.row_count:
            return None
        return self.table.cursor_coordinate.row

    def _need_project(self) -> bool:
        if self.session is None:
            self.notify("先打开一个项目", severity="warning")
            return False
        self.commit_editor()
        return True

    def action_add_row(self) -> None:
        if not self._need_project():
            return
        assert self.session is not None
        at = self.session.new_row(self._row())
        self.redraw()
        self.table.go(at, "level3")
        self.table.focus()
        self.update_title()
        self.update_detail()

    def action_duplicate_row(self) -> None:
        row = self._row()
        if not self._need_project() or row is None:
            return
        assert self.session is not None
        at = self.session.duplicate_row(row)
        self.after_change(InsertRow(at, self.session.sheet.indicators[at]))

    def action_delete_row(self) -> None:
        row = self._row()
        if not self._need_project() or row is None:
            return
        assert self.session is not None
        ind = self.session.sheet.indicators[row]
        name = f"「{ind.level3}」" if ind.level3 else ""

        def done(answer: str | None) -> None:
            if answer == "delete" and self.session is not None:
                self.session.delete_row(row)
                self.after_change(DeleteRow(row, ind))
                self.table.focus()

        self.app.push_screen(
            ChoiceScreen(
                "删除行",
                f"删除第{row + 1}行{name}？（可用 ^z 撤销）",
                [("delete", "删除"), ("cancel", "取消")],
            ),
            done,
        )

    def _move(self, delta: int) -> None:
        row = self._row()
        if not self._need_project() or row is None:
            return
        assert self.session is not None
        to = self.session.move_row(row, delta)
        if to is not None:
            self.after_change(MoveRow(row, to))

    def action_move_up(self) -> None:
        self._move(-1)

    def action_move_down(self) -> None:
        self._move(1)

    def action_undo(self) -> None:
        if not self._need_project():
            return
        assert self.session is not None
        op = self.session.undo()
        if op is None:
            self.notify("没有可撤销的修改")
        else:
            self.after_change(op, undone=True)

    def action_redo(self) -> None:
        if not self._need_project():
            return
        assert self.session is not None
        op = self.session.redo()
        if op is None:
            self.notify("没有可重做的修改")
        else:
            self.after_change(op)

    # ------------------------------------------------------------------ actions: focus

    def action_filter(self) -> None:
        self.projects.start_filter()

    def action_focus_table(self) -> None:
        if self.session is not None:
            self.table.focus()

    def action_focus_projects(self) -> None:
        self.projects.tree.focus()

    def action_focus_findings(self) -> None:
        if self.session is not None:
            self.query_one(FindingsList).focus()

    def action_edit_header(self) -> None:
        if self.session is not None:
            self.header.focus()
            self.query_one(DetailLine).show(
                path_label(self.header.path), self.session.value(self.header.path)
            )

    @on(FindingsList.Jump)
    def _jump(self, event: FindingsList.Jump) -> None:
        f = event.finding
        p = f.path
        if len(p) == 3 and p[0] == "indicators":
            self.table.go(int(p[1]), str(p[2]))
            self.table.focus()
        elif f.row is not None:
            self.table.go(f.row)
            self.table.focus()
        elif p and p[0] != "indicators":
            path: FieldPath = p if p != ("funding",) else ("funding", "fiscal")
            self.header.select(path)
            self.header.focus()
        else:
            self.table.focus()

    # ------------------------------------------------------------------ projects

    @on(ProjectList.Open)
    def _open(self, event: ProjectList.Open) -> None:
        ref = event.ref
        if ref == self.ref:
            self.table.focus()
            return
        self.guard(lambda: self.open_project(ref), "打开另一个项目")

    def guard(self, then: Callable[[], object], doing: str) -> None:
        """Run `then` now, or after asking what to do with unsaved changes."""
        self.commit_editor()
        s = self.session
        if s is None or not s.dirty:
            then()
            return

        def done(answer: str | None) -> None:
            if answer == "save":
                if self.save():
                    then()
            elif answer == "discard":
                then()

        self.app.push_screen(
            ChoiceScreen(
                "有未保存的修改",
                f"「{s.sheet.project}」有未保存的修改。{doing}之前：",
                [("save", "保存"), ("discard", "不保存"), ("cancel", "取消")],
            ),
            done,
        )

    # ------------------------------------------------------------------ saving

    def action_save(self) -> None:
        if self._need_project():
            self.save()

    def save(self, overwrite: bool = False) -> bool:
        """Write the project; on a conflict ask, and say False (nothing was written)."""
        s, ref = self.session, self.ref
        if s is None or ref is None:
            return False
        self.commit_editor()
        if not s.dirty and not overwrite:
            self.notify("没有需要保存的修改")
            return True
        try:
            # 预算项目 or 单位信息 edited: the file moves to the path they give it.
            new_ref, text = projects.move(self.ws, ref, s.sheet, s.base_text, overwrite)
        except ConflictError:
            self.ask_conflict()
            return False
        except projects.ProjectExists as e:
            self.notify(
                f"没有保存：{e.rel} 已是另一个项目（单位信息和预算项目相同）。"
                "请换个名称再保存，修改都还在。",
                severity="error",
                timeout=10,
            )
            return False
        except (JixiaoError, OSError) as e:
            self.notify(f"没有保存：{e}", severity="error", timeout=10)
            return False
        s.mark_saved(text)
        if new_ref != ref:
            self.note_move(ref, new_ref)
            self.ref = new_ref
            self.projects.remove(ref)
        self.update_title()
        self.projects.update_summary(self.summary())
        if new_ref != ref:
            self.projects.set_current(new_ref)
        self.notify(f"已保存 {new_ref.rel}" + (f"（原 {ref.rel}）" if new_ref != ref else ""))
        return True

    def note_move(self, ref: ProjectRef, new_ref: ProjectRef) -> None:
        """Remember where a moved project came from, for the changes view."""
        first = self.moved_from.pop(ref.rel, ref.rel)
        if first != new_ref.rel:
            self.moved_from[new_ref.rel] = first

    def summary(self) -> Summary:
        assert self.session is not None and self.ref is not None
        return summarize(self.ref, self.session.sheet, profile=self.profile)

    def ask_conflict(self) -> None:
        assert self.ref is not None

        def done(answer: str | None) -> None:
            if answer == "overwrite":
                self.save(overwrite=True)
            elif answer == "reload" and self.ref is not None:
                self.open_project(self.ref)
                self.notify("已重新载入磁盘上的版本")

        self.app.push_screen(
            ChoiceScreen(
                "文件已被修改",
                f"{self.ref.rel} 在打开后被其他程序修改了，保存会覆盖那些修改。",
                [
                    ("cancel", "取消（先不保存）"),
                    ("reload", "重新载入（放弃我的修改）"),
                    ("overwrite", "用我的版本覆盖"),
                ],
            ),
            done,
        )

    def action_reload(self) -> None:
        if self.ref is not None:
            ref = self.ref
            self.guard(lambda: self.open_project(ref), "重新载入")

    # ------------------------------------------------------------------ changes, new, rename

    def action_changes(self) -> None:
        if not self._need_project() or self.ref is None or self.session is None:
            return
        rel, s = self.ref.rel, self.session
        before = self.moved_from.get(rel)
        try:
            semantic = against_revision(
                self.ws, rel, s.sheet, "HEAD", self.profile.weight_total, before
            )
            raw = git.diff(self.ws.root, rel)
            if before is not None:  # the old file's removal, then the new file
                raw = git.diff(self.ws.root, before) + raw
        except (JixiaoError, OSError) as e:
            self.notify(f"无法取得改动：{e}", severity="error")
            return
        self.app.push_screen(ChangesScreen(semantic, raw, s.dirty))

    def action_new_project(self) -> None:
        def named(name: str | None) -> None:
            if not name:
                return
            like = self.session.sheet if self.session is not None else None
            unit = like.unit if like is not None else self._first_unit()
            sheet = projects.template(unit, name, self.profile, like)
            try:
                ref, _ = projects.create(self.ws, sheet)
            except (JixiaoError, OSError) as e:
                self.notify(str(e), severity="error", timeout=10)
                return
            self.projects.update_summary(summarize(ref, sheet, profile=self.profile))
            self.open_project(ref)
            self.notify(f"已新建 {ref.rel}")

        def ask() -> None:
            self.app.push_screen(
                PromptScreen("新建项目", "预算项目名称（单位与当前项目相同）："), named
            )

        self.guard(ask, "新建项目")

    def _first_unit(self) -> str:
        return next((s.unit for s in self.projects.summaries if s.unit), "")

    def action_rename_project(self) -> None:
        if not self._need_project():
            return

        def named(name: str | None) -> None:
            s, ref = self.session, self.ref
            if not name or s is None or ref is None or name == s.sheet.project:
                return
            try:
                new_ref, text = projects.rename(self.ws, ref, s.sheet, s.base_text or "", name)
            except ConflictError:
                self.ask_conflict()
                return
            except projects.ProjectExists as e:
                self.notify(f"没有改名：{e.rel} 已是另一个项目。", severity="error", timeout=10)
                return
            except (JixiaoError, OSError) as e:
                self.notify(str(e), severity="error", timeout=10)
                return
            self.note_move(ref, new_ref)
            self.projects.remove(ref)
            self.projects.update_summary(summarize(new_ref, s.sheet, profile=self.profile))
            self.open_project(new_ref)
            self.notify(f"已改名：{new_ref.rel}")

        def ask() -> None:
            assert self.session is not None
            self.app.push_screen(
                PromptScreen(
                    "改名",
                    f"新的{LABEL_OF['project']}（文件随之移动）：",
                    self.session.sheet.project,
                ),
                named,
            )

        self.guard(ask, "改名")
