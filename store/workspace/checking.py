"""`jixiao check` without the command line: findings placed in the workspace, and their output.

    inputs = workspace_inputs(ws)                     # or workspace_inputs(ws, refs)
    profile = ws.profile()                            # ProfileError -> exit 2
    reports = check_projects(inputs, profile)         # list[Report]
    print(format_text(reports, checked=len(inputs), color=sys.stdout.isatty()))
    print(format_json(reports))
    sys.exit(exit_code(reports))

The caller loads the files (store.workspace); a file that could not be loaded is passed in with
its error and becomes an E001 finding while the others are still checked; a file a merge
left conflicted gives one E002 finding per conflict. Line numbers are
looked up only for files that have findings. Nothing here imports typer or Textual.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from ..disk.ignored import CACHE_DIR
from ..errors import ConflictedFileError, JixiaoError, ProjectFileError, WorkspaceError
from ..rules.profile import DEFAULT_PROFILE, Profile
from ..sheet.model import Sheet
from ..year.findings import all_findings
from .workspace import (
    STORE,
    ProjectRef,
    Workspace,
    is_project_path,
    is_utf8_name,
    load_text,
    stray_files,
)

if TYPE_CHECKING:  # the merge machinery is loaded only when a file holds conflict markers
    from ..merge.mergetext import Located

# How a severity is coloured, in `check`'s output and the editor's findings (rich styles).
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


@dataclass(frozen=True)
class ProjectInput:
    """One project file as the caller loaded it."""

    file: str  # as shown to the user: relative to the workspace, '/' separators
    sheet: Sheet | None  # None when it could not be loaded
    text: str | Callable[[], str] | None = None  # the YAML text, or how to read it (lazily)
    error: str | None = None  # why it could not be loaded
    error_line: int | None = None  # where, if known
    conflicts: tuple[Located, ...] = ()  # merge conflicts left in the file (then sheet is None)

    def read_text(self) -> str | None:
        t = self.text
        if callable(t):
            try:
                return t()
            except OSError:
                return None
        return t


@dataclass(frozen=True)
class Report:
    """A finding placed in the workspace: what `check --format json` prints, one per object."""

    code: str
    severity: str
    file: str
    line: int
    project: str  # 预算项目 (the file name's stem when the file could not be read)
    row: int | None  # the indicator row, 1-based like the message's 第N行 (None: the sheet)
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


def _stem(file: str) -> str:
    name = file.rsplit("/", 1)[-1]
    return name[:-5] if name.endswith(".yaml") else name


def workspace_inputs(ws: Workspace, refs: Iterable[ProjectRef] | None = None) -> list[ProjectInput]:
    """Load project files (all, or `refs`) for check_projects; a file that fails becomes E001.

    The file is read once; its text is kept for the line numbers.
    """
    out = []
    for ref in ws.projects() if refs is None else refs:
        try:
            text = ws.read_text(ref)
        except JixiaoError as e:
            out.append(_failed(ref.rel, e))
            continue
        out.append(_parsed(ref.rel, text))
    return out


def staged_inputs(ws: Workspace) -> list[ProjectInput]:
    """The project files staged for the next commit, as the index holds them (what the
    pre-commit hook must check: not the working tree, which may differ)."""
    from ..git import git  # `check FILE` (the hook's) never starts git

    rels = [p for p in _staged(ws) if is_project_path(p)]
    blobs = git.read_blobs(ws.root, "", rels)
    out = []
    for rel in rels:
        data = blobs.get(rel)
        try:
            text = data.decode("utf-8") if data is not None else ""
        except UnicodeDecodeError:
            out.append(ProjectInput(rel, None, None, "not UTF-8 text", 1))
            continue
        out.append(_parsed(rel, text))
    return out


def _staged(ws: Workspace) -> list[str]:
    """Files under store/ staged for the next commit (deletions left out)."""
    from ..git import git  # `check FILE` (the hook's) never starts git

    require_git(ws)
    proc = git.run(
        ["diff", "--cached", "--relative", "--name-only", "--diff-filter=d", "-z", "--", "store/"],
        ws.root,
    )
    return sorted(p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p)


def require_git(ws: Workspace) -> None:
    """--changed and --staged compare with git: without a repository they cannot run."""
    from ..git import git  # `check FILE` (the hook's) never starts git

    if git.toplevel(ws.root) is None:
        raise WorkspaceError(
            f"{ws.root}: 不是 git 仓库，--changed 和 --staged 无从比较；"
            "先运行 jixiao init（或 git init）"
        )


def tracked_private(ws: Workspace, staged: bool = False) -> str | None:
    """A warning when git tracks files of .jixiao-cache/ (someone ran `git add -f`): this
    machine's caches and lock, which a clone must never carry (None: it tracks none)."""
    from ..git import git  # `check FILE` (the hook's) never starts git

    proc = git.run(["ls-files", "-z", "--", CACHE_DIR], ws.root, check=False)
    found = [p for p in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if p]
    if proc.returncode != 0 or not found:
        return None
    more = f"等 {len(found)} 个文件" if len(found) > 1 else ""
    when = "将随这次提交进入仓库" if staged else "被 git 跟踪"
    return (
        f"{found[0]}{more}{when}：{CACHE_DIR}/ 是本机的缓存、锁和写入计划，不应提交；"
        f"请运行 git rm -r --cached {CACHE_DIR} 后提交"
    )


