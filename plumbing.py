"""The commands git runs once per file, without typer, click, rich or Textual.

git starts jixiao once per file: the merge driver for every project changed on both sides of a
merge, textconv for every exported sheet in `git log -p`, the pre-commit hook on every commit.
The console script (entry.py) answers `merge-file`, `textconv` and `check` by calling these
functions directly, and the typer commands of cli.py call the same functions, so each has one
implementation. Each imports only the store modules it uses.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .cli_words import COMMANDS, unknown_command

if TYPE_CHECKING:
    from .store.workspace import Workspace

# `check --format`: text and json here; the forges' formats (store/forge/) too.
CHECK_FORMATS = ("text", "json", "codequality", "sarif", "junit", "github")


def _warn(text: str) -> None:
    """One line on stderr (`jixiao: …`), control characters made visible."""
    from jixiao.store.printable import printable

    _write(f"jixiao: {printable(text)}\n", sys.stderr)


def _write(text: str, stream=None) -> None:  # noqa: ANN001
    """Text on a stream; a console that cannot show a mark gets its nearest bytes."""
    stream = stream or sys.stdout
    try:
        stream.write(text)
    except UnicodeEncodeError:
        stream.flush()
        stream.buffer.write(text.encode(stream.encoding or "ascii", "replace"))
    stream.flush()


def say_recovered() -> None:
    """One sentence on stderr for each interrupted write this command finished or undid."""
    from .store.disk import take_notes

    for note in take_notes():
        _warn(note)


def guarded(work: Callable[[], int]) -> int:
    """A user's mistake is one sentence on stderr and exit 2, never a traceback."""
    from jixiao.store.errors import JixiaoError

    try:
        return work()
    except JixiaoError as e:
        say_recovered()
        if os.environ.get("JIXIAO_DEBUG") == "1":
            raise
        for line in str(e).splitlines() or [""]:  # a conflicted file: one line per conflict
            _warn(line)
        return 2
    except OSError as e:  # a file we were told to read or write
        say_recovered()
        if os.environ.get("JIXIAO_DEBUG") == "1":
            raise
        from .store.disk import reason

        _warn(f"{e.filename}: {reason(e)}" if e.filename else reason(e))
        return 2
    except KeyboardInterrupt:
        _warn("已中断，没有写入任何文件")
        return 130
    finally:
        say_recovered()


def _in(directory: Path, path: Path) -> Path:
    return path if path.is_absolute() else directory / path


# ---------------------------------------------------------------------- merge-file


def merge_file(directory: Path, base: Path, ours: Path, theirs: Path, path: str) -> int:
    """The git merge driver: 0 merged, 1 conflicts left in OURS between markers."""
    from .store.workspace import merge_file as run_merge

    return guarded(lambda: run_merge(*(_in(directory, p) for p in (base, ours, theirs)), path))


# ---------------------------------------------------------------------- textconv


def textconv(directory: Path, file: Path) -> int:
    """An exported .txt as readable lines (git's diff driver); a file that is not a sheet is
    printed unchanged and one too large is a sentence, so a `git log -p` never fails."""
    from jixiao.store.errors import TooLargeError

    from .store.disk import SHEET_LIMIT, FileKindError, cannot_read, read_regular
    from .store.workspace import refusal, render_textconv

    try:
        data = read_regular(_in(directory, file), SHEET_LIMIT)
    except OSError as e:
        _warn(cannot_read(file, e))
        return 2
    except TooLargeError as e:  # said in the diff instead of failing `git log -p`
        shown = refusal(str(e))
    except FileKindError as e:
        _warn(str(e))
        return 2
    else:
        shown = render_textconv(data, str(file))
    sys.stdout.flush()
    sys.stdout.buffer.write(shown)
    sys.stdout.buffer.flush()
    return 0


# ---------------------------------------------------------------------- check


def check(
    directory: Path,
    projects: Sequence[str] = (),
    fmt: str = "text",
    output: Path | None = None,
    changed: bool = False,
    staged: bool = False,
    no_cache: bool = False,
    hook: str | None = None,
) -> int:
    """`jixiao check`: 0 clean or warnings only, 1 errors, 2 could not run. Run by a git hook
    (`hook`), a stopped commit or merge says so last, with what to do next."""
    code = guarded(
        lambda: _check(directory, projects, fmt, output, changed, staged, no_cache, hook)
    )
    if hook and code:
        _warn(stopped(hook, code))  # the last line a person reads
    return code


def stopped(hook: str, code: int) -> str:
    """What a stopped commit or merge means, and what to do next."""
    why = "暂存的项目有错误（见上）" if code == 1 else "jixiao 无法检查（原因见上）"
    if hook == "pre-merge-commit":
        return (
            f"合并未提交：{why}；修正后 git add，再运行 git commit 完成合并，"
            "或用 git commit --no-verify 先保存合并"
        )
    return f"提交已取消：{why}；修正后再提交，或用 git commit --no-verify 保存草稿"


