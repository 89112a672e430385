"""The `jixiao` command line: thin commands over store/ (and tui/ for edit and demo)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from jixiao import cli_locale, plumbing
from jixiao.cli_help import COMMANDS_PANEL, ChineseCommand, ChineseHelpGroup
from jixiao.cli_words import version_line
from jixiao.store.errors import JixiaoError
from jixiao.store.printable import one_line, printable, printable_json
from jixiao.store.rules import UnknownCodeError, explain
from jixiao.store.workspace import Workspace

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

# Start-up counts (`jixiao check X --format json` in a hook, `list` in a pipe): rich, the
# diff, the rules' explanations, the TUI are imported by the commands that use them.

app = typer.Typer(
    name="jixiao",
    cls=ChineseHelpGroup,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
    help="把绩效目标批复表存为 git 中的 YAML 文件；与官方导出格式逐字节互转。",
    no_args_is_help=True,
    context_settings={"help_option_names": ["--help", "-h"]},
    add_completion=False,  # jixiao's own --show-completion/--install-completion, in Chinese
    pretty_exceptions_enable=False,
)


def command(*args, **kwargs):  # noqa: ANN002, ANN003, ANN201
    """`app.command` for jixiao's commands: Chinese help and usage errors (cli_help.py)."""
    return app.command(*args, cls=ChineseCommand, rich_help_panel=COMMANDS_PANEL, **kwargs)


# Values read from files reach the terminal only through `printable`, and rich never reads
# markup or emoji codes in them (`[/b]`, `:x:`): consoles are made with both off.


class _Stderr:
    """stderr as a rich Console, made on first use (rich costs start-up time)."""

    _console: Console | None = None

    def console(self) -> Console:
        if _Stderr._console is None:
            from rich.console import Console

            _Stderr._console = Console(
                stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False
            )
        return _Stderr._console

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self.console(), name)


err = _Stderr()


def say(text: str, nl: bool = True) -> None:
    """Print text that may hold values from files on stdout, control characters made visible."""
    typer.echo(printable(text), nl=nl)


def warn(text: str) -> None:
    """One line on stderr (`jixiao: …`), control characters made visible (as typed: no
    rich console for it, which costs more start-up than most commands' work)."""
    typer.echo(f"jixiao: {printable(text)}", err=True)


class Format(StrEnum):
    text = "text"
    json = "json"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    codequality = "codequality"
    sarif = "sarif"
    junit = "junit"
    github = "github"


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


class Forge(StrEnum):
    gitlab = "gitlab"
    gitea = "gitea"
    github = "github"


class ExportFormat(StrEnum):
    txt = "txt"
    xlsx = "xlsx"


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"
    pwsh = "pwsh"


class State:
    directory: Path = Path(".")


def _version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit()


def _show_completion(value: Shell | None) -> None:
    if value is not None:
        from jixiao.cli_usage import completion_script

        typer.echo(completion_script(value.value))
        raise typer.Exit()


def _install_completion(value: Shell | None) -> None:
    if value is not None:
        from jixiao.cli_usage import install_completion

        with user_errors():
            path = install_completion(value.value)
        say(f"已为 {value.value} 安装命令补全（写入 {path}）；重新打开终端后生效")
        raise typer.Exit()


@app.callback()
def main(
    directory: Annotated[
        Path,
        typer.Option(
            "-C",
            help="在该文件夹中运行（默认为当前文件夹）。",
            metavar="文件夹",
            show_default=False,
        ),
    ] = Path("."),
    _version_: Annotated[
        bool,
        typer.Option("--version", "-V", help="显示版本并退出。", is_eager=True, callback=_version),
    ] = False,
    _show: Annotated[
        Shell | None,
        typer.Option(
            "--show-completion",
            help="显示命令补全脚本（shell 为 bash、zsh、fish 或 powershell）。",
            metavar="shell",
            is_eager=True,
            callback=_show_completion,
        ),
    ] = None,
    _install: Annotated[
        Shell | None,
        typer.Option(
            "--install-completion",
            help="安装命令补全，之后按 Tab 补全命令和选项。",
            metavar="shell",
            is_eager=True,
            callback=_install_completion,
        ),
    ] = None,
) -> None:
    """Keep 绩效目标批复表 as YAML in git; export the official tab format byte for byte."""
    cli_locale.plain_output()
    State.directory = directory


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """A user's mistake is one sentence on stderr and exit 2, never a traceback."""
    try:
        yield
    except (JixiaoError, UnknownCodeError) as e:
        say_recovered()
        if os.environ.get("JIXIAO_DEBUG") == "1":
            raise
        for line in str(e).splitlines() or [""]:  # a conflicted file: one line per conflict
            warn(line)
        raise typer.Exit(2) from None
    except OSError as e:  # a file we were told to read or write
        say_recovered()
        if os.environ.get("JIXIAO_DEBUG") == "1":
            raise
        from jixiao.store.disk import reason

        where = f"{e.filename}: " if e.filename else ""
        warn(f"{where}{reason(e)}")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        warn("已中断，没有写入任何文件")
        raise typer.Exit(130) from None
    finally:
        say_recovered()