def strays(ws: Workspace, staged: bool = False, only: set[str] | None = None) -> list[str]:
    """Files under store/ that are not project files (is_project_path): in the working tree,
    or (`staged`) among the files staged for commit; `only` limits them to those paths."""
    found = [p for p in _staged(ws) if not is_project_path(p)] if staged else stray_files(ws.store)
    return [p for p in found if only is None or p in only]


def stray_reports(rels: Iterable[str], profile: Profile | None = None) -> list[Report]:
    """W003 for each file under store/ that is not a project file: jixiao does not read it."""
    severity = (profile or DEFAULT_PROFILE).severity_of("W003")
    if severity is None:
        return []
    message = (
        f"不是项目文件（项目文件是 {STORE}/<单位信息>/<预算项目>.yaml），jixiao 不读它；"
        "移出 store/，或放到它该在的位置"
    )
    not_text = (
        "文件名不是 UTF-8 文字（可能是在别的编码下建的），jixiao 不读它；"
        "请用 UTF-8 的名字重新命名（例如 convmv -f gbk -t utf-8）"
    )
    return [
        Report(
            "W003", severity, rel, 1, _stem(rel), None, message if is_utf8_name(rel) else not_text
        )
        for rel in rels
    ]


def parse_input(rel: str, data: bytes) -> ProjectInput:
    """A project file's bytes, as read from disk, for check_project (bad bytes: E001)."""
    from ..projectfile import (
        yamlfile,  # a warm command (the per-file cache) never loads ruamel.yaml
    )

    try:
        text = yamlfile.project_text(data, rel)
    except JixiaoError as e:
        return _failed(rel, e)
    return _parsed(rel, text)


def _parsed(rel: str, text: str) -> ProjectInput:
    try:
        return ProjectInput(rel, load_text(text, rel), text)
    except ConflictedFileError as e:
        return ProjectInput(rel, None, text, str(e), conflicts=tuple(e.conflicted.conflicts))
    except JixiaoError as e:
        return _failed(rel, e)


def _failed(rel: str, e: JixiaoError) -> ProjectInput:
    """E001 for a file that could not be loaded: the error's own line and detail."""
    if isinstance(e, ProjectFileError):
        return ProjectInput(rel, None, None, e.detail, e.line)
    return ProjectInput(rel, None, None, str(e), None)


