"""Hostile project files: one sentence naming the line and exit 2, never a traceback or a crash.

Anchors, aliases and merge keys are refused (an edit would land in every field sharing the
value); a control character, a list as a key, an integer of 5,000 digits, a layout asking
for 99,999,999 columns and 50,000 levels of nesting each get their sentence. The nesting
cases run as real processes: before the guard the C parser crashed them (exit 139).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLE, copy_workspace
from jixiao import cli
from jixiao.store.errors import ProjectFileError
from jixiao.store.git import hooks
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
UNIT = "135001-大竹县司法局"
NAME = "人民调解个案补贴"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory, imported_template: Path) -> Path:
    """`jixiao init` and an import of the sample (a copy of the run's template, the hooks
    installed as init installs them)."""
    root = copy_workspace(imported_template, tmp_path_factory.mktemp("yaml") / "ws").root
    hooks.install_pre_commit(root)
    return root


@pytest.fixture
def project(ws: Path):
    """The project file; put back as it was after the test."""
    path = ws / "store" / UNIT / f"{NAME}.yaml"
    original = path.read_bytes()
    yield path
    path.write_bytes(original)


def _run(ws: Path, *args: str):
    return CliRunner().invoke(cli.app, ["-C", str(ws), *args])


def _one_sentence(result, line: int, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    out = result.output.strip()
    assert len(out.splitlines()) == 1, out
    assert f"{NAME}.yaml:{line}:" in out, out
    for w in words:
        assert w in out, out


def _anchored(text: str) -> str:
    """Row 1 anchored as &r1, row 2 a merge of it (`<<: *r1`) that keeps its own 三级指标."""
    rows = text.split("\n- 一级指标:")
    rows[1] = " &r1\n  一级指标:" + rows[1]
    second = rows[2].split("\n")
    rows[2] = (
        "\n  <<: *r1\n  三级指标:"
        + "\n".join(ln for ln in second if ln.startswith("  三级指标:")).split("三级指标:", 1)[1]
    )
    return (
        rows[0]
        + "\n-"
        + rows[1]
        + "\n-"
        + rows[2]
        + "\n- 一级指标:"
        + "\n- 一级指标:".join(rows[3:])
    )


def test_anchors_and_merge_keys_are_refused_with_their_line(ws: Path, project: Path) -> None:
    text = _anchored(project.read_text(encoding="utf-8"))
    project.write_text(text, encoding="utf-8")
    line = text.split("\n").index("- &r1") + 1
    for args in (["show", NAME], ["export", NAME]):
        _one_sentence(_run(ws, *args), line, "锚点 &r1")
    report = json.loads(_run(ws, "check", NAME, "--format", "json").output)
    assert [(r["code"], r["line"]) for r in report] == [("E001", line)]


def test_an_alias_alone_is_refused(ws: Path, project: Path) -> None:
    text = project.read_text(encoding="utf-8").replace("项目经办人: ''", "项目经办人: *x", 1)
    project.write_text(text, encoding="utf-8")
    line = text.split("\n").index("项目经办人: *x") + 1
    # The C parser stops at the undefined alias itself; either way the line is named.
    result = _run(ws, "show", NAME)
    assert result.exit_code == 2 and f"{NAME}.yaml:{line}:" in result.output


def test_import_never_writes_through_an_anchor(ws: Path, project: Path, tmp_path: Path) -> None:
    anchored = _anchored(project.read_text(encoding="utf-8")).encode("utf-8")
    project.write_bytes(anchored)
    newer = SAMPLE.read_text(encoding="utf-8").replace("按时完调解工作", "按时完成调解工作", 1)
    source = tmp_path / "newer.txt"
    source.write_text(newer, encoding="utf-8")
    result = _run(ws, "import", "--force", str(source))
    assert result.exit_code == 2, result.output
    assert "锚点 &r1" in result.output
    assert project.read_bytes() == anchored


def test_a_save_never_writes_through_an_anchor(ws: Path, project: Path) -> None:
    from jixiao.store.workspace.workspace import Workspace

    w = Workspace(ws)
    ref = w.resolve(NAME)
    sheet = w.load(ref)
    plain = project.read_text(encoding="utf-8")
    anchored = _anchored(plain)
    project.write_text(anchored, encoding="utf-8")
    sheet.indicators[0].name = "改过的名字"
    with pytest.raises(ProjectFileError, match="锚点 &r1"):
        w.save(ref, sheet, anchored)
    assert project.read_text(encoding="utf-8") == anchored


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("单位信息: a\n预算项目: 'b\x01c'\n", 2, ["U+0001"]),
        ("单位信息: a\n? [[1]]\n: x\n", 2, ["复合键"]),
        ("单位信息: a\n项目总额: " + "9" * 5000 + "\n", 2, ["5000 位"]),
    ],
    ids=["control-character", "complex-key", "5000-digits"],
)
def test_what_the_loader_chokes_on_is_one_sentence(
    ws: Path, project: Path, text: str, line: int, words: list[str]
) -> None:
    project.write_text(text, encoding="utf-8")
    for args in (["show", NAME], ["export", NAME]):
        _one_sentence(_run(ws, *args), line, *words)
    report = json.loads(_run(ws, "check", NAME, "--format", "json").output)
    assert [(r["code"], r["line"]) for r in report] == [("E001", line)]


def test_a_layout_asking_for_huge_rows_is_refused_at_once(ws: Path, project: Path) -> None:
    text = project.read_text(encoding="utf-8")
    assert "\n  columns: 15\n" in text
    text = text.replace("\n  columns: 15\n", "\n  columns: 99999999\n")
    project.write_text(text, encoding="utf-8")
    line = text.split("\n").index("layout:") + 1
    started = time.monotonic()
    _one_sentence(_run(ws, "export", NAME), line, "columns 是 99999999")
    assert time.monotonic() - started < 5


def test_a_sheet_wider_than_a_layout_may_be_is_refused_on_import(ws: Path, tmp_path: Path) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    first = lines.index("绩效目标批复表")
    lines[first + 10] += "\t" * 300 + "x"
    source = tmp_path / "wide.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    result = _run(ws, "import", str(source))
    assert result.exit_code == 2, result.output
    assert "超出 0–256 列" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "text",
    ["[" * 50_000, "- " * 50_000 + "x", "a:\n" + "".join(" " * k + "b:\n" for k in range(1, 200))],
    ids=["flow", "compact", "indented"],
)
def test_deep_nesting_never_reaches_the_c_parser(ws: Path, project: Path, text: str) -> None:
    project.write_text(text, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao", "-C", str(ws), "show", NAME],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-500:])
    assert "嵌套超过 64 层" in proc.stderr and "Traceback" not in proc.stderr
