"""The checks of a sheet (codes E101…I161), the rule profile that tunes them, the
cost arithmetic, and the explanation of every code: pure functions of a sheet, shared by
`check` and the editor. Uses sheet/ and the top modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..face import lazy_face

if TYPE_CHECKING:
    from .explanations import UnknownCodeError, explain
    from .profile import DEFAULT_PROFILE, Profile, base_name
    from .rules import NATURES, SEVERITY_RANK, Finding, funding_summary

# name -> the module that holds it; loaded on first use (start-up counts)
_FACE = {
    "DEFAULT_PROFILE": "profile",
    "Finding": "rules",
    "NATURES": "rules",
    "Profile": "profile",
    "SEVERITY_RANK": "rules",
    "UnknownCodeError": "explanations",
    "base_name": "profile",
    "explain": "explanations",
    "funding_summary": "rules",
}
__all__ = [
    "DEFAULT_PROFILE",
    "Finding",
    "NATURES",
    "Profile",
    "SEVERITY_RANK",
    "UnknownCodeError",
    "base_name",
    "explain",
    "funding_summary",
]
__getattr__ = lazy_face(__name__, _FACE)