def output_target(directory: Path, output: Path | None) -> Path | None:
    """Where `-o FILE` writes (None: standard output), refused before any work as `export`
    refuses it: a device, a FIFO, a folder that does not exist."""
    if output is None or str(output) == "-":
        return None
    from .store.disk import output_target as checked_target

    return checked_target(_in(directory, output), str(output))


def write_report(target: Path | None, text: str) -> None:
    """A report to standard output, or atomically into the -o file."""
    if target is None:
        _write(text)
        return
    from .store.disk import write as write_atomically

    write_atomically(target, text.encode("utf-8"), make_dirs=False)


def _check(
    directory: Path,
    projects: Sequence[str],
    fmt: str,
    output: Path | None,
    changed: bool,
    staged: bool,
    no_cache: bool,
    hook: str | None,
) -> int:
    from jixiao.store.printable import printable, printable_json

    from .store.workspace import (
        Workspace,
        check_projects,
        check_refs,
        exit_code,
        format_json,
        format_text,
        require_git,
        staged_inputs,
        stray_reports,
        strays,
        tracked_private,
    )

    target = output_target(directory, output)
    ws = Workspace.find(directory)
    say_recovered()
    profile = ws.profile()
    if staged or not (projects or changed):
        tracked = tracked_private(ws, staged)
        if tracked:
            _warn(tracked)
    if staged:
        inputs = staged_inputs(ws)
        reports = check_projects(inputs, profile)
        reports += stray_reports(strays(ws, staged=True), profile)
        checked = len(inputs)
        files = [i.file for i in inputs]
    else:
        stray_rels: list[str] = []
        if projects:
            refs = [ws.resolve(p, directory) for p in projects]
        elif changed:
            require_git(ws)
            wanted = ws.uncommitted()
            refs = [r for r in ws.projects() if r.rel in wanted]
            stray_rels = strays(ws, only=wanted)
        else:
            refs = ws.projects()
            stray_rels = strays(ws)
        reports = check_refs(
            ws, refs, profile, use_cache=not no_cache, everything=not (projects or changed)
        )
        reports += stray_reports(stray_rels, profile)
        checked = len(refs)
        files = [r.rel for r in refs]
    unlisted = 0
    if hook == "pre-merge-commit":
        # A merge brings in every project both sides touched: only what stops it is news.
        stops = [r for r in reports if r.severity == "error"]
        unlisted, reports = len(reports) - len(stops), stops
    if fmt == "json":
        write_report(target, printable_json(format_json(reports)) + "\n")
    elif fmt != "text":
        _forge_report(target, fmt, reports, ws, files, checked, staged)
    elif target is not None:
        write_report(target, printable(format_text(reports, checked=checked)) + "\n")
    elif sys.stdout.isatty():  # colours: rich is worth its start-up only in front of a person
        from rich.console import Console

        Console(highlight=False, emoji=False).print(
            printable(format_text(reports, checked=checked, color=True))
        )
    else:
        _write(printable(format_text(reports, checked=checked)) + "\n")
    if unlisted:
        _write(f"另有 {unlisted} 条警告和提示不影响合并，未列出（jixiao check 可看全部）\n")
    return exit_code(reports)


def _forge_report(
    target: Path | None,
    fmt: str,
    reports: list,
    ws: Workspace,
    files: list[str],
    checked: int,
    staged: bool,
) -> None:
    """`check --format codequality|sarif|junit|github`; the summary line goes to stderr (and,
    for github, to $GITHUB_STEP_SUMMARY where the runner sets it): stdout holds the report."""
    from jixiao.store.printable import printable, printable_json

    from . import __version__
    from .store.forge import render_check
    from .store.workspace import summary

    text = render_check(
        fmt, reports, ws=ws, profile=ws.profile(), files=files, staged=staged, version=__version__
    )
    if fmt == "github":
        write_report(target, printable(text))
    else:
        write_report(target, printable_json(text) if fmt != "junit" else text)
    said = summary(reports, checked)
    _warn(said)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY") if fmt == "github" else None
    if step_summary:
        try:
            with open(step_summary, "a", encoding="utf-8") as f:
                f.write(f"jixiao check：{said}\n")
        except OSError as e:  # the report is out: a summary that cannot be written is a note
            from .store.disk import reason

            _warn(f"{step_summary}: {reason(e)}（GITHUB_STEP_SUMMARY）")


# ---------------------------------------------------------------------- the rest


def say_line(text: str) -> int:
    """Print one line of our own words (never fails on a console's encoding); exit code 0."""
    _write(text + "\n")
    return 0


def refuse_command(name: str) -> int:
    """A command that does not exist: one sentence on stderr, exit 2."""
    _warn(unknown_command(name, COMMANDS))
    return 2
