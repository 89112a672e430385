"""Sentences the command line says before it needs typer: the version line and the answer to
a mistyped command.

Standard library only, so that a small entry module can answer `jixiao --version` and
`jixiao lsit` without importing typer, and the typer app (cli.py, cli_help.py) says the very
same words.
"""

from __future__ import annotations

from collections.abc import Iterable

PACKAGE = "jixiao"
# The commands of cli.py, for telling a mistyped command before typer is loaded
# (tests/test_import_hygiene.py keeps this list equal to the typer app's).
COMMANDS = (
    "init", "import", "export", "list", "show", "edit", "demo", "check", "hook", "diff",
    "merge-file", "textconv", "score", "render",
)  # fmt: skip


def version() -> str:
    """The package's version (jixiao/__init__.py, which pyproject.toml reads too)."""
    from . import __version__

    return __version__


def version_line() -> str:
    """What `jixiao --version` prints: `jixiao 版本 0.1.0`."""
    return f"jixiao 版本 {version()}"


def unknown_command(name: str, commands: Iterable[str]) -> str:
    """`没有这个命令：lsit；是不是要用 list？`, or the way to the list when nothing is close."""
    import difflib  # only a mistyped command pays for it

    close = difflib.get_close_matches(name, list(commands), n=3, cutoff=0.6)
    if close:
        return f"没有这个命令：{name}；是不是要用 {' 或 '.join(close)}？"
    return f"没有这个命令：{name}（jixiao --help 列出全部命令）"
