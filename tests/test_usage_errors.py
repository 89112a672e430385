"""click's own usage errors are one Chinese sentence and exit 2, through the console script
and `python -m cli` alike (cli_usage.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .test_chinese_errors import english_in

JIXIAO = Path(sys.executable).with_name("jixiao")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--x"], "没有这个选项：--x（jixiao --help 列出全部选项）"),
        (["import", "--x"], "没有这个选项：--x（jixiao import --help 列出全部选项）"),
        (["improt"], "没有这个命令：improt（jixiao --help 列出全部命令）"),
        (["-C", "."], "缺少命令（jixiao --help 列出全部命令）"),
        (["import"], "缺少参数 FILES（jixiao import --help 说明各参数）"),
        (["export", "--format", "zz", "x"], "选项 --format 的值 'zz' 无效"),
        (["check", "--format"], "选项 --format 需要一个值（jixiao check --help"),
        (["list", "--help=1"], "选项 --help 不接受值"),
        (["list", "a", "b"], "多余的参数：a b（jixiao list --help 说明各参数）"),
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
        [sys.executable, "-m", "cli", "import", "--x"],
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
