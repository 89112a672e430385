"""Per-project summaries for lists (CLI `list`, the TUI's project tree).

Reading a summary must stay cheap for thousands of projects: the C safe loader, never the
round-trip loader, and a cache (store/cache.py) keyed by file stat and content hash, so an
unchanged file is not parsed again. The cache is only ever a shortcut: a file that changed
is read again, and a missing or damaged cache is rebuilt.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from typing import Any

from . import yamlfile
from .cache import Probe, ProjectCache, sheet_digest
from .errors import JixiaoError
from .model import Sheet
from .profile import DEFAULT_PROFILE, Profile
from .rules import check_sheet, weight_summary
from .workspace import ProjectRef, Workspace, project_text


@dataclass(slots=True)
class Summary:
    ref: ProjectRef
    unit: str = ""
    project: str = ""
    total: str = ""  # 项目总额 as written
    indicators: int = 0
    weight_total: float = 0.0  # Σ 本年权重 + 预算执行率权重
    weight_ok: bool = False
    findings: int = 0  # findings of the rules engine (errors + warnings)
    errors: int = 0
    error: str | None = None  # the file could not be read: one sentence


def summarize(ref: ProjectRef, sheet: Sheet, profile: Profile | None = None) -> Summary:
    """The list line of one sheet; findings are counted under `profile` (default profile)."""
    profile = profile or DEFAULT_PROFILE
    weights = weight_summary(sheet, profile)
    findings = check_sheet(sheet, profile)
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
    )


_CACHED = tuple(f.name for f in fields(Summary) if f.name not in ("ref", "error"))
_TYPES = tuple(type(f.default) for f in fields(Summary) if f.name in _CACHED)


def _from_cache(ref: ProjectRef, cached: Any, profile_key: str) -> Summary | None:
    """The cached summary, if made under this profile with exactly a Summary's fields
    (cached as [profile key, unit, project, …] in the order of Summary's fields)."""
    if type(cached) is not list or not cached or cached[0] != profile_key:
        return None
    facts = cached[1:]
    if tuple(map(type, facts)) != _TYPES:
        return None
    return Summary(ref, *facts)


def _to_cache(s: Summary, profile_key: str) -> list[Any]:
    return [profile_key, *(getattr(s, name) for name in _CACHED)]


def load_probed(ws: Workspace, ref: ProjectRef, probe: Probe) -> Sheet:
    """The sheet of a project file, parsing the bytes the cache probe already read."""
    if probe.data is None:
        return ws.load(ref)
    return yamlfile.loads(project_text(probe.data, ref.rel), ref.rel)


def summaries(ws: Workspace, profile: Profile | None = None) -> list[Summary]:
    """One summary per project file, in the workspace's order; unreadable files included."""
    profile = profile or Profile.from_dict(ws.profile_data())
    key = profile_key(profile)
    cache = ProjectCache(ws.root)
    refs = ws.projects()
    root = str(ws.root)
    out: list[Summary] = []
    for ref in refs:
        probe = cache.lookup(ref.rel, f"{root}/{ref.rel}")
        if probe.entry is not None:
            cached = _from_cache(ref, probe.entry.get("summary"), key)
            if cached is not None:
                out.append(cached)
                continue
        try:
            sheet = load_probed(ws, ref, probe)
        except JixiaoError as e:
            out.append(Summary(ref=ref, unit=ref.unit_dir, project=ref.name, error=str(e)))
            continue
        summary = summarize(ref, sheet, profile)
        cache.put(probe, summary=_to_cache(summary, key), digest=sheet_digest(sheet))
        out.append(summary)
    cache.retain({r.rel for r in refs})
    cache.save()
    return out


def profile_key(profile: Profile) -> str:
    """What identifies the rules a cached summary was counted under."""
    parts = (
        profile.weight_total,
        [(k, list(v)) for k, v in profile.levels.items()],
        list(profile.required),
        list(profile.aliases.items()),
        sorted(profile.severity.items()),
        sorted(profile.disabled),
        [(i.project, sorted(i.codes), i.reason) for i in profile.ignores],
    )
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]
