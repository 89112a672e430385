"""Making, moving and renaming project files (the TUI's `n`, `e` and `r`); no UI here.

The one place a project file changes its path: the new file and the files of import records
(jixiao-imports.yaml, and jixiao.yaml in a workspace made before) that name the path are
written together before the old file goes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..disk import transaction
from ..errors import ConflictError, ProjectExists, WorkspaceError
from ..projectfile import projectsize, yamlsave
from ..rules.profile import DEFAULT_PROFILE, Profile
from ..sheet.model import Funding, Indicator, Sheet, SheetLayout
from ..tab.export import sheet_defaults
from .workspace import ProjectRef, Workspace

__all__ = ["ProjectExists", "create", "delete", "move", "rename", "template"]

NATURE_OF_LEVEL1 = {"成本指标": "≤"}


def template(
    unit: str, project: str, profile: Profile | None = None, like: Sheet | None = None
) -> Sheet:
    """A new sheet: one row per 一级指标 of the profile, weights left for the person to fill.

    `like` (a sheet of the same unit) lends its 主管部门 and its layout facts.
    """
    profile = profile or DEFAULT_PROFILE
    rows = [
        Indicator(
            level1=level1,
            level2=(level2s[0] if level2s else ""),
            nature=NATURE_OF_LEVEL1.get(level1, "≥"),
        )
        for level1, level2s in profile.levels.items()
    ]
    layout = SheetLayout(recorded=False)
    if like is not None and like.layout.recorded:
        layout = sheet_defaults(like.layout)
    return Sheet(
        unit=unit,
        project=project,
        department=like.department if like is not None else "",
        total="0",
        exec_weight="10",
        funding=Funding(fiscal="0", special="0", unit_funds="0", social="0", loan="0"),
        indicators=rows,
        layout=layout,
    )


def create(ws: Workspace, sheet: Sheet) -> tuple[ProjectRef, str]:
    """Write a new project file; refuses to replace one that exists."""
    ref = ws.project_ref(sheet)
    if ref.path.exists():
        raise WorkspaceError(f"{ref.rel}: 已有同名的项目")
    return ref, ws.save(ref, sheet, None)


def move(
    ws: Workspace, ref: ProjectRef, sheet: Sheet, base_text: str | None, overwrite: bool = False
) -> tuple[ProjectRef, str]:
    """Save `sheet` (unsaved edits included) at the path its 单位信息 and 预算项目 give it,
    and remove the file at `ref` if that is another path: a 预算项目 or 单位信息 changed.

    `base_text` is what the file at `ref` held when it was loaded: if it changed on disk since,
    ConflictError, and nothing is written. A project already at the new path is never
    replaced (WorkspaceError, nothing written). The project keeps its place in the import
    order, so `jixiao export` still writes it where it was.
    """
    target = ws.project_ref(sheet)
    if target == ref:
        return ref, ws.save(ref, sheet, base_text, overwrite=overwrite)
    with transaction.locked(ws.root):
        data = ws.disk_bytes(ref)
        on_disk = None if data is None else data.decode("utf-8", errors="replace")
        if on_disk != base_text and not overwrite:
            raise ConflictError(f"{ref.rel}: 打开后已在磁盘上被改动，未保存")
        if target.path.exists():
            raise ProjectExists(
                f"{target.rel}: 已有单位信息和预算项目相同的项目；{ref.rel} 没有移动",
                target.rel,
            )
        text = yamlsave.dumps(sheet, base_text)
        _write_moved(ws, ref, target, text, transaction.digest(data))
    return target, text


def _write_moved(
    ws: Workspace, ref: ProjectRef, target: ProjectRef, text: str, old: str | None
) -> None:
    """Write `text` as `target` and remove `ref` (whose digest is `old`), renaming the path
    in the import records so the project keeps its place in the import order: one
    transaction, so an interruption leaves the old state or the new one, never a mix."""
    data = text.encode("utf-8")
    projectsize.check_bytes(target.rel, data)
    changes = [transaction.Change(target.path, data, None)]
    before = _records_digests(ws)
    ws.settings.forget()
    for path, data in ws.settings.renamed(ref.rel, target.rel):
        changes.append(transaction.Change(path, data, before[path]))
    if old is not None:
        changes.append(transaction.Change(ref.path, None, old))
    transaction.commit(ws.root, changes, "move")
    ws.settings.forget()


def _records_digests(ws: Workspace) -> dict[Path, str | None]:
    """The digests of the files holding import records, taken before they are read: a
    rewrite of one of them then replaces only what was read."""
    return {p: transaction.file_digest(p) for p in (ws.settings.path, ws.settings.history)}


def delete(ws: Workspace, ref: ProjectRef, base_text: str | None) -> None:
    """Remove a project's file (git keeps its history; `git checkout` brings it back), and
    its path from the import records: one transaction under the workspace lock.

    Only the file as it was loaded (`base_text`) is removed: if it changed on disk since,
    ConflictError and nothing is removed.
    """
    with transaction.locked(ws.root):
        data = ws.disk_bytes(ref)
        on_disk = None if data is None else data.decode("utf-8", errors="replace")
        if on_disk != base_text:
            raise ConflictError(f"{ref.rel}: 打开后已在磁盘上被改动，未删除")
        changes = []
        if data is not None:
            changes.append(transaction.Change(ref.path, None, transaction.digest(data)))
        before = _records_digests(ws)
        ws.settings.forget()
        for path, data in ws.settings.without(ref.rel):
            changes.append(transaction.Change(path, data, before[path]))
        transaction.commit(ws.root, changes, "delete")
        ws.settings.forget()


def rename(
    ws: Workspace, ref: ProjectRef, sheet: Sheet, base_text: str, new_name: str
) -> tuple[ProjectRef, str]:
    """Give a saved project a new 预算项目 and move its file to match.

    `sheet` must hold what `base_text` holds (no unsaved changes); it gets the new name.
    """
    target, text = move(ws, ref, replace(sheet, project=new_name), base_text)
    sheet.project = new_name
    return target, text
