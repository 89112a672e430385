"""`jixiao --help` and click's usage errors in Chinese, the documented way.

- The usage line: the commands make their Context from `context_class` (click's documented
  hook), whose `formatter_class` writes `用法：` where click writes `Usage:`.
- The panels: every parameter and command is given its `rich_help_panel` (参数, 选项, 命令),
  the placeholder of a flag is empty and the help option's text Chinese, all set on click's
  and typer's public attributes as the objects are made.
- Usage errors: the group and every command parse inside `cli_usage.chinese_usage_errors`,
  which turns click's exception (class and attributes) into one sentence; extra arguments
  are taken by the command (`allow_extra_args`) and refused with their own error.

The one thing no setting reaches, typer's `[required]`, is in cli_usage.py with the other
privates of typer.
"""

from __future__ import annotations

import os
from typing import Any

import typer
from jixiao.cli_usage import (
    COMPLETE_VAR,
    ExtraArguments,
    NoSuchCommand,
    UsageError,
    chinese_required_mark,
    chinese_usage_errors,
    plain_arguments,
    plain_coercion,
    register_completion,
)
from typer.core import TyperCommand, TyperGroup

HELP_OPTION = "显示此帮助并退出。"
HELP_WORDS = {"--help", "-h"}
ARGUMENTS_PANEL = "参数"
OPTIONS_PANEL = "选项"
COMMANDS_PANEL = "命令"
USAGE = "用法："


class ChineseFormatter(typer.Context.formatter_class):  # type: ignore[misc,name-defined]
    """click's help formatter, with `用法：` as the usage line's prefix."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, USAGE if prefix is None else prefix)


class ChineseContext(typer.Context):
    formatter_class = ChineseFormatter


def _chinese_params(params: list[Any]) -> None:
    """Panels named in Chinese; a flag shows no `<bool>` placeholder."""
    for param in params:
        if getattr(param, "rich_help_panel", None) is None:
            argument = param.param_type_name == "argument"
            param.rich_help_panel = ARGUMENTS_PANEL if argument else OPTIONS_PANEL
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    plain_arguments(params)
    plain_coercion(params)


def _chinese_help_option(option: Any) -> Any:
    if option is not None:
        plain_coercion([option])
        option.help = HELP_OPTION
        option.rich_help_panel = OPTIONS_PANEL
        option.metavar = ""
    return option


class ChineseCommand(TyperCommand):
    """A command of the app (`app.command(cls=ChineseCommand)`)."""

    context_class = ChineseContext
    allow_extra_args = True  # left-over arguments are refused below, by name

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _chinese_params(self.params)

    def get_help_option(self, ctx: typer.Context) -> Any:
        return _chinese_help_option(super().get_help_option(ctx))

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        if HELP_WORDS & set(args):
            chinese_required_mark()
        rest = super().parse_args(ctx, args)
        if rest and not ctx.resilient_parsing:
            raise ExtraArguments(rest, ctx)
        return rest


class ChineseHelpGroup(TyperGroup):
    """The app's group: Chinese help, and click's usage errors (of the group and of every
    command, all parsed in here) as one Chinese sentence."""

    context_class = ChineseContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _chinese_params(self.params)
        for command in self.commands.values():
            if getattr(command, "rich_help_panel", None) is None:
                command.rich_help_panel = COMMANDS_PANEL  # type: ignore[attr-defined]

    def get_help_option(self, ctx: typer.Context) -> Any:
        return _chinese_help_option(super().get_help_option(ctx))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if os.environ.get(COMPLETE_VAR):  # the shell asks for completions
            register_completion()
        return super().main(*args, **kwargs)

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        if HELP_WORDS & set(args) or not args:
            chinese_required_mark()
        with chinese_usage_errors(ctx):
            return super().parse_args(ctx, args)

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except UsageError:
            raise NoSuchCommand(args[0], self.commands, ctx) from None

    def invoke(self, ctx: typer.Context) -> Any:
        with chinese_usage_errors(ctx):
            return super().invoke(ctx)
