"""Properties of the engine over any cell text (the TUI feeds it whatever is being typed)."""

from __future__ import annotations

import dataclasses

from _sample import sample
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from jixiao.store.rules.rules import check_sheet, weight_summary
from jixiao.store.sheet.fields import INDICATOR_FIELDS
from jixiao.store.sheet.model import INDICATOR_NAMES, Indicator

CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "10",
            "0",
            "-1",
            "十",
            "≥",
            "＞",
            "定性",
            "%",
            "元/人·次",
            "万元",
            "1e3",
            "150,000",
            "可持续发展指标",
            "成本指标",
            "数量指标",
            " 5 ",
            "100.5",
        ]
    ),
    st.text(max_size=8),
)
ROW = st.builds(Indicator, *[CELL for _ in INDICATOR_FIELDS])


@settings(max_examples=examples(4), deadline=None)  # cheap: many more than most
@given(rows=st.lists(ROW, max_size=8), total=CELL, exec_weight=CELL, fiscal=CELL)
def test_any_text_gives_findings_not_exceptions(rows, total, exec_weight, fiscal):
    s = sample("执法证工本费")
    s = dataclasses.replace(s, indicators=s.indicators + rows, total=total, exec_weight=exec_weight)
    s.funding.fiscal = fiscal
    for f in check_sheet(s):
        assert f.severity in ("error", "warning", "info")
        assert f.message and "\n" not in f.message
        if f.path[0] == "indicators" and len(f.path) == 3:
            assert f.row == f.path[1] and f.path[2] in INDICATOR_NAMES
            assert 0 <= f.row < len(s.indicators)
        elif f.path[0] == "funding" and len(f.path) == 2:
            assert hasattr(s.funding, f.path[1])
        else:
            assert f.row is None
            assert f.path[0] == "indicators" or hasattr(s, f.path[0])


@settings(max_examples=examples(3), deadline=None)
@given(weights=st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12))
def test_e101_iff_weight_summary_not_ok(weights):
    s = sample("扫黑除恶")
    base = s.indicators[0]
    s.indicators = [
        dataclasses.replace(base, level3=f"指标{i}", weight=str(w), annual_weight=str(w))
        for i, w in enumerate(weights)
    ] + s.indicators[1:]
    ws = weight_summary(s)
    e101 = [f for f in check_sheet(s) if f.code == "E101"]
    assert bool(e101) == (not ws.ok)
    if e101:
        diff = int(ws.total) - 100
        assert e101[0].message.endswith(f"多 {diff}" if diff > 0 else f"还差 {-diff}")
