"""click's own usage errors (unknown option or command, missing or bad value) as one Chinese
sentence, exit 2.

typer carries its own click with its messages as plain English f-strings (no gettext catalogue
to translate), so the sentence is made here from the exception's class and attributes. Only
the extra-argument error carries nothing but its text; its values are read from that text.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator

import typer
from typer._click import exceptions as ce
from typer._click.core import Context

from store.printable import printable


class NoSuchCommand(ce.UsageError):
    """A command name that is not one of ours (click says this with a bare UsageError)."""

    def __init__(self, name: str, ctx: object) -> None:
        super().__init__(f"No such command {name!r}.", ctx)  # type: ignore[arg-type]
        self.name = name


_EXTRA = re.compile(r"\(([^()]*)\)$")


def _param_name(param: object) -> str:
    opts = getattr(param, "opts", None)
    if getattr(param, "param_type_name", "") == "option" and opts:
        return max(opts, key=len)
    metavar = getattr(param, "metavar", None)
    return metavar or str(getattr(param, "name", "")).upper()


def _bad_value(e: ce.BadParameter) -> str:
    cause = e.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        with contextlib.suppress(Exception):
            return f" '{errors()[0]['input']}'"
    return ""


def sentence(e: ce.UsageError, where: str, command: object) -> str:
    """What went wrong and where `--help` tells more, in the form's words. `where` and
    `command` are those the error happened in (the parser's errors carry no context)."""
    if e.ctx is not None:
        where, command = e.ctx.command_path, e.ctx.command
    options = f"（{where} --help 列出全部选项）"
    if isinstance(e, NoSuchCommand):
        return f"没有这个命令：{e.name}（jixiao --help 列出全部命令）"
    if isinstance(e, ce.NoSuchOption):
        also = "、".join(e.possibilities or [])
        hint = f"；是否要用 {also}？" if also else ""
        return f"没有这个选项：{e.option_name}{hint}{options}"
    if isinstance(e, ce.MissingParameter):
        kind = "选项" if e.param_type == "option" else "参数"
        return f"缺少{kind} {_param_name(e.param)}（{where} --help 说明各{kind}）"
    if isinstance(e, ce.BadParameter):
        kind = "选项" if getattr(e.param, "param_type_name", "") == "option" else "参数"
        name = _param_name(e.param) if e.param is not None else ""
        return f"{kind} {name} 的值{_bad_value(e)} 无效（{where} --help 说明可用的值）"
    if isinstance(e, ce.BadOptionUsage):
        params = getattr(command, "params", [])
        option = next((p for p in params if e.option_name in p.opts), None)
        if option is None or getattr(option, "is_flag", False):  # None: --help, a flag too
            return f"选项 {e.option_name} 不接受值{options}"
        return f"选项 {e.option_name} 需要一个值{options}"
    if e.ctx is not None and e.ctx.parent is None:  # only the group fails bare: no command
        return "缺少命令（jixiao --help 列出全部命令）"
    extra = _EXTRA.search(e.message)
    if extra:
        return f"多余的参数：{extra.group(1)}（{where} --help 说明各参数）"
    return f"命令行用法有误（{where} --help 说明用法）"


@contextlib.contextmanager
def chinese_usage_errors(ctx: Context) -> Iterator[None]:
    """A usage error is one line on stderr (`jixiao: …`) and exit 2, as click exits.

    `ctx` is the group's: the command being parsed is its `invoked_subcommand`, if any."""
    try:
        yield
    except ce.NoArgsIsHelpError:
        raise  # `jixiao` alone: click prints the help
    except ce.UsageError as e:
        name = ctx.invoked_subcommand
        command = ctx.command.commands.get(name) if name else ctx.command
        where = f"{ctx.command_path} {name}" if name else ctx.command_path
        print(f"jixiao: {printable(sentence(e, where, command))}", file=sys.stderr)
        raise typer.Exit(2) from None