def _out() -> Console:
    """stdout at the terminal's width (or COLUMNS, where set); when it is not a terminal and
    no COLUMNS is given, wide enough that tables never cut a name."""
    from rich.console import Console

    given = sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit()
    return Console(highlight=False, markup=False, emoji=False, width=None if given else _PIPE_WIDTH)


def workspace() -> Workspace:
    """The workspace, with what a killed jixiao left unfinished finished or undone first."""
    ws = Workspace.find(State.directory)
    say_recovered()
    return ws


def say_recovered() -> None:
    """One sentence on stderr for each interrupted write this command finished or undid."""
    from jixiao.store.disk import take_notes

    for note in take_notes():
        err.print(f"jixiao: {printable(note)}", markup=False, soft_wrap=True)


def emit_json(data: object) -> None:
    typer.echo(printable_json(json.dumps(data, ensure_ascii=False, indent=2)))


@command(
    help="新建工作区：含 jixiao.yaml 和 store/ 的独立 git 仓库；请在其他仓库之外运行"
    "（如 cd ~ && jixiao init 2024）。在克隆里运行则更新 git 设置和钩子。"
)
def init(
    directory: Annotated[
        Path,
        typer.Argument(
            help="新工作区的文件夹；默认为当前文件夹。", metavar="文件夹", show_default=False
        ),
    ] = Path("."),
    in_existing_repo: Annotated[
        bool,
        typer.Option(
            "--in-repo",
            help="允许把工作区建在另一个 git 仓库之内（默认拒绝）。",
        ),
    ] = False,
    ci: Annotated[
        Forge | None,
        typer.Option(
            "--ci",
            help="只给已有的工作区加上该平台（gitlab、gitea 或 github）的 CI 配置；已有的不覆盖。",
            metavar="平台",
        ),
    ] = None,
    server: Annotated[
        Path | None,
        typer.Option(
            "--server",
            metavar="裸仓库",
            help="在该裸仓库中安装推送检查；不存在时新建。",
        ),
    ] = None,
) -> None:
    """Make a new workspace: a git repository with jixiao.yaml and store/.

    Run again in an existing workspace (or a fresh clone) to bring its git settings up to
    date (the diff and merge drivers, the hooks); jixiao.yaml and store/ stay.
    With --ci FORGE: only add that forge's CI file to the existing workspace.
    """
    from jixiao.store.git import install_pre_commit

    with user_errors():
        target = directory if directory.is_absolute() else State.directory / directory
        if server is not None:
            from jixiao.store.forge import install_server

            bare = server if server.is_absolute() else State.directory / server
            said, add = install_server(bare)
            for line in said:
                say(line)
            if add is not None:
                typer.echo(add, nl=False)
            return
        if ci is not None:
            from jixiao.store.forge import add_ci

            note, snippet = add_ci(Workspace.find(target).root, ci.value)
            if snippet is None:
                say(note)
            else:  # the note on stderr, what to add on stdout (`>> .gitlab-ci.yml` works)
                warn(note)
                typer.echo(snippet, nl=False)
            return
        existed = (target / "jixiao.yaml").exists()
        ws = Workspace.init(target, in_existing_repo)
        if existed:
            say(f"已重新初始化 jixiao 工作区 {ws.root}（已更新 git 设置）")
        else:
            say(f"已初始化 jixiao 工作区 {ws.root}")
        say(install_pre_commit(ws.root))


