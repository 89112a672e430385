"""The main screen: the project list on the left, the open project (a SheetPane) on the right.

The screen deals in projects and files: opening one into the pane, asking before unsaved
changes are lost, saving, renaming, creating, and the changes view. Everything inside one sheet
(drawing, typing, rows, undo) is the pane's, and all editing goes through
store.editing.EditSession.
"""

from __future__ import annotations

from collections.abc import Callable

from jixiao.store.errors import ConflictedFileError, JixiaoError
from jixiao.store.git import diff
from jixiao.store.rules import DEFAULT_PROFILE, Profile
from jixiao.store.session import EditSession
from jixiao.store.sheet import LABEL_OF
from jixiao.store.workspace import (
    ConflictError,
    ProjectExists,
    ProjectRef,
    Summary,
    Workspace,
    against_revision,
    create,
    delete,
    load_text,
    move,
    rename,
    summaries,
    summarize,
    template,
)
from jixiao.tui.frames import draw_once
from jixiao.tui.keys import APP_COMMANDS, FOOTER_FIRST, MAIN_COMMANDS, bindings
from jixiao.tui.screens.changes import ChangesScreen
from jixiao.tui.screens.choice import ChoiceScreen
from jixiao.tui.screens.disk import FollowsDisk, unsaved_fault
from jixiao.tui.screens.prompt import PromptScreen
from jixiao.tui.widgets.footer import QuietFooter
from jixiao.tui.widgets.project_list import ProjectList
from jixiao.tui.widgets.sheet_pane import SheetPane
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Static


def load_profile(ws: Workspace) -> tuple[Profile, str | None]:
    """The workspace's profile, or the default with the reason it could not be used."""
    try:
        return ws.profile(), None
    except JixiaoError as e:
        return DEFAULT_PROFILE, str(e)


START_HINT = "选择左侧的项目，按 Enter 打开。  ^f 筛选 · F1 帮助 · ^q 退出"
START_HINT_HIDDEN = "项目列表已隐藏（终端较窄）：按 F2 显示项目列表，选择项目后按 Enter 打开。  ^f 筛选 · F1 帮助 · ^q 退出"
NARROW = 100  # columns: below this the project list hides itself (F2 shows it)
SHORT = 34  # rows: below this the header folds to two lines (F3 unfolds it)


