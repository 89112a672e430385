"""`jixiao score` on a copy of the imported sample (issue 22 point 3)."""

from __future__ import annotations

import json
from pathlib import Path

from jixiao import cli
from jixiao.store.projectfile import yamlsave
from jixiao.store.sheet.year_model import ActualRow, SelfEvaluation, SpentRow
from jixiao.store.workspace.workspace import Workspace
from typer.testing import CliRunner

runner = CliRunner()
NAME = "安置帮教工作经费"
FULL, PART = "达成年度指标", "部分达成年度指标并具有一定效果"


def run(root: Path, *args: str):
    return runner.invoke(cli.app, ["-C", str(root), *args])


def evaluate(
    ws: Workspace, name: str = NAME, actuals=("450", FULL, PART, "96%", "310", "11个月")
) -> None:
    ref = next(r for r in ws.projects() if r.name == name)
    text = ref.path.read_text("utf-8")
    s = ws.load(ref)
    s.evaluation = SelfEvaluation(
        funding={"total": SpentRow("150,000", "138,000")},
        indicators=[
            ActualRow(i.level1, i.level2, i.level3, a, score="21" if k == 2 else "")
            for k, (i, a) in enumerate(zip(s.indicators, actuals, strict=True))
        ],
    )
    ref.path.write_text(yamlsave.dumps(s, text), "utf-8")


def test_score_json_has_the_issues_keys_and_the_worked_total(workspace: Workspace) -> None:
    evaluate(workspace)
    result = run(workspace.root, "score", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"项目", "单位", "合计"}
    [p] = [p for p in data["项目"] if p["自评"]]
    assert {
        "单位信息",
        "预算项目",
        "预算执行率",
        "预算执行得分",
        "绩效指标",
        "总分",
        "等级",
    } <= set(p)
    assert p["预算执行率"] == 0.92 and p["预算执行得分"] == 9.2
    assert p["总分"] == 88.04 and p["等级"] == "良"
    assert set(p["绩效指标"][0]) == {
        "一级指标",
        "二级指标",
        "三级指标",
        "实际完成值",
        "分值",
        "得分",
    }
    assert [i["得分"] for i in p["绩效指标"]] == [9, 20, 21, 10, 9.67, 9.17]
    others = [p for p in data["项目"] if not p["自评"]]
    assert len(others) == 15 and all(p["总分"] is None for p in others)  # not scored zero
    assert data["合计"]["项目数"] == 16 and data["合计"]["已自评"] == 1
    assert data["合计"]["平均分"] == 88.04 and data["合计"]["等级"]["良"] == 1
    assert data["单位"][0]["单位信息"] == "135001-大竹县司法局"


def test_score_text_for_one_project_and_for_the_store(workspace: Workspace) -> None:
    evaluate(workspace)
    one = run(workspace.root, "score", NAME)
    assert one.exit_code == 0, one.output
    assert "  预算执行率 92.00%  分值 10  得分 9.20" in one.output
    assert "  产出指标/数量指标/接收安置帮教人数  实际完成值 450  分值 10  得分 9.00" in one.output
    assert "  总分 88.04  等级 良" in one.output and "合计" not in one.output
    none = run(workspace.root, "score", "法律援助工作经费")
    assert none.exit_code == 0 and "法律援助工作经费：未自评" in none.output
    every = run(workspace.root, "score")
    assert "未自评" not in every.output  # the store's list: only what was self-evaluated
    assert "合计：16 个项目，已自评 1，平均分 88.04；优 0 良 1 中 0 差 0" in every.output
    # Warm: the same answer from the cache; an edit is seen.
    assert run(workspace.root, "score").output == every.output
    evaluate(workspace, actuals=("500", FULL, PART, "96%", "310", "11个月"))
    assert "总分 89.04" in run(workspace.root, "score", NAME).output


def test_score_of_a_broken_file_and_an_unknown_project_exit_2(workspace: Workspace) -> None:
    result = run(workspace.root, "score", "没有这个项目")
    assert result.exit_code == 2
    ref = workspace.projects()[0]
    ref.path.write_text("单位信息: [", "utf-8")
    result = run(workspace.root, "score")
    assert result.exit_code == 2 and ref.rel in result.output