@command("import", help="把文件中的每张表导入 store/（要么全部导入，要么都不导入）。")
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(help="导出的制表符分隔文件或工作簿（.xlsx/.xls）。", metavar="文件"),
    ],
    force: Annotated[
        bool,
        typer.Option("--force", help="覆盖有未提交修改的项目文件。"),
    ] = False,
) -> None:
    """Import every sheet of the files into store/ (all or nothing)."""
    from jixiao.store.merge import diff_sheets, render_text
    from jixiao.store.sheet import TITLE

    with user_errors():
        ws = workspace()
        files = [f if f.is_absolute() else State.directory / f for f in files]
        started = time.perf_counter()
        with _progress("正在导入") as progress:
            from jixiao.store.workspace import import_files

            report = import_files(ws, files, progress=progress, force=force)
        seconds = time.perf_counter() - started
        for rel in report.created:
            say(f"新建  {rel}")
        for rel in report.updated:
            kept = "（已与未提交的修改合并）" if rel in report.merged else ""
            say(f"更新  {rel}{kept}")
        for where in report.skipped:
            say(f"跳过工作表 {where}（其中没有{TITLE}）")
        for note in report.notes:
            say(note)
        updated = [
            diff_sheets(old, new, rel, _expected_weight(ws))
            for rel, (old, new) in report.changes.items()
            if old is not None
        ]
        if updated:
            typer.echo("")
            say(render_text(updated, summary=False))
        forms = f"（含 {report.forms} 张自评表/监控表）" if report.forms else ""
        typer.echo(
            f"{report.sheets + report.forms} 张表{forms}：新建 {len(report.created)}，"
            f"更新 {len(report.updated)}，"
            f"未变 {len(report.unchanged)}（{seconds:.1f} 秒）"
        )


@contextlib.contextmanager
def _progress(label: str) -> Iterator:
    """A progress bar on stderr for long work; silent for a handful of sheets."""
    bar: Any = None
    task = None

    def update(done: int, total: int) -> None:
        nonlocal bar, task
        if total < 200:
            return
        if bar is None:
            from rich.progress import Progress  # 30 ms of every import and export otherwise

            bar = Progress(console=err.console(), transient=False)
            bar.start()
            task = bar.add_task(label, total=total)
        bar.update(task, completed=done)

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()


@command(
    help="按官方制表符格式写出项目，或写成可打印的 .xlsx（-o 文件.xlsx）；默认按导入顺序写出全部项目。"
)
def export(
    projects: Annotated[
        list[str] | None, typer.Argument(help="预算项目、单位/项目，或项目文件。", metavar="项目")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="写入该文件（- 表示标准输出）。", metavar="文件"),
    ] = None,
    fmt: Annotated[
        ExportFormat | None,
        typer.Option("--format", help="txt 或 xlsx（默认按输出文件的后缀）。"),
    ] = None,
    form: Annotated[
        str | None,
        typer.Option(
            "--form",
            metavar="自评|监控",
            help="写出自评表或监控表（按批复表预填）。",
        ),
    ] = None,
) -> None:
    """Write projects in the official tab format, or as a printable .xlsx (-o FILE.xlsx);
    all of them, in import order, by default."""
    from jixiao.store.tab import XLSX, choose

    with user_errors():
        if form is not None and form.strip() not in ("自评", "监控"):
            raise JixiaoError(
                f"--form {form!r}：应为 自评（项目支出绩效自评表）或 监控（绩效运行监控表）"
            )
        if output is not None and str(output) == "-":
            output = None
        chosen, warning = choose(output, fmt.value if fmt else None)
        if chosen == XLSX and output is None and sys.stdout.isatty():
            raise JixiaoError("Excel 工作簿不能输出到终端；请用 -o 文件名.xlsx")
        target = None
        if output is not None:  # refused before any work: a device, a FIFO, no such folder
            from jixiao.store.disk import output_target

            given = output if output.is_absolute() else State.directory / output
            target = output_target(given, str(output))
        ws = workspace()
        if target is not None:  # never over jixiao.yaml, a project file, .git/ or the cache
            from jixiao.store.workspace import refuse_own

            refused = refuse_own(ws.root, target, str(output))
            if refused:
                raise JixiaoError(refused)
        refs = [ws.resolve(p, State.directory) for p in projects] if projects else ws.projects()
        if not refs:
            raise JixiaoError(f"{ws.store}: 没有可导出的项目；请先运行 jixiao import")
        if form is not None:
            from jixiao.store.year import export_text, export_xlsx

            sheets = [ws.load(r) for r in refs]
            write = export_xlsx if chosen == XLSX else export_text
            data = write(sheets, form.strip(), ws.profile())
        elif chosen == XLSX:
            from jixiao.store.xlsx import write_workbook

            data = write_workbook([ws.load(r) for r in refs])
        else:
            data = ws.export([ws.load(r) for r in refs])
        if warning:
            warn(warning)
        if target is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            from jixiao.store.disk import write as atomic_write

            atomic_write(target, data, make_dirs=False)
            warn(f"已把 {len(refs)} 个项目写入 {output}")


