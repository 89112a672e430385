"""`jixiao import`: every sheet of the exported files into the store, all or nothing.

Each sheet is staged first (the bytes its project file would get, next to what is there), and
only when every sheet of every file has been staged are the files and jixiao.yaml written, in
one atomic step. A sheet equal to its file (`same_sheet`) writes nothing; the cache's digest
says so without parsing the file at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import atomic, files, yamlemit, yamlfile, yamlsave
from .cache import ProjectCache
from .errors import ProjectFileError, WorkspaceError
from .identity import same_sheet, sheet_digest
from .model import Sheet
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


def import_files(
    ws: Workspace, paths: Iterable[Path], progress: Progress | None = None, force: bool = False
) -> ImportReport:
    """Every sheet of every file into the store of `ws`, or nothing at all.

    An import never overwrites a project file with changes not committed to git (a person's
    edit would be lost) unless `force` is given.
    """
    parsed: list[tuple[Path, bytes, list[Sheet]]] = []
    skipped: list[str] = []
    for path in dict.fromkeys(p.resolve() for p in paths):  # the same file once
        try:
            data = files.read_regular(path, files.SHEET_LIMIT)
        except OSError as e:
            raise WorkspaceError(f"{path}: cannot be read ({e.strerror})") from None
        source = read_source(ws, path, data)  # the tab export or a workbook, by content
        skipped += [f"{path.name}: {name}" for name in source.skipped]
        parsed.append((path, data, source.sheets))
    total = sum(len(s) for _, _, s in parsed)
    report = ImportReport(sheets=total, skipped=skipped)
    cache = ProjectCache(ws.root)
    writes: dict[Path, bytes] = {}
    written: dict[str, Sheet] = {}  # rel -> the sheet its staged bytes were made from
    targets: dict[str, tuple[Path, int]] = {}
    new_records: list[dict[str, Any]] = []
    done = 0
    for path, data, sheets in parsed:
        rels: list[str] = []
        for k, sheet in enumerate(sheets, 1):
            ref = ws.project_ref(sheet)
            if ref.rel in targets and targets[ref.rel][0] == path:
                raise WorkspaceError(
                    f"{path}, sheet {k}: the same 单位信息 and 预算项目 as sheet "
                    f"{targets[ref.rel][1]} ({sheet.unit} / {sheet.project})"
                )
            targets[ref.rel] = (path, k)
            rels.append(ref.rel)
            before = writes.get(ref.path)
            _stage_sheet(ws, ref, sheet, writes, report, cache)
            if writes.get(ref.path) is not before:
                written[ref.rel] = sheet
            done += 1
            if progress:
                progress(done, total)
        record = {"file": path.name, "sha256": hashlib.sha256(data).hexdigest(), "sheets": rels}
        new_records.append(record)
    if not force:
        _refuse_over_uncommitted(ws, report.updated)
    settings_bytes = ws.settings.with_imports(new_records)
    if settings_bytes is not None:
        writes[ws.settings.path] = settings_bytes
    if writes:
        atomic.write_all(writes)
        ws.settings.forget()
        for rel, sheet in written.items():
            path = ws.root / rel
            cache.record_written(rel, path, writes[path], digest=sheet_digest(sheet))
    cache.save()
    return report


def _refuse_over_uncommitted(ws: Workspace, updated: list[str]) -> None:
    if not updated:
        return
    dirty = [rel for rel in updated if rel in ws.uncommitted()]
    if dirty:
        more = f" (and {len(dirty) - 1} more)" if len(dirty) > 1 else ""
        raise WorkspaceError(
            f"{dirty[0]}{more}: has changes not committed to git that this import would "
            "overwrite; commit them first, or import with --force"
        )


def _stage_sheet(
    ws: Workspace,
    ref: ProjectRef,
    sheet: Sheet,
    writes: dict[Path, bytes],
    report: ImportReport,
    cache: ProjectCache,
) -> None:
    """Add to `writes` what the project file of `sheet` must become (nothing if equal)."""
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
    if old_text is None and ref.path.exists():
        old_text = ws.read_text(ref)
    if old_text is None:
        writes[ref.path] = yamlemit.dumps_new(sheet, ref.rel).encode("utf-8")
        report.created.append(ref.rel)
        report.changes[ref.rel] = (None, sheet)
        return
    try:
        old = yamlfile.loads(old_text, ref.rel)
    except ProjectFileError as e:
        raise e.adding("; fix or restore it before importing") from None
    if staged is None and (old.unit, old.project) != (sheet.unit, sheet.project):
        raise WorkspaceError(
            f"{ref.rel}: holds {old.unit} / {old.project}, but the sheet "
            f"{sheet.unit} / {sheet.project} maps to the same file name (the names differ "
            "only in characters a file name cannot hold); rename one of the projects"
        )
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
