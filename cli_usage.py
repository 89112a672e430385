"""Everything jixiao takes from typer that typer does not offer as public API, in this one
module; `tests/test_typer_privates.py` fails the day any of it changes.

- click's exception classes. typer 0.29 carries its own click as the private `typer._click`
  and exports only `BadParameter`; the usage errors are told apart by class and their public
  attributes (`option_name`, `possibilities`, `param`, `param_type`), never by their English
  text, and one Chinese sentence is made of them.
- the "[required]" mark of typer's rich help (`typer.rich_utils.REQUIRED_LONG_STRING`): typer
  appends it to every required parameter's help and offers no setting for its words.
- the type an argument's row shows in the help (`<path>`, `<list[str]>`): typer prints it
  for every argument (`TyperArgument.display_type_rich`) and offers no setting to leave it
  out; the argument's Chinese metavar (文件, 项目) already says what it takes.
- the coercion of a parameter's value (`_TyperParameter._runtime_param`, a `RuntimeParam`):
  typer 0.29 builds a pydantic TypeAdapter for every parameter of the command run, which
  imports pydantic and costs more than most of jixiao's commands do. `plain_coercion` gives
  each str, bool, Path (with no checks asked), enum and list of those a coercion that answers a
  plain value the way typer's does and hands anything else (a wrong choice, bytes, a Path
  check) to typer's own, so what a user sees of a bad value is typer's.
- the completion script, its installation and the shells it knows (`typer.completion`),
  which typer offers only as its own English options; jixiao's `--show-completion` and
  `--install-completion` call them, and the group registers the shells when the completion
  script asks (`_JIXIAO_COMPLETE` set).

Everything else of the Chinese help goes the documented way (cli_help.py: a Context whose
`formatter_class` writes `用法：`, `rich_help_panel`, `metavar`, the help option's `help`).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

import typer
from jixiao.cli_words import unknown_command
from jixiao.store.printable import printable
from typer._click import exceptions as ce
from typer._coercion import RuntimeParam, build_runtime_param
from typer.models import ParameterInfo

UsageError = ce.UsageError
NoArgsIsHelpError = ce.NoArgsIsHelpError
REQUIRED = "[必填]"


class NoSuchCommand(ce.UsageError):
    """A command name that is not one of ours (click says this with a bare UsageError)."""

    def __init__(self, name: str, commands: Iterable[str], ctx: object) -> None:
        super().__init__(f"No such command {name!r}.", ctx)  # type: ignore[arg-type]
        self.name = name
        self.commands = list(commands)


class ExtraArguments(ce.UsageError):
    """Arguments left over once a command has taken its own (`jixiao list a b`)."""

    def __init__(self, extra: list[str], ctx: object) -> None:
        super().__init__(f"Got unexpected extra arguments ({' '.join(extra)})", ctx)  # type: ignore[arg-type]
        self.extra = extra


def chinese_required_mark() -> None:
    """typer's rich help marks a required parameter `[required]`; here `[必填]`."""
    from typer import rich_utils

    rich_utils.REQUIRED_LONG_STRING = REQUIRED


def _no_type(ctx: object) -> None:
    return None


def plain_arguments(params: Iterable[object]) -> None:
    """Leave typer's English type (`<path>`) out of each argument's row of the help."""
    for param in params:
        if getattr(param, "param_type_name", "") == "argument":
            param.display_type_rich = _no_type  # type: ignore[attr-defined]


_PLAIN_PATH = {  # ParameterInfo's path checks as typer's defaults leave them: none asked
    "exists": False,
    "file_okay": True,
    "dir_okay": True,
    "writable": False,
    "readable": True,
    "resolve_path": False,
    "allow_dash": False,
    "path_type": None,
    "parser": None,
}
_UNKNOWN = object()