@command(
    "list",
    help="每个项目一行：项目总额、指标数、权重合计、问题数（含提示）。",
)
def list_(
    fmt: Annotated[
        Format, typer.Option("--format", help="text（文本，默认）或 json。", show_default=False)
    ] = Format.text,
) -> None:
    """One line per project: unit, project, 项目总额, indicators, weight total."""
    from jixiao.store.workspace import project_rows

    with user_errors():
        ws = workspace()
        rows = project_rows(ws)
        if fmt is Format.json:
            emit_json(rows)
        else:
            _print_rows([r for r in rows if "project" in r])  # conflicted files too, marked
            for r in rows:
                if "error" in r:
                    for line in r["error"].splitlines():
                        warn(line)
        if any(r.get("error") for r in rows):
            raise typer.Exit(1)


@command(help="以表格显示一张表。")
def show(
    project: Annotated[
        str, typer.Argument(help="预算项目、单位/项目，或项目文件。", metavar="项目")
    ],
    fmt: Annotated[
        Format, typer.Option("--format", help="text（文本，默认）或 json。", show_default=False)
    ] = Format.text,
) -> None:
    """One sheet as a table."""
    from jixiao.store.workspace import sheet_dict

    with user_errors():
        ws = workspace()
        ref = ws.resolve(project, State.directory)
        sheet = ws.load(ref)
        if fmt is Format.json:
            emit_json(sheet_dict(sheet))
        else:
            from jixiao.cli_show import print_sheet

            print_sheet(_out(), sheet_dict(sheet), ref.rel)


@command(help="把项目写成静态网页：索引页，和按打印的批复表排版的每个项目一页。")
def render(
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="写入网页的文件夹（不存在时新建）。", metavar="文件夹"),
    ],
    projects: Annotated[
        list[str] | None,
        typer.Argument(help="预算项目、单位/项目，或项目文件；默认全部。", metavar="项目"),
    ] = None,
) -> None:
    """A static HTML site: an index and one page per project, laid out as the printed form."""
    from jixiao.store.disk import write as atomic_write
    from jixiao.store.forge import INDEX, Item, render_site

    with user_errors():
        ws = workspace()
        refs = [ws.resolve(p, State.directory) for p in projects] if projects else ws.projects()
        target = output if output.is_absolute() else State.directory / output
        if target.exists() and not target.is_dir():
            raise JixiaoError(f"{output}: 不是文件夹；请用 -o 指定一个文件夹")
        items = []
        for ref in refs:
            try:
                items.append(Item(ref.rel, ws.load(ref)))
            except JixiaoError as e:
                items.append(Item(ref.rel, None, str(e)))
        pages = render_site(items, ws.profile())
        for rel, text in pages.items():
            atomic_write(target / rel, text.encode("utf-8"))
        say(f"已把 {len(refs)} 个项目写成网页：{target / INDEX}")


