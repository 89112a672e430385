"""`jixiao textconv`: the exported .txt as readable lines, through a real `git diff`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE, git
from jixiao import cli
from jixiao.store.tab import tabcodec, tabfile
from jixiao.store.workspace.textconv import render_textconv
from jixiao.store.workspace.workspace import Workspace
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIRST_ROW = (
    "安置帮教工作经费 | 产出指标/数量指标/接收安置帮教人数 | 指标性质 ≥ | 指标值 500 | "
    "本年绩效指标值 500 | 度量单位 人 | 权重 10 | 本年权重 10"
)


def test_one_line_per_indicator_and_per_header_field(sample_bytes: bytes) -> None:
    lines = render_textconv(sample_bytes, "sample.txt").decode("utf-8").splitlines()
    assert lines[0] == "# 16 张表，编码 utf-8，换行符 LF"
    assert "== 安置帮教工作经费 (135001-大竹县司法局) ==" in lines
    assert FIRST_ROW in lines
    assert "项目总额: 150,000" in lines and "资金来源/财政资金: 150,000" in lines
    assert "预算执行率权重: 10" in lines and "权重合计: 100" in lines
    assert sum(line.startswith("== ") for line in lines) == 16
    assert not any("\t" in line for line in lines)


def test_any_encoding_reads_the_same(sample_bytes: bytes) -> None:
    text = sample_bytes.decode("utf-8").replace("\n", "\r\n")
    gbk = tabcodec.encode(text, "gb18030", bom=False)
    lines = render_textconv(gbk).decode("utf-8").splitlines()
    assert lines[0] == "# 16 张表，编码 gb18030，换行符 CRLF"
    assert lines[1:] == render_textconv(sample_bytes).decode("utf-8").splitlines()[1:]


@pytest.mark.parametrize(
    "data", [b"", b"just some notes\n", "半张表\t绩效".encode("gb18030"), bytes(range(256))]
)
def test_anything_else_comes_back_unchanged(data: bytes) -> None:
    assert render_textconv(data) == data


def test_cli_textconv(tmp_path: Path, sample_bytes: bytes) -> None:
    result = CliRunner().invoke(cli.app, ["textconv", str(SAMPLE)])
    assert result.exit_code == 0 and FIRST_ROW in result.stdout
    notes = tmp_path / "notes.txt"
    notes.write_text("not a sheet\n", encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["textconv", str(notes)])
    assert result.exit_code == 0 and result.stdout == "not a sheet\n"


def test_git_diff_still_works_where_jixiao_is_not_on_path(tmp_path: Path) -> None:
    """Found in review: with the venv not activated, `git diff` on a .txt failed outright."""
    ws = Workspace.init(tmp_path / "ws")
    (ws.root / "back.txt").write_bytes(SAMPLE.read_bytes())
    git(ws.root, "add", "back.txt")
    git(ws.root, "commit", "-qm", "export")
    (ws.root / "back.txt").write_bytes(SAMPLE.read_bytes().replace(b"150,000", b"160,000", 1))
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(["git", "diff"], cwd=ws.root, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "+" in proc.stdout and "160,000" in proc.stdout  # the raw file, shown as text


def test_init_registers_the_driver_and_can_be_run_again(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws")
    assert "*.txt -text diff=jixiao" in (ws.root / ".gitattributes").read_text()
    assert "jixiao textconv" in git(ws.root, "config", "diff.jixiao.textconv")
    assert git(ws.root, "check-attr", "diff", "--", "x.txt").strip() == "x.txt: diff: jixiao"

    # an older workspace: its own .gitattributes, a custom driver command, settings edited
    (ws.root / ".gitattributes").write_text("*.txt -text\n", encoding="utf-8")
    git(ws.root, "config", "diff.jixiao.textconv", "my-jixiao textconv")
    (ws.root / "jixiao.yaml").write_text("profile: {weight_total: 90}\n", encoding="utf-8")
    result = CliRunner().invoke(cli.app, ["init", str(ws.root)])
    assert result.exit_code == 0 and "已重新初始化" in result.stdout
    assert (ws.root / ".gitattributes").read_text() == (
        "*.txt -text\n*.txt -text diff=jixiao\n"
        "*.xlsx -text diff=jixiao\n*.xlsm -text diff=jixiao\n*.xls -text diff=jixiao\n"
        "# 项目文件、jixiao.yaml 和导入记录（jixiao-imports.yaml）经 jixiao merge-file 按字段合并。\n"
        "/store/**/*.yaml merge=jixiao\n/jixiao.yaml merge=jixiao\n"
        "/jixiao-imports.yaml merge=jixiao\n"
    )
    attributes = (ws.root / ".gitattributes").read_text()
    assert CliRunner().invoke(cli.app, ["init", str(ws.root)]).exit_code == 0  # nothing to add
    assert (ws.root / ".gitattributes").read_text() == attributes
    # a workspace made before workbooks: only the workbook lines are added
    (ws.root / ".gitattributes").write_text(attributes.replace("*.xls -text diff=jixiao\n", ""))
    assert CliRunner().invoke(cli.app, ["init", str(ws.root)]).exit_code == 0
    assert (ws.root / ".gitattributes").read_text().endswith("*.xls -text diff=jixiao\n")
    assert (ws.root / ".gitattributes").read_text().count("diff=jixiao") == 4
    assert git(ws.root, "config", "diff.jixiao.textconv").strip() == "my-jixiao textconv"
    assert (ws.root / "jixiao.yaml").read_text() == "profile: {weight_total: 90}\n"


def test_git_diff_of_an_export_reads_as_fields(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = workspace
    # `jixiao` on PATH is not this worktree's code: point the driver at it explicitly.
    git(ws.root, "config", "diff.jixiao.textconv", f'"{sys.executable}" -m jixiao textconv')
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    export = ws.root / "2024.txt"
    export.write_bytes(ws.export([ws.load(r) for r in ws.projects()]))
    (ws.root / "notes.txt").write_text("first\n", encoding="utf-8")
    git(ws.root, "add", "-A")
    git(ws.root, "commit", "-q", "-m", "2024")

    sheets, file = tabfile.parse(export.read_bytes(), "2024.txt")
    sheets[0].total = "160,000"
    sheets[0].indicators[0].target = "600"
    export.write_bytes(tabfile.emit(sheets, file))
    (ws.root / "notes.txt").write_text("second\n", encoding="utf-8")

    out = git(ws.root, "diff", "--", "2024.txt")
    assert "@@ == 安置帮教工作经费 (135001-大竹县司法局) ==" in out  # the sheet names the hunk
    assert "\n-项目总额: 150,000\n+项目总额: 160,000\n" in out
    assert f"\n-{FIRST_ROW}\n" in out
    assert f"\n+{FIRST_ROW.replace('指标值 500 |', '指标值 600 |', 1)}\n" in out
    assert "\t" not in out
    assert sum(line.startswith(("+", "-")) for line in out.splitlines()) == 6  # 2 + ---/+++
    notes = git(ws.root, "diff", "--", "notes.txt")
    assert "\n-first\n+second\n" in notes


def test_an_odd_xls_prints_its_lines_and_no_reader_warning(tmp_path: Path) -> None:
    """xlrd warns on stdout about an .xls whose size is not whole sectors (found in review):
    `textconv` output is what git diff shows, so nothing but the workbook's lines."""
    import _workbooks as books

    padded = tmp_path / "padded.xls"
    padded.write_bytes(
        books.xls_worksheet_per_sheet(tmp_path / "forms.xls").read_bytes() + bytes(7)
    )
    result = CliRunner().invoke(cli.app, ["textconv", str(padded)])
    assert result.exit_code == 0 and "16" in result.stdout.splitlines()[0]
    assert "WARNING" not in result.stdout and "WARNING" not in result.output
