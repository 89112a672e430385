"""I161's arithmetic: reading cost units and matching them to quantity indicators."""

from __future__ import annotations

import pytest
from _sample import sample, sample_sheets
from jixiao.store.rules.costs import cost_breakdown
from jixiao.store.rules.rules import check_sheet
from jixiao.store.sheet.model import Indicator, Sheet


def cost(name: str, value: str, measure: str, nature: str = "=") -> Indicator:
    return Indicator("成本指标", "经济成本指标", name, nature, value, value, measure, "10", "10")


def qty(name: str, value: str, measure: str) -> Indicator:
    return Indicator("产出指标", "数量指标", name, "=", value, value, measure, "10", "10")


def sheet(*inds: Indicator, total: str = "100,000") -> Sheet:
    return Sheet(unit="u", project="p", goal="g", total=total, indicators=list(inds))


def formula(s: Sheet) -> str | None:
    bd = cost_breakdown(s)
    return bd.formula() if bd else None


# Every sample sheet, worked out by hand (see the report): the formula I161 uses.
SAMPLE_FORMULAS = {
    "安置帮教工作经费": "300×500 = 150,000",  # 元/人·次 × 接收安置帮教人数 500 人
    "第一书记和驻村工作队工作经费": "12,000×3 = 36,000",  # 每人每年 元/年 × 队员 3 人数 (本年)
    "法律顾问团律师服务费": "15,000×15 = 225,000",  # 每名顾问 × 法律顾问人数
    "法律援助工作经费": "700×300 = 210,000",  # 每个案件 × 法律援助案件数量
    "法治宣传经费": "200,000 + 50,000 + 10,000×2 + 3,000×10 = 300,000",
    "公职人员学法用法网络平台运营维护费": "100,000",
    "行政复议经费": "10,000×3 + 50,000 + 1,000×20 = 100,000",  # 一位教授 × 教授人数
    "律师公证管理费": "20,000×2 + 20,000×2 + 10,000×2 = 100,000",  # 万元/场 × 培训次数
    "人民调解个案补贴": "200×500 = 100,000",
    "扫黑除恶": "100,000",
    "社区矫正工作经费": "1,400×300 = 420,000",
    "司法工作经费": None,  # no cost indicator at all
    "司法鉴定工作经费": "30,000×2 + 10,000×2 + 10,000×2 = 100,000",
    "执法证工本费": "20,000 + 5,000 + 82×800 + 10,000 = 100,600",
    "指导人民调解工作经费": "5,000×4 + 10,000×4 + 10,000×4 = 100,000",
    # 受理与处理案件所需费用 = 6,700 元 has no 每, but names the 案件 that 受理的案卷数量 counts:
    # per case or a lump sum? Not sure, so nothing is computed.
    "驻深圳法律援助工作站工作经费": None,
}


def test_every_sample_sheet_by_hand():
    assert {s.project: formula(s) for s in sample_sheets()} == SAMPLE_FORMULAS


def test_matching_picks_the_quantity_that_names_the_same_thing():
    bd = cost_breakdown(sample("法治宣传经费"))
    s = sample("法治宣传经费")
    pairs = {s.indicators[t.row].level3: s.indicators[t.qty_row].level3 for t in bd.terms if t.qty}
    assert pairs == {
        "每次法治讲座的费用": "每年开展法治讲座的次数",
        "每次法治宣传文艺汇演的费用": "每年开展下乡法治宣传文艺汇演的次数",
    }


def test_unit_kind_decides_between_quantities():
    # 每件行政案件 goes with 行政复议案件数 (件), not with 教授的人数 (人), although both say 行政.
    s = sample("行政复议经费")
    bd = cost_breakdown(s)
    pairs = {s.indicators[t.row].level3: s.indicators[t.qty_row].level3 for t in bd.terms if t.qty}
    assert pairs == {
        "每年聘请一位行政复议委员会教授的费用": "每年行政复议委员会所需教授的人数",
        "每件行政案件所需的资料、核实的费用": "行政复议案件数",
    }


def test_matching_total_gives_no_finding():
    s = sample("执法证工本费")
    s.total = "100,600"
    s.funding.fiscal = "100,600"
    assert check_sheet(s) == []


@pytest.mark.parametrize(
    ("measure", "value", "expected"),
    [
        ("元", "20000", "20,000"),
        ("万元", "2.5", "25,000"),
        ("千元", "3", "3,000"),
        ("元/年", "12000", "12,000"),
        ("万元/年度", "1", "10,000"),
    ],
)
def test_lump_sums_in_any_money_unit(measure, value, expected):
    s = sheet(cost("办公设备购置费", value, measure), qty("设备台数", "4", "台"))
    assert formula(s) == expected