def _plain_leaf(annotation: Any, info: ParameterInfo, value: Any, ctx: Any) -> Any:
    """`value` as typer's coercion gives it, for a value that needs no check; else _UNKNOWN."""
    if info.parser is not None:
        return _UNKNOWN
    if (annotation is str and type(value) is str) or (annotation is bool and type(value) is bool):
        return value
    if annotation is Path and (type(value) is str or isinstance(value, Path)):
        text = str(value)
        plain = (
            text
            and "\x00" not in text
            and all(getattr(info, k) == v for k, v in _PLAIN_PATH.items())
        )
        # typer's one check left (readable=True): a path that exists must be readable
        if plain and (not os.path.exists(text) or os.access(text, os.R_OK)):
            return Path(value)
        return _UNKNOWN
    normalized = ctx is not None and getattr(ctx, "token_normalize_func", None) is not None
    if isinstance(annotation, type) and issubclass(annotation, Enum) and not normalized:
        for member in annotation:
            if value is member or (type(value) is str and str(member.value) == value):
                return member if info.case_sensitive or value is member else _UNKNOWN
    return _UNKNOWN


@dataclass(frozen=True)
class PlainRuntimeParam(RuntimeParam):
    """typer's coercion without building a pydantic TypeAdapter for plain values."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        annotation, info = self.annotation, self.parameter_info
        if get_origin(annotation) is list and isinstance(value, (list, tuple)):
            (leaf,) = get_args(annotation)
            items = [_plain_leaf(leaf, info, v, ctx) for v in value]
            if all(v is not _UNKNOWN for v in items):
                return items
        else:
            plain = _plain_leaf(annotation, info, value, ctx)
            if plain is not _UNKNOWN:
                return plain
        typers = build_runtime_param(param.type_descriptor)
        return typers._coerce_value(value, param=param, ctx=ctx)


def _plain_annotation(annotation: Any) -> bool:
    if get_origin(annotation) is list:
        (annotation,) = get_args(annotation) or (None,)
    if annotation in (str, Path, bool):
        return True
    return isinstance(annotation, type) and issubclass(annotation, Enum)


def plain_coercion(params: Iterable[Any]) -> None:
    """Give each parameter of a plain type `PlainRuntimeParam` (typer's is built lazily, on
    first use, into `_runtime_param`, even for a flag it then leaves alone)."""
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or descriptor.is_file or not _plain_annotation(descriptor.annotation):
            continue
        if getattr(param, "_runtime_param", _UNKNOWN) is None:
            param._runtime_param = PlainRuntimeParam(
                parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
            )


COMPLETE_VAR = "_JIXIAO_COMPLETE"  # set by the completion script when the shell asks


def register_completion() -> None:
    """Make typer's shell classes known to its completion, as its own options would."""
    from typer.completion import completion_init

    completion_init()


def completion_script(shell: str) -> str:
    """The completion script typer writes for `shell` (bash, zsh, fish, powershell, pwsh)."""
    from typer.completion import get_completion_script

    return get_completion_script(prog_name="jixiao", complete_var=COMPLETE_VAR, shell=shell)


def install_completion(shell: str) -> Path:
    """Install the completion script where `shell` reads it; the file it was written to."""
    from typer.completion import install

    _, path = install(shell=shell, prog_name="jixiao", complete_var=COMPLETE_VAR)
    return Path(path)


def _param_name(param: object) -> str:
    opts = getattr(param, "opts", None)
    if getattr(param, "param_type_name", "") == "option" and opts:
        return max(opts, key=len)
    metavar = getattr(param, "metavar", None)
    return (metavar or str(getattr(param, "name", "")).upper()).removesuffix("...")


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
        return unknown_command(e.name, e.commands)
    if isinstance(e, ExtraArguments):
        return f"多余的参数：{' '.join(e.extra)}（{where} --help 说明各参数）"
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
    return f"命令行用法有误（{where} --help 说明用法）"


@contextlib.contextmanager
def chinese_usage_errors(ctx: typer.Context) -> Iterator[None]:
    """A usage error is one line on stderr (`jixiao: …`) and exit 2, as click exits.

    `ctx` is the group's: the command being parsed is its `invoked_subcommand`, if any."""
    try:
        yield
    except ce.NoArgsIsHelpError:
        raise  # `jixiao` alone: click prints the help
    except ce.UsageError as e:
        name = ctx.invoked_subcommand
        group = ctx.command
        command = group.commands.get(name) if name else group  # type: ignore[attr-defined]
        where = f"{ctx.command_path} {name}" if name else ctx.command_path
        print(f"jixiao: {printable(sentence(e, where, command))}", file=sys.stderr)
        raise typer.Exit(2) from None
