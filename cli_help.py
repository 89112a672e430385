"""`jixiao --help` in Chinese: typer's own words (panel titles, the help option, the usage
line, defaults) next to the Chinese help texts of the commands in cli.py.

Set only when help is asked for, so that no other run imports typer's rich help (start-up
time counts). typer's words are module constants and one default argument; nothing else of
typer changes.
"""

from __future__ import annotations

from typer._click.exceptions import UsageError
from typer.core import TyperGroup

from cli_usage import NoSuchCommand, chinese_usage_errors

HELP_OPTION = "显示此帮助并退出。"
HELP_WORDS = {"--help", "-h"}


def _chinese_words() -> None:
    from typer import rich_utils

    rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
    rich_utils.OPTIONS_PANEL_TITLE = "选项"
    rich_utils.COMMANDS_PANEL_TITLE = "命令"
    rich_utils.ERRORS_PANEL_TITLE = "错误"
    rich_utils.DEFAULT_STRING = "[默认：{}]"
    rich_utils.REQUIRED_LONG_STRING = "[必填]"
    rich_utils.ABORTED_TEXT = "已中止。"
    rich_utils.RICH_HELP = "用 [blue]'{command_path} {help_option}'[/] 查看帮助。"
    try:
        from typer._click import formatting  # typer ≥ 0.16 carries its own click
    except ImportError:  # pragma: no cover - older typer on plain click
        from click import formatting  # type: ignore[no-redef]
    write_usage = formatting.HelpFormatter.write_usage
    if getattr(write_usage, "chinese", False):
        return

    def chinese_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:  # noqa: ANN001
        write_usage(self, prog, args, "用法：" if prefix is None else prefix)

    chinese_usage.chinese = True  # type: ignore[attr-defined]
    formatting.HelpFormatter.write_usage = chinese_usage  # type: ignore[method-assign]


class ChineseHelpGroup(TyperGroup):
    """The app's group: on a run that asks for help, typer's words in Chinese; click's usage
    errors (of the group and of every command, all parsed in here) as a Chinese sentence."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:  # noqa: ANN001
        if HELP_WORDS & set(args) or not args:
            _chinese_words()
            for command in [self, *self.commands.values()]:
                option = command.get_help_option(ctx)
                if option is not None:
                    option.help = HELP_OPTION
        with chinese_usage_errors(ctx):
            return super().parse_args(ctx, args)

    def resolve_command(self, ctx, args: list[str]):  # noqa: ANN001, ANN201
        try:
            return super().resolve_command(ctx, args)
        except UsageError:
            raise NoSuchCommand(args[0], ctx) from None

    def invoke(self, ctx):  # noqa: ANN001, ANN201
        with chinese_usage_errors(ctx):
            return super().invoke(ctx)
