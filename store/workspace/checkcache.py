"""`jixiao check` remembers each project's findings, as ruff or mypy --cache do.

A project's findings depend on three things only: the bytes of its file, the rules profile,
and jixiao's code. They are kept in .jixiao-cache/findings.json: the file is stored under the
profile's key (cache.key_of: other rules, nothing found) and holds the fingerprint of the code
that wrote it (read_blob: other code, nothing found); each entry is tied to its file by the
stat + sha256 rule of store/disk/cache.py (cache.unchanged), so an unchanged project costs one
stat, and a file that changed — even keeping its size and mtime second — is checked again.
A record that is not exactly what this module writes is a miss, never an error.

    reports = check_refs(ws, refs, profile)                  # the cache is read and updated
    reports = check_refs(ws, refs, profile, use_cache=False)  # `check --no-cache`
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..disk.cache import Probe, ProjectCache, key_of
from ..rules.profile import SEVERITIES, Profile
from .checking import ProjectInput, Report, check_project, parse_input, workspace_inputs
from .workspace import ProjectRef, Workspace

FINDINGS_CACHE = "findings"  # .jixiao-cache/findings.json

# A cached report: [code, severity, line, project, row, message] (its file is the entry's).
_SHAPE = (str, str, int, str, (int, type(None)), str)


def check_refs(
    ws: Workspace,
    refs: Sequence[ProjectRef],
    profile: Profile,
    *,
    use_cache: bool = True,
    everything: bool = False,
) -> list[Report]:
    """The reports of these projects, in order: from the cache for every file it still
    describes, checked afresh (and remembered) for the others.

    `everything`: `refs` are all the workspace's projects, so entries of other files go."""
    if not use_cache:
        return _check(workspace_inputs(ws, refs), profile)
    cache = ProjectCache(ws.root, FINDINGS_CACHE, key_of(profile))
    out: list[Report] = []
    for ref in refs:
        probe = cache.lookup(ref.rel, ref.path)
        reports = _cached(probe, ref.rel)
        if reports is None:
            reports = check_project(_input(ws, ref, probe), profile)
            cache.put(probe, reports=[_record(r) for r in reports])
        out.extend(reports)
    if everything:
        cache.retain({r.rel for r in refs})
    cache.save()
    return out


def _check(items: list[ProjectInput], profile: Profile) -> list[Report]:
    return [r for item in items for r in check_project(item, profile)]


def _input(ws: Workspace, ref: ProjectRef, probe: Probe) -> ProjectInput:
    """The project as check_project takes it, from the bytes the probe read if it did."""
    if probe.data is None:
        return workspace_inputs(ws, [ref])[0]
    return parse_input(ref.rel, probe.data)


def _record(r: Report) -> list[Any]:
    return [r.code, r.severity, r.line, r.project, r.row, r.message]


def _cached(probe: Probe, rel: str) -> list[Report] | None:
    """The entry's reports, if it has them in exactly the shape _record writes."""
    if probe.entry is None:
        return None
    records = probe.entry.get("reports")
    if type(records) is not list:
        return None
    out = []
    for rec in records:
        if (
            type(rec) is not list
            or len(rec) != len(_SHAPE)
            or not all(
                isinstance(v, t) and type(v) is not bool for v, t in zip(rec, _SHAPE, strict=True)
            )
            or rec[1] not in SEVERITIES
        ):
            return None
        code, severity, line, project, row, message = rec
        out.append(Report(code, severity, rel, line, project, row, message))
    return out
