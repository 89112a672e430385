"""Findings placed in the workspace: YAML lines, text and JSON output, exit codes, --explain."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from _sample import sample, sample_sheets
from jixiao.store.projectfile.locate import Locator, line_of
from jixiao.store.rules.explanations import EXPLAIN, SEVERITY_NAMES, UnknownCodeError, explain
from jixiao.store.rules.profile import CODES
from jixiao.store.workspace.checking import (
    ProjectInput,
    Report,
    check_projects,
    exit_code,
    format_json,
    format_text,
)

YAML_TEXT = """\
单位信息: 135001-大竹县司法局
预算项目: 执法证工本费
职能职责与活动: 10-司法行政管理/08-执法监督管理
主管部门: 135-大竹县司法局部门
项目经办人: ''
项目经办人电话: ''
项目总额: 50000
资金来源:
  财政资金: 50000
  财政专户管理资金: 0
  单位资金: 0
  社会投入资金: 0
  银行贷款: 0
预算执行率权重: 10
年度目标: |-
  应于2024年开展执法人员的相关考证及证书发放。
  第二行
# a comment a person wrote
绩效指标:
- 一级指标: 产出指标
  二级指标: 时效指标
  三级指标: 按时发放证件
  指标性质: =
  指标值: 12
  本年绩效指标值: 12
  度量单位: 月
  权重: 10
  本年权重: 10
  备注: ''
- 一级指标: 产出指标
  二级指标: 质量指标
  三级指标: 全县行政执法人员的持证率
  指标性质: ≥
  指标值: 95
  本年绩效指标值: 95
  度量单位: '%'
  权重: 20
  本年权重: 20
  备注: ''
