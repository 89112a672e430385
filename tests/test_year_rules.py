"""The year's rules (issue 22 point 4), in memory on the sample and through `jixiao check`."""

from __future__ import annotations

from _sample import sample
from jixiao import cli
from jixiao.store.projectfile import yamlsave
from jixiao.store.rules.explanations import explain
from jixiao.store.rules.profile import CODES
from jixiao.store.sheet.model import Sheet
from jixiao.store.sheet.year_model import (
    ActualRow,
    Monitoring,
    ProgressRow,
    SelfEvaluation,
    SpentRow,
)
from jixiao.store.workspace.workspace import Workspace
from jixiao.store.year.findings import all_findings
from jixiao.store.year.rules import check_year
from typer.testing import CliRunner

FULL, PART = "达成年度指标", "部分达成年度指标并具有一定效果"
YEAR_CODES = ("E171", "E172", "E173", "W174", "W175", "E176", "W177", "W178", "W179")


def evaluate(actuals, spent="150,000", budget="150,000", **kw) -> Sheet:
    s = sample("安置帮教工作经费")
    rows = [
        ActualRow(i.level1, i.level2, i.level3, a)
        for i, a in zip(s.indicators, actuals, strict=True)
    ]
    s.evaluation = SelfEvaluation(funding={"total": SpentRow(budget, spent)}, indicators=rows, **kw)
    return s


def found(s: Sheet) -> list[tuple[str, str]]:
    return [(f.code, f.message) for f in check_year(s, _profile())]


def _profile():
    from jixiao.store.rules.profile import DEFAULT_PROFILE

    return DEFAULT_PROFILE


def test_silent_without_the_year_and_when_all_is_well() -> None:
    plain = sample("安置帮教工作经费")
    assert check_year(plain, _profile()) == []
    assert found(evaluate(["500", FULL, FULL, "90", "300", "12"])) == []


def test_each_code_with_its_message() -> None:
    s = evaluate(["五百", "做得不错", PART, "80", "300", ""], spent="160,000")
    s.evaluation.indicators[2].score = "20"  # band of 30 × 50–80% is 15–24: fine
    s.evaluation.indicators[3].score = "9"  # a quantitative row has no hand score
    s.evaluation.indicators.append(ActualRow("产出指标", "数量指标", "外来指标", "1"))
    got = found(s)
    assert ("E171", "第1行「接收安置帮教人数」：定量指标的实际完成值「五百」不是数字") in got
    assert any(c == "E172" and "「做得不错」应为 达成年度指标、" in m for c, m in got)
    assert (
        "E173",
        "第4行「安置帮教人员的满意度」：定量指标的得分按公式计算，不能手填（填的是「9」）",
    ) in got
    assert (
        "W174",
        "第4行「安置帮教人员的满意度」：得分 8.89 低于分值 10，偏差原因分析及改进措施为空",
    ) in got
    assert ("W177", "绩效自评还有 1 条指标未填实际完成值（第6行）") in got
    assert ("W179", "绩效自评中的指标「产出指标/数量指标/外来指标」不在批复表中，不计分") in got
    assert ("E176", "预算执行/年度资金总额：全年执行数 160,000 超过全年预算数 150,000") in got
    s.evaluation.indicators[2].score = "25"
    assert any(
        c == "E173" and "「部分达成年度指标并具有一定效果」的得分应在 15 到 24 之间" in m
        for c, m in found(s)
    )


def test_a_low_execution_rate_needs_a_word_in_the_problems() -> None:
    s = evaluate(["500", FULL, FULL, "90", "300", "12"], spent="120,000")
    assert found(s) == [("W175", "预算执行率 80.00% 低于 90%，存在问题为空")]
    s.evaluation.problems = "项目延期"
    assert found(s) == []


def test_the_monitoring_wants_a_cause_and_a_remedy_when_in_doubt() -> None:
    s = sample("安置帮教工作经费")
    i = s.indicators[0]
    s.monitoring = Monitoring(
        indicators=[ProgressRow(i.level1, i.level2, i.level3, "200", "450", "", "有可能", "")]
    )
    assert found(s) == [
        ("W178", "第1行「接收安置帮教人数」：完成目标可能性为「有可能」，偏差原因和整改措施为空")
    ]
    s.monitoring.indicators[0].cause = "经济原因"
    s.monitoring.indicators[0].remedy = "加强宣传"
    assert found(s) == [
        (
            "W178",
            "第1行「接收安置帮教人数」：偏差原因「经济原因」应为 经费保障、制度保障、人员保障、硬件条件保障、其他 之一",
        )
    ]


def test_every_code_explains_itself() -> None:
    for code in YEAR_CODES:
        assert code in CODES and explain(code).startswith(code)


def test_check_names_the_line_of_the_year_cell(workspace: Workspace) -> None:
    ref = next(r for r in workspace.projects() if r.name == "安置帮教工作经费")
    text = ref.path.read_text("utf-8")
    s = workspace.load(ref)
    s.evaluation = evaluate(["五百", FULL, FULL, "90", "300", "12"]).evaluation
    new = yamlsave.dumps(s, text)
    ref.path.write_text(new, "utf-8")
    result = CliRunner().invoke(cli.app, ["-C", str(workspace.root), "check", "安置帮教工作经费"])
    assert result.exit_code == 1
    line = new.splitlines().index("    实际完成值: 五百") + 1
    assert f"{ref.rel}:{line}: E171 第1行「接收安置帮教人数」" in result.output
    assert [f.code for f in all_findings(s)][-1] == "E171"