def check_project(item: ProjectInput, profile: Profile | None = None) -> list[Report]:
    """The reports for one project file, sorted by line."""
    from ..projectfile.locate import Locator  # only for files with findings

    if item.conflicts:
        return [
            Report(
                "E002", "error", item.file, c.line, _stem(item.file), c.conflict.row, c.message()
            )
            for c in item.conflicts
        ]
    if item.sheet is None:
        message = " ".join((item.error or "无法读取项目文件").split())  # one line, like the rest
        return [
            Report(
                "E001", "error", item.file, item.error_line or 1, _stem(item.file), None, message
            )
        ]
    findings = all_findings(item.sheet, profile or DEFAULT_PROFILE)
    if not findings:
        return []
    text = item.read_text()
    locator = Locator(text) if text is not None else None
    project = item.sheet.project.strip() or _stem(item.file)
    out = [
        Report(
            f.code,
            f.severity,
            item.file,
            locator.line(f.path) if locator else 1,
            project,
            None if f.row is None else f.row + 1,
            f.message,
        )
        for f in findings
    ]
    out.sort(key=lambda r: r.line)  # stable: rule order within a line
    return out


def check_projects(items: Iterable[ProjectInput], profile: Profile | None = None) -> list[Report]:
    """Reports for many project files, grouped by file in the order given."""
    profile = profile or DEFAULT_PROFILE
    out: list[Report] = []
    for item in items:
        out.extend(check_project(item, profile))
    return out


def exit_code(reports: Iterable[Report]) -> int:
    """0 when no report is an error (warnings and info allowed), 1 otherwise.

    2 ("could not run": no workspace, a bad profile) is the caller's, from its exceptions.
    """
    return 1 if any(r.severity == "error" for r in reports) else 0


def counts(reports: Iterable[Report]) -> dict[str, int]:
    c = {"error": 0, "warning": 0, "info": 0}
    for r in reports:
        c[r.severity] = c.get(r.severity, 0) + 1
    return c


def summary(reports: list[Report], checked: int | None = None) -> str:
    """'检查了 16 个项目：0 个错误，11 个警告，4 条提示（6 个项目有问题）'."""
    c = counts(reports)
    files = len({r.file for r in reports})
    head = f"检查了 {checked} 个项目：" if checked is not None else ""
    tail = f"（{files} 个项目有问题）" if files else ""
    return f"{head}{c['error']} 个错误，{c['warning']} 个警告，{c['info']} 条提示{tail}"


def format_text(reports: list[Report], *, checked: int | None = None, color: bool = False) -> str:
    """Compiler-style lines grouped by project, a blank line between projects, a summary line.

    store/135001-大竹县司法局/执法证工本费.yaml:8: I161 成本指标合计 … 不符，多 50,600 元

    With color=True the text carries rich markup (print it with rich's Console); otherwise it
    is plain text and safe to print anywhere.
    """
    if color:
        from rich.markup import escape
    else:

        def escape(s: str) -> str:
            return s

    lines: list[str] = []
    last_file = None
    for r in reports:
        if last_file is not None and r.file != last_file:
            lines.append("")
        last_file = r.file
        where = f"{r.file}:{r.line}:"
        if color:
            style = SEVERITY_STYLE.get(r.severity, "")
            lines.append(
                f"[bold]{escape(where)}[/bold] [{style}]{r.code}[/{style}] {escape(r.message)}"
            )
        else:
            lines.append(f"{where} {r.code} {r.message}")
    if lines:
        lines.append("")
    s = summary(reports, checked)
    if color:
        c = counts(reports)
        style = "bold red" if c["error"] else ("yellow" if c["warning"] else "green")
        s = f"[{style}]{escape(s)}[/{style}]"
    lines.append(s)
    return "\n".join(lines)


def format_json(reports: Iterable[Report]) -> str:
    """A JSON list of objects with keys code, severity, file, line, project, row, message."""
    return json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2)
