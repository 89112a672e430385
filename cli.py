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
from typing import TYPE_CHECKING, Annotated

import typer

from cli_help import ChineseHelpGroup
from store.errors import JixiaoError
from store.explain import UnknownCodeError, explain
from store.printable import one_line, printable, printable_json
from store.workspace import Workspace

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

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
    add_completion=False,
    pretty_exceptions_enable=False,
)

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
    """One line on stderr (`jixiao: …`), control characters made visible."""
    err.print(f"jixiao: {printable(text)}")


class Format(StrEnum):
    text = "text"
    json = "json"


class ExportFormat(StrEnum):
    txt = "txt"
    xlsx = "xlsx"


class State:
    directory: Path = Path(".")


@app.callback()
def main(
    directory: Annotated[
        Path, typer.Option("-C", help="在 DIR 中运行（如同从 DIR 启动 jixiao）。", metavar="DIR")
    ] = Path("."),
) -> None:
    """Keep 绩效目标批复表 as YAML in git; export the official tab format byte for byte."""
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
        from store.oserrors import reason

        where = f"{e.filename}: " if e.filename else ""
        warn(f"{where}{reason(e)}")
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        warn("已中断，没有写入任何文件")
        raise typer.Exit(130) from None
    finally:
        say_recovered()


def _out() -> Console:
    """stdout; when it is not a terminal, wide enough that tables never cut a name."""
    from rich.console import Console

    return Console(
        highlight=False,
        markup=False,
        emoji=False,
        width=None if sys.stdout.isatty() else _PIPE_WIDTH,
    )


def workspace() -> Workspace:
    """The workspace, with what a killed jixiao left unfinished finished or undone first."""
    ws = Workspace.find(State.directory)
    say_recovered()
    return ws


def say_recovered() -> None:
    """One sentence on stderr for each interrupted write this command finished or undid."""
    from store.transaction import take_notes

    for note in take_notes():
        err.print(f"jixiao: {printable(note)}", markup=False, soft_wrap=True)


def emit_json(data: object) -> None:
    typer.echo(printable_json(json.dumps(data, ensure_ascii=False, indent=2)))


@app.command(help="新建工作区：含 jixiao.yaml 和 store/ 的 git 仓库。")
def init(
    directory: Annotated[Path, typer.Argument(help="新工作区的文件夹。")] = Path("."),
) -> None:
    """Make a new workspace: a git repository with jixiao.yaml and store/.

    Run again in an existing workspace (or a fresh clone) to bring its git settings up to
    date (the diff and merge drivers, the hooks); jixiao.yaml and store/ stay.
    """
    from store import hooks

    with user_errors():
        target = directory if directory.is_absolute() else State.directory / directory
        existed = (target / "jixiao.yaml").exists()
        ws = Workspace.init(target)
        if existed:
            say(f"已重新初始化 jixiao 工作区 {ws.root}（已更新 git 设置）")
        else:
            say(f"已初始化 jixiao 工作区 {ws.root}")
        say(hooks.install_pre_commit(ws.root))


@app.command("import", help="把文件中的每张表导入 store/（要么全部导入，要么都不导入）。")
def import_(
    files: Annotated[
        list[Path], typer.Argument(help="导出的制表符分隔文件或工作簿（.xlsx/.xls）。")
    ],
    force: Annotated[
        bool,
        typer.Option("--force", help="覆盖有未提交修改的项目文件。"),
    ] = False,
) -> None:
    """Import every sheet of the files into store/ (all or nothing)."""
    from store.diff import diff_sheets, render_text
    from store.fields import TITLE

    with user_errors():
        ws = workspace()
        files = [f if f.is_absolute() else State.directory / f for f in files]
        started = time.perf_counter()
        with _progress("正在导入") as progress:
            report = ws.import_files(files, progress=progress, force=force)
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
    from rich.progress import Progress

    bar: Progress | None = None
    task = None

    def update(done: int, total: int) -> None:
        nonlocal bar, task
        if total < 200:
            return
        if bar is None:
            bar = Progress(console=err.console(), transient=False)
            bar.start()
            task = bar.add_task(label, total=total)
        bar.update(task, completed=done)

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()


