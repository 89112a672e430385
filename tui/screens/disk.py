"""The main screen and the disk: follow the open project's file, merge at save, settle a
file a git merge left conflicted, keep the project list in step with store/.

A mixin of MainScreen, so the screen's own module stays about opening and editing. The
logic is store's (store/workspace/follow.py, store/merge/merge.py); this only asks and tells.
"""

from __future__ import annotations

import math
import os

from jixiao.store.errors import ConflictedFileError, ConflictError, JixiaoError, ProjectFileError
from jixiao.store.merge import resolve
from jixiao.store.rules import Profile
from jixiao.store.workspace import (
    DiskWatch,
    Pending,
    ProjectRef,
    Summary,
    Workspace,
    changes_in_words,
    load_text,
    merge_with_disk,
    move,
    pending_of,
    summaries,
)
from jixiao.tui.screens.choice import ChoiceScreen
from jixiao.tui.settle import ask_choices
from textual import work
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.worker import get_current_worker

POLL_ENV = "JIXIAO_POLL_SECONDS"  # how often the editor looks at the disk (tests shorten it)
POLL_SECONDS = 1.0
LIST_EVERY = 3  # polls between two looks at the whole store


def poll_seconds() -> float:
    """The poll interval: JIXIAO_POLL_SECONDS where it is a positive number, else 1 s."""
    try:
        seconds = float(os.environ.get(POLL_ENV, POLL_SECONDS))
    except ValueError:
        return POLL_SECONDS
    return seconds if seconds > 0 and math.isfinite(seconds) else POLL_SECONDS


def _briefly(items: list[str], most: int = 4) -> str:
    more = f" 等 {len(items)} 处" if len(items) > most else ""
    return "、".join(items[:most]) + more


def unsaved_fault(error: Exception, what: str = "没有保存") -> str:
    """The notice for a write that failed on a fault of jixiao's own (not the user's file):
    nothing was written, the edits stay open, and what to tell the maintainers."""
    return (
        f"{what}：jixiao 内部出错（{type(error).__name__}: {str(error)[:200]}）。"
        "修改都还在，可以继续编辑或换个方式再保存；请把这句话告诉维护人员。"
    )