layout: {colon: ':'}
"""


def lines_of(text: str) -> dict[str, int]:
    return {line.split(":")[0].strip("- "): n for n, line in enumerate(text.splitlines(), 1)}


def test_locator_finds_header_funding_and_indicator_fields():
    loc = Locator(YAML_TEXT)
    assert loc.line(("total",)) == 7
    assert loc.line(("funding",)) == 8
    assert loc.line(("funding", "unit_funds")) == 11
    assert loc.line(("exec_weight",)) == 14
    assert loc.line(("goal",)) == 15
    assert loc.line(("indicators",)) == 19
    assert loc.line(("indicators", 0)) == 20
    assert loc.line(("indicators", 0, "annual_weight")) == 28
    assert loc.line(("indicators", 1, "level2")) == 31
    assert loc.line(("indicators", 1, "note")) == 39


def test_locator_falls_back_to_the_enclosing_item():
    loc = Locator(YAML_TEXT)
    assert loc.line(("indicators", 7, "weight")) == 19  # no such row: the list
    assert loc.line(("indicators", 1, "nosuch")) == 30  # no such key: the row
    assert loc.line(("nosuch",)) == 1
    assert loc.line(()) == 1


def test_locator_on_broken_yaml_and_tags():
    assert line_of("a: [unclosed\n", ("total",)) == 1
    # composing never builds objects, so a python tag is harmless here
    assert line_of("项目总额: !!python/object/apply:os.system ['true']\n", ("total",)) == 1


def _input(project: str, file: str | None = None, text=None) -> ProjectInput:
    s = sample(project)
    return ProjectInput(file or f"store/135001-大竹县司法局/{project}.yaml", s, text)


def test_check_projects_on_the_sample_and_lines():
    inputs = [_input(s.project, text=YAML_TEXT) for s in sample_sheets()]
    reports = check_projects(inputs)
    assert len(reports) == 15
    assert exit_code(reports) == 0
    i161 = [r for r in reports if r.project == "执法证工本费"]
    assert [(r.code, r.line, r.row) for r in i161] == [("I161", 7, None)]
    # W113 on row 2 of a project resolves within the text given (here: the 2-row file
    # above, so row 2 falls back to the list line).
    w = next(r for r in reports if r.code == "W113" and r.project == "扫黑除恶")
    assert w.row == 5 and w.line == 19


def test_text_is_read_lazily_and_only_for_files_with_findings():
    calls = []

    def reader(name):
        def read():
            calls.append(name)
            return YAML_TEXT

        return read

    inputs = [ProjectInput(f"{s.project}.yaml", s, reader(s.project)) for s in sample_sheets()]
    check_projects(inputs)
    clean = {
        "法治宣传经费",
        "公职人员学法用法网络平台运营维护费",
        "行政复议经费",
        "人民调解个案补贴",
        "指导人民调解工作经费",
        "驻深圳法律援助工作站工作经费",
    }
    assert set(calls) == {s.project for s in sample_sheets()} - clean


def test_unreadable_file_is_a_finding_and_others_still_checked():
    bad = ProjectInput("store/u/坏文件.yaml", None, error="第 3 行不是合法的 YAML", error_line=3)
    reports = check_projects([bad, _input("执法证工本费", text=YAML_TEXT)])
    assert reports[0] == Report(
        "E001", "error", "store/u/坏文件.yaml", 3, "坏文件", None, "第 3 行不是合法的 YAML"
    )
    assert reports[1].code == "I161"
    assert exit_code(reports) == 1


def test_errors_give_exit_1_warnings_0():
    s = sample("安置帮教工作经费")
    s.indicators[0].annual_weight = "5"
    reports = check_projects([ProjectInput("a.yaml", s, YAML_TEXT)])
    assert exit_code(reports) == 1
    assert exit_code([r for r in reports if r.severity != "error"]) == 0
    assert exit_code([]) == 0


def test_format_text_like_a_compiler_grouped_with_summary():
    inputs = [_input(p, text=YAML_TEXT) for p in ("执法证工本费", "法律援助工作经费")]
    out = format_text(check_projects(inputs), checked=2)
    lines = out.splitlines()
    assert lines[0] == (
        "store/135001-大竹县司法局/执法证工本费.yaml:7: I161 成本指标合计 20,000 + 5,000 + "
        "82×800 + 10,000 = 100,600 元，与项目总额 50,000 元不符，多 50,600 元"
    )
    assert lines[1] == ""  # a blank line between projects
    assert lines[2].startswith("store/135001-大竹县司法局/法律援助工作经费.yaml:")
    assert lines[-1] == "检查了 2 个项目：0 个错误，1 个警告，2 条提示（2 个项目有问题）"
    assert "[" not in out  # no markup unless asked


def test_format_text_clean_and_coloured():
    assert format_text([], checked=16) == "检查了 16 个项目：0 个错误，0 个警告，0 条提示"
    r = Report("E101", "error", "store/x/[a].yaml", 3, "p", None, "本年权重合计 [95]")
    out = format_text([r], color=True)
    assert "[bold red]E101[/bold red]" in out
    assert "\\[a]" in out  # markup-like text in file names and messages is escaped
    from rich.text import Text

    first = Text.from_markup(out.splitlines()[0]).plain
    assert first == "store/x/[a].yaml:3: E101 本年权重合计 [95]"
    r2 = Report("E101", "error", "f.yaml", 1, "p", None, "[bold]不是标记[/bold]")
    assert Text.from_markup(format_text([r2], color=True).splitlines()[0]).plain.endswith(
        "[bold]不是标记[/bold]"
    )


def test_format_json_keys():
    reports = check_projects([_input("法律援助工作经费", text=YAML_TEXT)])
    data = json.loads(format_json(reports))
    assert [d["code"] for d in data] == ["I161", "W125"] or [d["code"] for d in data] == [
        "W125",
        "I161",
    ]
    for d in data:
        assert set(d) == {"code", "severity", "file", "line", "project", "row", "message"}
        assert d["project"] == "法律援助工作经费"
    w125 = next(d for d in data if d["code"] == "W125")
    assert w125["row"] == 6 and w125["severity"] == "warning"
    assert "第6行" in w125["message"]
    assert "成本" in format_json(reports)  # not \\u-escaped


def test_explain_every_code():
    assert set(EXPLAIN) == set(CODES)
    for code in CODES:
        text = explain(code.lower())
        assert text.startswith(f"{code}（{SEVERITY_NAMES[CODES[code]]}）：")
        assert "如何修改：" in text
    assert "'本年权重'" in explain("E101")
    with pytest.raises(UnknownCodeError, match="'X1' 不是检查代码"):
        explain("X1")


def test_store_rules_import_no_ui():
    code = (
        "import sys, jixiao.store.rules.rules, jixiao.store.workspace.checking, jixiao.store.projectfile.locate, jixiao.store.rules.explanations, jixiao.store.rules.profile;"
        "bad = [m for m in ('textual', 'typer') if m in sys.modules];"
        "sys.exit(1 if bad else 0)"
    )
    root = Path(__file__).resolve().parent.parent
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0


# -- on a real workspace (main's import and YAML writer) -----------------------------------


def test_workspace_check_lines_point_at_the_fields(workspace):
    from jixiao.store.workspace.checking import workspace_inputs

    inputs = workspace_inputs(workspace)
    assert len(inputs) == 16 and all(i.sheet is not None for i in inputs)
    reports = check_projects(inputs)
    assert exit_code(reports) == 0
    assert len(reports) == 15
    for r in reports:
        line = (workspace.root / r.file).read_text(encoding="utf-8").splitlines()[r.line - 1]
        key = {
            "I161": "项目总额:",
            "W103": "权重:",
            "W124": "指标值:",
            "W113": "二级指标:",
            "W125": "指标性质:",
        }[r.code]
        assert line.lstrip("- ").startswith(key), (r, line)
    out = format_text(reports, checked=len(inputs))
    assert (
        out.splitlines()[-1] == "检查了 16 个项目：0 个错误，12 个警告，3 条提示（10 个项目有问题）"
    )


def test_workspace_broken_file_is_e001_and_the_rest_are_checked(workspace):
    from jixiao.store.workspace.checking import workspace_inputs

    ref = next(r for r in workspace.projects() if r.name == "扫黑除恶")
    ref.path.write_text("单位信息: [oops\n预算项目: x\n", encoding="utf-8")
    reports = check_projects(workspace_inputs(workspace))
    e001 = [r for r in reports if r.code == "E001"]
    assert len(e001) == 1 and e001[0].file == ref.rel and e001[0].project == "扫黑除恶"
    assert e001[0].line >= 1 and "YAML" in e001[0].message
    assert exit_code(reports) == 1
    assert len([r for r in reports if r.code != "E001"]) == 14  # 扫黑除恶's W113 is gone
