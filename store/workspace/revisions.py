"""What changed between two revisions of a workspace, or a revision and the working tree.

Only the project files git reports as different are read (one `git cat-file --batch` per
revision), so comparing two imports of thousands of projects stays quick; the semantic diff
(store/merge/diff.py) then drops files whose values did not change (a comment, say).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..disk import files
from ..errors import JixiaoError, ProjectFileError, WorkspaceError
from ..git import git
from ..merge.diff import ProjectDiff, diff_projects, diff_sheets
from ..projectfile import yamlfile
from ..sheet.model import Sheet
from .workspace import STORE, Workspace, is_project_path, legacy_name, load_text, safe_name

WORKTREE = None  # a side that is the working tree rather than a revision


def projects_at(ws: Workspace, rev: str | None) -> list[str]:
    """Project files at a revision (None: the working tree), workspace-relative."""
    if rev is None:
        return [r.rel for r in ws.projects()]
    return [p for p in git.files_at(ws.root, rev, f"{STORE}/") if is_project_path(p)]


def changed_files(ws: Workspace, rev_a: str | None, rev_b: str | None) -> list[str]:
    """Project files that differ between the two sides (at most one side is the worktree)."""
    if rev_a is None and rev_b is None:
        return []
    if rev_a is None:  # keep git's argument order: a revision first
        rev_a, rev_b = rev_b, rev_a
    paths = git.changed_between(ws.root, rev_a, rev_b, f"{STORE}/")  # type: ignore[arg-type]
    return [p for p in paths if is_project_path(p)]


def load_side(
    ws: Workspace,
    rev: str | None,
    rels: list[str],
    conflicted: dict[str, str] | None = None,
) -> dict[str, Sheet | None]:
    """The sheets of these files on one side (None where the file does not exist there).

    Broken YAML raises ProjectFileError naming the revision, file and line. With
    `conflicted`, a working-tree file a merge left with conflict markers is left out and
    put there instead, with its error (one `file:line: …` line per conflict).
    """
    out: dict[str, Sheet | None] = {}
    if rev is None:
        for rel in rels:
            path = ws.root / rel
            if not path.is_file():
                out[rel] = None
                continue
            try:
                data = files.read_regular(path, files.PROJECT_LIMIT, rel)
            except files.FileKindError as e:
                raise ProjectFileError(e.path, e.detail) from None
            try:
                out[rel] = load_text(yamlfile.project_text(data, rel), rel)
            except ProjectFileError as e:
                if conflicted is None or not _has_markers(data):
                    raise
                conflicted[rel] = str(e)
        return out
    for rel, data in git.read_blobs(ws.root, rev, rels).items():
        if data is None:
            out[rel] = None
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ProjectFileError(f"{rev}:{rel}", "不是 UTF-8 文本", 1) from None
        out[rel] = load_text(text, f"{rev}:{rel}")
    return out


def _has_markers(data: bytes) -> bool:
    return b"\n<<<<<<< " in b"\n" + data and b"\n>>>>>>> " in data


def select(ws: Workspace, known: list[str], spec: str, cwd: Path) -> list[str]:
    """The files in `known` a PROJECT argument names: 预算项目, unit/name, or a .yaml path.

    Unlike Workspace.resolve this also finds projects that exist only at a revision (a
    removed project), and a name held by two units selects both.
    """
    if spec.endswith(".yaml"):
        path = Path(spec) if Path(spec).is_absolute() else cwd / spec
        try:
            rel = path.resolve().relative_to(ws.root).as_posix()
        except ValueError:
            raise WorkspaceError(f"{spec}: 不是 {ws.store} 下的项目文件") from None
        hits = [rel] if rel in known else []
    else:
        hits = _named(known, spec, safe_name) or _named(known, spec, legacy_name)
    if not hits:
        raise WorkspaceError(f"{spec}: 既不是版本，也不是比较两边 {STORE}/ 中的项目")
    return hits


def _named(known: list[str], spec: str, naming: Callable[[str], str]) -> list[str]:
    """The paths whose file name `naming` gives to `spec` (a name, or unit/name)."""
    if "/" in spec:
        unit, _, name = spec.rpartition("/")
        return [
            r
            for r in known
            if r.split("/")[2] == naming(name) + ".yaml"
            and unit in (r.split("/")[1], r.split("/")[1].split("-")[0])
        ]
    return [r for r in known if r.split("/")[2] == naming(spec) + ".yaml"]


def compare(
    ws: Workspace,
    rev_a: str | None = "HEAD",
    rev_b: str | None = WORKTREE,
    specs: list[str] | None = None,
    cwd: Path | None = None,
    expected: float = 100.0,
    conflicted: dict[str, str] | None = None,
) -> list[ProjectDiff]:
    """The projects that differ from side A to side B (None = the working tree).

    With `specs` (PROJECT arguments), only those projects. A repository without commits
    compares against nothing: every project is added. With `conflicted`, files a merge
    left conflicted in the working tree are not compared but named there (see load_side).
    """
    if rev_a == "HEAD" and not git.has_head(ws.root):
        candidates = projects_at(ws, rev_b)
        rev_a_empty = True
    else:
        candidates = changed_files(ws, rev_a, rev_b)
        rev_a_empty = False
    if specs:
        known = set(projects_at(ws, rev_b))
        if not rev_a_empty:
            known |= set(projects_at(ws, rev_a))
        wanted: set[str] = set()
        for spec in specs:
            wanted.update(select(ws, sorted(known), spec, cwd or ws.root))
        candidates = [c for c in candidates if c in wanted]
    order = {rel: k for k, rel in enumerate(r.rel for r in ws.projects())}
    candidates.sort(key=lambda r: (order.get(r, len(order)), r))
    found: dict[str, str] = {} if conflicted is None else conflicted
    if rev_b is WORKTREE:
        new = load_side(ws, rev_b, candidates, found if conflicted is not None else None)
        candidates = [c for c in candidates if c not in found]
    old = {} if rev_a_empty else load_side(ws, rev_a, candidates)
    if rev_b is not WORKTREE:
        new = load_side(ws, rev_b, candidates)
    return diff_projects(old, {rel: new.get(rel) for rel in candidates}, expected)


def against_revision(
    ws: Workspace,
    rel: str,
    sheet: Sheet,
    rev: str = "HEAD",
    expected: float = 100.0,
    moved_from: str | None = None,
) -> ProjectDiff:
    """One project as it is now in memory (unsaved edits included) against a revision.

    The project is looked up at `rel` on the revision's side, or else at `moved_from` (the
    path it had before 单位信息 or 预算项目 changed); where it is in neither (a new project,
    or a repository without commits) it shows as added.
    """
    old = None
    if rev != "HEAD" or git.has_head(ws.root):
        paths = [rel] if moved_from in (None, rel) else [rel, moved_from]
        sides = load_side(ws, rev, paths)
        old = next((sides[p] for p in paths if sides[p] is not None), None)
    return diff_sheets(old, sheet, rel, expected)


def split_revisions(ws: Workspace, args: list[str]) -> tuple[list[str], list[str]]:
    """Leading arguments that name commits (at most two) are revisions; the rest projects."""
    names = {r.name for r in ws.projects()}
    revs: list[str] = []
    for k, arg in enumerate(args):
        if len(revs) == 2 or git.verify_commit(ws.root, arg) is None:
            return revs, args[k:]
        if safe_name(arg) in names and "/" not in arg:
            raise JixiaoError(
                f"{arg}: 既是版本又是项目；版本请写成 {arg}^0，项目请写成 单位信息/预算项目"
            )
        revs.append(arg)
    return revs, []