@command(help="在终端界面中浏览和编辑项目（边输入边检查权重）。")
def edit(
    project: Annotated[
        str | None,
        typer.Argument(help="要打开的预算项目、单位/项目，或项目文件。", metavar="项目"),
    ] = None,
) -> None:
    """Browse and edit projects in the terminal UI (weights checked as you type)."""
    with user_errors():
        ws = workspace()
        if project is not None:
            # A wrong name is one sentence here, before the screen opens; the app gets the path.
            project = str(ws.resolve(project, State.directory).path)
        from jixiao.tui.app import JixiaoApp

        JixiaoApp(ws, project).run()


@command(help="在一个临时工作区（内含示例的 16 张表）上打开编辑器。")
def demo(
    keep: Annotated[
        Path | None,
        typer.Option("--keep", help="在该文件夹中建立演示工作区并保留。", metavar="文件夹"),
    ] = None,
) -> None:
    """Open the editor on a throw-away workspace holding the bundled sample (16 sheets)."""
    import tempfile

    from jixiao.store.workspace import make_demo_workspace

    with user_errors():
        with contextlib.ExitStack() as stack:
            if keep is None:
                base = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jixiao-demo-")))
            else:
                base = keep if keep.is_absolute() else State.directory / keep
            ws = make_demo_workspace(base)
            from jixiao.tui.app import JixiaoApp

            JixiaoApp(ws).run()
            if keep is not None:
                say(f"演示工作区保留在 {ws.root}")


_LIST_COLUMNS = (
    ("单位信息", "left"),
    ("预算项目", "left"),
    ("项目总额", "right"),
    ("指标数", "right"),
    ("权重合计", "right"),
    ("问题", "right"),
)
CONFLICTED = "合并冲突"
WORKTREE_SIDE = "工作区"  # diff's side that is the files as they are, as forge_diff says it
_PIPE_WIDTH = 240  # stdout that is not a terminal: wide enough that tables never cut a name


def _print_rows(rows: list[dict]) -> None:
    """The list as a table: into a pipe as plain aligned text (store.texttable, the same
    bytes as rich's table, ~20× faster for thousands of rows); on a terminal through rich."""
    cells = [_row_cells(r) for r in rows]
    if not sys.stdout.isatty():
        from jixiao.store import texttable

        headers, justify = zip(*_LIST_COLUMNS, strict=True)
        text = texttable.render(headers, justify, cells, _PIPE_WIDTH)
        if text is not None:
            typer.echo(text, nl=False)
            return
    _out().print(_rows_table(cells))


def _row_cells(r: dict) -> list[str]:
    """A project's line; one a merge left conflicted shows ours' side's values, marked."""
    names = [one_line(r["unit"]), one_line(r["project"])]
    if "indicators" not in r:  # conflicted, and neither side reads as a project
        return [*names, "", "", "", CONFLICTED]
    mark = "✓" if r["weight_ok"] else "✗"
    problems = r["findings"] + r["notes"]
    said = [str(problems)] if problems else []
    if r["conflicts"]:
        said.append(f"{CONFLICTED} {r['conflicts']} 处")
    return [
        *names,
        one_line(r["total"]),
        str(r["indicators"]),
        f"{r['weight_total']} {mark}",
        "，".join(said),
    ]


def _rows_table(cells: list[list[str]]) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False)
    for title, justify in _LIST_COLUMNS:
        table.add_column(title, justify=justify)
    for row in cells:
        table.add_row(*(Text(c) for c in row))  # Text: never read as markup
    return table


@command(help="按规则检查项目；退出码 0 无错误（可有警告），1 有错误，2 无法运行。")
def check(
    projects: Annotated[
        list[str] | None, typer.Argument(help="预算项目、单位/项目，或项目文件。", metavar="项目")
    ] = None,
    fmt: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            help="text（默认）、json，或代码托管平台用的 codequality、sarif、junit、github。",
            metavar="格式",
            show_default=False,
        ),
    ] = CheckFormat.text,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="把报告写入该文件（- 表示标准输出）。", metavar="文件"),
    ] = None,
    changed: Annotated[
        bool, typer.Option("--changed", help="只检查相对 git HEAD 有改动的项目文件。")
    ] = False,
    staged: Annotated[
        bool,
        typer.Option("--staged", help="检查暂存待提交的项目文件（提交钩子用）。"),
    ] = False,
    explain_code: Annotated[
        str | None,
        typer.Option("--explain", metavar="代码", help="说明一条规则（如 E101）的含义和改法。"),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="忽略缓存的检查结果，逐个文件重新检查。"),
    ] = False,
    hook: Annotated[
        str | None,
        typer.Option(
            "--hook", hidden=True, help="由 git 钩子调用（pre-commit 或 pre-merge-commit）。"
        ),
    ] = None,
) -> None:
    """Check projects against the rules; exit 0 clean or warnings, 1 errors, 2 could not run."""
    if explain_code:
        with user_errors():
            typer.echo(explain(explain_code))
        return
    code = plumbing.check(
        State.directory, projects or [], fmt.value, output, changed, staged, no_cache, hook
    )
    if code:
        raise typer.Exit(code)


