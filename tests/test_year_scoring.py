"""The scoring engine (issue 22): every branch against numbers worked by hand on the sample's
安置帮教工作经费 (预算执行率权重 10; rows: ≥500人 w10, 定性 w20, 定性 w30, ≥90% w10,
=300元/人·次 w10, =12月 w10)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from _sample import sample
from jixiao.store.errors import ProfileError
from jixiao.store.rules.profile import Profile
from jixiao.store.sheet.model import Sheet
from jixiao.store.sheet.year_model import ActualRow, SelfEvaluation, SpentRow
from jixiao.store.year.scoring import grade_of, quantity, rounded, score_sheet

FULL = "达成年度指标"
PART = "部分达成年度指标并具有一定效果"
POOR = "未达成年度指标且效果较差"


def evaluate(
    actuals: list[str], spent: str = "138,000", budget: str = "150,000", scores: dict | None = None
) -> Sheet:
    """The sample project with a self-evaluation: one actual per approved row, in order."""
    s = sample("安置帮教工作经费")
    rows = [
        ActualRow(i.level1, i.level2, i.level3, a, score=(scores or {}).get(k, ""))
        for k, (i, a) in enumerate(zip(s.indicators, actuals, strict=True))
    ]
    s.evaluation = SelfEvaluation(funding={"total": SpentRow(budget, spent)}, indicators=rows)
    return s


def scores(sheet: Sheet) -> list[str | None]:
    card = score_sheet(sheet)
    return [None if s.score is None else str(s.score) for s in card.indicators]


def test_the_worked_example_total_and_grade() -> None:
    # 执行率 138,000/150,000 = 92% → 9.2; 450/500×10 = 9; 定性 top 20; hand 21 in [15, 24];
    # 96% ≥ 90% → 10; =300 actual 310 → 10×(1−10/300) = 9.666… → 9.67;
    # =12 actual 11个月 → 10×(1−1/12) = 9.166… → 9.17.  9.2+9+20+21+10+9.67+9.17 = 88.04 → 良
    s = evaluate(["450", FULL, PART, "96%", "310", "11个月"], scores={2: "21"})
    card = score_sheet(s)
    assert card.exec_rate == Decimal("0.92") and card.exec_score == Decimal("9.20")
    assert scores(s) == ["9.00", "20.00", "21.00", "10.00", "9.67", "9.17"]
    assert card.total == Decimal("88.04") and card.grade == "良"
    assert card.indicators[2].hand and not card.notes


def test_no_self_evaluation_is_no_score_card() -> None:
    assert score_sheet(sample("安置帮教工作经费")) is None


def test_greater_or_equal_met_and_short() -> None:
    assert scores(evaluate(["500", FULL, FULL, "90", "300", "12"]))[0] == "10.00"
    assert scores(evaluate(["600", FULL, FULL, "90", "300", "12"]))[0] == "10.00"
    assert scores(evaluate(["250", FULL, FULL, "90", "300", "12"]))[0] == "5.00"


def test_less_or_equal_met_and_over() -> None:
    s = evaluate(["500", FULL, FULL, "90", "320", "12"])
    s.indicators[4].nature = "≤"
    assert scores(s)[4] == "9.38"  # 10 × 300/320 = 9.375, half-up
    s.evaluation.indicators[4].actual = "280"
    assert scores(s)[4] == "10.00"
    s.indicators[4].nature = "<"  # scored as ≤
    s.evaluation.indicators[4].actual = "600"
    assert scores(s)[4] == "5.00"


def test_equal_both_sides_and_far_off() -> None:
    assert scores(evaluate(["500", FULL, FULL, "90", "270", "12"]))[4] == "9.00"
    assert scores(evaluate(["500", FULL, FULL, "90", "330", "12"]))[4] == "9.00"
    assert scores(evaluate(["500", FULL, FULL, "90", "700", "12"]))[4] == "0.00"


def test_qualitative_bands_with_and_without_a_hand_score() -> None:
    s = evaluate(["500", PART, POOR, "90", "300", "12"])
    assert scores(s)[1:3] == ["16.00", "15.00"]  # 80% of 20, 50% of 30
    s.evaluation.indicators[1].score = "10"  # inside 50–80% of 20
    s.evaluation.indicators[2].score = "0"  # the bottom of 0–50% of 30
    assert scores(s)[1:3] == ["10.00", "0.00"]
    s.evaluation.indicators[1].score = "17"  # outside its band: the band's top, and a note
    card = score_sheet(s)
    assert str(card.indicators[1].score) == "16.00" and not card.indicators[1].hand
    assert "得分「17」不在此档之内" in card.notes[0]
    s.evaluation.indicators[1].actual = "基本达成"
    card = score_sheet(s)
    assert str(card.indicators[1].score) == "0.00" and "不是定性指标的完成档次" in card.notes[0]


def test_not_applicable_rows_are_left_out_and_the_rest_scaled_back() -> None:
    # Row 3 (w30) 不适用: the other 60 points scale to 90 (×1.5).
    s = evaluate(["250", FULL, "不适用", "90", "300", "12"])
    card = score_sheet(s)
    assert [float(i.weight) for i in card.indicators] == [15, 30, 0, 15, 15, 15]
    assert scores(s) == ["7.50", "30.00", None, "15.00", "15.00", "15.00"]
    assert card.total == Decimal("91.70") and card.grade == "优"  # 9.2 + 7.5 + 30 + 3 × 15


def test_a_zero_target_is_never_divided_by() -> None:
    s = evaluate(["500", FULL, FULL, "90", "0", "12"])
    s.indicators[4].annual_target = "0"
    assert scores(s)[4] == "10.00"
    s.evaluation.indicators[4].actual = "5"
    card = score_sheet(s)
    assert str(card.indicators[4].score) == "0.00"
    assert card.notes == [
        "第5行「每位安置帮教人员所需的费用」：目标为 0 而实际不等于 0，不能按比例折算，计 0 分"
    ]
    s.indicators[0].annual_target = "0"
    s.evaluation.indicators[0].actual = "-1"
    assert scores(s)[0] == "0.00"
    s.indicators[4].nature = "≤"
    assert scores(s)[4] == "0.00"


def test_numbers_with_units_and_percent_signs() -> None:
    assert [quantity(t) for t in ("96%", "12个月", "1,200 元", "≥90", "0.5", "十", "")] == [
        96,
        12,
        1200,
        90,
        0.5,
        None,
        None,
    ]
    s = evaluate(["480人", FULL, FULL, "85 %", "300元", "12个月"])
    assert scores(s)[0] == "9.60" and scores(s)[3] == "9.44"  # 10×85/90 = 9.444…
    s.evaluation.indicators[0].actual = "四百八十"
    card = score_sheet(s)
    assert str(card.indicators[0].score) == "0.00" and "不是数字" in card.notes[0]


def test_rounding_is_half_up_and_the_total_sums_rounded_scores() -> None:
    assert rounded(Decimal("2.345"), 2) == Decimal("2.35")  # banker's would give 2.34
    s = evaluate(["93.8", FULL, FULL, "90", "300", "12"])
    s.indicators[0].annual_target = "400"
    assert scores(s)[0] == "2.35"  # 10 × 93.8/400 = 2.345
    # 137,995/150,000 × 10 = 9.19966… → 9.20
    s.evaluation.funding["total"].spent = "137,995"
    card = score_sheet(s)
    assert card.exec_score == Decimal("9.20")
    assert card.total == Decimal("9.20") + Decimal("2.35") + 80


def test_budget_execution_capped_and_missing() -> None:
    card = score_sheet(evaluate(["500", FULL, FULL, "90", "300", "12"], spent="160,000"))
    assert card.exec_score == Decimal("10.00") and card.total == Decimal("100.00")
    card = score_sheet(evaluate(["500", FULL, FULL, "90", "300", "12"], spent=""))
    assert card.exec_rate is None and card.exec_score == 0 and "未填" in card.notes[0]
    card = score_sheet(evaluate(["500", FULL, FULL, "90", "300", "12"], budget="0"))
    assert card.exec_rate is None and "全年预算数为 0" in card.notes[0]


def test_grades_at_their_floors() -> None:
    sc = Profile().scoring
    got = [grade_of(Decimal(t), sc) for t in ("90", "89.99", "80", "79.99", "60", "59.99", "0")]
    assert got == ["优", "良", "良", "中", "中", "差", "差"]


def test_a_province_changes_the_numbers_in_the_profile() -> None:
    p = Profile.from_dict(
        {
            "scoring": {
                "grades": {"A": 95, "B": 70},
                "lowest": "C",
                "bands": {FULL: [100, 90], PART: [90, 40], POOR: [40, 0]},
                "decimals": 1,
            }
        }
    )
    s = evaluate(["450", PART, FULL, "96%", "310", "11个月"])
    card = score_sheet(s, p)
    assert str(card.indicators[1].score) == "18.0"  # 90% of 20
    assert str(card.indicators[4].score) == "9.7"
    # 9.2 + 9 + 18 + 30 + 10 + 9.7 + 9.2 = 95.1: at A's floor of 95
    assert card.total == Decimal("95.1") and card.grade == "A"
    with pytest.raises(ProfileError, match="profile.scoring: 未知的设置 'grade'"):
        Profile.from_dict({"scoring": {"grade": {}}})
    with pytest.raises(ProfileError, match="下限 90 大于上限 80"):
        Profile.from_dict({"scoring": {"bands": {FULL: [80, 90]}}})


def test_rows_the_approval_lacks_are_reported_and_matched_by_identity() -> None:
    s = evaluate(["500", FULL, FULL, "90", "300", "12"])
    s.evaluation.indicators.reverse()  # order does not matter: identity does
    s.evaluation.indicators.append(ActualRow("产出指标", "数量指标", "不存在的指标", "1"))
    card = score_sheet(s)
    assert card.total == Decimal("99.20")  # 9.2 + 90
    assert [r.level3 for r in card.unknown] == ["不存在的指标"]