@app.command(
    help="按官方制表符格式写出项目，或写成可打印的 .xlsx（-o 文件.xlsx）；默认按导入顺序写出全部项目。"
)
def export(
    projects: Annotated[
        list[str] | None, typer.Argument(help="预算项目、单位/项目，或项目文件。")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="写入 FILE（- 表示标准输出）。")
    ] = None,
    fmt: Annotated[
        ExportFormat | None,
        typer.Option("--format", help="txt 或 xlsx（默认按 FILE 的后缀）。"),
    ] = None,
    form: Annotated[
        str | None,
        typer.Option(
            "--form",
            metavar="自评|监控",
            help="写出项目支出绩效自评表（自评）或绩效运行监控表（监控），按批复表预填。",
        ),
    ] = None,
) -> None:
    """Write projects in the official tab format, or as a printable .xlsx (-o FILE.xlsx);
    all of them, in import order, by default."""
    from store import export_format

    with user_errors():
        if form is not None and form.strip() not in ("自评", "监控"):
            raise JixiaoError(
                f"--form {form!r}：应为 自评（项目支出绩效自评表）或 监控（绩效运行监控表）"
            )
        if output is not None and str(output) == "-":
            output = None
        chosen, warning = export_format.choose(output, fmt.value if fmt else None)
        if chosen == export_format.XLSX and output is None and sys.stdout.isatty():
            raise JixiaoError("Excel 工作簿不能输出到终端；请用 -o 文件名.xlsx")
        target = None
        if output is not None:  # refused before any work: a device, a FIFO, no such folder
            from store.files import output_target

            given = output if output.is_absolute() else State.directory / output
            target = output_target(given, str(output))
        ws = workspace()
        refs = [ws.resolve(p, State.directory) for p in projects] if projects else ws.projects()
        if not refs:
            raise JixiaoError(f"{ws.store}: 没有可导出的项目；请先运行 jixiao import")
        if form is not None:
            from store import year_form_files

            sheets = [ws.load(r) for r in refs]
            write = (
                year_form_files.export_xlsx
                if chosen == export_format.XLSX
                else year_form_files.export_text
            )
            data = write(sheets, form.strip(), ws.profile())
        elif chosen == export_format.XLSX:
            from store.xlsx_write import write_workbook

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
            from store import atomic

            atomic.write(target, data, make_dirs=False)
            warn(f"已把 {len(refs)} 个项目写入 {output}")


@app.command("list", help="每个项目一行：单位、项目、项目总额、指标数、权重合计。")
def list_(
    fmt: Annotated[Format, typer.Option("--format", help="text（文本）或 json。")] = Format.text,
) -> None:
    """One line per project: unit, project, 项目总额, indicators, weight total."""
    from store import views

    with user_errors():
        ws = workspace()
        rows = views.project_rows(ws)
        if fmt is Format.json:
            emit_json(rows)
        else:
            _print_rows([r for r in rows if "error" not in r])
            for r in rows:
                if "error" in r:
                    for line in r["error"].splitlines():
                        warn(line)
        if any(r.get("error") for r in rows):
            raise typer.Exit(1)


@app.command(help="以表格显示一张表。")
def show(
    project: Annotated[str, typer.Argument(help="预算项目、单位/项目，或项目文件。")],
    fmt: Annotated[Format, typer.Option("--format", help="text（文本）或 json。")] = Format.text,
) -> None:
    """One sheet as a table."""
    from store import views

    with user_errors():
        ws = workspace()
        ref = ws.resolve(project, State.directory)
        sheet = ws.load(ref)
        if fmt is Format.json:
            emit_json(views.sheet_dict(sheet))
        else:
            _print_sheet(_out(), views.sheet_dict(sheet), ref.rel)


@app.command(help="在终端界面中浏览和编辑项目（边输入边检查权重）。")
def edit(
    project: Annotated[
        str | None, typer.Argument(help="要打开的预算项目、单位/项目，或项目文件。")
    ] = None,
) -> None:
    """Browse and edit projects in the terminal UI (weights checked as you type)."""
    with user_errors():
        ws = workspace()
        if project is not None:
            # A wrong name is one sentence here, before the screen opens; the app gets the path.
            project = str(ws.resolve(project, State.directory).path)
        from tui.app import JixiaoApp

        JixiaoApp(ws, project).run()


@app.command(help="在一个临时工作区（内含示例的 16 张表）上打开编辑器。")
def demo(
    keep: Annotated[
        Path | None,
        typer.Option("--keep", help="在 DIR 中建立演示工作区并保留。", metavar="DIR"),
    ] = None,
) -> None:
    """Open the editor on a throw-away workspace holding the bundled sample (16 sheets)."""
    import tempfile

    from store.demo import make_demo_workspace

    with user_errors():
        with contextlib.ExitStack() as stack:
            if keep is None:
                base = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jixiao-demo-")))
            else:
                base = keep if keep.is_absolute() else State.directory / keep
            ws = make_demo_workspace(base)
            from tui.app import JixiaoApp

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
_PIPE_WIDTH = 240  # stdout that is not a terminal: wide enough that tables never cut a name