@command(help="按绩效自评计分：得分、总分和等级；不指定项目时按单位和全部汇总。")
def score(
    projects: Annotated[
        list[str] | None,
        typer.Argument(help="预算项目、单位/项目，或项目文件。", metavar="项目"),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", help="text（文本，默认）或 json。", show_default=False)
    ] = Format.text,
) -> None:
    """Score the self-evaluations: 预算执行率, each indicator's 分值 and 得分, 总分 and 等级."""
    from jixiao.store.workspace import by_unit, json_text, score_refs, score_summary
    from jixiao.store.workspace import render_text as year_scores_render_text

    with user_errors():
        ws = workspace()
        profile = ws.profile()
        refs = [ws.resolve(p, State.directory) for p in projects] if projects else ws.projects()
        records, errors = score_refs(ws, refs, profile, everything=not projects)
        units = by_unit(records, profile)
        whole = score_summary(records, profile)
        if fmt is Format.json:
            typer.echo(printable_json(json_text(records, units, whole)))
        else:
            # With no PROJECT: the projects with a self-evaluation; the unit lines count the rest.
            shown = records if projects else [r for r in records if r.evaluated]
            text = year_scores_render_text(
                [r.record() for r in shown],
                [] if projects else units,
                None if projects else whole,
            )
            if text:
                say(text)
        for e in errors:
            for line in e.splitlines():
                warn(line)
        if errors:
            raise typer.Exit(2)


def _output_target(output: Path | None) -> Path | None:
    """Where `-o FILE` writes (None: standard output), refused before any work as `export`
    refuses it: a device, a FIFO, a folder that does not exist."""
    return plumbing.output_target(State.directory, output)


def _report(target: Path | None, text: str) -> None:
    """A report to standard output, or atomically into the -o file."""
    plumbing.write_report(target, text)


@command(
    help="安装 git 的 pre-commit 和 pre-merge-commit 钩子（运行 jixiao check --staged）；"
    "hook pre-receive 是服务器的推送检查。"
)
def hook(
    kind: Annotated[
        str | None,
        typer.Argument(
            metavar="pre-receive",
            help="pre-receive：在裸仓库中检查推送（从标准输入读 git 给的各行）。",
        ),
    ] = None,
) -> None:
    """Install the git pre-commit and pre-merge-commit hooks (`jixiao check --staged`);
    `hook pre-receive` is the server's gate, run by git in a bare repository."""
    if kind is not None:
        _pre_receive(kind)
        return
    from jixiao.store.git import install_pre_commit

    with user_errors():
        say(install_pre_commit(workspace().root))


def _pre_receive(kind: str) -> None:
    """The server's gate: exit 1 (git refuses the push) when a ref's new tip brings new
    errors; one line per finding on stderr, which git shows the pusher."""
    if kind != "pre-receive":
        warn(f"{kind}: 不是服务器钩子；可用的有 pre-receive")
        raise typer.Exit(2)
    from jixiao.store.forge import judge_push

    with user_errors():
        refused, lines = judge_push(State.directory.resolve(), sys.stdin.read())
    for line in lines:
        err.print(line)
    if refused:
        raise typer.Exit(1)


def _expected_weight(ws: Workspace) -> float:
    """The weight total the profile asks for; 100 if the profile cannot be read (`check`
    reports that; a diff should still show)."""
    try:
        return ws.profile().weight_total
    except JixiaoError:
        return 100.0


