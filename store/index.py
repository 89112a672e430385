"""Per-project summaries for lists (CLI `list`, the TUI's project tree).

Reading a summary must stay cheap for thousands of projects: the C safe loader, never the
round-trip loader. (A cache keyed by file stat and hash can sit here; see issue on scale.)
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import JixiaoError
from .model import Sheet
from .profile import Profile
from .rules import check_sheet, weight_summary
from .workspace import ProjectRef, Workspace


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


def summarize(ref: ProjectRef, sheet: Sheet, profile: Profile) -> Summary:
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


def summaries(ws: Workspace, profile: Profile | None = None) -> list[Summary]:
    """One summary per project file, in the workspace's order; unreadable files included."""
    profile = profile or Profile.from_dict(ws.profile_data())
    out: list[Summary] = []
    for ref in ws.projects():
        try:
            sheet = ws.load(ref)
        except JixiaoError as e:
            out.append(Summary(ref=ref, unit=ref.unit_dir, project=ref.name, error=str(e)))
            continue
        out.append(summarize(ref, sheet, profile))
    return out