class MainScreen(FollowsDisk):
    # Quit and help first (see FOOTER_FIRST); the app's own bindings still take the keys.
    BINDINGS = bindings(
        tuple(c for name in FOOTER_FIRST for c in APP_COMMANDS if c.action == name)
    ) + bindings(MAIN_COMMANDS)

    def __init__(self, ws: Workspace, project: str | None = None) -> None:
        super().__init__()
        self.ws = ws
        self.profile, self.profile_error = load_profile(ws)
        self.start = project
        self.ref: ProjectRef | None = None
        self.moved_from: dict[str, str] = {}  # project file -> its path before a move or rename
        # The list's summary of the open project as saved, while the list shows its live one.
        self.saved_summary: Summary | None = None
        # What F2 / F3 chose (None: follow the terminal's size).
        self.list_shown: bool | None = None
        self.header_folded: bool | None = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            yield ProjectList(summaries(self.ws, self.profile), id="left")
            with Vertical(id="right"):
                yield Static(START_HINT, id="empty")
                yield SheetPane(self.profile, id="sheet")
        yield QuietFooter()

    def on_mount(self) -> None:
        self.start_following()
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

    # ------------------------------------------------------------------ fitting the terminal

    def on_resize(self, event: events.Resize) -> None:
        self.fit(event.size.width, event.size.height)

    def fit(self, width: int, height: int) -> None:
        """Give the sheet the room a small terminal has: the project list hides below NARROW
        columns, the header folds below SHORT rows (unless F2 / F3 said otherwise), and the
        margins and the findings box shrink, so that the weight total, the cell editor and
        at least five indicator rows stay in view at 80×24."""
        short = height < SHORT
        self.set_class(short, "-short")
        shown = self.list_shown if self.list_shown is not None else width >= NARROW
        self.projects.display = shown
        self.query_one("#empty", Static).update(START_HINT if shown else START_HINT_HIDDEN)
        folded = self.header_folded if self.header_folded is not None else short
        self.pane.header.set_compact(folded)

    def action_toggle_projects(self) -> None:
        self.list_shown = not self.projects.display
        self.fit(*self.app.size)
        if not self.list_shown and self.projects.has_focus_within:
            self.pane.focus_table()

    def action_switch_view(self) -> None:
        if self._need_project():
            self.pane.switch_view()

    def action_toggle_header(self) -> None:
        self.header_folded = not self.pane.header.compact
        self.fit(*self.app.size)

    @property
    def projects(self) -> ProjectList:
        return self.query_one(ProjectList)

    @property
    def pane(self) -> SheetPane:
        return self.query_one(SheetPane)

    @property
    def session(self) -> EditSession | None:
        return self.pane.session

    # ------------------------------------------------------------------ opening

    def open_project(self, ref: ProjectRef) -> bool:
        """Load one project (fast C loader; the round trip happens only at save)."""
        try:
            text = self.ws.read_text(ref)
            sheet = load_text(text, ref.rel)
        except ConflictedFileError as e:  # a merge left it so: settle it field by field
            self.settle_conflicted(ref, e)
            return False
        except JixiaoError as e:
            self.notify(str(e), severity="error", timeout=10)
            return False
        self.query_one("#empty").display = False  # uncovers the pane (the first time)
        if self.saved_summary is not None:  # unsaved changes were discarded: the saved state
            self.projects.update_summary(self.saved_summary)
            self.saved_summary = None
        self.ref = ref
        self.pane.open(sheet, text)
        self.watch_file(ref, text)
        self.projects.set_current(ref)
        self.update_title()
        # One layout and one frame for all of it, not one per widget (see tui/frames.py).
        title = self.query_one(Header)
        draw_once(
            self,
            [
                (self.projects.tree,),
                *self.pane.draw_chains(),
                (title, title.query_one("HeaderTitle")),  # the new title
            ],
        )
        return True

    def update_title(self) -> None:
        s = self.session
        if s is None or self.ref is None:
            self.app.title, self.app.sub_title = "jixiao", ""
            return
        self.app.title = f"{s.sheet.project}{' *' if s.dirty else ''}"
        self.app.sub_title = self.ref.rel + ("  未保存" if s.dirty else "")

    @on(SheetPane.Edited)
    def _edited(self) -> None:
        """The list shows the open project's live state (badge, findings) and `*` if unsaved."""
        self.update_title()
        s, ref = self.session, self.ref
        if s is None or ref is None:
            return
        if self.saved_summary is None:
            self.saved_summary = next((x for x in self.projects.summaries if x.ref == ref), None)
        self.projects.update_summary(self.summary())
        self.projects.show_unsaved(s.dirty)

    # ------------------------------------------------------------------ actions on the sheet

    def _need_project(self) -> bool:
        if self.session is None:
            self.notify("先打开一个项目", severity="warning")
            return False
        self.pane.commit_editor()
        return True

    def action_add_row(self) -> None:
        if self._need_project():
            self.pane.add_row()

    def action_duplicate_row(self) -> None:
        if self._need_project():
            self.pane.duplicate_row()

    def action_delete_row(self) -> None:
        if self._need_project():
            self.pane.delete_row()

    def action_move_up(self) -> None:
        if self._need_project():
            self.pane.move_row(-1)

    def action_move_down(self) -> None:
        if self._need_project():
            self.pane.move_row(1)

    def action_undo(self) -> None:
        if self._need_project():
            self.pane.undo()

    def action_redo(self) -> None:
        if self._need_project():
            self.pane.redo()

    async def action_quit(self) -> None:
        await self.app.action_quit()  # type: ignore[attr-defined]

    def action_help(self) -> None:
        self.app.action_help()  # type: ignore[attr-defined]

    def action_copy(self) -> None:
        """The current cell (on the # column: the whole row, tab-separated, as a spreadsheet
        copies it) to the clipboard, through the terminal (OSC 52)."""
        if not self._need_project() or self.session is None:
            return
        what, text = self.pane.copied()
        self.app.copy_to_clipboard(text)
        self.notify(f"已复制{what}到剪贴板（经终端 OSC 52 转交；终端不支持时剪贴板不变）")

    def action_focus_table(self) -> None:
        self.pane.focus_table()

    def action_focus_findings(self) -> None:
        self.pane.focus_findings()

    def action_edit_header(self) -> None:
        self.pane.focus_header()

    def action_filter(self) -> None:
        if not self.projects.display:
            self.list_shown = True
            self.fit(*self.app.size)
        self.projects.start_filter()

    def action_focus_projects(self) -> None:
        if not self.projects.display:
            self.list_shown = True
            self.fit(*self.app.size)
        self.set_focus(self.projects.tree)

    # ------------------------------------------------------------------ projects

    @on(ProjectList.Open)
    def _open(self, event: ProjectList.Open) -> None:
        ref = event.ref
        if ref == self.ref:
            self.set_focus(self.pane.table)
            return
        self.guard(lambda: self.open_project(ref), "打开另一个项目")

    def guard(self, then: Callable[[], object], doing: str) -> None:
        """Run `then` now, or after asking what to do with unsaved changes."""
        self.pane.commit_editor()
        s = self.session
        if s is None or not s.dirty:
            then()
        else:
            self._ask_unsaved(then, doing)

    @work(group="screen-dialog")
    async def _ask_unsaved(self, then: Callable[[], object], doing: str) -> None:
        s = self.session
        assert s is not None
        errors = self.errors_note()
        answer = await self.app.push_screen_wait(
            ChoiceScreen(
                "有未保存的修改",
                f"「{s.sheet.project}」有未保存的修改"
                + (f"，并且有{errors}" if errors else "")
                + f"。{doing}之前：",
                [("save", "保存"), ("discard", "不保存"), ("cancel", "取消")],
            )
        )
        if (answer == "save" and self.save()) or answer == "discard":
            then()

    # ------------------------------------------------------------------ saving

    def action_save(self) -> None:
        if self._need_project():
            self.save()

    def save(self, overwrite: bool = False) -> bool:
        """Write the project; on a conflict ask, and say False (nothing was written)."""
        s, ref = self.session, self.ref
        if s is None or ref is None:
            return False
        self.pane.commit_editor()
        if not s.dirty and not overwrite and ref.path.exists():  # gone: write it again
            self.notify("没有需要保存的修改")
            return True
        try:
            # 预算项目 or 单位信息 edited: the file moves to the path they give it.
            new_ref, text = move(self.ws, ref, s.sheet, s.base_text, overwrite)
        except ConflictError:
            self.merge_and_save()  # changed on disk: merge by field, ask where both changed
            return False
        except ProjectExists as e:
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
        except Exception as e:  # noqa: BLE001 - a fault of ours must never cost the edits
            self.notify(unsaved_fault(e), severity="error", timeout=15)
            return False
        self.written(ref, new_ref, text)
        return True

    def written(self, ref: ProjectRef, new_ref: ProjectRef, text: str, merged: str = "") -> None:
        """The open sheet is now the file at `new_ref` (moved from `ref` if they differ),
        holding `text`: saved, watched, and the list, title and a notice say so (`merged`:
        what the notice adds about changes merged in from disk)."""
        assert self.session is not None
        self.session.mark_saved(text)
        self.saved_summary = None
        self.projects.show_unsaved(False)
        self.watch_file(new_ref, text)
        if new_ref != ref:
            self.note_move(ref, new_ref)
            self.ref = new_ref
            self.projects.remove(ref)
        self.update_title()
        self.projects.update_summary(self.summary())
        if new_ref != ref:
            self.projects.set_current(new_ref)
        moved = f"（原 {ref.rel}）" if new_ref != ref else ""
        errors = self.errors_note()
        self.notify(
            f"已保存 {new_ref.rel}{moved}{merged}" + (f"（{errors}）" if errors else ""),
            severity="warning" if errors else "information",
            timeout=8 if errors or merged else 3,
        )

    def errors_note(self) -> str:
        """'1 个错误：E101 …' for the open sheet's errors, '' when it has none."""
        if self.session is None:
            return ""
        errors = [f for f in self.session.check.findings if f.severity == "error"]
        if not errors:
            return ""
        first = errors[0]
        more = " 等" if len(errors) > 1 else ""
        return f"{len(errors)} 个错误：{first.code} {first.message}{more}"

    def note_move(self, ref: ProjectRef, new_ref: ProjectRef) -> None:
        """Remember where a moved project came from, for the changes view."""
        first = self.moved_from.pop(ref.rel, ref.rel)
        if first != new_ref.rel:
            self.moved_from[new_ref.rel] = first

    def summary(self) -> Summary:
        assert self.session is not None and self.ref is not None
        return summarize(self.ref, self.session.sheet, profile=self.profile)

    @work(group="screen-dialog")
    async def ask_conflict(self) -> None:
        assert self.ref is not None
        answer = await self.app.push_screen_wait(
            ChoiceScreen(
                "文件已被修改",
                f"{self.ref.rel} 在打开后被其他程序修改了，保存会覆盖那些修改。",
                [
                    ("cancel", "取消（先不保存）"),
                    ("reload", "重新载入（放弃我的修改）"),
                    ("overwrite", "用我的版本覆盖"),
                ],
            )
        )
        if answer == "overwrite":
            self.save(overwrite=True)
        elif answer == "reload" and self.ref is not None:
            self.open_project(self.ref)
            self.notify("已重新载入磁盘上的版本")

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
            raw = diff(self.ws.root, rel)
            if before is not None:  # the old file's removal, then the new file
                raw = diff(self.ws.root, before) + raw
        except (JixiaoError, OSError) as e:
            self.notify(f"无法取得改动：{e}", severity="error")
            return
        self.app.push_screen(ChangesScreen(semantic, raw, s.dirty))

    def action_new_project(self) -> None:
        self.guard(self._new_project, "新建项目")

    @work(group="screen-dialog")
    async def _new_project(self) -> None:
        name = await self.app.push_screen_wait(
            PromptScreen("新建项目", "预算项目名称（单位与当前项目相同；确认后立即写入文件）：")
        )
        if not name:
            return
        like = self.session.sheet if self.session is not None else None
        unit = like.unit if like is not None else self._first_unit()
        sheet = template(unit, name, self.profile, like)
        try:
            ref, _ = create(self.ws, sheet)
        except (JixiaoError, OSError) as e:
            self.notify(str(e), severity="error", timeout=10)
            return
        except Exception as e:  # noqa: BLE001 - a fault of ours must never cost the edits
            self.notify(unsaved_fault(e, "没有新建"), severity="error", timeout=15)
            return
        self.projects.update_summary(summarize(ref, sheet, profile=self.profile))
        self.open_project(ref)
        self.notify(f"已新建 {ref.rel}")

    def _first_unit(self) -> str:
        return next((s.unit for s in self.projects.summaries if s.unit), "")

    def action_delete_project(self) -> None:
        if self._need_project():
            self._delete_project()

    @work(group="screen-dialog")
    async def _delete_project(self) -> None:
        s, ref = self.session, self.ref
        assert s is not None and ref is not None
        unsaved = "（未保存的修改也一并丢弃）" if s.dirty else ""
        answer = await self.app.push_screen_wait(
            ChoiceScreen(
                "删除项目",
                f"删除项目「{s.sheet.project}」的文件 {ref.rel}？{unsaved}"
                "git 中仍有它的历史，提交前可用 git checkout 找回。",
                [("cancel", "取消"), ("delete", "删除")],
            )
        )
        if answer != "delete" or self.session is not s:
            return
        try:
            delete(self.ws, ref, s.base_text)
        except ConflictError:
            self.notify(
                f"没有删除：{ref.rel} 在打开后被其他程序修改了。", severity="error", timeout=10
            )
            return
        except (JixiaoError, OSError) as e:
            self.notify(f"没有删除：{e}", severity="error", timeout=10)
            return
        except Exception as e:  # noqa: BLE001 - a fault of ours must never cost the edits
            self.notify(unsaved_fault(e, "没有删除"), severity="error", timeout=15)
            return
        self.saved_summary = None
        self.watch = None
        self.projects.remove(ref)
        self.close_project()
        self.notify(f"已删除 {ref.rel}")

    def close_project(self) -> None:
        """No project open: the hint covers the pane again."""
        self.ref = None
        self.pane.close()
        self.query_one("#empty").display = True
        self.projects.set_current(None)
        self.update_title()
        self.set_focus(self.projects.tree)

    def action_rename_project(self) -> None:
        if self._need_project():
            self.guard(self._rename_project, "改名")

    @work(group="screen-dialog")
    async def _rename_project(self) -> None:
        assert self.session is not None
        name = await self.app.push_screen_wait(
            PromptScreen(
                "改名",
                f"新的{LABEL_OF['project']}（确认后立即保存，文件随之移动）：",
                self.session.sheet.project,
            )
        )
        s, ref = self.session, self.ref
        if not name or s is None or ref is None or name == s.sheet.project:
            return
        try:
            new_ref, text = rename(self.ws, ref, s.sheet, s.base_text or "", name)
        except ConflictError:
            self.ask_conflict()
            return
        except ProjectExists as e:
            self.notify(f"没有改名：{e.rel} 已是另一个项目。", severity="error", timeout=10)
            return
        except (JixiaoError, OSError) as e:
            self.notify(str(e), severity="error", timeout=10)
            return
        except Exception as e:  # noqa: BLE001 - a fault of ours must never cost the edits
            self.notify(unsaved_fault(e, "没有改名"), severity="error", timeout=15)
            return
        self.note_move(ref, new_ref)
        self.saved_summary = None
        self.projects.remove(ref)
        self.projects.update_summary(summarize(new_ref, s.sheet, profile=self.profile))
        self.open_project(new_ref)
        self.notify(f"已改名：{new_ref.rel}")
