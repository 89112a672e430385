"""Every finding of a project: its approval's and, where it has them, its year's.

`check`, `list` and the editor call this for every project. Most projects have no monitoring
or self-evaluation yet, so the year's rules and the scoring engine they use are imported only
for a sheet that has one of those blocks (the pre-commit hook runs `check` per commit).
"""

from __future__ import annotations

from ..rules.profile import DEFAULT_PROFILE, Profile
from ..rules.rules import Finding, check_sheet
from ..sheet.model import Sheet


def all_findings(sheet: Sheet, profile: Profile | None = None) -> list[Finding]:
    """Every finding of a project: its approval's, then its year's."""
    profile = profile or DEFAULT_PROFILE
    out = check_sheet(sheet, profile)
    if sheet.evaluation is not None or sheet.monitoring is not None:
        from .rules import check_year

        out += check_year(sheet, profile)
    return out
