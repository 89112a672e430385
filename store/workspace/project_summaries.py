"""Per-project summaries for lists (CLI `list`, the TUI's project tree).

Reading a summary must stay cheap for thousands of projects: the C safe loader, never the
round-trip loader, and a cache (store/disk/cache.py) keyed by file stat and content hash, so an
unchanged file is not parsed again. The cache is only ever a shortcut: a file that changed
is read again, and a missing or damaged cache is rebuilt.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

from ..disk.cache import CACHE_DIR, Probe, ProjectCache, key_of, read_blob, unchanged, write_blob
from ..errors import ConflictedFileError, JixiaoError
from ..projectfile import yamlfile
from ..rules.profile import DEFAULT_PROFILE, Profile
from ..rules.rules import weight_summary
from ..sheet.identity import sheet_digest
from ..sheet.model import Sheet
from ..year.findings import all_findings
from ..year.scoring import score_sheet
from .workspace import ProjectRef, Workspace, load_text


@dataclass(slots=True)
class Summary:
    ref: ProjectRef
    unit: str = ""
    project: str = ""
    total: str = ""  # 项目总额 as written
    indicators: int = 0
    weight_total: float = 0.0  # Σ 本年权重 + 预算执行率权重
    weight_ok: bool = False
    grade: str = ""  # the self-evaluation's 等级 ('' without one)
    findings: int = 0  # findings of the rules engine (errors + warnings)
    errors: int = 0
    notes: int = 0  # findings of severity info, not counted in `findings`
    # Merge conflicts the file holds: its values are then ours' side's; -1: markers where
    # neither side reads as a project (nothing but the file's path is known).
    conflicts: int = 0
    error: str | None = None  # the file could not be read: one sentence


def summarize(ref: ProjectRef, sheet: Sheet, profile: Profile | None = None) -> Summary:
    """The list line of one sheet; findings are counted under `profile` (default profile)."""
    profile = profile or DEFAULT_PROFILE
    weights = weight_summary(sheet, profile)
    findings = all_findings(sheet, profile)
    card = score_sheet(sheet, profile)
    return Summary(
        ref=ref,
        unit=sheet.unit,
        project=sheet.project,
        total=sheet.total,
        indicators=len(sheet.indicators),
        weight_total=weights.total,
        weight_ok=weights.ok,
        findings=sum(f.severity != "info" for f in findings),
        errors=sum(f.severity == "error" for f in findings),
        grade=card.grade if card is not None else "",
        notes=sum(f.severity == "info" for f in findings),
    )


_CACHED = tuple(f.name for f in fields(Summary) if f.name not in ("ref", "error"))
_TYPES = tuple(type(f.default) for f in fields(Summary) if f.name in _CACHED)
_ROW = 5 + len(_CACHED)  # a row of the list cache: mtime, ctime, size, inode, seen, *facts


def _from_cache(ref: ProjectRef, cached: Any, profile_key: str) -> Summary | None:
    """The cached summary, if made under this profile with exactly a Summary's fields
    (cached as [profile key, unit, project, …] in the order of Summary's fields)."""
    if type(cached) is not list or not cached or cached[0] != profile_key:
        return None
    return _from_facts(ref, cached[1:])


def _from_facts(ref: ProjectRef, facts: list[Any]) -> Summary | None:
    if tuple(map(type, facts)) != _TYPES:
        return None
    return Summary(ref, *facts)


def _to_cache(s: Summary, profile_key: str) -> list[Any]:
    return [profile_key, *(getattr(s, name) for name in _CACHED)]


def load_probed(ws: Workspace, ref: ProjectRef, probe: Probe) -> Sheet:
    """The sheet of a project file, parsing the bytes the cache probe already read."""
    if probe.data is None:
        return ws.load(ref)
    return load_text(yamlfile.project_text(probe.data, ref.rel), ref.rel)


LIST_CACHE = "summaries"  # .jixiao-cache/summaries.json: the list as last drawn


def summaries(ws: Workspace, profile: Profile | None = None) -> list[Summary]:
    """One summary per project file, in the workspace's order; unreadable files included.

    Fast path: the list as last made (one small cache file of stat + facts per project) for
    every file whose stat is unchanged and was not racy; the per-project cache (and, failing
    that, the file itself) for any other."""
    profile = profile or ws.profile()
    key = profile_key(profile)
    refs = ws.projects()
    root = str(ws.root)
    cache_dir = ws.root / CACHE_DIR
    old = read_blob(cache_dir, LIST_CACHE, key)  # under the profile key: other rules, no hit
    if not isinstance(old, dict):
        old = {}
    rows: dict[str, list[Any]] = {}
    cache = ProjectCache(ws.root)  # read only when the fast path misses
    out: list[Summary] = []
    stat = os.stat
    for ref in refs:
        rel = ref.rel
        path = f"{root}/{rel}"
        row = old.get(rel)
        if type(row) is list and len(row) == _ROW:
            try:
                st = stat(path)
            except OSError:
                pass
            else:
                if unchanged(row[:4], row[4], st):
                    summary = _from_facts(ref, row[5:])
                    if summary is not None:
                        out.append(summary)
                        rows[rel] = row
                        continue
        summary, probe = _summary(ws, ref, path, cache, profile, key)
        out.append(summary)
        if summary.error is None and probe.stat is not None:
            rows[rel] = [*probe.stat, probe.seen, *(getattr(summary, n) for n in _CACHED)]
    if rows != old:
        cache.retain({r.rel for r in refs})
        cache.save()
        write_blob(cache_dir, LIST_CACHE, key, rows)
    return out


def _summary(
    ws: Workspace, ref: ProjectRef, path: str, cache: ProjectCache, profile: Profile, key: str
) -> tuple[Summary, Probe]:
    """One project's summary from the per-project cache, or from the file."""
    probe = cache.lookup(ref.rel, path)
    if probe.entry is not None:
        cached = _from_cache(ref, probe.entry.get("summary"), key)
        if cached is not None:
            return cached, probe
    try:
        sheet = load_probed(ws, ref, probe)
    except ConflictedFileError as e:  # a merge left conflicts: summed up as ours' side
        summary = summarize(ref, e.conflicted.ours, profile)
        summary.conflicts = len(e.conflicted.conflicts)
        summary.error = str(e)
        return summary, probe
    except JixiaoError as e:
        error = Summary(ref=ref, unit=ref.unit_dir, project=ref.name, error=str(e))
        if probe.data is not None and b"\n<<<<<<< " in b"\n" + probe.data:
            error.conflicts = -1  # markers mid-field: neither side reads, still a conflict
        return error, probe
    summary = summarize(ref, sheet, profile)
    cache.put(probe, summary=_to_cache(summary, key), digest=sheet_digest(sheet))
    return summary, probe


def profile_key(profile: Profile) -> str:
    """What identifies the rules a cached fact was counted under: every field of the
    profile (key_of walks the dataclass, so a field added later is never left out)."""
    return key_of(profile)
