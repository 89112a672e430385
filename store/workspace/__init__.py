"""A workspace as a whole: finding it, its settings (jixiao.yaml) and their
merge, importing files, the projects and their file names, summaries for `list`, checking with
its cache, revisions for `diff`, following the disk while editing, the git merge driver and
textconv, and the demo. Uses every other subpackage below it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..face import lazy_face

if TYPE_CHECKING:
    from .checkcache import check_refs
    from .checking import (
        SEVERITY_STYLE,
        check_projects,
        exit_code,
        format_json,
        format_text,
        require_git,
        staged_inputs,
        stray_reports,
        strays,
        summary,
        tracked_private,
    )
    from .demo import make_demo_workspace
    from .follow import DiskWatch, Pending, changes_in_words, merge_with_disk, pending_of
    from .importer import import_files
    from .mergedriver import merge_file
    from .owned import refuse_own
    from .project_summaries import Summary, summaries, summarize
    from .projects import ProjectExists, create, delete, move, rename, template
    from .revisions import against_revision, compare, split_revisions
    from .textconv import refusal, render_textconv
    from .views import project_rows, sheet_dict
    from .workspace import ConflictError, ProjectRef, Workspace, load_text
    from .year_scores import by_unit, json_text, render_text, score_refs, score_summary

# name -> the module that holds it; loaded on first use (start-up counts)
_FACE = {
    "ConflictError": "workspace",
    "DiskWatch": "follow",
    "Pending": "follow",
    "ProjectExists": "projects",
    "ProjectRef": "workspace",
    "SEVERITY_STYLE": "checking",
    "Summary": "project_summaries",
    "Workspace": "workspace",
    "against_revision": "revisions",
    "by_unit": "year_scores",
    "changes_in_words": "follow",
    "check_projects": "checking",
    "check_refs": "checkcache",
    "compare": "revisions",
    "create": "projects",
    "delete": "projects",
    "exit_code": "checking",
    "format_json": "checking",
    "format_text": "checking",
    "import_files": "importer",
    "json_text": "year_scores",
    "load_text": "workspace",
    "make_demo_workspace": "demo",
    "merge_file": "mergedriver",
    "merge_with_disk": "follow",
    "move": "projects",
    "pending_of": "follow",
    "project_rows": "views",
    "refusal": "textconv",
    "refuse_own": "owned",
    "rename": "projects",
    "render_text": "year_scores",
    "render_textconv": "textconv",
    "require_git": "checking",
    "score_refs": "year_scores",
    "score_summary": "year_scores",
    "sheet_dict": "views",
    "split_revisions": "revisions",
    "staged_inputs": "checking",
    "stray_reports": "checking",
    "strays": "checking",
    "summaries": "project_summaries",
    "summarize": "project_summaries",
    "summary": "checking",
    "template": "projects",
    "tracked_private": "checking",
}
__all__ = [
    "ConflictError",
    "DiskWatch",
    "Pending",
    "ProjectExists",
    "ProjectRef",
    "SEVERITY_STYLE",
    "Summary",
    "Workspace",
    "against_revision",
    "by_unit",
    "changes_in_words",
    "check_projects",
    "check_refs",
    "compare",
    "create",
    "delete",
    "exit_code",
    "format_json",
    "format_text",
    "import_files",
    "json_text",
    "load_text",
    "make_demo_workspace",
    "merge_file",
    "merge_with_disk",
    "move",
    "pending_of",
    "project_rows",
    "refusal",
    "refuse_own",
    "rename",
    "render_text",
    "render_textconv",
    "require_git",
    "score_refs",
    "score_summary",
    "sheet_dict",
    "split_revisions",
    "staged_inputs",
    "stray_reports",
    "strays",
    "summaries",
    "summarize",
    "summary",
    "template",
    "tracked_private",
]
__getattr__ = lazy_face(__name__, _FACE)
