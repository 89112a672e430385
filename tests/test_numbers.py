"""Each business number is computed once and written by one formatter, so `check`, `diff`,
`show`, textconv and the editor say the same thing about the same sheet."""

from __future__ import annotations

from _sample import sample_sheets
from jixiao.store.merge.diff import diff_sheets
from jixiao.store.rules.profile import DEFAULT_PROFILE
from jixiao.store.rules.rules import check_sheet, funding_summary, weight_summary
from jixiao.store.session.editing import run_checks
from jixiao.store.sheet.model import format_money, format_number
from jixiao.store.workspace.textconv import sheet_lines
from jixiao.store.workspace.views import sheet_dict


def test_one_number_formatter_never_rounds_to_an_exponent() -> None:
    assert format_number(10.0) == "10"
    assert format_number(2.5) == "2.5"
    assert format_number(100 / 3) == "33.333333"
    assert format_number(1234567.5) == "1234567.5"  # '%g' gave 1.23457e+06
    assert format_money(1234.5) == "1,234.5"
    assert format_money(100600.0) == "100,600"


def test_every_view_of_a_weight_total_prints_the_same_number() -> None:
    old = sample_sheets()[0]
    new = sample_sheets()[0]
    new.exec_weight = "10"
    for k, ind in enumerate(new.indicators):
        ind.annual_weight = "33.3333333" if k < 2 else "0"
    total = "76.666667"  # 10 + 2 × 33.3333333
    weights = weight_summary(new)
    assert format_number(weights.total) == total
    assert str(weights) == f"{total} 还差 23.333333"
    assert sheet_dict(new)["本年权重合计"] == total
    assert f"权重合计: {total}" in sheet_lines(new)
    assert str(diff_sheets(old, new).weight_after) == f"{total} 还差 23.333333"
    assert run_checks(new, DEFAULT_PROFILE).status == f"合计 {total}，还差 23.333333"
    (e101,) = [f for f in check_sheet(new) if f.code == "E101"]
    assert e101.message.endswith(f"= {total}，应为 100，还差 23.333333")


def test_funding_summary_is_what_e131_reports() -> None:
    sheet = sample_sheets()[0]
    sheet.total = "150,000"
    sheet.funding.fiscal, sheet.funding.unit_funds = "100,000", "20,000"
    f = funding_summary(sheet.total, vars(sheet.funding))
    assert (f.sum, f.total, f.ok, f.how) == (120000.0, 150000.0, False, "少 30,000")
    (e131,) = [x for x in check_sheet(sheet) if x.code == "E131"]
    assert e131.message.endswith(f"与项目总额 150,000 不符，{f.how}")
    sheet.funding.social = "一些"
    f = funding_summary(sheet.total, vars(sheet.funding))
    assert not f.ok and f.unreadable == (("social", "社会投入资金", "一些"),)
