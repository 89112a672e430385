"""`jixiao --help` speaks Chinese (issue 10.11): the commands' texts and typer's own words."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ("Usage:", "Options", "Commands", "Arguments", "Show this message", "[default")
# typer's placeholders and click's words for what a parameter takes (issue 21.7).
PLACEHOLDERS = ("<bool>", "<path>", "<str>", "<list", "directory", "files", "projects", "DIR")
ALL_COMMANDS = (
    "init", "import", "export", "list", "show", "edit", "demo", "check", "hook", "diff",
    "merge-file", "textconv", "render",
)  # fmt: skip


def help_of(*args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *args, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"COLUMNS": "100", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    ).stdout


SEPARATOR = "\x00--- next help ---\x00\n"
# One process prints every command's help, each through the console script's own entry
# (jixiao.entry.main, as `jixiao CMD --help` runs it): fourteen starts of typer and rich cost
# more than all the rest of this file.
EVERY_HELP = f"""
import sys
from jixiao.entry import main
for command in sys.argv[1:]:
    try:
        main(([command] if command else []) + ["--help"])
    except SystemExit as e:
        assert e.code in (0, None), (command, e.code)
    sys.stdout.write({SEPARATOR!r})
    sys.stdout.flush()
"""


def every_help(columns: int) -> dict[str, str]:
    """Each command's `--help` ("" for `jixiao --help`) at `columns` columns."""
    commands = ["", *ALL_COMMANDS]
    out = subprocess.run(
        [sys.executable, "-c", EVERY_HELP, *commands],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"COLUMNS": str(columns), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    ).stdout
    texts = out.split(SEPARATOR)
    assert len(texts) == len(commands) + 1 and texts[-1] == "", out
    return dict(zip(commands, texts, strict=False))


def test_the_command_list_is_chinese() -> None:
    text = help_of()
    assert "用法：" in text and "选项" in text and "命令" in text and "显示此帮助并退出" in text
    assert not [w for w in ENGLISH if w in text]
    # Every command's line of help holds Chinese.
    commands = re.findall(r"│ ([a-z-]+) {2,}(.*?)│", text)
    assert len(commands) >= 10
    assert all(re.search(r"[\u4e00-\u9fff]", line) for _, line in commands), commands


def test_a_commands_help_is_chinese() -> None:
    for command in ("check", "diff", "import"):
        text = help_of(command)
        assert "用法：" in text and "显示此帮助并退出" in text, command
        assert not [w for w in ENGLISH if w in text], (command, text)
        options = re.findall(r"│ +(--[a-z-]+)[^│]*│", text)
        assert options, command


def test_no_command_shows_an_english_placeholder() -> None:
    helps = every_help(100)
    assert helps[""] == help_of()  # as the console script prints it on its own
    for command, text in helps.items():
        assert "用法：" in text, command
        assert not [w for w in ENGLISH + PLACEHOLDERS if w in text], (command, text)
        assert "[required]" not in text, command


def test_required_arguments_are_marked_in_chinese() -> None:
    text = help_of("import")
    assert "import [选项] {文件}..." in text
    assert "[必填]" in text


def test_help_at_80_columns_cuts_nothing() -> None:
    """Chinese help has no spaces to wrap at; a text too long for its column would end in …"""
    helps = every_help(80)
    assert (
        helps["check"]
        == subprocess.run(
            [sys.executable, "-m", "jixiao", "check", "--help"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={"COLUMNS": "80", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        ).stdout
    )  # one, as its own process prints it
    for command, text in helps.items():
        assert "用法：" in text, command
        assert "…" not in text, (command, text)
