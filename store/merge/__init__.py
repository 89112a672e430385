"""Comparing and merging projects: the field diff in the form's words, the
three-way merge by field (indicators matched by identity), the merge of YAML text with comments
carried over line by line, and reading a file a merge left conflicted. Uses projectfile/,
rules/, sheet/ and the top modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..face import lazy_face

if TYPE_CHECKING:
    from .diff import ProjectDiff, diff_sheets, project_lines, render_text, to_json
    from .merge import Choice, Conflict, Typed, resolve, show

# name -> the module that holds it; loaded on first use (start-up counts)
_FACE = {
    "Choice": "merge",
    "Conflict": "merge",
    "ProjectDiff": "diff",
    "Typed": "merge",
    "diff_sheets": "diff",
    "project_lines": "diff",
    "render_text": "diff",
    "resolve": "merge",
    "show": "merge",
    "to_json": "diff",
}
__all__ = [
    "Choice",
    "Conflict",
    "ProjectDiff",
    "Typed",
    "diff_sheets",
    "project_lines",
    "render_text",
    "resolve",
    "show",
    "to_json",
]
__getattr__ = lazy_face(__name__, _FACE)