def _profile_or_default(ws: Workspace):  # noqa: ANN202 - store.profile.Profile
    """The workspace's rules; the default ones if jixiao.yaml cannot be read (as
    _expected_weight: a diff should still show)."""
    try:
        return ws.profile()
    except JixiaoError:
        from jixiao.store.rules import DEFAULT_PROFILE

        return DEFAULT_PROFILE


@command(help="以表中的用语按项目列出改动。")
def diff(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="版本或项目",
            help="至多两个版本，然后是项目名或项目文件。",
        ),
    ] = None,
    fmt: Annotated[
        DiffFormat,
        typer.Option(
            "--format",
            help="text（默认）、json，或合并请求用的 markdown、html。",
            metavar="格式",
            show_default=False,
        ),
    ] = DiffFormat.text,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="有差异时退出码为 1（与 git 相同）。")
    ] = False,
) -> None:
    """What changed, in the form's words, grouped by project.

    No revision: the working tree against HEAD; one: that revision against the working
    tree; two: between them.
    """
    from jixiao.store.merge import to_json
    from jixiao.store.workspace import compare, split_revisions

    with user_errors():
        ws = workspace()
        revs, specs = split_revisions(ws, args or [])
        rev_a, rev_b = (revs + [None, None])[:2] if revs else ("HEAD", None)
        conflicted: dict[str, str] = {}  # files a merge left conflicted: named, not compared
        diffs = compare(
            ws,
            rev_a,
            rev_b,
            specs,
            cwd=State.directory.resolve(),
            expected=_expected_weight(ws),
            conflicted=conflicted,
        )
        sides = {"from": rev_a, "to": rev_b}
        if fmt is DiffFormat.json:
            emit_json({**sides, "projects": to_json(diffs), "conflicted": sorted(conflicted)})
        else:
            from jixiao.store.forge import build_review
            from jixiao.store.forge import html as forge_diff_html
            from jixiao.store.forge import markdown as forge_diff_markdown
            from jixiao.store.forge import text as forge_diff_text

            review = build_review(diffs, _profile_or_default(ws))
            if fmt is DiffFormat.text:
                say(f"{rev_a} → {rev_b or WORKTREE_SIDE}\n")
                say(forge_diff_text(review), nl=False)
            else:
                render = forge_diff_markdown if fmt is DiffFormat.markdown else forge_diff_html
                typer.echo(render(review, rev_a, rev_b), nl=False)
        if conflicted:
            warn(f"{len(conflicted)} 个项目文件有未解决的合并冲突，未比较：")
            for message in conflicted.values():
                for line in message.splitlines():
                    warn(line)
    if exit_code and (diffs or conflicted):
        raise typer.Exit(1)


@command(
    "merge-file",
    help="按字段合并项目文件或 jixiao.yaml（jixiao init 设置的 git 合并驱动）；退出码 0 已合并，1 有冲突。",
)
def merge_file(
    base: Annotated[Path, typer.Argument(help="共同祖先（git 的 %O）。", metavar="祖先")],
    ours: Annotated[
        Path, typer.Argument(help="我方；合并结果写在这里（git 的 %A）。", metavar="我方")
    ],
    theirs: Annotated[Path, typer.Argument(help="对方（git 的 %B）。", metavar="对方")],
    path: Annotated[str, typer.Argument(help="文件在仓库中的路径（git 的 %P）。", metavar="路径")],
) -> None:
    """Merge a project file or jixiao.yaml field by field (the git merge driver `jixiao init`
    sets up); exit 0 merged, 1 conflicts left in OURS between <<<<<<< and >>>>>>> markers."""
    code = plumbing.merge_file(State.directory, base, ours, theirs, path)
    if code:
        raise typer.Exit(code)


@command(help="把导出的 .txt 打印成易读的行（jixiao init 设置的 git diff 驱动）。")
def textconv(
    file: Annotated[
        Path, typer.Argument(help="导出的 .txt 文件（git 传入一个临时文件）。", metavar="文件")
    ],
) -> None:
    """Print an exported .txt as readable lines (the git diff driver `jixiao init` sets up).

    A file that is not a sheet is printed unchanged, so a git diff never fails on it.
    """
    code = plumbing.textconv(State.directory, file)
    if code:
        raise typer.Exit(code)
