"""click's own usage errors are one Chinese sentence and exit 2, through the console script
and `python -m jixiao` alike (cli_usage.py); `--version`, "did you mean" and shell completion
(cli_words.py, cli_help.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_chinese_errors import english_in

JIXIAO = Path(sys.executable).with_name("jixiao")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--x"], "没有这个选项：--x（jixiao --help 列出全部选项）"),
        (["import", "--x"], "没有这个选项：--x（jixiao import --help 列出全部选项）"),
        (["improt"], "没有这个命令：improt；是不是要用 import？"),
        (["lsit"], "没有这个命令：lsit；是不是要用 list？"),
        (["zzzz"], "没有这个命令：zzzz（jixiao --help 列出全部命令）"),
        (["-C", "."], "缺少命令（jixiao --help 列出全部命令）"),
        (["import"], "缺少参数 文件（jixiao import --help 说明各参数）"),
        (["export", "--format", "zz", "x"], "选项 --format 的值 'zz' 无效"),
        (["check", "--format"], "选项 --format 需要一个值（jixiao check --help"),
        (["list", "--help=1"], "选项 --help 不接受值"),
        (["list", "a", "b"], "多余的参数：a b（jixiao list --help 说明各参数）"),
        (["show", "x", "y"], "多余的参数：y（jixiao show --help 说明各参数）"),
        (["--show-completion", "tcsh"], "选项 --show-completion 的值"),
    ],
)
def test_a_usage_error_is_one_chinese_sentence(args: list[str], said: str) -> None:
    run = subprocess.run([JIXIAO, *args], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.startswith(f"jixiao: {said}"), run.stderr
    assert len(run.stderr.splitlines()) == 1
    assert not english_in(run.stderr), run.stderr
    for word in ("Usage", "Try", "Error", "OPTIONS"):
        assert word not in run.stderr


def test_python_m_cli_says_the_same() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "jixiao", "import", "--x"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parent.parent,
    )
    assert (run.returncode, run.stderr.split("（")[0]) == (2, "jixiao: 没有这个选项：--x")


def test_help_is_still_help() -> None:
    run = subprocess.run([JIXIAO, "import", "--help"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0
    assert "用法：jixiao import [选项]" in run.stdout


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_is_one_chinese_line(flag: str) -> None:
    from importlib.metadata import version

    run = subprocess.run([JIXIAO, flag], capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout, run.stderr) == (0, f"jixiao 版本 {version('jixiao')}\n", "")


def test_the_version_has_one_source() -> None:
    """jixiao/__init__.py holds it; pyproject.toml reads it (dynamic), --version prints it."""
    from importlib import metadata

    import jixiao
    from jixiao import cli_words

    assert cli_words.version_line() == f"jixiao 版本 {jixiao.__version__}"
    assert metadata.version("jixiao") == jixiao.__version__


def test_show_completion_prints_a_script_that_bash_completes_with() -> None:
    run = subprocess.run(
        [JIXIAO, "--show-completion", "bash"], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0 and run.stderr == ""
    assert "_JIXIAO_COMPLETE=complete_bash" in run.stdout
    # A real bash sources it and asks what `jixiao li<Tab>` and `jixiao check --f<Tab>` give.
    script = (
        run.stdout
        + '\nCOMP_WORDS=(jixiao li); COMP_CWORD=1; _jixiao_completion jixiao; echo "${COMPREPLY[@]}"'
        + "\nCOMP_WORDS=(jixiao check --f); COMP_CWORD=2; _jixiao_completion jixiao;"
        + ' echo "${COMPREPLY[@]}"'
    )
    env = {**os.environ, "PATH": f"{JIXIAO.parent}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "--norc", "-c", script], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.stdout.splitlines() == ["list", "--format"], done


def test_completion_help_is_chinese() -> None:
    run = subprocess.run(
        [JIXIAO, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "120"},
    )
    assert "--show-completion" in run.stdout and "显示命令补全脚本" in run.stdout
    assert "--install-completion" in run.stdout and "安装命令补全" in run.stdout
    assert "--version" in run.stdout and "显示版本并退出" in run.stdout


def test_install_completion_says_where_in_chinese(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path)}
    run = subprocess.run(
        [JIXIAO, "--install-completion", "bash"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("已为 bash 安装命令补全"), run.stdout
    assert not english_in(run.stdout)
    assert "jixiao" in (tmp_path / ".bashrc").read_text(encoding="utf-8")


def test_the_words_a_fast_entry_needs_import_no_typer() -> None:
    """cli_words answers --version and a mistyped command with the standard library only, so
    an entry module that runs before typer is imported says the very same words."""
    code = (
        "import sys; from jixiao import cli_words; print(cli_words.version_line());"
        "print(cli_words.unknown_command('lsit', ['list', 'show']));"
        "print(sorted(m for m in ('typer', 'rich', 'click', 'store') if m in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parent.parent,
    )
    version, unknown, loaded = run.stdout.splitlines()
    assert version == subprocess.run([JIXIAO, "-V"], capture_output=True, text=True).stdout.strip()
    assert unknown == "没有这个命令：lsit；是不是要用 list？"
    assert loaded == "[]"