@pytest.mark.parametrize(
    ("name", "measure", "q_name", "q_measure"),
    [
        ("培训费", "元/人·次", "参训人次", "人次"),
        ("培训费", "元/人次", "培训人数", "人"),
        ("场地费", "万元/场", "租用场地场次", "场次"),
        ("印制费", "元/本", "手册印制数量", "本"),
        ("每位学员的培训费", "元", "学员人数", "人数"),
        ("每名学员的培训费", "元", "培训学员", "名"),
        ("每次培训费", "元", "培训次数", "次"),
        ("每本手册印制费", "元", "手册", "册"),
        ("每件案件补贴", "元", "办理案件数", "案件数"),
        ("每台设备维护费", "元", "维护设备数量", "台(套)"),
        ("每户补助", "元", "补助户数", "户"),
        ("每个村的补助", "元", "覆盖村数", "个"),
    ],
)
def test_per_unit_costs_multiply(name, measure, q_name, q_measure):
    s = sheet(cost(name, "100", measure), qty(q_name, "7", q_measure))
    bd = cost_breakdown(s)
    assert bd is not None and len(bd.terms) == 1
    t = bd.terms[0]
    factor = 10_000 if measure.startswith("万元") else 1
    assert (t.qty_row, t.qty, bd.total) == (1, 7, 700 * factor)


def test_per_unit_cost_needs_the_quantity_to_name_the_same_thing():
    s = sheet(cost("每位学员的培训费", "100", "元"), qty("完成数量", "7", "人数"))
    assert cost_breakdown(s) is None


@pytest.mark.parametrize(
    "inds",
    [
        # per month: a project may not run twelve months; do not guess
        (cost("每月房租", "1000", "元/月"), qty("房屋", "1", "间")),
        (cost("每天补助", "100", "元"), qty("天数", "30", "天")),
        # a cost that is not money
        (cost("成本节约率", "5", "%"), qty("人数", "3", "人")),
        # per person but no quantity counts people
        (cost("每位学员培训费", "500", "元"), qty("培训次数", "3", "次")),
        # per session, two session quantities, neither names the thing
        (
            cost("每次活动费用", "500", "元"),
            qty("讲座次数", "3", "次"),
            qty("汇演场次", "2", "场次"),
        ),
        # per session, two quantities that match equally well
        (
            cost("每次培训费用", "500", "元"),
            qty("律师培训次数", "3", "次"),
            qty("公证员培训次数", "2", "次"),
        ),
        # per unit, but the quantity is not a number
        (cost("每本证书费", "80", "元"), qty("证书本数", "若干", "本")),
        # qualitative cost row
        (cost("控制成本", "合理", "", nature="定性"),),
        # cost value that is not a number
        (cost("会议费", "若干", "元"),),
    ],
)
def test_unsure_rows_silence_i161(inds):
    s = sheet(*inds, total="1")
    assert cost_breakdown(s) is None
    assert "I161" not in [f.code for f in check_sheet(s)]


def test_per_unit_cost_uses_the_annual_quantity():
    # 第一书记: 指标值 2 but 本年绩效指标值 3; 12,000 × 3 = 36,000 = 项目总额.
    s = sample("第一书记和驻村工作队工作经费")
    assert s.indicators[1].target == "2" and s.indicators[1].annual_target == "3"
    assert cost_breakdown(s).total == 36_000


def test_target_is_used_when_annual_is_empty():
    s = sheet(cost("每本证书费", "80", "元"), qty("证书本数", "", "本"))
    s.indicators[1].target = "10"
    assert formula(s) == "80×10 = 800"


def test_old_vocabulary_cost_under_output_is_a_cost():
    c = cost("印刷费", "2", "万元")
    c.level1, c.level2 = "产出指标", "成本指标"
    assert formula(sheet(c)) == "20,000"


def test_i161_message_says_less_when_short():
    s = sheet(cost("会议费", "3", "万元"), total="50,000")
    (f,) = [f for f in check_sheet(s) if f.code == "I161"]
    assert f.message == "成本指标合计 30,000 元，与项目总额 50,000 元不符，少 20,000 元"


def test_no_i161_when_total_unreadable():
    s = sheet(cost("会议费", "3", "万元"), total="五万")
    assert "I161" not in [f.code for f in check_sheet(s)]