def _print_rows(rows: list[dict]) -> None:
    """The list as a table: into a pipe as plain aligned text (store.texttable, the same
    bytes as rich's table, ~20× faster for thousands of rows); on a terminal through rich."""
    cells = [_row_cells(r) for r in rows]
    if not sys.stdout.isatty():
        from store import texttable

        headers, justify = zip(*_LIST_COLUMNS, strict=True)
        text = texttable.render(headers, justify, cells, _PIPE_WIDTH)
        if text is not None:
            typer.echo(text, nl=False)
            return
    _out().print(_rows_table(cells))


def _row_cells(r: dict) -> list[str]:
    mark = "✓" if r["weight_ok"] else "✗"
    return [
        one_line(r["unit"]),
        one_line(r["project"]),
        one_line(r["total"]),
        str(r["indicators"]),
        f"{r['weight_total']} {mark}",
        str(r["findings"]) if r["findings"] else "",
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


def _cell(value: str) -> Text:
    """A value read from a file as a table cell: plain text on one line, never markup."""
    from rich.text import Text

    return Text(one_line(value))


def _print_sheet(console: Console, d: dict, rel: str) -> None:
    from rich.table import Table
    from rich.text import Text

    from store.fields import FUNDING_KEY, INDICATORS_KEY

    title = Text(one_line(d["预算项目"]), style="bold")
    title.append("  ").append(one_line(rel), style="dim")
    console.print(title)
    head = Table(box=None, show_header=False, pad_edge=False)
    head.add_column(style="dim")
    head.add_column(overflow="fold")
    for key, value in d.items():
        if key == FUNDING_KEY:
            parts = "  ".join(f"{k} {v}" for k, v in value.items())
            head.add_row(key, _cell(parts))
        elif key not in (INDICATORS_KEY, "本年权重合计"):
            head.add_row(key, Text(printable(value)))
    console.print(head)
    table = Table(show_lines=False)
    items = d[INDICATORS_KEY]
    labels = list(items[0]) if items else []
    for label in labels:
        right = label in ("权重", "本年权重")
        long = label in ("三级指标", "指标值", "本年绩效指标值", "备注")
        table.add_column(
            label, justify="right" if right else "left", overflow="fold", no_wrap=not long
        )
    for item in items:
        table.add_row(*(Text(printable(v)) for v in item.values()))
    console.print(table)
    console.print(f"本年权重合计 + 预算执行率权重 = {d['本年权重合计']}")


@app.command(help="按规则检查项目；退出码 0 无错误（可有警告），1 有错误，2 无法运行。")
def check(
    projects: Annotated[
        list[str] | None, typer.Argument(help="预算项目、单位/项目，或项目文件。")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text（文本）或 json。")] = Format.text,
    changed: Annotated[
        bool, typer.Option("--changed", help="只检查相对 git HEAD 有改动的项目文件。")
    ] = False,
    staged: Annotated[
        bool,
        typer.Option("--staged", help="检查已暂存待提交的项目文件（按暂存的内容；提交钩子用）。"),
    ] = False,
    explain_code: Annotated[
        str | None,
        typer.Option("--explain", metavar="CODE", help="说明一条规则的含义和改法。"),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="忽略缓存的检查结果，逐个文件重新检查。"),
    ] = False,
) -> None:
    """Check projects against the rules; exit 0 clean or warnings, 1 errors, 2 could not run."""
    from store import checking
    from store.checkcache import check_refs

    with user_errors():
        if explain_code:
            typer.echo(explain(explain_code))
            return
        ws = workspace()
        profile = ws.profile()
        if staged:
            inputs = checking.staged_inputs(ws)
            reports = checking.check_projects(inputs, profile)
            reports += checking.stray_reports(checking.strays(ws, staged=True), profile)
            checked = len(inputs)
        else:
            strays: list[str] = []
            if projects:
                refs = [ws.resolve(p, State.directory) for p in projects]
            elif changed:
                checking.require_git(ws)
                wanted = ws.uncommitted()
                refs = [r for r in ws.projects() if r.rel in wanted]
                strays = checking.strays(ws, only=wanted)
            else:
                refs = ws.projects()
                strays = checking.strays(ws)
            reports = check_refs(
                ws, refs, profile, use_cache=not no_cache, everything=not (projects or changed)
            )
            reports += checking.stray_reports(strays, profile)
            checked = len(refs)
        if fmt is Format.json:
            say(printable_json(checking.format_json(reports)))
        else:
            from rich.console import Console

            out = Console(highlight=False, emoji=False)  # markup: format_text's own, escaped
            text = printable(checking.format_text(reports, checked=checked, color=out.is_terminal))
            if out.is_terminal:
                out.print(text)
            else:
                typer.echo(text)
        code = checking.exit_code(reports)
        if code:
            raise typer.Exit(code)


@app.command(
    help="按绩效自评计分：每个项目的预算执行率、各指标的分值和得分、总分和等级；"
    "不指定项目时列出全部，并按单位和全部汇总。"
)
def score(
    projects: Annotated[
        list[str] | None, typer.Argument(help="预算项目、单位/项目，或项目文件。")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text（文本）或 json。")] = Format.text,
) -> None:
    """Score the self-evaluations: 预算执行率, each indicator's 分值 and 得分, 总分 and 等级."""
    from store import year_scores

    with user_errors():
        ws = workspace()
        profile = ws.profile()
        refs = [ws.resolve(p, State.directory) for p in projects] if projects else ws.projects()
        records, errors = year_scores.score_refs(ws, refs, profile, everything=not projects)
        units = year_scores.by_unit(records, profile)
        whole = year_scores.summary(records, profile)
        if fmt is Format.json:
            typer.echo(printable_json(year_scores.json_text(records, units, whole)))
        else:
            # With no PROJECT: the projects with a self-evaluation; the unit lines count the rest.
            shown = records if projects else [r for r in records if r.evaluated]
            text = year_scores.render_text(
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


@app.command(help="安装 git 的 pre-commit 和 pre-merge-commit 钩子（运行 jixiao check --staged）。")
def hook() -> None:
    """Install the git pre-commit and pre-merge-commit hooks (`jixiao check --staged`)."""
    from store import hooks

    with user_errors():
        say(hooks.install_pre_commit(workspace().root))


def _expected_weight(ws: Workspace) -> float:
    """The weight total the profile asks for; 100 if the profile cannot be read (`check`
    reports that; a diff should still show)."""
    try:
        return ws.profile().weight_total
    except JixiaoError:
        return 100.0


@app.command(help="以表中的用语按项目列出改动。")
def diff(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[REV_A [REV_B]] [PROJECT...]",
            help="至多两个版本，然后是项目（预算项目、单位/项目，或项目文件）。",
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text（文本）或 json。")] = Format.text,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="有差异时退出码为 1（与 git 相同）。")
    ] = False,
) -> None:
    """What changed, in the form's words, grouped by project.

    No revision: the working tree against HEAD; one: that revision against the working
    tree; two: between them.
    """
    from store import revisions
    from store.diff import render_text, to_json

    with user_errors():
        ws = workspace()
        revs, specs = revisions.split_revisions(ws, args or [])
        rev_a, rev_b = (revs + [None, None])[:2] if revs else ("HEAD", None)
        diffs = revisions.compare(
            ws, rev_a, rev_b, specs, cwd=State.directory.resolve(), expected=_expected_weight(ws)
        )
        sides = {"from": rev_a, "to": rev_b}
        if fmt is Format.json:
            emit_json({**sides, "projects": to_json(diffs)})
        else:
            say(f"{rev_a} → {rev_b or 'working tree'}\n")
            say(render_text(diffs), nl=False)
    if exit_code and diffs:
        raise typer.Exit(1)


@app.command(
    "merge-file",
    help="按字段合并项目文件或 jixiao.yaml（jixiao init 设置的 git 合并驱动）；退出码 0 已合并，1 有冲突。",
)
def merge_file(
    base: Annotated[Path, typer.Argument(help="共同祖先（git 的 %O）。")],
    ours: Annotated[Path, typer.Argument(help="我方；合并结果写在这里（git 的 %A）。")],
    theirs: Annotated[Path, typer.Argument(help="对方（git 的 %B）。")],
    path: Annotated[str, typer.Argument(help="文件在仓库中的路径（git 的 %P）。")],
) -> None:
    """Merge a project file or jixiao.yaml field by field (the git merge driver `jixiao init`
    sets up); exit 0 merged, 1 conflicts left in OURS between <<<<<<< and >>>>>>> markers."""
    from store.mergedriver import merge_file as run_merge

    with user_errors():
        paths = [p if p.is_absolute() else State.directory / p for p in (base, ours, theirs)]
        code = run_merge(*paths, path)
    if code:
        raise typer.Exit(code)


@app.command(help="把导出的 .txt 打印成易读的行（jixiao init 设置的 git diff 驱动）。")
def textconv(
    file: Annotated[Path, typer.Argument(help="导出的 .txt 文件（git 传入一个临时文件）。")],
) -> None:
    """Print an exported .txt as readable lines (the git diff driver `jixiao init` sets up).

    A file that is not a sheet is printed unchanged, so a git diff never fails on it.
    """
    from store.files import SHEET_LIMIT, FileKindError, read_regular
    from store.textconv import render

    try:
        data = read_regular(file if file.is_absolute() else State.directory / file, SHEET_LIMIT)
    except OSError as e:
        from store.oserrors import cannot_read

        warn(cannot_read(file, e))
        raise typer.Exit(2) from None
    except FileKindError as e:
        warn(str(e))
        raise typer.Exit(2) from None
    sys.stdout.flush()
    sys.stdout.buffer.write(render(data, str(file)))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    app()