class FollowsDisk(Screen[None]):
    """What MainScreen does about files changed by someone else (git pull, a colleague's
    editor, a script). MainScreen has the workspace, the open project and the widgets."""

    ws: Workspace
    ref: ProjectRef | None
    profile: Profile
    watch: DiskWatch | None = None
    saved_summary: Summary | None = None
    _polls = 0

    def start_following(self) -> None:
        self.set_interval(poll_seconds(), self.poll_disk)

    def watch_file(self, ref: ProjectRef, text: str) -> None:
        """The open project's file holds `text` now (after an open or a save)."""
        self.watch = DiskWatch(ref.path, text)

    # ------------------------------------------------------------------ polling

    def poll_disk(self) -> None:
        self._polls += 1
        if self._polls % LIST_EVERY == 0:
            self.refresh_list()
        w, s, ref = self.watch, self.session, self.ref
        if w is None or s is None or ref is None or self.app.screen is not self:
            return
        if w.path != ref.path:
            w.reset(s.base_text, ref.path)
        state = w.poll()
        if state == "deleted":
            self.notify(
                f"{ref.rel} 已被删除或移走。内容还在编辑器里，ctrl+s 会在原处重新保存。",
                severity="warning",
                timeout=10,
            )
        elif state == "changed":
            if s.dirty or self.pane.editor.is_open:
                self.notify(
                    f"{ref.rel} 在磁盘上被修改了；保存时会按字段合并，不会覆盖。",
                    severity="warning",
                    timeout=8,
                )
            else:
                self.follow_disk(ref)

    def follow_disk(self, ref: ProjectRef) -> None:
        """A clean view follows the file: load it again and say what changed."""
        s = self.session
        before = s.sheet if s is not None else None
        row = self.pane.row
        try:
            text = self.ws.read_text(ref)
            sheet = load_text(text, ref.rel)
        except ConflictedFileError:
            self.notify(f"{ref.rel} 有合并冲突；按 F5 重新载入，逐项选择。", severity="warning")
            return
        except JixiaoError as e:
            self.notify(f"磁盘上的文件无法读取：{e}", severity="error", timeout=10)
            return
        focused = self.app.focused
        self.pane.open(sheet, text)
        if row is not None:
            self.pane.table.go(row)
        if focused is not None and focused not in self.pane.query("*"):
            self.set_focus(focused)  # browsing the list: the reload does not take the focus
        self.watch_file(ref, text)
        self.update_title()
        self.projects.update_summary(self.summary())
        what = _briefly(changes_in_words(before, sheet)) if before is not None else ""
        self.notify(f"已载入磁盘上的新版本{'：' + what if what else ''}", timeout=4)

    @work(thread=True, exclusive=True, group="disk-list")
    def refresh_list(self) -> None:
        """The project list as store/ holds it now (files added, removed, changed)."""
        try:
            fresh = summaries(self.ws, self.profile)
        except (JixiaoError, OSError):
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_list, fresh)

    def _show_list(self, fresh: list) -> None:
        try:
            shown = self.projects
        except NoMatches:  # the screen closed while the list was read: nothing to show it on
            return
        ref = self.ref
        if self.saved_summary is not None and ref is not None:
            # The open project has unsaved edits: the list keeps showing their live state.
            live = next((x for x in shown.summaries if x.ref == ref), None)
            disk = next((x for x in fresh if x.ref == ref), None)
            if live is not None and disk is not None:
                self.saved_summary = disk
                fresh = [live if x.ref == ref else x for x in fresh]
        if fresh != shown.summaries:
            shown.summaries = fresh
            shown.fill()

    # ------------------------------------------------------------------ saving over a change

    @work(group="screen-dialog")
    async def merge_and_save(self) -> None:
        """ctrl+s found the file changed: merge my edits with it by field, asking only where
        both changed the same field; a file gone is said as such."""
        s, ref, ws = self.session, self.ref, self.ws
        if s is None or ref is None:
            return
        try:
            disk = ws.disk_text(ref)
        except JixiaoError as e:  # not readable now (a folder, a symlink loop): keep the edits
            self.notify(f"没有保存：{e}；修改都还在。", severity="error", timeout=10)
            return
        if disk is None:
            answer = await self.app.push_screen_wait(
                ChoiceScreen(
                    "文件已不在",
                    f"{ref.rel} 在打开后被删除或移走了。",
                    [("save", "在原处重新保存"), ("cancel", "取消（先不保存）")],
                )
            )
            if answer == "save":
                self._write(ref, s.sheet, None, None, "已在原处重新保存")
            return
        try:
            pending = merge_with_disk(s.base_text or "", s.sheet, disk, ref.rel)
        except ProjectFileError:
            self.ask_conflict()  # not a project file now: reload or overwrite, as before
            return
        sheet = await self._settle(
            pending, "保存时合并", "我方 = 你未保存的修改，对方 = 磁盘上的文件"
        )
        if sheet is None:
            self.notify("没有保存，修改都还在。", severity="warning")
            return
        came = _briefly(pending.from_disk)
        stored = self._store(ref, sheet, disk, None)
        if stored is None:
            return
        new_ref, text = stored
        # Saved: the merge becomes one step of the edit history (undo takes it back). The
        # dialogs were modal, so the open project is still this one.
        self.pane.adopt(sheet)
        merged = f"，并合并了磁盘上的修改：{came}（按 ctrl+z 可撤销合并）" if came else ""
        self.written(ref, new_ref, text, merged)

    async def _settle(self, pending: Pending, title: str, sides: str):
        result = pending.result
        if result.clean:
            return result.ours
        choices = await ask_choices(self.app, result.conflicts, title, sides)
        return None if choices is None else resolve(result, choices)

    def _store(
        self, ref: ProjectRef, sheet, base: str | None, document: str | None
    ) -> tuple[ProjectRef, str] | None:
        """Write a sheet (the file must still hold `base`; `document`: the text to edit, if
        not `base`): its path and text, or None after saying why nothing was written."""
        try:
            if document is None:
                return move(self.ws, ref, sheet, base)
            return ref, self.ws.save(ref, sheet, base, document=document)
        except ConflictError:
            self.notify("文件又被修改了，没有保存；请再按一次 ctrl+s。", severity="error")
        except (JixiaoError, OSError) as e:
            self.notify(f"没有保存：{e}", severity="error", timeout=10)
        except Exception as e:  # noqa: BLE001 - a fault of ours must never cost the edits
            self.notify(unsaved_fault(e), severity="error", timeout=15)
        return None

    def _write(self, ref: ProjectRef, sheet, base: str | None, document: str | None, said: str):
        """Write a sheet and open it afresh, saved (a file deleted while open saved again, a
        conflicted file settled)."""
        stored = self._store(ref, sheet, base, document)
        if stored is None:
            return
        new_ref, _ = stored
        if new_ref != ref:
            self.note_move(ref, new_ref)
            self.projects.remove(ref)
        row = self.pane.row
        if self.open_project(new_ref) and row is not None:
            self.pane.table.go(row)
        self.projects.update_summary(self.summary())
        self.notify(said, timeout=6)

    # ------------------------------------------------------------------ a conflicted file

    @work(group="screen-dialog")
    async def settle_conflicted(self, ref: ProjectRef, error: ConflictedFileError) -> None:
        """Open a file a merge left with conflicts: pick a side (or type) per field, then it
        is written without markers; `git add` it to finish the merge."""
        found = error.conflicted
        n = len(found.conflicts)
        try:
            text = self.ws.disk_text(ref)
        except JixiaoError as e:
            self.notify(f"没有保存：{e}；文件没有改动。", severity="error", timeout=10)
            return
        pending = pending_of(found)
        sheet = await self._settle(
            pending, f"合并冲突：{ref.name}（{n} 处）", "我方 = 合并前这一支，对方 = 合并进来的一支"
        )
        if sheet is None:
            self.notify(f"{ref.rel} 还有 {n} 处合并冲突，文件没有改动。", severity="warning")
            return
        self._write(
            ref,
            sheet,
            text,
            pending.document,
            f"已解决 {n} 处冲突并保存；git add 这个文件后提交即可完成合并",
        )
