"""`jixiao init` in a bare repository is refused; a truncated UTF-8 sheet is reported where it
is cut, not where GB18030 (the fallback) happens to stumble."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLE
from jixiao import cli
from typer.testing import CliRunner


@pytest.mark.parametrize("where", [".", "sub/ws", "objects"])
def test_init_inside_a_bare_repository_is_refused(tmp_path: Path, where: str) -> None:
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    before = sorted(p.relative_to(bare) for p in bare.rglob("*"))
    result = CliRunner().invoke(cli.app, ["-C", str(bare), "init", where])
    assert result.exit_code == 2, result.output
    assert "裸 git 仓库" in result.output
    assert sorted(p.relative_to(bare) for p in bare.rglob("*")) == before


def test_init_inside_a_dot_git_folder_is_refused(tmp_path: Path) -> None:
    assert CliRunner().invoke(cli.app, ["init", str(tmp_path / "ws")]).exit_code == 0
    result = CliRunner().invoke(cli.app, ["-C", str(tmp_path / "ws" / ".git"), "init", "x"])
    assert result.exit_code == 2 and "裸 git 仓库（或 .git 文件夹）" in result.output
    assert not (tmp_path / "ws" / ".git" / "x").exists()


def test_a_truncated_utf8_sheet_is_reported_at_its_end(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    cut_at = text.rindex("满意度")  # the last 汉字 of a cell near the end
    data = text[: cut_at + 1].encode("utf-8")[:-1]  # half of that character
    source = tmp_path / "cut.txt"
    source.write_bytes(data)
    ws = tmp_path / "ws"
    assert CliRunner().invoke(cli.app, ["init", str(ws)]).exit_code == 0
    result = CliRunner().invoke(cli.app, ["-C", str(ws), "import", str(source)])
    assert result.exit_code == 2, result.output
    line = data.count(b"\n") + 1
    assert f":{line}:" in result.output and "断开" in result.output, result.output


def test_a_bad_byte_is_reported_where_the_better_reading_stops(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    at = data.index("法律援助".encode()) + 1  # inside a UTF-8 character, far into the file
    bad = data[:at] + b"\xff" + data[at:]
    source = tmp_path / "bad.txt"
    source.write_bytes(bad)
    ws = tmp_path / "ws"
    assert CliRunner().invoke(cli.app, ["init", str(ws)]).exit_code == 0
    result = CliRunner().invoke(cli.app, ["-C", str(ws), "import", str(source)])
    assert result.exit_code == 2
    line = bad.count(b"\n", 0, at) + 1
    assert f":{line}:" in result.output, result.output
