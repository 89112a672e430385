"""Per-project summaries for lists (CLI `list`, the TUI's project tree).

Reading a summary must stay cheap for thousands of projects: the C safe loader, never the
round-trip loader, and a cache (store/cache.py) keyed by file stat and content hash, so an
unchanged file is not parsed again. The cache is only ever a shortcut: a file that changed
is read again, and a missing or damaged cache is rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from . import yamlfile
from .cache import Probe, ProjectCache, sheet_digest
from .errors import JixiaoError
from .model import Sheet, weight_total
from .workspace import ProjectRef, Workspace, project_text


@dataclass
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


def summarize(ref: ProjectRef, sheet: Sheet, expected_total: float = 100.0) -> Summary:
    total = weight_total(sheet)
    return Summary(
        ref=ref,
        unit=sheet.unit,
        project=sheet.project,
        total=sheet.total,
        indicators=len(sheet.indicators),
        weight_total=total,
        weight_ok=abs(total - expected_total) < 1e-9,
    )


_CACHED = {f.name: type(f.default) for f in fields(Summary) if f.name not in ("ref", "error")}


def _from_cache(ref: ProjectRef, facts: Any) -> Summary | None:
    """The cached summary, if it has exactly the fields and types a Summary has."""
    if not isinstance(facts, dict) or facts.keys() != _CACHED.keys():
        return None
    if not all(type(facts[k]) is t for k, t in _CACHED.items()):
        return None
    return Summary(ref=ref, **facts)


def _to_cache(s: Summary) -> dict[str, Any]:
    return {name: getattr(s, name) for name in _CACHED}


def load_probed(ws: Workspace, ref: ProjectRef, probe: Probe) -> Sheet:
    """The sheet of a project file, parsing the bytes the cache probe already read."""
    if probe.data is None:
        return ws.load(ref)
    return yamlfile.loads(project_text(probe.data, ref.rel), ref.rel)


def summaries(ws: Workspace) -> list[Summary]:
    """One summary per project file, in the workspace's order; unreadable files included."""
    cache = ProjectCache(ws.root)
    refs = ws.projects()
    out: list[Summary] = []
    for ref in refs:
        probe = cache.lookup(ref.rel, ref.path)
        if probe.entry is not None:
            cached = _from_cache(ref, probe.entry.get("summary"))
            if cached is not None:
                out.append(cached)
                continue
        try:
            sheet = load_probed(ws, ref, probe)
        except JixiaoError as e:
            out.append(Summary(ref=ref, unit=ref.unit_dir, project=ref.name, error=str(e)))
            continue
        summary = summarize(ref, sheet)
        cache.put(probe, summary=_to_cache(summary), digest=sheet_digest(sheet))
        out.append(summary)
    cache.retain({r.rel for r in refs})
    cache.save()
    return out
