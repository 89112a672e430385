"""`jixiao import`: every sheet of the exported files into the store, all or nothing.

Each sheet is worked out first (the bytes its project file would get, and the digest of what
is there), without the workspace lock; then, under the lock, the new import records are
added to the history (jixiao-imports.yaml) as it is now and everything is written as one transaction
(store/disk/transaction.py): all or nothing, even under kill -9, and never over a file that changed
since it was read (another import, an editor's save) — that refuses the whole import. A sheet
equal to its file (`same_sheet`) writes nothing; the cache's digest says so without parsing
the file at all.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..disk import files, transaction
from ..disk.cache import ProjectCache
from ..disk.oserrors import cannot_read
from ..errors import ChangedOnDisk, ProjectFileError, ProjectTooLarge, WorkspaceError
from ..git import git
from ..merge.merge import merge
from ..projectfile import projectsize, yamlemit, yamlfile, yamlsave
from ..sheet.identity import same_sheet, sheet_digest
from ..sheet.model import Sheet
from ..year.form_files import is_form, read_form_file
from ..year.forms import TITLES, FormFill, apply_fill
from .sources import read_source

if TYPE_CHECKING:
    from .workspace import ProjectRef, Workspace

Progress = Callable[[int, int], None]


@dataclass
class ImportReport:
    """What an import did, by project file (workspace-relative path)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    sheets: int = 0
    changes: dict[str, tuple[Sheet | None, Sheet]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # "file: worksheet" holding no sheet
    merged: list[str] = field(default_factory=list)  # updated over uncommitted edits, kept
    forms: int = 0  # filled 自评表/监控表 read (store/year/forms.py)
    notes: list[str] = field(default_factory=list)  # what a form said that was not taken


def import_files(
    ws: Workspace, paths: Iterable[Path], progress: Progress | None = None, force: bool = False
) -> ImportReport:
    """Every sheet of every file into the store of `ws`, or nothing at all.

    An import never overwrites a project file with changes not committed to git (a person's
    edit would be lost) unless `force` is given: it merges with them by field instead, and
    refuses where both changed the same field.
    """
    parsed: list[tuple[Path, bytes, list[Sheet]]] = []
    filled: list[tuple[Path, bytes, list[FormFill]]] = []
    skipped: list[str] = []
    for path in dict.fromkeys(p.resolve() for p in paths):  # the same file once
        try:
            data = files.read_regular(path, files.SHEET_LIMIT)
        except OSError as e:
            raise WorkspaceError(cannot_read(path, e)) from None
        if is_form(data, str(path)):  # a filled 自评表 or 监控表, by its title
            filled.append((path, data, read_form_file(data, str(path))))
            continue
        source = read_source(ws, path, data)  # the tab export or a workbook, by content
        skipped += [f"{path.name}: {name}" for name in source.skipped]
        parsed.append((path, data, source.sheets))
    total = sum(len(s) for _, _, s in parsed)
    report = ImportReport(sheets=total, skipped=skipped)
    cache = ProjectCache(ws.root)
    writes: dict[Path, bytes] = {}
    expected: dict[Path, str | None] = {}  # digest of each target as read (None: none)
    written: dict[str, Sheet] = {}  # rel -> the sheet its staged bytes were made from
    targets: dict[str, tuple[Path, int, Sheet]] = {}  # rel -> the file and sheet it is for
    new_records: list[dict[str, Any]] = []
    done = 0
    for path, data, sheets in parsed:
        rels: list[str] = []
        for k, sheet in enumerate(sheets, 1):
            ref = ws.project_ref(sheet)
            if ref.rel in targets:
                _refuse_twice(path, k, sheet, ref.rel, *targets[ref.rel])
            targets[ref.rel] = (path, k, sheet)
            rels.append(ref.rel)
            before = writes.get(ref.path)
            try:
                _stage_sheet(ws, ref, sheet, writes, expected, report, cache)
            except ProjectTooLarge as e:
                raise WorkspaceError(f"{path}: 第 {k} 张表（{sheet.project}）{e.detail}") from None
            if writes.get(ref.path) is not before:
                written[ref.rel] = sheet
            done += 1
            if progress:
                progress(done, total)
        # A name the OS gave that is not UTF-8 is recorded with its bytes as \xNN: text.
        shown = os.fsencode(path.name).decode("utf-8", "backslashreplace")
        record = {"file": shown, "sha256": hashlib.sha256(data).hexdigest(), "sheets": rels}
        new_records.append(record)
    for path, data, fills in filled:
        rels = []
        for fill in fills:
            rel = _stage_fill(ws, path, fill, writes, expected, report, written)
            rels.append(rel)
        report.forms += len(fills)
        record = {"file": path.name, "sha256": hashlib.sha256(data).hexdigest(), "sheets": rels}
        new_records.append(record)
    if not force:
        _merge_over_uncommitted(ws, report, writes, written)
    transaction.testpoint("import-read")
    with transaction.locked(ws.root):
        # The history as it is now: records another import added meanwhile are kept.
        ws.settings.forget()
        history_now = transaction.file_digest(ws.settings.history)
        history_bytes = ws.settings.with_imports(new_records)
        for p, data in writes.items():  # never a file the reader would refuse
            try:
                projectsize.check_bytes(ws.relpath(p), data)
            except ProjectTooLarge as e:
                raise WorkspaceError(str(e)) from None
        changes = [transaction.Change(p, data, expected[p]) for p, data in writes.items()]
        if history_bytes is not None:
            changes.append(transaction.Change(ws.settings.history, history_bytes, history_now))
        try:
            transaction.commit(ws.root, changes, "import")
        except ChangedOnDisk as e:
            raise ChangedOnDisk(
                f"{e.rel}: 在本次导入读取之后被改动了（另一个 jixiao 或编辑器写过它）；"
                "为免覆盖，本次导入没有写入任何文件，请重新导入",
                e.rel,
                e.expected,
                e.actual,
            ) from None
        ws.settings.forget()
        for rel, sheet in written.items():
            path = ws.root / rel
            if path in writes:  # not one a merge with uncommitted edits left as it was
                cache.record_written(rel, path, writes[path], digest=sheet_digest(sheet))
        cache.save()
    return report


def _refuse_twice(
    path: Path, k: int, sheet: Sheet, rel: str, first: Path, first_k: int, first_sheet: Sheet
) -> None:
    """Two sheets of one import for one project file: never one silently kept. The same
    sheet given twice (two copies of one export) is fine."""
    if first == path:
        raise WorkspaceError(
            f"{path}: 第 {k} 张表的单位信息和预算项目与第 {first_k} 张表相同"
            f"（{sheet.unit} / {sheet.project}）"
        )
    if (first_sheet.unit, first_sheet.project) != (sheet.unit, sheet.project):
        raise WorkspaceError(
            f"{path}: 第 {k} 张表（{sheet.unit} / {sheet.project}）和 {first} 第 {first_k} 张表"
            f"（{first_sheet.unit} / {first_sheet.project}）对应同一个文件 {rel}；"
            "请给其中一个项目改名，没有导入任何文件"
        )
    if not same_sheet(first_sheet, sheet):
        raise WorkspaceError(
            f"{path}: 第 {k} 张表（{sheet.unit} / {sheet.project}）在 {first} 第 {first_k} "
            "张表也有，内容不同；一次导入只能有一份，请分开导入或删去一份，没有导入任何文件"
        )


def _merge_over_uncommitted(
    ws: Workspace, report: ImportReport, writes: dict[Path, bytes], written: dict[str, Sheet]
) -> None:
    """Projects this import updates that have uncommitted edits: the import (theirs) is
    merged with the file (ours) by field, from the committed version (base), so both
    survive; where both changed the same field the import is refused, naming it."""
    if not report.updated:
        return
    uncommitted = ws.uncommitted()  # git processes: once, not once per project
    dirty = [rel for rel in report.updated if rel in uncommitted]
    for rel in dirty:
        path = ws.root / rel
        committed = git.show(ws.root, "HEAD", rel)
        if committed is None or rel not in written:
            _refuse(rel, "")
        ours_text = yamlfile.project_text(path.read_bytes(), rel)
        ours = yamlfile.loads(ours_text, rel)
        base = yamlfile.loads(yamlfile.project_text(committed, rel), f"HEAD:{rel}")
        result = merge(base, ours, written[rel])
        if result.conflicts:
            _refuse(rel, result.conflicts[0].message())
        if same_sheet(result.ours, ours):  # the import brings nothing new: keep the file
            del writes[path]
            report.updated.remove(rel)
            report.changes.pop(rel, None)
            report.unchanged.append(rel)
            continue
        writes[path] = yamlsave.dumps(result.ours, ours_text).encode("utf-8")
        written[rel] = result.ours
        report.changes[rel] = (ours, result.ours)
        report.merged.append(rel)


def _stage_fill(
    ws: Workspace,
    path: Path,
    fill: FormFill,
    writes: dict[Path, bytes],
    expected: dict[Path, str | None],
    report: ImportReport,
    written: dict[str, Sheet],
) -> str:
    """Stage what a filled form adds to its project (by 实施单位 and 项目名称); the rel."""
    where = f"{path.name}:{fill.line}"
    ref = ws.project_ref(Sheet(unit=fill.unit, project=fill.project))
    if not ref.path.is_file() and not fill.unit:
        found = [r for r in ws.projects() if r.name == ref.name]
        if len(found) == 1:
            ref = found[0]
    if ref.path not in writes and not ref.path.is_file():
        raise WorkspaceError(
            f"{where}: {TITLES[fill.kind]}的项目 {fill.unit or '（未写单位）'} / {fill.project} "
            "不在工作区中；请先导入它的批复表，或核对实施单位和项目名称"
        )
    staged = writes.get(ref.path)
    if staged is not None:
        old_text = staged.decode("utf-8")
    else:
        data = ws.disk_bytes(ref)
        expected.setdefault(ref.path, transaction.digest(data))
        old_text = yamlfile.project_text(data or b"", ref.rel)
    try:
        old = yamlfile.loads(old_text, ref.rel)
    except ProjectFileError as e:
        raise e.adding("；请先修复或恢复此文件再导入") from None
    new, notes = apply_fill(old, fill, path.name)
    report.notes += notes
    if same_sheet(old, new):
        if ref.rel not in report.created + report.updated + report.unchanged:
            report.unchanged.append(ref.rel)
        return ref.rel
    writes[ref.path] = yamlsave.dumps(new, old_text).encode("utf-8")
    written[ref.rel] = new
    if ref.rel in report.unchanged:
        report.unchanged.remove(ref.rel)
    if ref.rel not in report.created + report.updated:
        report.updated.append(ref.rel)
        report.changes[ref.rel] = (old, new)
    else:
        first = report.changes.get(ref.rel, (old, new))[0]
        report.changes[ref.rel] = (first, new)
    return ref.rel


def _refuse(rel: str, conflict: str) -> None:
    why = f"本次导入修改了同一字段（{conflict}），" if conflict else "本次导入"
    raise WorkspaceError(
        f"{rel}: 有尚未提交到 git 的修改，{why}会覆盖这些修改；请先提交，或用 --force 导入"
    )


def _stage_sheet(
    ws: Workspace,
    ref: ProjectRef,
    sheet: Sheet,
    writes: dict[Path, bytes],
    expected: dict[Path, str | None],
    report: ImportReport,
    cache: ProjectCache,
) -> None:
    """Add to `writes` what the project file of `sheet` must become (nothing if equal)."""
    projectsize.check_sheet(ref.rel, sheet)  # before its YAML is made: that costs memory
    staged = writes.get(ref.path)
    old_text = staged.decode() if staged is not None else None
    probe = None
    if old_text is None:
        # Unchanged since the cache saw it, and the same sheet: nothing to parse or write.
        probe = cache.lookup(ref.rel, ref.path)
        digest = sheet_digest(sheet)
        if probe.entry is not None and probe.entry.get("digest") == digest:
            if ref.rel not in report.unchanged:
                report.unchanged.append(ref.rel)
            return
        if probe.data is not None:
            old_text = yamlfile.project_text(probe.data, ref.rel)
            expected.setdefault(ref.path, probe.sha)
    if old_text is None:
        data = ws.disk_bytes(ref)
        expected.setdefault(ref.path, transaction.digest(data))
        if data is not None:
            old_text = yamlfile.project_text(data, ref.rel)
    if old_text is None:
        writes[ref.path] = yamlemit.dumps_new(sheet, ref.rel).encode("utf-8")
        report.created.append(ref.rel)
        report.changes[ref.rel] = (None, sheet)
        return
    try:
        old = yamlfile.loads(old_text, ref.rel)
    except ProjectFileError as e:
        raise e.adding("；请先修复或恢复此文件再导入") from None
    if staged is None and (old.unit, old.project) != (sheet.unit, sheet.project):
        raise WorkspaceError(
            f"{ref.rel}: 存的是 {old.unit} / {old.project}，但表 "
            f"{sheet.unit} / {sheet.project} 对应同一个文件名（两个名称只差在文件名"
            "不能包含的字符上）；请给其中一个项目改名"
        )
    if sheet.monitoring is None and sheet.evaluation is None:
        # An approval carries no actual values: the year's blocks stay as the file has them.
        sheet.monitoring, sheet.evaluation = old.monitoring, old.evaluation
    if same_sheet(old, sheet):
        if ref.rel not in report.created + report.updated:
            report.unchanged.append(ref.rel)
        if probe is not None:
            cache.put(probe, digest=sheet_digest(sheet))
        return
    writes[ref.path] = yamlsave.dumps(sheet, old_text).encode("utf-8")
    if ref.rel in report.unchanged:
        report.unchanged.remove(ref.rel)
    if ref.rel not in report.created + report.updated:
        report.updated.append(ref.rel)
        report.changes[ref.rel] = (old, sheet)
