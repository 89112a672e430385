"""The §5 rules on the real sample and on broken copies of it."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest
from _sample import sample, sample_sheets
from jixiao.store.rules.profile import Profile
from jixiao.store.rules.rules import Finding, check_sheet, weight_summary
from jixiao.store.sheet.model import Indicator


def codes(sheet, profile=None) -> list[str]:
    return [f.code for f in check_sheet(sheet, profile)]


def only(sheet, code: str, profile=None) -> list[Finding]:
    return [f for f in check_sheet(sheet, profile) if f.code == code]


# -- the sample as it is -------------------------------------------------------------------


def test_sample_has_16_sheets():
    assert len(sample_sheets()) == 16


def test_sample_has_no_errors_and_exactly_the_expected_findings():
    found = [(s.project, f) for s in sample_sheets() for f in check_sheet(s)]
    assert not [f for _, f in found if f.severity == "error"]
    assert Counter(f.code for _, f in found) == {
        "W103": 3,
        "W113": 5,
        "W124": 3,
        "W125": 1,
        "I161": 3,
    }


def test_sample_w103_and_w124_are_the_three_blank_timeliness_rows():
    rows = {
        (s.project, f.row, f.code)
        for s in sample_sheets()
        for f in check_sheet(s)
        if f.code in ("W103", "W124")
    }
    expected_rows = {
        ("安置帮教工作经费", 5),
        ("第一书记和驻村工作队工作经费", 5),
        ("律师公证管理费", 7),
    }
    assert rows == {(p, r, c) for p, r in expected_rows for c in ("W103", "W124")}
    s = sample("安置帮教工作经费")
    (w103,) = only(s, "W103")
    assert w103.path == ("indicators", 5, "weight")
    assert w103.severity == "warning"
    assert w103.message == "第6行「本年度按时接收安置帮教人员」：权重(%)为空，本年权重为 10"
    (w124,) = only(s, "W124")
    assert w124.path == ("indicators", 5, "target")


def test_sample_w113_names_and_suggestions():
    w113 = [(s.project, f) for s in sample_sheets() for f in only(s, "W113")]
    by_name = Counter(
        s_level2 for s_level2 in (f.message.split("「")[2].split("」")[0] for _, f in w113)
    )
    assert by_name == {"可持续发展指标": 3, "满意度指标": 2}
    assert {p for p, _ in w113} == {
        "安置帮教工作经费",
        "法律顾问团律师服务费",
        "司法鉴定工作经费",
        "扫黑除恶",
        "司法工作经费",
    }
    for _, f in w113:
        assert f.path[0] == "indicators" and f.path[2] == "level2" and f.row == f.path[1]
        if "可持续发展指标" in f.message:
            assert f.message.endswith("可能是「可持续影响指标」")
        else:
            assert f.message.endswith("可能是「服务对象满意度指标」")


def test_sample_w125_is_the_legal_aid_cost_floor():
    (f,) = [f for s in sample_sheets() for f in only(s, "W125")]
    s = sample("法律援助工作经费")
    assert only(s, "W125") == [f]
    assert f.row == 5 and s.indicators[5].nature == "≥" and s.indicators[5].annual_target == "700"
    assert "成本应设上限" in f.message


def test_sample_i161_projects_and_formulas():
    got = {s.project: f.message for s in sample_sheets() for f in only(s, "I161")}
    assert got == {
        "执法证工本费": "成本指标合计 20,000 + 5,000 + 82×800 + 10,000 = 100,600 元，"
        "与项目总额 50,000 元不符，多 50,600 元",
        "法律援助工作经费": "成本指标合计 700×300 = 210,000 元，"
        "与项目总额 200,000 元不符，多 10,000 元",
        "社区矫正工作经费": "成本指标合计 1,400×300 = 420,000 元，"
        "与项目总额 300,000 元不符，多 120,000 元",
    }
    f = only(sample("执法证工本费"), "I161")[0]
    assert f.severity == "info" and f.path == ("total",) and f.row is None


def test_sample_weights_all_add_up():
    for s in sample_sheets():
        ws = weight_summary(s)
        assert ws.ok, s.project
        assert ws.total == 100


def test_weight_summary_splits_by_level1():
    ws = weight_summary(sample("安置帮教工作经费"))
    assert ws.by_level1 == {"产出指标": 40, "效益指标": 30, "满意度指标": 10, "成本指标": 10}
    assert ws.exec_weight == 10 and ws.expected == 100


# -- E101 / E102 / W103: weights -----------------------------------------------------------


def test_e101_short_says_how_much_is_missing():
    s = sample("安置帮教工作经费")
    s.indicators[0].annual_weight = "5"
    s.indicators[0].weight = "5"
    (f,) = only(s, "E101")
    assert f.message == "本年权重合计 85 + 预算执行率权重 10 = 95，应为 100，还差 5"
    assert f.severity == "error" and f.path == ("indicators",) and f.row is None
    assert not weight_summary(s).ok


def test_e101_over_says_how_much_too_much():
    s = sample("安置帮教工作经费")
    s.indicators[0].annual_weight = "15"
    s.indicators[0].weight = "15"
    (f,) = only(s, "E101")
    assert f.message == "本年权重合计 95 + 预算执行率权重 10 = 105，应为 100，多 5"


def test_e101_fractional_weights():
    s = sample("安置帮教工作经费")
    s.indicators[0].annual_weight = s.indicators[0].weight = "9.5"
    assert only(s, "E101")[0].message.endswith("= 99.5，应为 100，还差 0.5")


def test_e101_follows_profile_weight_total():
    s = sample("安置帮教工作经费")
    (f,) = only(s, "E101", Profile.from_dict({"weight_total": 110}))
    assert f.message == "本年权重合计 90 + 预算执行率权重 10 = 100，应为 110，还差 10"


def test_e101_blank_exec_weight_counts_as_zero():
    s = dataclasses.replace(sample("安置帮教工作经费"), exec_weight="")
    assert only(s, "E101")[0].message.startswith("本年权重合计 90 + 预算执行率权重 0 = 90")


def test_e102_text_weight_is_an_error_and_suppresses_e101():
    s = sample("安置帮教工作经费")
    s.indicators[1].annual_weight = "十"
    (f,) = only(s, "E102")
    assert f.path == ("indicators", 1, "annual_weight") and f.row == 1
    assert f.message == "第2行「为安置帮教人员排解工作和心理的压力」：本年权重「十」不是数字"
    assert "E101" not in codes(s)
    assert not weight_summary(s).readable


@pytest.mark.parametrize("text", ["-5", "abc", "10分"])
def test_e102_on_weight_and_exec_weight(text):
    s = sample("扫黑除恶")
    s.indicators[0].weight = text
    assert [f.path for f in only(s, "E102")] == [("indicators", 0, "weight")]
    s = dataclasses.replace(sample("扫黑除恶"), exec_weight=text)
    assert [f.path for f in only(s, "E102")] == [("exec_weight",)]


def test_w103_weight_differs():
    s = sample("扫黑除恶")
    s.indicators[0].weight = "15"
    (f,) = only(s, "W103")
    assert f.message == "第1行「提供高效优质的法律服务」：权重(%) 15 与本年权重 20 不同"
    assert f.path == ("indicators", 0, "weight")


def test_w103_blank_annual_weight():
    s = sample("扫黑除恶")
    s.indicators[0].annual_weight = ""
    (f,) = only(s, "W103")
    assert f.path == ("indicators", 0, "annual_weight")
    assert "本年权重为空" in f.message
    assert "还差 20" in only(s, "E101")[0].message


def test_equal_weights_written_differently_are_not_w103():
    s = sample("扫黑除恶")
    s.indicators[0].weight = "20.0"
    assert "W103" not in codes(s)


# -- E111 / E112 / W113: vocabulary --------------------------------------------------------


def test_e111_missing_benefit_indicators():
    s = sample("安置帮教工作经费")
    s.indicators = [i for i in s.indicators if i.level1 != "效益指标"]
    (f,) = only(s, "E111")
    assert "「效益指标」" in f.message and f.path == ("indicators",)


def test_e111_empty_sheet_names_every_required_level():
    s = dataclasses.replace(sample("扫黑除恶"), indicators=[])
    assert [f.message.split("「")[1].split("」")[0] for f in only(s, "E111")] == [
        "产出指标",
        "效益指标",
        "满意度指标",
    ]


def test_cost_level_is_not_required():
    s = sample("司法工作经费")  # the one sample sheet without 成本指标
    assert "E111" not in codes(s)


def test_e112_unknown_level1_suggests_closest():
    s = sample("扫黑除恶")
    s.indicators[0].level1 = "产品指标"
    (f,) = only(s, "E112")
    assert f.path == ("indicators", 0, "level1")
    assert f.message.endswith("可能是「产出指标」")
    assert "W113" not in [f.code for f in check_sheet(s) if f.row == 0]


def test_e112_blank_level1_suggests_from_level2():
    s = sample("扫黑除恶")
    s.indicators[1].level1 = ""  # 时效指标
    (f,) = only(s, "E112")
    assert (
        f.message == "第2行「2024年底完成」：一级指标为空，按二级指标「时效指标」应为「产出指标」"
    )


def test_level_names_without_suffix_are_accepted():
    s = sample("扫黑除恶")
    s.indicators[0].level1 = "产出"
    s.indicators[0].level2 = "质量"
    assert not [f for f in check_sheet(s) if f.row == 0]


def test_w113_level2_under_the_wrong_level1():
    s = sample("扫黑除恶")
    s.indicators[0].level2 = "经济成本指标"
    (f,) = [f for f in only(s, "W113") if f.row == 0]
    assert f.message.endswith("；「经济成本指标」属于一级指标「成本指标」")


def test_w113_old_vocabulary_cost_under_output():
    s = sample("扫黑除恶")
    s.indicators[6].level1 = "产出指标"
    s.indicators[6].level2 = "成本指标"
    (f,) = [f for f in only(s, "W113") if f.row == 6]
    assert f.message.endswith("可能是「经济成本指标」（属于一级指标「成本指标」）")


def test_profile_alias_and_levels():
    s = sample("安置帮教工作经费")
    prof = Profile.from_dict({"aliases": {"维稳指标": "社会效益指标"}})
    s.indicators[2].level2 = "维稳指标"
    assert only(s, "W113", prof)[0].message.endswith("可能是「社会效益指标」")
    # a profile that lists 可持续发展指标 accepts the sample's name
    levels = {
        "产出指标": ["数量指标", "质量指标", "时效指标"],
        "成本指标": ["经济成本指标"],
        "效益指标": ["社会效益指标", "可持续发展指标"],
        "满意度指标": ["服务对象满意度指标"],
    }
    assert "W113" not in codes(sample("安置帮教工作经费"), Profile.from_dict({"levels": levels}))


# -- E121 / E122 / W123 / W124 / W125 / W126: the values ----------------------------------


@pytest.mark.parametrize("nature", ["＞", "＜", "＝", " ≥ "])
def test_full_width_natures_are_accepted(nature):
    s = sample("扫黑除恶")
    s.indicators[4].nature = nature
    assert "E121" not in codes(s)


@pytest.mark.parametrize(
    ("nature", "hint"), [(">=", "可能是「≥」"), ("不超过", "可能是「≤」"), ("约", None), ("", None)]
)
def test_e121_bad_nature(nature, hint):
    s = sample("扫黑除恶")
    s.indicators[4].nature = nature
    (f,) = only(s, "E121")
    assert f.path == ("indicators", 4, "nature")
    if hint:
        assert f.message.endswith(hint)
    assert "≥ ≤ = > < 定性" in f.message
    assert "E122" not in codes(s)  # no second guess on a row whose nature is unknown


def test_e122_quantitative_without_number():
    s = sample("扫黑除恶")
    s.indicators[4].annual_target = "九十五"
    (f,) = only(s, "E122")
    assert (
        f.message
        == "第5行「律师对业务培训工作的满意度」：定量指标（≥）的本年绩效指标值「九十五」不是数字"
    )


def test_e122_accepts_percent_sign_and_skips_qualitative():
    s = sample("扫黑除恶")
    s.indicators[4].annual_target = "95%"
    s.indicators[0].annual_target = "优秀"  # 定性
    assert "E122" not in codes(s)


def test_w123_quantitative_without_unit():
    s = sample("扫黑除恶")
    s.indicators[1].measure = ""
    (f,) = only(s, "W123")
    assert f.path == ("indicators", 1, "measure")
    s.indicators[1].nature = "定性"
    assert "W123" not in codes(s)


def test_w124_empty_target():
    s = sample("扫黑除恶")
    s.indicators[2].target = "  "
    assert [f.row for f in only(s, "W124")] == [2]


@pytest.mark.parametrize("nature", [">", "＞"])
def test_w125_cost_floor(nature):
    s = sample("扫黑除恶")
    s.indicators[6].nature = nature
    assert [f.row for f in only(s, "W125")] == [6]


def test_w125_only_for_cost():
    s = sample("扫黑除恶")
    assert s.indicators[4].nature == "≥"
    assert "W125" not in codes(s)


def test_w126_percent_over_100():
    s = sample("扫黑除恶")
    s.indicators[4].target = "120"
    s.indicators[4].annual_target = "105%"
    got = only(s, "W126")
    assert [f.path for f in got] == [
        ("indicators", 4, "target"),
        ("indicators", 4, "annual_target"),
    ]
    assert got[0].message.endswith("指标值 120% 超过 100%")
    s.indicators[4].target = s.indicators[4].annual_target = "100"
    assert "W126" not in codes(s)


def test_w126_not_for_other_units():
    s = sample("人民调解个案补贴")  # 500 案件数
    assert s.indicators[2].annual_target == "500"
    assert "W126" not in codes(s)


# -- E131 / W141 / E151 --------------------------------------------------------------------


def test_e131_funding_short():
    s = sample("安置帮教工作经费")
    s.funding.fiscal = "140,000"
    (f,) = only(s, "E131")
    assert f.message == "资金来源合计 财政资金 140,000，与项目总额 150,000 不符，少 10,000"
    assert f.path == ("funding",)


def test_e131_two_sources_over():
    s = sample("安置帮教工作经费")
    s.funding.unit_funds = "20000"
    (f,) = only(s, "E131")
    assert f.message == (
        "资金来源合计 财政资金 150,000 + 单位资金 20,000 = 170,000，"
        "与项目总额 150,000 不符，多 20,000"
    )


def test_e131_blank_sources_count_as_zero():
    s = sample("安置帮教工作经费")
    s.funding.special = s.funding.loan = ""
    assert "E131" not in codes(s)


def test_e131_text_amounts():
    s = sample("安置帮教工作经费")
    s.funding.social = "若干"
    assert [f.path for f in only(s, "E131")] == [("funding", "social")]
    s = dataclasses.replace(sample("安置帮教工作经费"), total="")
    (f,) = only(s, "E131")
    assert f.path == ("total",) and "项目总额为空" in f.message


def test_w141_duplicate_level3():
    s = sample("扫黑除恶")
    s.indicators.append(dataclasses.replace(s.indicators[1], annual_weight="0", weight="0"))
    (f,) = only(s, "W141")
    assert f.row == 7 and f.message == "第8行「2024年底完成」：三级指标与第2行重复"


@pytest.mark.parametrize(
    ("name", "label"), [("unit", "单位信息"), ("project", "预算项目"), ("goal", "年度目标")]
)
def test_e151_empty_header(name, label):
    s = dataclasses.replace(sample("扫黑除恶"), **{name: "  "})
    (f,) = only(s, "E151")
    assert f.path == (name,) and f.message == f"{label}为空"


# -- profile effects on the engine ---------------------------------------------------------


def test_disable_and_severity_and_ignore():
    s = sample("执法证工本费")
    assert codes(s) == ["I161"]
    assert codes(s, Profile.from_dict({"disable": ["I161"]})) == []
    assert codes(s, Profile.from_dict({"severity": {"I161": "off"}})) == []
    (f,) = check_sheet(s, Profile.from_dict({"severity": {"I161": "error"}}))
    assert f.severity == "error"
    ign = {"ignore": [{"project": "执法证工本费", "codes": ["I161"], "reason": "省厅承担部分"}]}
    assert codes(s, Profile.from_dict(ign)) == []
    ign_unit = {
        "ignore": [{"project": "135001-大竹县司法局/执法证工本费", "codes": "all", "reason": "x"}]
    }
    assert codes(s, Profile.from_dict(ign_unit)) == []
    other = {"ignore": [{"project": "别的单位/执法证工本费", "codes": ["I161"], "reason": "x"}]}
    assert codes(s, Profile.from_dict(other)) == ["I161"]


def test_ignore_is_per_code():
    s = sample("法律援助工作经费")
    prof = Profile.from_dict(
        {"ignore": [{"project": "法律援助工作经费", "codes": ["W125"], "reason": "x"}]}
    )
    assert codes(s, prof) == ["I161"]


def test_check_sheet_does_not_change_the_sheet():
    for s in sample_sheets():
        before = dataclasses.asdict(s)
        check_sheet(s)
        assert dataclasses.asdict(s) == before


def test_row_index_matches_path():
    s = sample("扫黑除恶")
    s.indicators.insert(0, Indicator(level1="x", nature="?", weight="a", annual_weight="b"))
    for f in check_sheet(s):
        if f.row is not None:
            assert f.path[:2] == ("indicators", f.row)
        else:
            assert len(f.path) <= 2 and not (len(f.path) > 1 and isinstance(f.path[1], int))
